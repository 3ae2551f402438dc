"""A page's reads on the background runner of which only the latest one's result is shown:
the runner runs them in order, and a refresh asked while one is reading supersedes it (its
result is dropped; one still queued is not run). Without a runner (tests) the job runs at
once. Shared by 培育库, 扶持措施 and 产业链 (its counts, and the chosen chain's firms); the
roster's filter panel reads two kinds at once and keeps its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation


class LatestRead:
    """``task``: the read under way, None when none is. ``on_ended``: called when the
    latest read fails or is cancelled (its result never comes)."""

    def __init__(self, parent: QObject, title: str, *,
                 on_ended: Callable[[], None] | None = None) -> None:
        self.parent, self.title, self.on_ended = parent, title, on_ended
        self.task: Task | None = None

    def run(self, runner: BackgroundRunner | None, job: Callable[[Task | None], Any],
            show: Callable[[Any], None]) -> None:
        """Read with ``job`` on the runner; ``show`` its result if no later read began."""
        if runner is None:
            self.task = None
            show(job(None))
            return
        if runner.closed:
            return
        if self.task is not None:  # superseded: still queued (arrowing down a tree), not run
            self.task.cancel()
        task = run_operation(self.parent, runner, self.title, job,
                             on_success=lambda found: self._read(task, found, show),
                             on_finished=lambda: self._ended(task))
        self.task = task

    def drop(self) -> None:
        """The read under way, if any, is not shown (nothing is to be read now)."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def _read(self, task: Task, found: Any, show: Callable[[Any], None]) -> None:
        if task is self.task:  # (else a later read is under way)
            self.task = None
            show(found)

    def _ended(self, task: Task) -> None:
        if task is self.task:  # failed or cancelled: a read that succeeded is shown already
            self.task = None
            if self.on_ended is not None:
                self.on_ended()
