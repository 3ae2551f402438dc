"""Start-up timing for benchmarks/run_all.py: with ``TIERS_STARTUP_TRACE=1`` in the
environment, the client prints to stderr the wall-clock moment (``time.time()``) the main
window is first painted, and the moment the roster is usable (its rows listed and its
search index built, so a keystroke answers from memory), then quits. The harness subtracts
the moment it started the process. Without the variable nothing is installed."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENVIRONMENT = "TIERS_STARTUP_TRACE"
_POLL_MS = 10


def wanted() -> bool:
    return bool(os.environ.get(ENVIRONMENT))


def _say(moment: str) -> None:
    print(f"{moment} {time.time():.6f}", file=sys.stderr, flush=True)


class StartupTrace(QObject):
    """Watches the window's first paint, then polls until the roster is usable."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.painted and event.type() == QEvent.Type.Paint:
            self.painted = True
            _say("first_paint")
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self._check_usable)
        return False

    def _check_usable(self) -> None:
        model = self.window.roster.model
        if model._base_key is None or model._search_index is None:
            QTimer.singleShot(_POLL_MS, self._check_usable)
            return
        _say("usable")
        QApplication.instance().quit()


def install(window: QWidget) -> StartupTrace | None:
    return StartupTrace(window) if wanted() else None
