"""The foot of a dialog that runs one job at a time in the background (导出报表, 采集表,
填写上级模板, 导出/导入数据包): a status line that wraps, a progress bar, the dialog's own
buttons, 取消 while a job runs, and 关闭. Every such dialog showed progress, let the officer
cancel, said what happened and cancelled its job when closed, each in its own copy; this
is the one copy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiers import outputs
from ui.ask import ConfirmDialog
from ui.background_runner import BackgroundRunner, Task
from ui.operations import Changes, Refusal, run_operation, show_progress


class WorkFooter(QWidget):
    """Status, progress and buttons of a dialog; ``run`` starts its job."""

    finished = Signal()  # a job ended: done, failed or cancelled

    def __init__(self, dialog: QDialog, runner: BackgroundRunner, title: str,
                 buttons: Iterable[QPushButton], *, cancel_text: str = "",
                 cancelled_text: str = "") -> None:
        super().__init__(dialog)
        self.dialog, self.runner, self.title = dialog, runner, title
        self.cancelled_text = cancelled_text or self.tr("已取消，没有生成文件。")
        self.task: Task | None = None
        # (target: the file the officer agreed to replace, as it was when asked)
        self.replace_agreed: outputs.FileIdentity | None = None
        self._disabled: list[QPushButton] = []
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton(cancel_text or self.tr("取消"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(dialog.close)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addStretch(0)
        row.addWidget(self.cancel_button)
        for button in buttons:
            row.addWidget(button)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        dialog.installEventFilter(self)  # closing the dialog cancels its job

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.dialog and event.type() == QEvent.Type.Close:
            self.cancel()  # stops at its next step and leaves no file
        return False

    def say(self, text: str) -> None:
        self.status.setText(text)

    def target(self, text: str, *, ask_to_replace: bool = True) -> str | None:
        """The file a job is to write, from what the officer typed or chose: None (and said
        on the status line) when there is none, or when a file is there already and the
        officer would rather keep it. ``replace_agreed`` says afterwards which file the
        officer agreed to replace, as it was then (tiers.outputs.file_identity; None: nobody
        was asked). Each job passes it to tiers.outputs.replaceable just before its replace:
        that file unchanged is replaced; another saved under the name while the job ran (a
        colleague's return, the officer's edit in WPS) only when it is Tiers' own untouched
        output (review27b #10, issue #16)."""
        self.replace_agreed = None
        target = text.strip()
        if not target:
            self.say(self.tr("请选择保存位置"))
            return None
        if ask_to_replace and Path(target).exists():
            seen = outputs.file_identity(target)  # (before asking: what the officer saw)
            if not ConfirmDialog.ask(self.dialog, self.title,
                                     self.tr("%1 已存在，覆盖它吗？").replace("%1", target)):
                return None
            self.replace_agreed = seen
        return target

    def run(self, job: Callable[[Task], Any], on_success: Callable[[Any], None], *,
            busy_text: str, disable: Iterable[QPushButton] = (), cancellable: bool = True,
            on_failure: Callable[[str], None] | None = None, failure_prefix: str = "",
            on_refusal: Callable[[Refusal], None] | None = None,
            changes: Changes | None = None) -> Task:
        """Run ``job`` on the background runner: ``disable`` is greyed out until it ends,
        its progress and stage are shown, and a refusal is said on the status line (after
        ``failure_prefix``) unless ``on_failure`` takes it (or ``on_refusal``, a refusal
        whole: ui.operations.run_operation)."""
        self._disabled = list(disable)
        for button in self._disabled:
            button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setVisible(cancellable)
        self.say(busy_text)
        self.task = run_operation(
            self.dialog, self.runner, self.title, job, on_success=on_success,
            on_failure=on_failure or (lambda message: self.say(failure_prefix + message)),
            on_progress=lambda done, total, message: show_progress(
                self.progress, self.status, done, total, message),
            on_finished=self._finished, changes=changes, on_refusal=on_refusal,
            on_cancelled=lambda: self.say(self.cancelled_text))
        return self.task

    def running(self) -> bool:
        return self.task is not None and not self.task.done.is_set()

    def cancel(self) -> None:
        if self.running():
            self.task.cancel()

    def _finished(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        for button in self._disabled:
            button.setEnabled(True)
        self._disabled = []
        self.finished.emit()
