"""A small read-only table over a list of dicts (the rows a query returned), for the
lists that are short by nature: recognitions of one firm, a chain's members, imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui.enterprise_table_model import display

ROW_ROLE = Qt.UserRole + 2
NO_PARENT = QModelIndex()  # the root: Qt's default argument


@dataclass(frozen=True)
class RecordColumn:
    key: str
    title: str
    format: Callable[[dict[str, Any]], str] | None = None
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]] = (),
                 parent=None, *, colour: Callable[[dict[str, Any]], str | None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = list(rows)
        self.colour = colour

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> dict[str, Any] | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        record, column = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            text = column.format(record) if column.format else display(record.get(column.key))
            return text if role == Qt.DisplayRole else (text or None)
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ForegroundRole and self.colour:
            colour = self.colour(record)
            return QBrush(QColor(colour)) if colour else None
        if role == ROW_ROLE:
            return record
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole \
                and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren


def fit_columns(view, maximum: int = 260) -> None:
    """Size a table's columns to their contents, but no column wider than ``maximum``: a
    long 认定单位 or 较上年变化 would push the rest off screen. The cell's tooltip has the
    full text, and the user can widen the column by dragging."""
    view.resizeColumnsToContents()
    model = view.model()
    for column in range(model.columnCount()):
        if view.columnWidth(column) > maximum:
            view.setColumnWidth(column, maximum)


def record_table(model: QAbstractTableModel, *, single: bool = True) -> QTableView:
    """A list page's table: whole rows selected (one at a time unless ``single`` is
    False), no row numbers, the last column stretched, column widths measured on the first
    rows only (measuring thousands of rows stalls the window)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setResizeContentsPrecision(100)
    return table
