"""The mapping table's 对应字段 cell: drawn as a combo box showing the field a column goes
to, and a real combo box only while it is being chosen. A sheet of 1,000 columns (an
annual statistics export) once built 1,000 combo boxes of 64 fields each on the GUI thread
(0.8 s before the page showed); now the table holds 1,000 texts and paints the rows on
screen.

The chooser opens on a double-click, a click on the current cell, F2 or a key typed on it
(space or Alt+↓ open its list at once); choosing an item writes it to the cell."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QWidget,
)

FIELD_ROLE = Qt.UserRole  # the field's key (None: not imported)

Choices = Callable[[], list[tuple[str, str | None]]]


class FieldChooser(QStyledItemDelegate):
    """``choices()`` gives the (label, key) pairs to choose from, in their order."""

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.open_list = True  # a chooser the user opened shows its list at once

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """The row's background (selected or not), then a combo box's frame and text."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PE_PanelItemViewItem, item, painter, widget)
        box = QStyleOptionComboBox()
        box.rect = option.rect.adjusted(1, 1, -1, -1)
        box.state = option.state | QStyle.State_Enabled
        box.palette = option.palette
        box.fontMetrics = option.fontMetrics
        box.currentText = str(index.data(Qt.DisplayRole) or "")
        style.drawComplexControl(QStyle.CC_ComboBox, box, painter, widget)
        style.drawControl(QStyle.CE_ComboBoxLabel, box, painter, widget)

    def createEditor(self, parent: QWidget, _option, _index) -> QComboBox:  # noqa: N802
        combo = QComboBox(parent)
        for label, key in self.choices():
            combo.addItem(label, key)
        combo.currentIndexChanged.connect(lambda _number: self.commitData.emit(combo))
        if self.open_list:
            combo.activated.connect(lambda _number: self.closeEditor.emit(combo))
            QTimer.singleShot(0, combo, combo.showPopup)
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:  # noqa: N802
        key = index.data(FIELD_ROLE)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(editor.findData(key), 0) if key else 0)
        editor.blockSignals(False)

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), FIELD_ROLE)
        model.setData(index, editor.currentText(), Qt.DisplayRole)

    def updateEditorGeometry(self, editor: QWidget, option, _index) -> None:  # noqa: N802
        editor.setGeometry(option.rect)

