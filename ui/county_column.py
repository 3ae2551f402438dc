"""A list's 县区 column: shown on a city's database (firms of several counties), hidden on
a county's own, where every row would say the same county."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from ui.record_table_model import RecordTableModel


class CountyColumn:
    """``show_for(counties)`` after each load, with how many counties the database's firms
    are in. The column is shown or hidden only when that answer changes (the first load,
    or a second county's package arrives): an officer who hides or shows it by the
    header's menu keeps the choice until then."""

    def __init__(self, table: QTableView, model: RecordTableModel, key: str = "county") -> None:
        self.table = table
        self.column = [column.key for column in model.columns].index(key)
        self.several: bool | None = None

    def show_for(self, counties: int) -> None:
        several = counties > 1
        if several != self.several:
            self.several = several
            self.table.setColumnHidden(self.column, not several)
