"""A write from a page that waits for a colleague's write in the same county (on a server:
tiers.storage.import_locks): the wait is shown, whose it is and in which county (the runner's
progress text), with 取消. The page itself is disabled while it saves (ui.operations
.save_from_page), so the 取消 lives in a small window of its own; it appears only once the
write waits, and goes when the write ends (done, refused or cancelled)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from ui.background_runner import Task


def cancellable_progress(parent: QWidget, title: str, text: str, maximum: int
                         ) -> QProgressDialog:
    """The window of a job's steps (``maximum`` of them; 0: a wait, busy) with 取消, shown
    at once and kept until the job ends (the caller closes it)."""
    dialog = QProgressDialog(text, parent.tr("取消"), 0, maximum, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    return dialog

class TaskWindow:
    """A ``cancellable_progress`` window following one task (``task``: the task running,
    read when 取消 is pressed — a caller may set it after the window is made): 取消 cancels
    it (it ends at its next poll, nothing written) and says 正在取消……; ``close`` takes the
    window away once the task has ended. Shared by LockWait and 数据核查's correction
    (ui.data_check), which had the same cancel and close (tidy29)."""

    def __init__(self, parent: QWidget, title: str, text: str, maximum: int,
                 task: Callable[[], Task | None]) -> None:
        self.parent, self.task = parent, task
        self.dialog = cancellable_progress(parent, title, text, maximum)
        self.dialog.canceled.connect(self.cancel)

    def cancel(self) -> None:
        running = self.task()
        if running is not None:
            running.cancel()
        self.dialog.setLabelText(self.parent.tr("正在取消……"))

    def close(self) -> None:
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()


class LockWait:
    """Follows one task: ``progressed`` (its progress signal) shows the wait (a TaskWindow,
    whose 取消 stops waiting), ``finished`` takes it away. The status label, when given, says the same as the window."""

    def __init__(self, parent: QWidget, title: str, status: QLabel | None = None) -> None:
        self.parent, self.title, self.status = parent, title, status
        self.task: Task | None = None
        self.window: TaskWindow | None = None  # shown once the task waits
        # what the label said before the write: put back when the wait it shows has ended
        # with nothing else said over it (a cancel reads no new list to count)
        self.before = status.text() if status is not None else ""
        self.shown = ""

    def progressed(self, _done: int, total: int, stage: str) -> None:
        if not stage or total:  # only a wait: a stage without steps to count
            return
        if self.status is not None:
            self.status.setText(stage)
            self.shown = stage
        if self.window is None:
            self.window = TaskWindow(self.parent, self.title, stage, 0, lambda: self.task)
            self.window.dialog.show()
        else:
            self.window.dialog.setLabelText(stage)

    def finished(self) -> None:
        if self.status is not None and self.shown and self.status.text() == self.shown:
            self.status.setText(self.before)
        if self.window is not None:
            self.window.close()
            self.window = None
