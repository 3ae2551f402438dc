"""A read-only record table whose chosen columns are coloured by their value (a verdict, a
trend), instead of the whole row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ui.record_table_model import RecordColumn, RecordTableModel


class StatusTableModel(RecordTableModel):
    def __init__(self, columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]] = (),
                 parent=None, *,
                 colours: dict[str, Callable[[dict[str, Any]], str | None]] | None = None,
                 tooltips: dict[str, Callable[[dict[str, Any]], str]] | None = None
                 ) -> None:
        super().__init__(columns, rows, parent)
        self.colours = colours or {}
        self.tooltips = tooltips or {}  # e.g. the whole verdict behind a short label

    def data(self, index, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.ToolTipRole and index.isValid() and 0 <= index.row() < len(self.rows):
            tip = self.tooltips.get(self.columns[index.column()].key)
            if tip is not None:
                return tip(self.rows[index.row()]) or None
        if role in (Qt.ForegroundRole, Qt.FontRole) and index.isValid() \
                and 0 <= index.row() < len(self.rows):
            pick = self.colours.get(self.columns[index.column()].key)
            colour = pick(self.rows[index.row()]) if pick else None
            if colour is None:
                return None
            if role == Qt.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return QBrush(QColor(colour))
        return super().data(index, role)
