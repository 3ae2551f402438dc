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
    latest read fails or is cancelled (its result never comes). ``on_failure``: told the
    message of a read that failed (without it, a message box titled ``title``); a superseded
    read's failure is not told."""

    def __init__(self, parent: QObject, title: str, *,
                 on_ended: Callable[[], None] | None = None,
                 on_failure: Callable[[str], None] | None = None) -> None:
        self.parent, self.title, self.on_ended = parent, title, on_ended
        self.on_failure = on_failure
        self.task: Task | None = None

    def run(self, runner: BackgroundRunner | None, job: Callable[[Task | None], Any],
            show: Callable[[Any], None]) -> Task | None:
        """Read with ``job`` on the runner; ``show`` its result if no later read began."""
        if runner is None:
            self.task = None
            show(job(None))
            return None
        if runner.closed:
            return None
        if self.task is not None:  # superseded: still queued (arrowing down a tree), not run
            self.task.cancel()
        failed = None if self.on_failure is None else \
            (lambda message: self._failed(task, message))
        task = run_operation(self.parent, runner, self.title, job,
                             on_success=lambda found: self._read(task, found, show),
                             on_failure=failed, on_finished=lambda: self._ended(task))
        self.task = task
        return task

    def drop(self) -> None:
        """The read under way, if any, is not shown (nothing is to be read now)."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def _read(self, task: Task, found: Any, show: Callable[[Any], None]) -> None:
        if task is self.task:  # (else a later read is under way)
            self.task = None
            show(found)

    def _failed(self, task: Task, message: str) -> None:
        if task is self.task and self.on_failure is not None:  # (not a superseded one's)
            self.on_failure(message)

    def _ended(self, task: Task) -> None:
        if task is self.task:  # failed or cancelled: a read that succeeded is shown already
            self.task = None
            if self.on_ended is not None:
                self.on_ended()
