"""A read-only firm window (a viewer's login, another county's firm for an editor) looks and
behaves read-only in every field and record table: each on the window's grey instead of
white, text fields read-only but selectable (to copy), combo boxes showing their value as
selectable text that nothing changes (they were disabled: pale and not selectable, while
the white text fields looked as if they could be typed in)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from tiers.storage.write_rights import WriteRights
from ui.enterprise_dialog import EnterpriseDialog
from ui.read_only_look import READ_ONLY_PROPERTY

WUJIN_EDITOR = WriteRights(counties=frozenset({"320412"}), role="editor",
                           county_names=("武进区",))
VIEWER = WriteRights(counties=frozenset(), may_write=False, role="viewer")


def _dialog(qtbot, database, settings, runner, firm_id) -> EnterpriseDialog:
    dialog = EnterpriseDialog(database, settings, firm_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _base(widget):
    return widget.palette().color(QPalette.Active, QPalette.Base)


def _wheel(widget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _check_read_only(qtbot, dialog) -> None:
    grey = dialog.palette().color(QPalette.Active, QPalette.Window)
    for key, widget in dialog.inputs.items():
        assert widget.property(READ_ONLY_PROPERTY) is True, key
        assert _base(widget) == grey, key
        assert widget.isEnabled(), key  # readable and selectable, not greyed out
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            assert widget.isReadOnly(), key
            assert widget.placeholderText() == "", key  # no example that reads as a value
    for key in ("county", "size"):
        combo: QComboBox = dialog.inputs[key]
        shown = combo.currentText()
        assert combo.lineEdit() is not None and combo.lineEdit().isReadOnly(), key
        assert _base(combo.lineEdit()) == grey, key
        combo.setFocus()
        for press in ((Qt.Key_Down, Qt.NoModifier), (Qt.Key_Up, Qt.NoModifier),
                      (Qt.Key_PageDown, Qt.NoModifier), (Qt.Key_F4, Qt.NoModifier),
                      (Qt.Key_Down, Qt.AltModifier)):
            qtbot.keyClick(combo, *press)
        _wheel(combo)
        qtbot.mouseClick(combo, Qt.LeftButton, pos=QPoint(combo.width() - 5, 5))
        assert combo.view().isVisible() is False, key  # no list opened
        assert combo.currentText() == shown, key
        qtbot.keyClicks(combo.lineEdit(), "x")  # typing changes nothing either
        assert combo.currentText() == shown, key
        combo.lineEdit().selectAll()  # and the value can be selected, to copy
        assert combo.lineEdit().selectedText() == shown, key
    assert dialog.inputs["county"].currentText() == "新北区"
    assert dialog.inputs["size"].currentText() == "中型"
    name = dialog.inputs["name"]
    name.selectAll()
    assert name.selectedText() == "常州新北只读有限公司"
    for tab in dialog.record_tabs():
        assert tab.table.property(READ_ONLY_PROPERTY) is True, tab
        assert _base(tab.table) == grey, tab
    assert not dialog.has_unsaved_changes()


def test_another_countys_firm_window_looks_read_only(qtbot, database, settings, runner,
                                                     enterprise_factory, session):
    firm = enterprise_factory("常州新北只读有限公司", county="新北区", town="", size="中型").id
    own = enterprise_factory("常州武进可改有限公司", size="中型").id
    session.commit()
    database.rights = WUJIN_EDITOR
    _check_read_only(qtbot, _dialog(qtbot, database, settings, runner, firm))
    mine = _dialog(qtbot, database, settings, runner, own)  # his own firm: as ever
    white = mine.palette().color(QPalette.Active, QPalette.Base)
    assert _base(mine.inputs["name"]) == white and not mine.inputs["name"].isReadOnly()
    assert mine.inputs["size"].property(READ_ONLY_PROPERTY) is None
    assert not mine.inputs["size"].isEditable()
    assert _base(mine.recognition_tab.table) == white
    mine.inputs["size"].setFocus()
    qtbot.keyClick(mine.inputs["size"], Qt.Key_Down)
    assert mine.inputs["size"].currentText() != "中型" and mine.has_unsaved_changes()


def test_a_viewers_firm_window_looks_read_only(qtbot, database, settings, runner,
                                               enterprise_factory, session):
    firm = enterprise_factory("常州新北只读有限公司", county="新北区", town="", size="中型").id
    session.commit()
    database.rights = VIEWER
    _check_read_only(qtbot, _dialog(qtbot, database, settings, runner, firm))
