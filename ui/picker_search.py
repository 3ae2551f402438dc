"""The firm picker's searches (加入企业, 加入培育库, 指定关联), never on the GUI thread.

The picker lists every firm and builds the search index on the runner as it opens (half a
second and more at 100k firms). A search typed before both are in went to SQL on the GUI
thread; it now runs on the runner, queued behind the listing, and only the latest typed
search is shown (the listing arriving meanwhile is not shown over it). Once both are in,
searches are answered in memory, as in 企业库.

The rows shown always say which text found them (``shown_for``: the model's search), so
that Enter never picks from another text's rows: a search read on the runner changes it
only when its rows are shown, and one that failed leaves the rows and the text they
belong to as they were.

It tells the picker by signals, and its reads' callbacks are its own (a child QObject of the
picker): it holds no reference to the picker, so a picker let go is destroyed then and
there, never later by Python's cycle collector at whatever allocation comes next (one in the
picker's own paint crashed: tests/ui/test_picker_is_freed_when_let_go.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tiers.queries import roster
from ui.background_runner import BackgroundRunner, Task
from ui.enterprise_table_model import EnterpriseTableModel
from ui.latest_read import LatestRead


def search_job(model: EnterpriseTableModel, text: str) -> Callable[[Task | None], list[int]]:
    """The ids a search for ``text`` finds, in the model's order, read by the job on the
    runner with its own session (the model's filters are left as they are)."""
    filters, database = replace(model.filters, search=text), model.database
    sort, descending = model.sort_key()

    def read(_task: Task | None) -> list[int]:
        with database.session() as session:
            return roster.roster_ids(session, filters, sort=sort, descending=descending)

    return read


class PickerSearch(QObject):
    """``found(text)``: the matches of ``text`` are shown; ``failed(text, message)``: the
    latest search read on the runner, for ``text``, failed; ``ended()``: it failed or was
    cancelled (its rows never come)."""

    found = Signal(str)
    failed = Signal(str, str)
    ended = Signal()

    def __init__(self, parent: QWidget, model: EnterpriseTableModel,
                 runner: BackgroundRunner | None) -> None:
        super().__init__(parent)
        self.model, self.runner = model, runner
        self.reading = ""  # the text of the search read on the runner last
        # (its reads' callbacks are children of this object, not of the picker)
        self.read = LatestRead(self, parent.tr("搜索企业"), on_ended=self._ended,
                               on_failure=lambda message: self.failed.emit(self.reading,
                                                                            message))

    @property
    def pending(self) -> bool:
        """A search is being read on the runner: its rows are not shown yet."""
        return self.read.task is not None

    @property
    def shown_for(self) -> str:
        """The text whose matches the rows shown are."""
        return self.model.filters.search

    def search(self, text: str) -> None:
        """Show the firms matching ``text``; ``found(text)`` once they are shown."""
        model = self.model
        if self.runner is None or model.searches_here(text):
            self.drop()  # an earlier search still read on the runner is not shown
            model.set_search(text)  # (without a runner, a picker in a test: in SQL here)
            self.found.emit(text)
            return

        def show(ids: list[int]) -> None:
            model.hold_listing = False
            model.show_found(ids, search=text)
            self.found.emit(text)

        self.reading = text
        model.hold_listing = True  # the listing arriving meanwhile is not shown over it
        self.read.run(self.runner, search_job(model, text), show)

    def drop(self) -> None:
        """The search under way, if any, is not shown (the picker closes, or shows
        another)."""
        self.read.drop()
        self.model.hold_listing = False

    def _ended(self) -> None:
        model = self.model
        model.hold_listing = False
        # the listing held back meanwhile is shown after all (for the text of the rows
        # shown), where that needs no SQL here; else it is shown by the next search
        if model.searches_here(model.filters.search):
            model.set_search(model.filters.search)
        self.ended.emit()
