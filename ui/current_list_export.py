"""导出当前列表 of a table with its comforts (ui.table_comforts): the rows in view, as shown
(visible columns in the order shown, amounts as numbers), with a title and the filters in
words, to .xlsx on the background runner (``tiers.reports.current_list`` writes it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt

from tiers import outputs
from tiers.errors import EXPECTED
from tiers.reports.current_list import ListColumn, write_current_list
from ui.ask import FileDialog, MessageDialog
from ui.background_runner import Task
from ui.large_selection import clean_cell
from ui.operations import run_operation
from ui.table_reading import VALUE_ROLE, amount_columns, header_titles, visible_columns

if TYPE_CHECKING:
    from ui.table_comforts import TableComforts

TITLE = "导出当前列表"


def tr(text: str) -> str:
    return QCoreApplication.translate("CurrentListExport", text)


class CurrentListExport:
    """One table's 导出当前列表, through its comforts (table, title, settings, runner, the
    rows job of a table fetched on demand, the page's filters in words)."""

    def __init__(self, comforts: TableComforts) -> None:
        self.comforts = comforts
        self.exporting: Task | None = None

    def current_list(self) -> tuple[list[ListColumn], Callable[[], list[list[Any]]]]:
        """The visible columns, and a function giving every row in view as shown (amounts
        as numbers) that may run off the GUI thread."""
        table = self.comforts.table
        model, columns = table.model(), visible_columns(table)
        amounts = set(amount_columns(table))
        heads = [ListColumn(title, money=c in amounts)
                 for c, title in zip(columns, header_titles(table, columns), strict=True)]
        if self.comforts.rows_job is not None:
            return heads, self.comforts.rows_job(columns, amounts)
        # a list already in memory: read as shown now, the writing goes to the runner
        rows = [[model.data(model.index(row, c), VALUE_ROLE if c in amounts
                            else Qt.DisplayRole) for c in columns]
                for row in range(model.rowCount())]
        return heads, lambda: rows

    def description(self) -> str:
        describe = self.comforts.describe
        parts = [describe()] if describe else []
        model = self.comforts.table.model()
        if hasattr(model, "column_filter"):
            for column in range(model.columnCount()):
                if model.column_filter(column):
                    title = clean_cell(model.headerData(column, Qt.Horizontal, Qt.DisplayRole))
                    parts.append(f"{title}含“{model.column_filter(column)}”")
        parts = [part for part in parts if part]
        return "筛选条件：" + ("；".join(parts) if parts else "无（全部）")

    def export(self, path: str = "") -> Task | Path | None:
        """Ask where, then write the rows in view on the runner: the Task (None if not
        asked, or waiting for the rows asked for; without a runner the file written)."""
        comforts = self.comforts
        table, settings = comforts.table, comforts.settings
        folder = settings.last_folder("export") if settings else str(Path.home())
        path = path or FileDialog.save_file(
            table, tr(TITLE), str(Path(folder) / f"{comforts.title}.xlsx"),
            tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return None
        # a file there was agreed to in the save dialog (its 覆盖 question): that file, as
        # it is now, is replaced while it is unchanged; another saved under the name while
        # the rows are read and written (a colleague's return, his edit in WPS) only when it
        # is Tiers' own untouched output, as the other exports (issue #16, recheck29)
        agreed = outputs.file_identity(path)
        if settings is not None:
            settings.remember_folder("export", path)
        # the rows asked for: a list still read (the 企业库's new filter) is waited for, the
        # rows it replaces are not written under its filters
        return comforts.when_ready(lambda: self._write(path, agreed), tr(TITLE))

    def _write(self, path: str, agreed: outputs.FileIdentity | None) -> Task | Path | None:
        comforts = self.comforts
        table = comforts.table
        columns, fetch = self.current_list()
        title, description = comforts.title, self.description()

        def job(_task: Task | None) -> tuple[Path, int]:
            rows = fetch()
            return write_current_list(path, title=title, description=description,
                                      columns=columns, rows=rows, only_ours=True,
                                      agreed=agreed), len(rows)

        def done(outcome: tuple[Path, int]) -> None:
            self.exported(*outcome)

        if comforts.runner is None:  # a table without a runner (tests): write here
            try:
                outcome = job(None)
            except EXPECTED as exc:
                MessageDialog.error(table, tr(TITLE), str(exc))
                return None
            done(outcome)
            return outcome[0]
        self.exporting = run_operation(table, comforts.runner, tr(TITLE), job,
                                       on_success=done)
        return self.exporting

    def exported(self, saved: Path, count: int) -> None:
        self.comforts.summary_changed.emit(tr("已导出 %1 行到 %2").replace(
            "%1", f"{count:,}").replace("%2", str(saved)))
