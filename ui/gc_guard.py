"""Python's cyclic garbage collection, run only on the GUI thread while the client runs.

With automatic collection on, a collection starts in whichever thread happens to allocate
past the threshold — often the background runner (a query builds thousands of objects). A
cycle it frees may hold a Qt object (a closed dialog and its slots), whose C++ destructor
then runs on that thread, beside the GUI thread using the same widgets: a segmentation
fault, seen in the field right after a dialog closed while the 工作台 loaded. So the client
turns automatic collection off and collects from a timer on the GUI thread, generation by
generation against the usual thresholds (a young collection costs well under a
millisecond), and once more after a window (a dialog) closes — pyqtgraph's
GarbageCollector, Anki's approach. Reference counting still frees everything else at once.
``tiers.progress.paused_gc`` puts back only what it found, so it leaves collection off.
The command line never starts this: it has no Qt objects and no second thread."""

from __future__ import annotations

import contextlib
import gc

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 1000


class GcGuard(QObject):
    """Started by ``ui.app`` for the client's life; ``stop`` puts back what it found."""

    def __init__(self, app: QApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        self.was_enabled = gc.isenabled()
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)
        # a dialog closing hands the focus back to the window under it: its Python side
        # (signal connections, lambdas) is the likeliest cycle holding a Qt object
        app.focusWindowChanged.connect(self._window_changed)
        self._app = app
        self.stopped = False

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, youngest first."""
        first, second, third = gc.get_count()
        if first > self.threshold[0]:
            gc.collect(0)
            if second > self.threshold[1]:
                gc.collect(1)
                if third > self.threshold[2]:
                    gc.collect(2)

    def _window_changed(self, _window) -> None:
        QTimer.singleShot(0, self._collect_young)

    def _collect_young(self) -> None:
        if not self.stopped:
            gc.collect(1)

    def stop(self) -> None:
        """After the event loop: collect what is left here, then restore the setting."""
        if self.stopped:
            return
        self.stopped = True
        self.timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):  # (the application is gone)
            self._app.focusWindowChanged.disconnect(self._window_changed)
        gc.collect()
        if self.was_enabled:
            gc.enable()


def start(app: QApplication) -> GcGuard:
    return GcGuard(app, INTERVAL_MS)
