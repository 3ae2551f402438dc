"""One way to run a service function from a button: off the GUI thread, its error shown, the
window told what changed (Anki's ``CollectionOp`` / ``QueryOp`` with ``OpChanges``).

    run_operation(self, runner, "撤销导入", in_session(database, lambda s: undo(s, 6)),
                  on_success=self._undone, changes=Changes.everything())

The job runs on the background runner with a session of its own (one per user action, never
shared across threads). A ``TiersError`` (or an ``OSError`` from a file the user chose) comes
back as a :class:`Refusal` and is shown as the service's Chinese message; anything else is a bug:
the runner logs its traceback and the user is told that something unexpected happened. On
success the runner announces the :class:`Changes`, and the main window refreshes the pages that
show them.

A page's small write (delete a firm, put it on a chain or into the 培育库) goes the same way
through :func:`save_from_page`, which disables the page meanwhile: done on the GUI thread, a
write that waits for the lock another program holds froze the window for the busy timeout.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from tiers.errors import EXPECTED, Cancelled, TiersError, os_error_text
from tiers.storage.database import Database
from tiers.storage.faults import ConnectionLost
from tiers.storage.locking import DatabaseBusy
from ui.ask import MessageDialog, RetryDialog
from ui.background_runner import BackgroundRunner, Task
from ui.import_hints import hinted


@dataclass(frozen=True)
class Changes:
    """What a write touched, so that only the pages showing it refresh."""

    enterprises: bool = False  # firms and their 基本信息 (the roster, counts)
    recognitions: bool = False  # 梯度认定 (the roster's tier column, the dashboard)
    figures: bool = False  # 年度数据 (the 预审)
    measures: bool = False  # 扶持措施
    chains: bool = False  # 产业链角色
    cultivation: bool = False  # 培育库
    imports: bool = False  # 导入记录

    @classmethod
    def everything(cls) -> Changes:
        return cls(**{field.name: True for field in fields(cls)})

    def touched(self) -> set[str]:
        return {field.name for field in fields(self) if getattr(self, field.name)}


@dataclass(frozen=True)
class Refusal:
    """What a job returns instead of raising an expected error (see ``expected_outcome``)."""

    message: str
    busy: bool = False  # another program held the database: nothing written, worth a retry
    kind: str = ""  # the TiersError's kind (tiers.errors.Kind): conflict, storage, …
    # the server's connection broke: nothing written, unless it broke at the commit itself
    connection_lost: bool = False
    at_commit: bool = False


def expected_outcome(job: Callable[[Task], Any]) -> Callable[[Task], Any]:
    """The job, with expected errors returned as a Refusal instead of raised: the runner logs
    a traceback for every exception it does not know, and a refused file is no bug."""

    def guarded(task: Task):
        try:
            outcome = job(task)
            if inspect.isgenerator(outcome):
                outcome = yield from outcome
        except Cancelled:
            raise  # the runner reports it as cancelled, not as a refusal
        except EXPECTED as exc:
            # the operating system's own text is English ("[Errno 28] No space left…")
            message = str(exc) if isinstance(exc, TiersError) else os_error_text(exc)
            return Refusal(hinted(message, getattr(exc, "hint_field", ""))
                           or type(exc).__name__, busy=isinstance(exc, DatabaseBusy),
                           kind=str(getattr(exc, "kind", "")),
                           connection_lost=isinstance(exc, ConnectionLost),
                           at_commit=bool(getattr(exc, "at_commit", False)))
        return outcome

    return guarded


def in_session(database: Database, work: Callable[[Any], Any]) -> Callable[[Task], Any]:
    """A job that gives ``work`` a session of its own and commits when it returns. ``work``
    may be a generator that yields progress (an import, an undo): it is driven to its end
    inside the transaction."""

    def job(_task: Task):
        with database.session() as session:
            outcome = work(session)
            if inspect.isgenerator(outcome):
                outcome = yield from outcome
        return outcome

    return job


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    MessageDialog.error(parent, title, message)


class _Callbacks(QObject):
    """The callbacks of one operation, as slots of an object that is a child of the widget
    that asked: when that widget is deleted (a page rebuilt over another database) Qt drops
    the connections, and a late result never reaches a deleted widget."""

    def __init__(self, parent: QObject | None, runner: BackgroundRunner, *,
                 on_success, on_failure, on_progress, on_cancelled, on_finished,
                 changes: Changes | None, on_busy=None, on_refusal=None) -> None:
        super().__init__(parent)
        self.runner, self.on_success, self.on_failure = runner, on_success, on_failure
        self.on_busy, self.on_refusal = on_busy, on_refusal
        self.on_progress, self.on_cancelled = on_progress, on_cancelled
        self.on_finished, self.changes = on_finished, changes

    def succeeded(self, outcome: Any) -> None:
        if isinstance(outcome, Refusal):
            if outcome.busy and self.on_busy is not None:
                self.on_busy(outcome.message)
            elif self.on_refusal is not None:
                self.on_refusal(outcome)
            else:
                self.on_failure(outcome.message)
            return
        if self.changes is not None:
            self.runner.changed.emit(self.changes)
        if self.on_success is not None:
            self.on_success(outcome)

    def failed(self, message: str) -> None:
        # the runner has logged the traceback; the user is told it is not their doing
        self.on_failure(f"意外错误（详情已记入日志）：{message}")

    def progressed(self, done: int, total: int, message: str) -> None:
        self.on_progress(done, total, message)

    def cancelled(self) -> None:
        self.on_cancelled()

    def finished(self) -> None:
        self.on_finished()


def run_operation(parent: QObject | None, runner: BackgroundRunner, title: str,
                  job: Callable[[Task], Any], *,
                  on_success: Callable[[Any], None] | None = None,
                  on_failure: Callable[[str], None] | None = None,
                  on_progress: Callable[[int, int, str], None] | None = None,
                  on_cancelled: Callable[[], None] | None = None,
                  on_finished: Callable[[], None] | None = None,
                  on_busy: Callable[[str], None] | None = None,
                  on_refusal: Callable[[Refusal], None] | None = None,
                  changes: Changes | None = None) -> Task:
    """Submit ``job`` under ``title``; the callbacks run in the GUI thread and are dropped
    when ``parent`` (a widget, or a model of one) is deleted. Without ``on_failure`` a
    refusal is shown in a message box titled ``title``; ``on_busy``, if given, hears a
    refusal because another program held the database (nothing was written) instead;
    ``on_refusal``, if given, hears every other refusal whole (its kind, a connection
    lost) instead of ``on_failure``, which still hears the unexpected errors."""
    window = parent if isinstance(parent, QWidget) else None
    callbacks = _Callbacks(
        parent, runner, on_success=on_success, changes=changes, on_progress=on_progress,
        on_busy=on_busy, on_refusal=on_refusal,
        on_cancelled=on_cancelled, on_finished=on_finished,
        on_failure=on_failure or (lambda message: show_error(window, title, message)))
    task = runner.submit(title, expected_outcome(job))
    task.operation = callbacks  # kept alive with the task when nobody owns it
    task.succeeded.connect(callbacks.succeeded)
    task.failed.connect(callbacks.failed)
    for signal, callback, slot in ((task.progress, on_progress, callbacks.progressed),
                                   (task.cancelled, on_cancelled, callbacks.cancelled),
                                   (task.finished, on_finished, callbacks.finished)):
        if callback is not None:
            signal.connect(slot)
    return task


SAVING = "正在保存…"


def save_from_page(page: QWidget, runner: BackgroundRunner, database: Database, title: str,
                   action: Callable[[Any], object], *, changes: Changes,
                   status: QLabel | None = None,
                   on_saved: Callable[[Any], None] | None = None,
                   on_done: Callable[[bool], None] | None = None,
                   on_progress: Callable[[int, int, str], None] | None = None,
                   on_cancelled: Callable[[], None] | None = None) -> Task:
    """A write from a page's button, on the runner in a transaction of its own: waiting for
    the write lock (``BUSY_TIMEOUT_MS``, up to 10 s while another program writes) must not
    freeze the window. The page is disabled and ``status`` says 正在保存… until it ends; a
    refusal (a rule broken, the record gone meanwhile) is shown under ``title`` and nothing
    is written; when another program held the database the officer may 重试 at once. ``on_saved`` gets what ``action`` returned;
    ``on_done`` then tells whether it was written. ``on_progress`` / ``on_cancelled``: an
    action that yields progress (a wait for a colleague's write in the county: ui.lock_wait)
    and may be cancelled."""
    written = False
    previous = status.text() if status is not None else ""
    page.setEnabled(False)
    if status is not None:
        status.setText(page.tr(SAVING))

    def saved(outcome: Any) -> None:
        nonlocal written
        written = True
        if on_saved is not None:
            on_saved(outcome)

    def finished() -> None:
        page.setEnabled(True)
        if status is not None and status.text() == page.tr(SAVING):  # nobody wrote over it
            status.setText(previous)
        if on_done is not None:
            on_done(written)

    def busy(message: str) -> None:
        # nothing was written; the officer may try again at once (after this attempt's
        # ``finished`` has put the page back, hence the timer)
        if RetryDialog.ask(page, title, message):
            QTimer.singleShot(0, lambda: save_from_page(
                page, runner, database, title, action, changes=changes, status=status,
                on_saved=on_saved, on_done=on_done, on_progress=on_progress,
                on_cancelled=on_cancelled))

    return run_operation(page, runner, title, in_session(database, action), on_success=saved,
                         on_finished=finished, on_busy=busy, changes=changes,
                         on_progress=on_progress, on_cancelled=on_cancelled)


def show_progress(bar: QProgressBar, label: QLabel, done: int, total: int,
                  message: str, *, suffix: str = "") -> None:
    """A job's progress on a bar (busy until the job knows its total) and its stage on a
    label; the same slot for the import wizard and the export dialog."""
    if total:
        bar.setRange(0, total)
        bar.setValue(done)
    if message:
        label.setText(message + suffix)
