"""A read-only window's fields and tables look read-only, and stay readable and copyable.

The firm window of a firm the login may not change (a viewer, another county's firm for an
editor) had a yellow note, but its text fields were white as if they could be typed in, and
its combo boxes were disabled: their values drawn pale grey, not selectable. Now every field
and record table gets the window's own grey as its background (as read-only boxes have on
Windows), text fields are ``setReadOnly`` (text can be selected and copied), and a combo box
shows its value in a read-only line edit and cannot be changed (no list, no arrows, no
wheel) instead of being disabled."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

READ_ONLY_PROPERTY = "readOnlyField"  # set on every widget given the read-only look

# the keys that would choose another item in a combo box (its line edit passes them on)
# (Home and End move in the line edit, to select)
CHOOSING_KEYS = {Qt.Key_Up, Qt.Key_Down, Qt.Key_PageUp, Qt.Key_PageDown, Qt.Key_F4}


def read_only_text(parent: QWidget | None = None) -> QPlainTextEdit:
    """A box of text to read, not to type in (the import preview's details of the selected
    row, the 完成 page's warnings): read-only, its text selectable by mouse and keyboard (to
    copy), reached by Tab and left by Tab, wrapped at its width."""
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    box.setTextInteractionFlags(Qt.TextSelectableByKeyboard | Qt.TextSelectableByMouse)
    box.setTabChangesFocus(True)
    box.setLineWrapMode(QPlainTextEdit.WidgetWidth)
    return box


def look_read_only(widget: QWidget) -> None:
    """The window's background colour behind the widget's text (fields, tables)."""
    palette = widget.palette()
    grey = palette.color(QPalette.Active, QPalette.Window)
    for group in (QPalette.Active, QPalette.Inactive, QPalette.Disabled):
        palette.setColor(group, QPalette.Base, grey)
        palette.setColor(group, QPalette.AlternateBase, grey.darker(104))
    widget.setPalette(palette)
    widget.setProperty(READ_ONLY_PROPERTY, True)


class FixedCombo(QObject):
    """Attach to a combo box (``FixedCombo(combo)``): its value is shown in a read-only line
    edit (selectable, copyable) and nothing changes it."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.combo = combo
        text = combo.currentText()
        if not combo.isEditable():
            combo.setEditable(True)
            combo.setCurrentText(text)
        combo.lineEdit().setReadOnly(True)
        combo.setCompleter(None)
        combo.installEventFilter(self)
        # no arrow: nothing to choose from (the box is drawn as the read-only text fields)
        combo.setStyleSheet(
            "QComboBox { border: 1px solid palette(mid); border-radius: 2px;"
            " background: palette(window); padding: 1px 2px; }"
            "QComboBox::drop-down { subcontrol-origin: padding; subcontrol-position: top right;"
            " width: 0px; border: none; }"
            "QComboBox::down-arrow { image: none; width: 0px; }")
        look_read_only(combo)
        look_read_only(combo.lineEdit())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is not self.combo:
            return False
        kind = event.type()
        if kind in (QEvent.Wheel, QEvent.MouseButtonPress, QEvent.MouseButtonDblClick):
            return True  # (a press on the arrow opens the list; on the text it selects)
        # (↑ ↓ with Alt too: they open the list)
        return kind == QEvent.KeyPress and event.key() in CHOOSING_KEYS
