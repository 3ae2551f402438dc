"""A small read-only table over a list of dicts (the rows a query returned), for the
lists that are short by nature: recognitions of one firm, a chain's members, imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from tiers.text.sorting import Key, column_keys, sorted_positions
from ui.column_fit import CharWidths, Widest, widest_of_rows
from ui.roster_cells import display
from ui.table_reading import VALUE_ROLE, filtered_header

ROW_ROLE = Qt.UserRole + 2
NO_PARENT = QModelIndex()  # the root: Qt's default argument


@dataclass(frozen=True)
class RecordColumn:
    key: str
    title: str
    format: Callable[[dict[str, Any]], str] | None = None
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter
    amount: bool = False  # 万元: summed in the status bar, a number in 导出当前列表
    # the tooltip when it says more than the cell (导入记录's 状态: 已撤销, and when and by
    # whom in the tooltip); None: the cell's text
    tooltip: Callable[[dict[str, Any]], str] | None = None


def cell_text(columns: Sequence[RecordColumn], record: dict[str, Any], column: int) -> str:
    """A cell's text as shown (plain Python: a job on the runner asks it too)."""
    spec = columns[column]
    return spec.format(record) if spec.format else display(record.get(spec.key))


def cell_value(columns: Sequence[RecordColumn], record: dict[str, Any], column: int) -> Any:
    """What a column sorts by: the stored value, or the text a format made of it."""
    spec = columns[column]
    return spec.format(record) if spec.format else record.get(spec.key)


def sort_keys(columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]]
              ) -> list[list[Key]]:
    """Per column, each row's sort key (plain Python: made on the runner with the rows of a
    long list, so that a click on a header is a key sort, not 13,650 pinyin keys worked out
    on the GUI thread)."""
    return [column_keys(cell_value(columns, record, column) for record in rows)
            for column in range(len(columns))]


def widest_of(columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]],
              widths: CharWidths | None) -> Widest:
    """Per column, the widest-looking texts of ``rows`` (ui.column_fit), on the runner;
    ``widths``: the table font's (``CharWidths.of``, measured on the GUI thread)."""
    return widest_of_rows(rows, len(columns),
                          lambda record, column: cell_text(columns, record, column), widths)


def fitted_and_keyed(columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]],
                     widths: CharWidths | None) -> tuple[Widest, list[list[Key]]]:
    """Both things a long list's rows come with from the runner: each column's widest texts
    (the GUI thread measures a dozen a column) and sort keys (a header click is a key sort)."""
    return widest_of(columns, rows, widths), sort_keys(columns, rows)


class RecordTableModel(QAbstractTableModel):
    """``rows`` are what is shown: ``all_rows`` narrowed by the per-column filters (a cell's
    text contains the typed text) and sorted by the header (blanks last, text by pinyin:
    ``tiers.text.sorting``); sort and filters survive ``set_rows``. A long list's rows come
    with their sort keys (``sort_keys``, made on the runner); a short one's are made at
    each sort."""

    def __init__(self, columns: Sequence[RecordColumn], rows: Sequence[dict[str, Any]] = (),
                 parent=None, *, colour: Callable[[dict[str, Any]], str | None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.all_rows: list[dict[str, Any]] = list(rows)
        self.rows: list[dict[str, Any]] = list(rows)
        self.colour = colour
        self.sort_column = -1  # -1: the order the query gave
        self.sort_order = Qt.AscendingOrder
        self.filters: dict[int, str] = {}
        self.keys: list[list[Key]] | None = None  # per column, aligned with all_rows

    def set_rows(self, rows: Sequence[dict[str, Any]], *,
                 keys: list[list[Key]] | None = None) -> None:
        """``keys``: each column's sort keys of ``rows`` (``sort_keys``), when made on the
        runner; rows changed in place later are set again without them. Keys that do not
        match (a column or a row more or fewer) are not used: made at each sort instead."""
        self.beginResetModel()
        self.all_rows = list(rows)
        fits = keys is not None and len(keys) == len(self.columns) \
            and all(len(column) == len(self.all_rows) for column in keys)
        self.keys = keys if fits else None
        self.rows = self._arranged()
        self.endResetModel()

    def text(self, record: dict[str, Any], column: int) -> str:
        return cell_text(self.columns, record, column)

    def value(self, record: dict[str, Any], column: int) -> Any:
        """What the column sorts by: the stored value, or the text a format made of it."""
        return cell_value(self.columns, record, column)

    def _arranged(self) -> list[dict[str, Any]]:
        rows = self.all_rows
        positions: range | list[int] = range(len(rows))
        for column, wanted in self.filters.items():
            needle = wanted.casefold()
            positions = [p for p in positions if needle in self.text(rows[p], column).casefold()]
        if 0 <= self.sort_column < len(self.columns):
            positions = sorted_positions(self._keys(self.sort_column, positions), positions,
                                         descending=self.sort_order == Qt.DescendingOrder)
        return [rows[p] for p in positions]

    def _keys(self, column: int, positions: range | list[int]
              ) -> Sequence[Key] | dict[int, Key]:
        """The column's keys by position in ``all_rows``: those made on the runner, else made
        now for ``positions`` only (a column filter keeping a few of 13,650 rows keys a few)."""
        if self.keys is not None:
            return self.keys[column]
        if isinstance(positions, range):
            return column_keys(self.value(record, column) for record in self.all_rows)
        rows = self.all_rows
        return dict(zip(positions, column_keys(self.value(rows[p], column)
                                               for p in positions), strict=True))

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.rows
        self.sort_column, self.sort_order = column, Qt.SortOrder(order)
        self.rows = self._arranged()
        # the selection and the current row follow their record to its new place
        position = {id(record): row for row, record in enumerate(self.rows)}
        previous = self.persistentIndexList()
        self.changePersistentIndexList(previous, [
            self.index(position[id(before[index.row()])], index.column())
            for index in previous])
        self.layoutChanged.emit()

    def column_filter(self, column: int) -> str:
        return self.filters.get(column, "")

    def set_column_filter(self, column: int, text: str) -> None:
        self.beginResetModel()
        if text:
            self.filters[column] = text
        else:
            self.filters.pop(column, None)
        self.rows = self._arranged()
        self.endResetModel()

    def is_amount(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].amount

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
        if role == Qt.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            text = self.text(record, index.column())
            return text if role == Qt.DisplayRole else (text or None)
        if role == VALUE_ROLE:
            return record.get(column.key)
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
        if orientation != Qt.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.DisplayRole:
            return self.columns[section].title
        return filtered_header(self.filters.get(section, ""), role)

    # flags: QAbstractTableModel's own (enabled, selectable, no children), answered in C++.
    # A Python override was called for every cell a selection covers: Ctrl+A on 100,000
    # firms froze the window 11 s in it.


def record_table(model: QAbstractTableModel) -> QTableView:
    """A list page's table: whole rows selected (Shift/Ctrl-click for several), no row
    numbers, the last column stretched, column widths measured on the first rows only
    (measuring thousands of rows stalls the window), sorted by clicking a header."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.ExtendedSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setResizeContentsPrecision(100)
    enable_sorting(table)
    return table


def enable_sorting(table: QTableView) -> None:
    """Sort by clicking a header, starting in the query's own order (no indicator): Qt
    would otherwise sort by the first column at once."""
    table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
    table.setSortingEnabled(True)
