"""The firm picker's searches (加入企业, 加入培育库, 指定关联), never on the GUI thread.

The picker lists every firm and builds the search index on the runner as it opens (half a
second and more at 100k firms). A search typed before both are in went to SQL on the GUI
thread; it now runs on the runner, queued behind the listing, and only the latest typed
search is shown (the listing arriving meanwhile does not overwrite it). Once both are in,
searches are answered in memory, as in 企业库."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.background_runner import BackgroundRunner
from ui.enterprise_table_model import EnterpriseTableModel
from ui.latest_read import LatestRead


class PickerSearch:
    def __init__(self, parent: QWidget, model: EnterpriseTableModel,
                 runner: BackgroundRunner | None) -> None:
        self.model, self.runner = model, runner
        self.read = LatestRead(parent, parent.tr("搜索企业"))

    @property
    def pending(self) -> bool:
        """A search is being read on the runner: its rows are not shown yet."""
        return self.read.task is not None

    def search(self, text: str, found: Callable[[], None]) -> None:
        """Show the firms matching ``text``; ``found()`` once they are shown."""
        model = self.model
        if self.runner is None or model.searches_here(text):
            self.read.drop()  # an earlier search still read on the runner is not shown
            model.set_search(text)  # (without a runner, a picker in a test: in SQL here)
            found()
            return

        def show(ids: list[int]) -> None:
            model.show_found(ids)
            found()

        self.read.run(self.runner, model.ids_job(text), show)
