"""Two enterprise windows on one firm, both edited, both saved: the second one is not
silently applied. What only one changed merges (and the status line says so); what both
changed differently goes to the conflict dialog: keep theirs, keep mine, or a merged value."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.services.profile_merge import KEEP_MINE, KEEP_THEIRS, MERGED, Choice, FieldConflict
from ui.conflict_dialog import ConflictDialog
from ui.enterprise_dialog import EnterpriseDialog

ADDRESS = FieldConflict("basic:address", "基本信息", "地址", "湖塘路1号", "湖塘路8号",
                        "湖塘路9号", editable=True)
NOTE = FieldConflict("recognitions:3:note", "梯度认定", "创新型中小企业 2024：备注", "（空）",
                     "甲", "乙")


def test_the_dialog_shows_base_theirs_and_mine_and_asks_for_every_row(qtbot):
    dialog = ConflictDialog([ADDRESS, NOTE], firm="常州甲机械有限公司", merged=["主要产品"])
    qtbot.addWidget(dialog)
    assert "保存冲突" in dialog.windowTitle()
    assert "主要产品" in dialog.merged_note.text()
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.missing)))
    for value in ("湖塘路1号", "湖塘路8号", "湖塘路9号", "对方的修改", "我的修改"):
        assert value in texts
    dialog.rows[0].mine.setChecked(True)
    dialog.accept()  # the second row has no choice yet
    assert dialog.result() != ConflictDialog.Accepted
    assert "还有 1 处没有选择" in dialog.missing.text()
    assert dialog.rows[1].merged is None  # a record's field: theirs or mine only


def test_keep_mine_keep_theirs_and_a_typed_merged_value(qtbot):
    dialog = ConflictDialog([ADDRESS, NOTE], firm="甲")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.all_mine, Qt.LeftButton)
    assert dialog.choices() == {"basic:address": Choice(KEEP_MINE),
                                "recognitions:3:note": Choice(KEEP_MINE)}
    qtbot.mouseClick(dialog.all_theirs, Qt.LeftButton)
    assert set(dialog.choices().values()) == {Choice(KEEP_THEIRS)}
    qtbot.keyClicks(dialog.rows[0].merged_text, "8-9")  # typing chooses 合并为
    assert dialog.choices()["basic:address"] == Choice(MERGED, "8-9")
    assert dialog.rows[0].theirs.isChecked() is False
    assert dialog.rows[1].theirs.isChecked()  # the rows' choices are separate


def _window(qtbot, database, settings, runner, firm_id):
    window = EnterpriseDialog(database, settings, firm_id, runner=runner)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def firm(database, code) -> int:
    with database.session() as session:
        return enterprises.create(session, {"credit_code": code(1), "name": "常州甲有限公司",
                                            "county": "武进区", "address": "湖塘路1号",
                                            "main_product": "齿轮"}).id


def _stored(database, firm_id) -> Enterprise:
    with database.session() as session:
        return session.get(Enterprise, firm_id)


@pytest.mark.parametrize(("choice", "expected"), [
    (Choice(KEEP_THEIRS), "湖塘路8号"), (Choice(KEEP_MINE), "湖塘路9号"),
    (Choice(MERGED, "湖塘路8-9号"), "湖塘路8-9号")])
def test_two_windows_on_one_firm_settle_the_field_both_changed(
        qtbot, database, settings, runner, firm, save_and_wait, monkeypatch, choice, expected):
    first = _window(qtbot, database, settings, runner, firm)
    second = _window(qtbot, database, settings, runner, firm)
    first.set_field("address", "湖塘路8号")
    first.set_field("main_product", "减速机")
    assert save_and_wait(first)
    asked = []
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(
        lambda cls, parent, conflicts, **kw: asked.append(conflicts) or {
            conflicts[0].key: choice}))
    second.set_field("address", "湖塘路9号")
    second.set_field("tags", "重点")
    assert save_and_wait(second)
    [[conflict]] = asked
    assert (conflict.base, conflict.theirs, conflict.mine) == ("湖塘路1号", "湖塘路8号",
                                                               "湖塘路9号")
    stored = _stored(database, firm)
    assert (stored.address, stored.main_product, stored.tags) == (expected, "减速机", "重点")
    assert second.basic_values()["main_product"] == "减速机"  # the window shows theirs too
    assert second.basic_values()["address"] == expected
    assert not second.has_unsaved_changes()


def test_returning_to_edit_writes_nothing_and_keeps_my_edits(
        qtbot, database, settings, runner, firm, save_and_wait, monkeypatch):
    first = _window(qtbot, database, settings, runner, firm)
    second = _window(qtbot, database, settings, runner, firm)
    first.set_field("address", "湖塘路8号")
    assert save_and_wait(first)
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(lambda cls, *a, **k: None))
    second.set_field("address", "湖塘路9号")
    assert save_and_wait(second) is False
    assert "已修改了这家企业" in second.message.text()  # by whom: test_conflict_names_who
    assert second.basic_values()["address"] == "湖塘路9号"
    assert _stored(database, firm).address == "湖塘路8号"


def test_changes_on_different_fields_merge_and_the_status_line_says_so(
        qtbot, database, settings, runner, firm, save_and_wait, monkeypatch):
    first = _window(qtbot, database, settings, runner, firm)
    second = _window(qtbot, database, settings, runner, firm)
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(
        lambda cls, *a, **k: pytest.fail("no conflict to settle")))
    first.set_field("address", "湖塘路8号")
    assert save_and_wait(first)
    second.set_field("main_product", "减速机")
    with qtbot.waitSignal(second.notice) as notice:
        assert save_and_wait(second)
    assert "地址" in notice.args[0] and "地址" in second.message.text()
    stored = _stored(database, firm)
    assert (stored.address, stored.main_product) == ("湖塘路8号", "减速机")
    assert second.basic_values()["address"] == "湖塘路8号"


@pytest.mark.parametrize(("keep", "measures_left"), [(KEEP_THEIRS, 0), (KEEP_MINE, 1)])
def test_a_record_deleted_in_another_window_is_asked_about_not_recreated(
        qtbot, database, settings, runner, firm, save_and_wait, monkeypatch, keep,
        measures_left):
    from tiers.queries import profiles
    from tiers.services import measures
    from ui.record_form_dialog import RecordFormDialog

    with database.session() as session:
        measures.add(session, firm, {"kind": "资金奖励", "name": "首台套", "amount": "10",
                                     "year": 2024})
    first = _window(qtbot, database, settings, runner, firm)
    second = _window(qtbot, database, settings, runner, firm)
    first.measure_tab.select_row(0)
    first.measure_tab.delete_selected()
    assert save_and_wait(first)
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: {
        "kind": "资金奖励", "name": "首台套", "amount": "12", "year": "2024"}))
    second.measure_tab.select_row(0)
    second.measure_tab.edit_selected()
    asked = []
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(
        lambda cls, parent, conflicts, **kw: asked.append(conflicts) or {
            c.key: Choice(keep) for c in conflicts}))
    assert save_and_wait(second)
    [[conflict]] = asked
    assert conflict.section == "扶持措施" and conflict.theirs == "（已删除）"
    with database.session() as session:
        stored = profiles.profile(session, firm)["support_measures"]
    assert len(stored) == measures_left
    assert second.measure_tab.model.rowCount() == measures_left
