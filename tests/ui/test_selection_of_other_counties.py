"""An editor limited to his county who selects other counties' firms too (Ctrl+A on a list
of the whole city) is told up front, before confirming 删除 or filling in a 批量操作's
inputs, how many are not his and will be skipped; when none is his he is told so and asked
nothing. 删除 went on to ask about all of them (and the server then refused the lot), and a
批量操作 first asked its inputs and only the preview's list said which were skipped. The
rights are Database.rights (as the server's would read, cf. test_rights_shown_before_the_
work); the preview's own check reads the server's, patched to the same here."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import func, select

from tiers.model.orm import CultivationEntry, Enterprise
from tiers.services import bulk
from tiers.storage.write_rights import WriteRights
from ui.ask import ConfirmDialog
from ui.bulk_dialogs import BulkPreviewDialog
from ui.main_window import MainWindow
from ui.record_form_dialog import RecordFormDialog

WUJIN_EDITOR = WriteRights(counties=frozenset({"320412"}), role="editor",
                           county_names=("武进区",))


@pytest.fixture
def editor_window(qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    mine = [enterprise_factory(f"常州武进选择{i}有限公司", county="武进区").id for i in range(2)]
    theirs = [enterprise_factory("溧阳选择一号有限公司", county="溧阳市").id]
    session.commit()
    database.rights = WUJIN_EDITOR
    monkeypatch.setattr(bulk, "write_rights", lambda _session: WUJIN_EDITOR)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.roster.refresh()
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 3
                    and not window.roster.model.listing_pending, timeout=10_000)
    return window, mine, theirs


def _select(window, ids) -> None:
    table, model = window.roster.table, window.roster.model
    table.clearSelection()
    for enterprise_id in ids:
        table.selectionModel().select(
            model.index(model.row_of(enterprise_id), 0),
            QItemSelectionModel.Select | QItemSelectionModel.Rows)
    assert sorted(window.roster.selected_ids()) == sorted(ids)


def _deleted(database) -> set[int]:
    with database.session() as s:
        return set(s.scalars(select(Enterprise.id).where(Enterprise.deleted_at.is_not(None))))


def test_delete_says_up_front_which_are_skipped_and_deletes_only_his(
        qtbot, database, editor_window, monkeypatch):
    window, mine, theirs = editor_window
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text: asked.append(text) or True))
    _select(window, mine + theirs)
    with qtbot.waitSignal(window.roster.save_finished, timeout=10_000) as finished:
        window.roster.delete_selected()
    assert finished.args == [True]
    assert len(asked) == 1
    assert asked[0].startswith("把 2 家企业移到回收站？\n所选 3 家中 1 家属于其他县区（溧阳市 1 家），将跳过。")
    assert "溧阳选择一号有限公司" not in asked[0]
    assert _deleted(database) == set(mine)


def test_delete_of_only_other_counties_firms_asks_nothing(qtbot, database, editor_window,
                                                         monkeypatch, messages):
    window, _mine, theirs = editor_window
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text: pytest.fail("asked to delete: " + text)))
    _select(window, theirs)
    told = len(messages)
    window.roster.delete_selected()
    qtbot.waitUntil(lambda: len(messages) > told, timeout=10_000)
    assert messages[-1][1] == ("所选 1 家企业都属于其他县区（溧阳市 1 家），您的账号只能修改武进区的企业"
                               "（如需修改，请该区县的同事或管理员修改）。没有删除。")
    assert _deleted(database) == set()


def _binned_window(qtbot, database, runner, window, ids):
    """The firms moved to the 回收站 (by an admin), the window showing the 回收站."""
    from tiers.services import enterprises
    with database.session() as session:
        for enterprise_id in ids:
            enterprises.soft_delete(session, enterprise_id, user="管理员")
        session.commit()
    view = window.roster
    view.trash.setChecked(True)
    qtbot.waitUntil(lambda: runner.settled and view.model.rowCount() == len(ids),
                    timeout=10_000)
    return view


def test_restore_says_which_are_other_counties_and_restores_only_his(
        qtbot, database, runner, editor_window):
    """An editor sees every county's 回收站; 恢复 of other counties' firms was skipped by the
    bulk preview and said as 所选企业已不在回收站中 (review25)."""
    window, mine, theirs = editor_window
    view = _binned_window(qtbot, database, runner, window, mine + theirs)
    _select(window, mine + theirs)
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        view.restore_selected()
    said = window.statusBar().currentMessage()
    assert said.startswith("已从回收站恢复 2 家企业：")
    assert said.endswith("（所选 3 家中 1 家属于其他县区（溧阳市 1 家），未恢复）")
    assert _deleted(database) == set(theirs)


def test_restore_of_only_other_counties_firms_says_why(qtbot, database, runner, editor_window,
                                                      messages):
    window, _mine, theirs = editor_window
    view = _binned_window(qtbot, database, runner, window, theirs)
    _select(window, theirs)
    told = len(messages)
    view.restore_selected()
    qtbot.waitUntil(lambda: len(messages) > told, timeout=10_000)
    assert messages[-1][1] == ("所选 1 家企业都属于其他县区（溧阳市 1 家），您的账号只能修改武进区的企业"
                               "（如需修改，请该区县的同事或管理员修改）。没有恢复。")
    assert _deleted(database) == set(theirs)


def test_a_bulk_action_says_up_front_which_are_skipped(qtbot, database, editor_window,
                                                       monkeypatch):
    window, mine, theirs = editor_window
    forms, previews = [], []

    def fill(cls, parent, title, fields, values, validate=None):
        forms.append(title)
        return {**values, "target_tier": "zjtx", "target_year": "2027", "officer": "王明"}

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(fill))
    monkeypatch.setattr(BulkPreviewDialog, "ask", classmethod(
        lambda cls, parent, draft: previews.append(draft.summary()) or True))
    _select(window, mine + theirs)
    window.bulk_actions["cultivate"].trigger()

    def entries() -> int:
        with database.session() as s:
            return s.scalar(select(func.count()).select_from(CultivationEntry))

    qtbot.waitUntil(lambda: entries() == 2, timeout=10_000)
    assert forms == ["加入培育库（已选 3 家企业，其中 1 家属于其他县区，将跳过）"]
    assert previews == ["将为 2 家企业加入培育库；跳过 1 家（其中 1 家属于其他县区，原因见列表）。"]


def test_a_bulk_action_on_only_other_counties_firms_asks_nothing(
        qtbot, database, editor_window, monkeypatch, messages):
    window, _mine, theirs = editor_window
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, *args, **kwargs: pytest.fail("inputs asked")))
    _select(window, theirs)
    told = len(messages)
    window.bulk_actions["officer"].trigger()
    qtbot.waitUntil(lambda: len(messages) > told, timeout=10_000)
    assert messages[-1][1].startswith("所选 1 家企业都属于其他县区（溧阳市 1 家），您的账号只能修改武进区的企业")
    assert messages[-1][1].endswith("没有修改。")


def test_an_admin_is_asked_as_before(qtbot, database, settings, runner, enterprise_factory,
                                     session, monkeypatch):
    """(No reading first: a file or an admin may change every firm.)"""
    ids = [enterprise_factory("溧阳管理员一号有限公司", county="溧阳市").id]
    session.commit()
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.roster.refresh()
    # the refresh's list shown (a 删除 asked before waits for it)
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 1
                    and not window.roster.model.listing_pending, timeout=10_000)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text: asked.append(text) or False))
    _select(window, ids)
    assert window.roster.delete_selected() is None and window.roster.checking is None
    assert asked == ["把 1 家企业移到回收站？\n溧阳管理员一号有限公司"]

