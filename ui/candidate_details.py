"""The 候选企业 list's rows: shown at once from the ranked list (``tiers.assess.ranking``),
and each firm's detail (差距, 缺少数据, 需人工核实, 评价得分, the verdict) filled in afterwards
on the background runner, a chunk of firms at a time, the rows on screen first.

Each chunk is a task of its own, so that a write the officer starts meanwhile (加入培育库)
waits for one chunk, not for the whole list; the filler stops when cancelled or replaced by a
newer run, and a cell not filled says so (计算中… while it waits, 未计算 after a cancel).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTableView

from tiers.assess.candidates import report_row
from tiers.assess.ranking import RankedFirm, RankedList, details
from tiers.assess.results import FLAGGED
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation
from ui.record_table_model import RecordTableModel

PENDING = "计算中…"
NOT_COMPUTED = "未计算"
DETAIL_KEYS = ("score", "gaps", "missing", "manual", "verdict", "flags", "met")
READINESS_KEYS = ("readiness", "readiness_text", "readiness_code")
# firms assessed per task: the rows on screen in small chunks, so that they show soon after
# a scroll; the rest in larger ones (fewer queries), still short enough that a write waits
# for a fraction of a second
CHUNK = 100
BACKGROUND_CHUNK = 300
EXPORT_CHUNK = 500


def ranked_row(item: RankedFirm, seq: int) -> dict[str, Any]:
    """A row as the list shows it before the firm's detail is known."""
    scored = item.score_low is not None and item.readiness != FLAGGED
    row = {
        "seq": seq, "enterprise_id": item.enterprise_id, "name": item.name,
        "credit_code": item.credit_code, "county": item.county, "town": item.town,
        "current_tier": item.current_tier, "readiness": item.readiness_label,
        "readiness_text": item.readiness_text, "readiness_code": item.readiness,
        "in_cultivation": "", "detailed": False, "review": False,
    }
    row.update({key: PENDING for key in ("gaps", "missing", "manual")})
    row.update({"score": PENDING if scored else "", "verdict": "", "flags": "", "met": ""})
    return row


def ranked_rows(found: RankedList) -> list[dict[str, Any]]:
    rows = [ranked_row(item, seq) for seq, item in enumerate(found.listed(), start=1)]
    for row, item in zip(rows, found.listed(), strict=True):
        # judged as its 复核, by that round's rules: the core's 预审结论 says 复核：…
        row["review"] = row["enterprise_id"] in found.reviews
        row["readiness_text"] = found.shown_readiness(item)
    return rows


def detail_rows(session, found: RankedList, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The detail columns of the firms ``ids``, by id (report_row's texts)."""
    out = {}
    for enterprise_id, item in details(session, found, ids).items():
        row = report_row(item, 0)
        row["flags"] = "；".join(item.flags)
        # the readiness from the detail too: should the figures have changed since the list
        # was ranked, the row does not show one conclusion beside another's reasons
        row["readiness_code"] = item.readiness
        out[enterprise_id] = {key: row[key] for key in DETAIL_KEYS + READINESS_KEYS}
    return out


def fill(row: dict[str, Any], detail: dict[str, Any] | None) -> None:
    """Put a firm's detail into its row; a firm deleted meanwhile gets empty cells."""
    row.update(detail or {key: "" for key in DETAIL_KEYS})
    row["detailed"] = True


def with_all_details(database: Database, found: RankedList,
                     copies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``copies`` of the rows shown with every detail filled, computing those still missing
    (for 导出当前列表, off the GUI thread; the rows shown are not touched)."""
    missing = [row["enterprise_id"] for row in copies if not row["detailed"]]
    found_details: dict[int, dict[str, Any]] = {}
    with database.session() as session:
        for start in range(0, len(missing), EXPORT_CHUNK):
            found_details.update(detail_rows(session, found,
                                             missing[start:start + EXPORT_CHUNK]))
    for row in copies:
        if not row["detailed"]:
            fill(row, found_details.get(row["enterprise_id"]))
    return copies


class DetailFiller(QObject):
    """Fills the detail of one ranked list's rows, chunk by chunk, the visible rows first."""

    progressed = Signal(int, int)  # firms filled, firms listed
    finished = Signal(bool)  # True: every row filled; False: stopped (cancel, a new run)

    def __init__(self, database: Database, runner: BackgroundRunner, table: QTableView,
                 model: RecordTableModel, found: RankedList,
                 rows: Iterable[dict[str, Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database, self.runner, self.table, self.model = database, runner, table, model
        self.found = found
        self.pending: dict[int, dict[str, Any]] = {row["enterprise_id"]: row for row in rows
                                                   if not row["detailed"]}
        self.total = len(self.pending)
        self.task: Task | None = None
        self.stopped = False
        self.error = ""  # why filling stopped, when a chunk failed

    @property
    def active(self) -> bool:
        return not self.stopped and bool(self.pending)

    def start(self) -> None:
        if not self.pending:
            self.finished.emit(True)
            return
        self._next()

    def stop(self) -> None:
        """Stop filling (the chunk under way is dropped); the rows left say 未计算."""
        if self.stopped:
            return
        self.stopped = True
        if self.task is not None:
            self.task.cancel()
            self.task = None
        for row in self.pending.values():
            row.update({key: NOT_COMPUTED for key in ("gaps", "missing", "manual")
                        if row[key] == PENDING})
            if row["score"] == PENDING:
                row["score"] = NOT_COMPUTED
        self._repaint()
        self.finished.emit(False)

    def _chunk(self) -> list[int]:
        """The unfilled rows on screen and just below them; when those are done, the rest
        as ranked."""
        rows = self.model.rows
        first = max(self.table.rowAt(0), 0)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = len(rows) - 1 if last < 0 else last
        near = [row["enterprise_id"] for row in rows[first:last + 1 + CHUNK]
                if row["enterprise_id"] in self.pending][:CHUNK]
        return near or list(itertools.islice(self.pending, BACKGROUND_CHUNK))

    def _next(self) -> None:
        chunk = self._chunk()
        database, found = self.database, self.found

        def job(_task: Task) -> dict[int, dict[str, Any]]:
            with database.session() as session:
                return detail_rows(session, found, chunk)

        self.task = run_operation(self, self.runner, self.tr("候选企业详情"), job,
                                  on_success=self._filled(chunk),
                                  on_failure=self._failed)

    def _filled(self, chunk: list[int]) -> Callable[[dict[int, dict[str, Any]]], None]:
        def done(found: dict[int, dict[str, Any]]) -> None:
            if self.stopped:
                return
            self.task = None
            for enterprise_id in chunk:
                row = self.pending.pop(enterprise_id, None)
                if row is not None:
                    fill(row, found.get(enterprise_id))
            self._repaint()
            self.progressed.emit(self.total - len(self.pending), self.total)
            if self.pending:
                self._next()
            else:
                self.stopped = True
                self.finished.emit(True)
        return done

    def _failed(self, message: str) -> None:
        if not self.stopped:
            self.task = None
            self.error = message
            self.stop()

    def _repaint(self) -> None:
        """Show the filled cells; a sort or filter on a detail column is applied again."""
        model = self.model
        keys = [column.key for column in model.columns]
        detail_columns = {keys.index(key) for key in DETAIL_KEYS if key in keys}
        if detail_columns & set(model.filters):
            model.set_rows(model.all_rows)
            return
        if model.sort_column in detail_columns:
            model.sort(model.sort_column, model.sort_order)
        if model.rows:
            model.dataChanged.emit(model.index(0, 0), model.index(
                len(model.rows) - 1, len(model.columns) - 1))
