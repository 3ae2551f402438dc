"""Reading what a table shows, as the officer sees it: the columns shown in their order,
the selected rows (from the selection's ranges), their texts as displayed, the raw values
of amount columns, and the selection's count and sums for the status bar. Models may
offer ``VALUE_ROLE`` data, ``is_amount(column)`` and ``prefetch(rows)`` by duck typing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableView

from ui.large_selection import amount_totals, clean_cell

VALUE_ROLE = Qt.UserRole + 5  # a cell's stored value (a Decimal, a date …), not its text
PREFETCH = 1024  # rows an on-demand model fetches at once for a copy
SUM_LIMIT = 5_000  # beyond this many selected rows the status bar gives the count only


def filtered_header(text: str, role: int) -> Any:
    """How a header shows that its column is filtered: underlined, the filter in its tip."""
    if not text:
        return None
    if role == Qt.FontRole:
        font = QFont()
        font.setBold(True)
        font.setUnderline(True)
        return font
    if role == Qt.ToolTipRole:
        return f"已筛选：含“{text}”（右键表头可修改或清除）"
    return None


def visible_columns(table: QTableView) -> list[int]:
    """Logical column numbers of the columns shown, in the order shown."""
    header = table.horizontalHeader()
    return [header.logicalIndex(visual) for visual in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(visual))]


def selected_rows(table: QTableView) -> list[int]:
    """Selected rows in order, read from the selection's ranges (Ctrl+A on 100k firms is
    one range, not 900k indexes)."""
    model = table.selectionModel()
    if model is None:
        return []
    rows: set[int] = set()
    for selected in model.selection():
        rows.update(range(selected.top(), selected.bottom() + 1))
    return sorted(rows)


def prefetch_rows(model, rows: list[int]) -> None:
    """Let a model that builds rows on demand (the 企业库) fetch these in few queries."""
    prefetch = getattr(model, "prefetch", None)
    if prefetch is not None:
        prefetch(rows)


def header_titles(table: QTableView, columns: list[int]) -> list[str]:
    model = table.model()
    return [clean_cell(model.headerData(c, Qt.Horizontal, Qt.DisplayRole)) for c in columns]


def shown_rows(table: QTableView, rows: list[int]) -> tuple[list[str], list[list[Any]]]:
    """The header titles and ``rows`` of the columns shown, in the order shown, as shown."""
    model, columns = table.model(), visible_columns(table)
    shown: list[list[Any]] = []
    for start in range(0, len(rows), PREFETCH):
        prefetch_rows(model, rows[start:start + PREFETCH])
        shown.extend([model.data(model.index(row, c), Qt.DisplayRole) for c in columns]
                     for row in rows[start:start + PREFETCH])
    return header_titles(table, columns), shown


def amount_columns(table: QTableView) -> list[int]:
    model = table.model()
    is_amount = getattr(model, "is_amount", None)
    return [c for c in range(model.columnCount()) if is_amount and is_amount(c)]


def selection_summary(table: QTableView, rows: list[int] | None = None) -> str:
    """已选 3 行 · 扶持合计 12.50 万元: the count and the sum of each amount column (the
    count alone beyond SUM_LIMIT rows)."""
    rows = selected_rows(table) if rows is None else rows
    if not rows:
        return ""
    parts = [f"已选 {len(rows):,} 行"]
    model = table.model()
    if len(rows) <= SUM_LIMIT:
        prefetch_rows(model, rows)
        amounts = [c for c in amount_columns(table) if not table.isColumnHidden(c)]
        # a table whose amounts are not all alike sums them its own way (扶持措施: the
        # 资金奖补 apart from loans and tax deductions, by the core's categories)
        own = getattr(model, "amount_summary", None)
        if amounts and own is not None:
            parts += own(rows)
        else:
            parts += amount_totals(header_titles(table, amounts),
                                   [[model.data(model.index(row, c), VALUE_ROLE)
                                     for c in amounts] for row in rows])
    return " · ".join(parts)
