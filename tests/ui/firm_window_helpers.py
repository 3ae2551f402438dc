"""Reading the enterprise window's record tabs as the officer sees them: the row of each
saved record, and a cell under its column heading."""

from __future__ import annotations

from PySide6.QtCore import Qt


def rows_by_id(tab) -> dict[int | None, int]:
    """The row each record of the tab stands on, by its id (a row not saved yet: None)."""
    return {row["id"]: number for number, row in enumerate(tab.model.rows)}


def column_of(tab, heading: str) -> int:
    """The tab's column headed ``heading``."""
    model = tab.model
    return next(n for n in range(model.columnCount())
                if model.headerData(n, Qt.Horizontal) == heading)


def cell(tab, row: int, heading: str) -> str:
    """The text shown in the tab's ``row`` under the column headed ``heading``."""
    return tab.model.index(row, column_of(tab, heading)).data()
