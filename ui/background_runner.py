"""One background runner for imports, exports, backups and heavy queries.

A job is a plain function ``job(task)`` that returns a result; long jobs are generators
that yield ``tiers.progress.Progress`` and return their result, so the runner can report
progress and stop between yields when cancelled (napari's generator workers). Jobs never
touch widgets: results come back through the task's signals, delivered in the GUI thread.
The pool has one thread, so database writes run one at a time; ``shutdown`` cancels what
is queued or running and waits for the thread before the application quits.
"""

from __future__ import annotations

import inspect
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from tiers.errors import EXPECTED, Cancelled
from tiers.progress import Job, Progress, drain
from ui import gc_guard

log = logging.getLogger(__name__)


class Task(QObject):
    """A handle on one job: progress, result, error and cancel."""

    progress = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()  # after any of the three above
    # after ``finished``, from the same thread: its queued slots (and the outcome's) were
    # posted before this one's, so when the runner hears it every window has heard the end
    delivered = Signal(object)  # the task

    def __init__(self, name: str, job: Callable[..., Any]) -> None:
        super().__init__()
        self.name = name
        self.job = job
        self._cancel = threading.Event()
        self.done = threading.Event()
        self.result: Any = None
        self.error: str = ""
        self.was_cancelled = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Jobs that are not generators call this between steps (a burst of garbage is
        collected meanwhile, on the GUI thread: ui.gc_guard)."""
        gc_guard.request_collection()
        if self._cancel.is_set():
            raise Cancelled()

    def execute(self) -> None:
        """Runs in the worker thread. ``done`` is set before the outcome is signalled, so
        that a window handling the result already sees the task as finished."""
        signal, argument = self.finished, None
        try:
            self.check()
            outcome = self.job(self)
            if inspect.isgenerator(outcome):
                outcome = self._drive(outcome)
            self.result = outcome
            signal, argument = self.succeeded, (outcome,)
        except Cancelled:
            self.was_cancelled = True
            signal, argument = self.cancelled, ()
        except EXPECTED as exc:  # the user can fix it: a message, not a traceback
            log.info("后台任务“%s”未完成：%s", self.name, exc)
            self.error = str(exc) or type(exc).__name__
            signal, argument = self.failed, (self.error,)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the user
            log.error("后台任务“%s”失败：%s", self.name, traceback.format_exc())
            self.error = str(exc) or type(exc).__name__
            signal, argument = self.failed, (self.error,)
        finally:
            self.done.set()
            if argument is not None:
                signal.emit(*argument)
            self.finished.emit()
            self.delivered.emit(self)

    def _drive(self, job: Job[Any]) -> Any:
        def show(step: Progress) -> bool:
            gc_guard.request_collection()
            self.progress.emit(step.done, step.total, step.stage)
            return self._cancel.is_set()

        return drain(job, show, cancelled_message="")


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(False)

    def run(self) -> None:
        self.task.execute()


class BackgroundRunner(QObject):
    """Owns the worker thread; submit jobs, get Tasks back."""

    busy_changed = Signal(bool)
    # a write finished: what it changed (ui.operations.Changes), for the window to refresh
    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one at a time: SQLite has one writer
        self._running: dict[Task, _Runnable] = {}
        self._closed = False
        self.busy_changed.connect(self._tell_gc_guard)

    def _tell_gc_guard(self, busy: bool) -> None:
        """While it works, the client's garbage collection looks more often (ui.gc_guard)."""
        gc_guard.runner_busy(self, busy)

    def submit(self, name: str, job: Callable[..., Any]) -> Task:
        if self._closed:
            raise RuntimeError("后台任务已停止")
        task = Task(name, job)
        runnable = _Runnable(task)
        self._running[task] = runnable
        # on ``delivered``, not ``finished``: this connection is made before the caller's,
        # and the runner's thread posts each slot of ``finished`` as an event of its own, so
        # the GUI thread could run the first (the runner's) before the window's were posted
        task.delivered.connect(self._forget)
        # Started on the next turn of the event loop, so that the caller can connect the
        # task's signals first: a queued signal emitted before connect() is lost.
        QTimer.singleShot(0, self, lambda: self._start(task, runnable))
        self.busy_changed.emit(True)
        return task

    def _start(self, task: Task, runnable: _Runnable) -> None:
        if self._closed or task.cancel_requested:
            task.was_cancelled = True
            task.done.set()
            task.cancelled.emit()
            task.finished.emit()
            task.delivered.emit(task)
            return
        self.pool.start(runnable)

    def _forget(self, task: Task) -> None:
        self._running.pop(task, None)
        if not self._running:
            self.busy_changed.emit(False)

    @property
    def closed(self) -> bool:
        """shutdown() was called (the window is closing): submit() refuses new jobs."""
        return self._closed

    @property
    def busy(self) -> bool:
        return any(not task.done.is_set() for task in self._running)

    @property
    def settled(self) -> bool:
        """No task is queued or running, and every result and end has reached the windows:
        the slots of each task's outcome and ``finished`` have run (``busy`` is False as
        soon as a job returns, before its result is delivered). What those slots start later
        (a timer, another read on the runner: then not settled) is theirs to tell."""
        return not self._running

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 30_000) -> bool:
        """Cancel everything and wait for the thread; called when the window closes."""
        self._closed = True
        for task in list(self._running):
            task.cancel()
        self.pool.clear()  # drop jobs that have not started
        stopped = self.pool.waitForDone(msecs)
        gc_guard.runner_busy(self, False)  # (the last tasks' finished may never be delivered)
        return stopped
