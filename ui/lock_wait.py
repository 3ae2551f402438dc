"""A write from a page that waits for a colleague's write in the same county (on a server:
tiers.storage.import_locks): the wait is shown, whose it is and in which county (the runner's
progress text), with 取消. The page itself is disabled while it saves (ui.operations
.save_from_page), so the 取消 lives in a small window of its own; it appears only once the
write waits, and goes when the write ends (done, refused or cancelled)."""

from __future__ import annotations

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

class LockWait:
    """Follows one task: ``progressed`` (its progress signal) shows the wait, ``finished``
    takes it away. The status label, when given, says the same as the window."""

    def __init__(self, parent: QWidget, title: str, status: QLabel | None = None) -> None:
        self.parent, self.title, self.status = parent, title, status
        self.task: Task | None = None
        self.dialog: QProgressDialog | None = None
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
        if self.dialog is None:
            dialog = cancellable_progress(self.parent, self.title, stage, 0)
            dialog.canceled.connect(self.cancel)
            self.dialog = dialog
            dialog.show()
        else:
            self.dialog.setLabelText(stage)

    def cancel(self) -> None:
        """Stop waiting: the task ends at its next poll, nothing written."""
        if self.task is not None:
            self.task.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.parent.tr("正在取消……"))

    def finished(self) -> None:
        if self.status is not None and self.shown and self.status.text() == self.shown:
            self.status.setText(self.before)
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
