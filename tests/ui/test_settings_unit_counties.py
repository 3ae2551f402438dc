"""设置 → 本单位负责的区县: read from the database into the field, written to it on 保存 (the
same setting tiers unit shows), a name not known refused with the dialog kept open and
nothing changed; read-only on a login that may not change it."""

from __future__ import annotations

from tiers.services import unit as unit_service
from tiers.storage.write_rights import WriteRights
from ui.ask import MessageDialog
from ui.settings_dialog import SettingsDialog


def _unit(database):
    with database.session() as session:
        return unit_service.unit_counties(session).divisions


def _dialog(qtbot, database, settings, runner):
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.unit_counties.isEnabled(), timeout=10_000)
    return dialog


def test_typed_saved_and_read_back(qtbot, database, settings, runner):
    dialog = _dialog(qtbot, database, settings, runner)
    assert dialog.unit_counties.text() == "" and not dialog.unit_counties.isReadOnly()
    dialog.unit_counties.setText("溧阳市， 常州市武进区")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()
    assert _unit(database) == (("320412", "武进区"), ("320481", "溧阳市"))
    again = _dialog(qtbot, database, settings, runner)
    assert again.unit_counties.text() == "武进区、溧阳市"
    again.unit_counties.setText("")  # cleared: every county's firms imported again
    with qtbot.waitSignal(again.accepted, timeout=10_000):
        again.save()
    assert _unit(database) == ()


def test_a_name_not_known_is_refused_and_nothing_changes(qtbot, database, settings, runner,
                                                         monkeypatch):
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    told = []
    monkeypatch.setattr(MessageDialog, "error",
                        classmethod(lambda cls, parent, title, text: told.append(text)))
    dialog = _dialog(qtbot, database, settings, runner)
    dialog.unit_counties.setText("溧阳市、天目湖开发区")
    dialog.save()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "“天目湖开发区”不是已知的县（市、区）或设区市" in told[0]
    assert dialog.isVisible() or dialog.result() == 0  # not accepted
    assert _unit(database) == (("320481", "溧阳市"),)


def test_read_only_for_an_editor(qtbot, database, settings, runner, monkeypatch):
    monkeypatch.setattr(database, "rights", WriteRights(
        counties=frozenset({"320481"}), role="editor", county_names=("溧阳市",)))
    dialog = _dialog(qtbot, database, settings, runner)
    assert dialog.unit_counties.isReadOnly()
    assert "需要管理员账号" in dialog.unit_counties.toolTip()


def test_the_box_says_what_the_setting_decides(qtbot, database, settings, runner):
    """Not only imports: the package export's counties and the proposed 报送单位 / 填报单位
    (review26 #10: titled 本单位（导入名单时使用）, the note on imports alone)."""
    from PySide6.QtWidgets import QGroupBox, QLabel

    dialog = _dialog(qtbot, database, settings, runner)
    box = dialog.unit_counties.parentWidget()
    assert isinstance(box, QGroupBox)
    assert "数据包" in box.title() and "报送单位" in box.title()
    note = " ".join(label.text() for label in box.findChildren(QLabel))
    assert "导出数据包默认勾选这些区县" in note and "填报单位按它推定" in note
