"""BackgroundRunner.settled, which tests and benchmarks wait on before they read a window,
turned True as soon as the runner's own bookkeeping had heard a job's end: its slot is the
first of ``finished`` and each slot is a queued event of its own, posted one after another
by the runner's thread. On a loaded machine the GUI thread ran that first event before the
window's own slots were even posted, so a test went on before the window had shown the
result (the load-dependent failures of the roster, candidates and gc tests)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt

from ui.background_runner import Task


class Window(QObject):
    """A window's slots on a task, connected after submit() as every window's are."""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.heard: list[str] = []
        task.succeeded.connect(self.shown)
        task.cancelled.connect(lambda: self.heard.append("cancelled"))
        task.finished.connect(self.ended)

    def shown(self, result) -> None:
        self.heard.append(f"result {result}")

    def ended(self) -> None:
        self.heard.append("end")


def test_settled_only_once_the_window_has_heard_the_end(qtbot, runner):
    task = runner.submit("job", lambda _task: 42)
    holding, go_on = threading.Event(), threading.Event()

    def slow_to_send() -> None:  # the runner's thread, between finished's slots
        holding.set()
        go_on.wait(10)

    task.finished.connect(slow_to_send, Qt.DirectConnection)
    window = Window(task)
    qtbot.waitUntil(holding.is_set, timeout=10_000)
    qtbot.wait(200)  # the GUI thread turns meanwhile: the result, and whatever was sent
    try:
        assert window.heard == ["result 42"]
        assert not runner.settled  # the window has not heard the end yet
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert window.heard == ["result 42", "end"]
