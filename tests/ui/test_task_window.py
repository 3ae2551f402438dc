"""The window with 取消 that follows one task (ui.lock_wait.TaskWindow, tidy29): LockWait's
wait and 数据核查's correction had the same cancel and close, now this one."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from ui.lock_wait import TaskWindow


class _Task:
    cancelled = 0

    def cancel(self) -> None:
        self.cancelled += 1


def test_cancel_stops_the_task_of_the_moment_and_close_takes_the_window_away(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    running: list[_Task] = []
    window = TaskWindow(parent, "数据核查", "正在更正……", 3,
                        lambda: running[0] if running else None)
    window.dialog.show()
    running.append(_Task())  # (the task is started after its window is made)
    [cancel] = [b for b in window.dialog.findChildren(QPushButton) if b.text() == "取消"]
    cancel.click()
    assert running[0].cancelled == 1 and window.dialog.labelText() == "正在取消……"
    window.close()  # (the task has ended)
    assert not window.dialog.isVisible()
    window.dialog.canceled.emit()  # no longer followed
    assert running[0].cancelled == 1
