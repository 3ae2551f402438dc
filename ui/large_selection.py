"""A large selection in a table whose rows are fetched on demand (the 企业库: Ctrl+A on
100,000 firms): its copy and the sums of its amount columns are read on the background
runner with a session of their own, as 导出当前列表 is, instead of fetching block after
block on the GUI thread (measured: 13 s frozen for a copy of 100,000 firms).

The table's ``rows_job(columns, amounts, rows)`` gives a function that returns those rows
(texts as shown, amounts as numbers) and may run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from tiers.text.cells import html_table
from tiers.text.values import show
from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation

ON_RUNNER = 2_000  # selected rows beyond which the copy and the sums go to the runner
Fetch = Callable[[], list[list[Any]]]
Clip = tuple[str, str]  # what a copy puts on the clipboard: tab-separated text, HTML
RowsJob = Callable[..., Fetch]


def clean_cell(text: Any) -> str:
    """A cell for the clipboard: tabs and line breaks would split it across cells."""
    return "" if text is None else " ".join(str(text).split())


def clipboard_text(heads: list[str], rows: list[list[Any]]) -> str:
    """Tab-separated rows with their header row, CRLF between rows (Excel and WPS)."""
    lines = ["\t".join(clean_cell(head) for head in heads)]
    lines.extend("\t".join(clean_cell(cell) for cell in row) for row in rows)
    return "\r\n".join(lines) + "\r\n"


def codes_text(rows: list[list[Any]]) -> str:
    """One column's cells, one per line, the empty ones left out (复制信用代码)."""
    return "".join(f"{clean_cell(row[0])}\r\n" for row in rows if clean_cell(row[0]))


def clipboard_contents(heads: list[str], rows: list[list[Any]]) -> Clip:
    """The rows as tab-separated text and as an HTML table whose cells a spreadsheet would
    change (an all-digit credit code, a leading 0) are marked as text."""
    return clipboard_text(heads, rows), html_table(
        [clean_cell(head) for head in heads], [[clean_cell(cell) for cell in row] for row in rows])


def codes_contents(rows: list[list[Any]]) -> Clip:
    """复制信用代码: the codes one per line, and as a one-column HTML table."""
    codes = [clean_cell(row[0]) for row in rows if clean_cell(row[0])]
    return codes_text(rows), html_table([], [[code] for code in codes])


def put_on_clipboard(clip: Clip) -> None:
    """Both forms: a spreadsheet pastes the HTML (keeping the marked cells as written), a
    text editor or a chat window the plain text."""
    text, page = clip
    data = QMimeData()
    data.setText(text)
    data.setHtml(page)
    QGuiApplication.clipboard().setMimeData(data)


def amount_totals(titles: list[str], rows: list[list[Any]]) -> list[str]:
    """扶持合计 12.50 万元 for each amount column (its title, its sum over ``rows``)."""
    parts = []
    for position, title in enumerate(titles):
        total = sum((row[position] for row in rows
                     if isinstance(row[position], (int, Decimal))
                     and not isinstance(row[position], bool)), Decimal(0))
        name = clean_cell(title).split("（")[0].removesuffix("合计")
        parts.append(f"{name}合计 {show(total, 'amount', places=2, grouped=True)} 万元")
    return parts


class LargeSelection(QObject):
    """Copy and sums of a table's large selection, on the runner; ``notice`` gets what the
    status bar shows (the caller's ``summary_changed``)."""

    def __init__(self, table: QTableView, runner: BackgroundRunner, rows_job: RowsJob,
                 notice: Callable[[str], None]) -> None:
        super().__init__(table)
        self.table, self.runner, self.rows_job, self.notice = table, runner, rows_job, notice
        self.copying: Task | None = None
        self.summing: Task | None = None
        self._pending: tuple[list[int], list[int], list[str], str] | None = None
        # the sums wait until the selection has settled (Shift+click, Shift+End …)
        self._sum_timer = QTimer(self)
        self._sum_timer.setSingleShot(True)
        self._sum_timer.setInterval(300)
        self._sum_timer.timeout.connect(self._start_sums)

    def copy(self, rows: list[int], columns: list[int],
             to_clip: Callable[[list[list[Any]]], Clip]) -> Task:
        """Fetch ``rows`` (``columns``, as shown) on the runner, then put ``to_clip`` of
        them on the clipboard; the status bar says so meanwhile and after. Only the latest
        copy reaches the clipboard: an older one still reading is dropped."""
        self.drop_copy()
        fetch = self.rows_job(columns, set(), rows)
        count = len(rows)
        self.notice(self.tr("正在复制 %1 行…").replace("%1", f"{count:,}"))

        def job(running: Task) -> Clip:
            shown = fetch()
            running.check()  # replaced while it read: no text to build
            return to_clip(shown)

        def copied(clip: Clip) -> None:
            if task is not self.copying or task.cancel_requested:
                return  # a newer copy (or a small one, at once) came after this one
            put_on_clipboard(clip)
            self.notice(self.tr("已复制 %1 行，可粘贴到 Excel 或 WPS").replace("%1", f"{count:,}"))

        task = self.copying = run_operation(self.table, self.runner, self.tr("复制"), job,
                                            on_success=copied)
        return task

    def drop_copy(self) -> None:
        """Forget an unfinished copy: a newer one (here, or a small one made at once on the
        GUI thread) takes the clipboard."""
        if self.copying is not None and not self.copying.done.is_set():
            self.copying.cancel()
        self.copying = None

    def sums(self, rows: list[int], amounts: list[int], titles: list[str], count_text: str) -> None:
        """The sums of ``amounts`` over ``rows``, shown after ``count_text`` once read on the
        runner; a newer selection replaces an unfinished one."""
        if self.summing is not None and not self.summing.done.is_set():
            self.summing.cancel()
        self._pending = (rows, amounts, titles, count_text)
        self.notice(count_text + self.tr(" · 合计计算中…"))
        self._sum_timer.start()

    def forget(self) -> None:
        """The selection changed to one the table sums itself (or none): drop the pending."""
        self._sum_timer.stop()
        self._pending = None
        if self.summing is not None and not self.summing.done.is_set():
            self.summing.cancel()

    def _start_sums(self) -> None:
        if self._pending is None:
            return
        rows, amounts, titles, count_text = self._pending
        pending = self._pending
        fetch = self.rows_job(amounts, set(amounts), rows)

        def job(running: Task) -> list[str]:
            shown = fetch()
            running.check()  # the selection changed while it read
            return amount_totals(titles, shown)

        def summed(parts: list[str]) -> None:
            if self._pending is pending:  # still the selection shown
                self.notice(" · ".join([count_text, *parts]))

        def failed(message: str) -> None:  # said where the sums would be, no dialog
            if self._pending is pending:
                self.notice(count_text + self.tr(" · 合计未能算出：") + message)

        self.summing = run_operation(self.table, self.runner, self.tr("合计"), job,
                                     on_success=summed, on_failure=failed)
