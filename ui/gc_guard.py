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
The command line never starts this: it has no Qt objects and no second thread.

A worker making cycles fast (millions a second) would pile them up between two ticks of a
one-second timer. So while a background runner works, a second timer looks every
``BUSY_INTERVAL_MS``, and a worker may ask for a collection itself with
``request_collection`` (the runner's tasks do at each progress step and each ``check``):
past ``YOUNG_LIMIT`` young objects it posts one request to the GUI thread, which collects
the young generation there. Neither collects anywhere but on the GUI thread (``gc.callbacks``
cannot help: with automatic collection off they are never called). The middle generation
is collected as CPython does, when the young collections since its last one (the bursts'
counted) pass its threshold: cycles living a little longer than ``BUSY_INTERVAL_MS`` are
promoted to it and freed a few hundred milliseconds later, not after the timer's eleventh
young collection. The oldest generation stays on the one-second timer: on its own count, or
at a tick when the objects promoted to it since its last collection pass a quarter of
those it kept then (CPython's own rule), so a long import's million objects are not walked
in full more often than CPython would, and at most once a second."""

from __future__ import annotations

import contextlib
import gc

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 1000
BUSY_INTERVAL_MS = 20  # while a runner works (a loop can make 4 million cycles a second)
# young objects (uncollected cycles among them) past which a burst is collected at once:
# a few megabytes at most, and a young collection of this many takes a few milliseconds
YOUNG_LIMIT = 20_000

_guard: GcGuard | None = None  # the client's, while it runs


class GcGuard(QObject):
    """Started by ``ui.app`` for the client's life; ``stop`` puts back what it found."""

    wanted = Signal()  # a worker's request, delivered in the GUI thread

    def __init__(self, app: QApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        global _guard
        self.was_enabled = gc.isenabled()
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)
        self.busy_timer = QTimer(self)  # runs while a runner works
        self.busy_timer.setInterval(BUSY_INTERVAL_MS)
        self.busy_timer.timeout.connect(self.check_young)
        self.busy_runners: set[int] = set()
        self.requested = False  # a request is on its way to the GUI thread
        self.wanted.connect(self._requested)  # (queued: the guard lives in the GUI thread)
        # the young collections the timer made itself, and its middle ticks: the oldest
        # generation is collected against these, not against gc.get_count(), which the
        # bursts' collections also move (a long import's million objects are walked in
        # full no more often than before); the middle one against gc.get_count()[1], as
        # CPython does, the bursts' young collections counted
        self.young_collections = self.middle_collections = 0
        # objects moved to the oldest generation since its last collection, and how many it
        # kept then (CPython's long_lived_pending and long_lived_total)
        self.promoted, self.long_lived = 0, len(gc.get_objects(generation=2))
        # a dialog closing hands the focus back to the window under it: its Python side
        # (signal connections, lambdas) is the likeliest cycle holding a Qt object
        app.focusWindowChanged.connect(self._window_changed)
        self._app = app
        self.stopped = False
        _guard = self

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, youngest first."""
        if gc.get_count()[0] > self.threshold[0]:
            gc.collect(0)
            self._middle_if_due()
            self.young_collections += 1
            if self.young_collections > self.threshold[1]:
                self.young_collections = 0
                self.middle_collections += 1
                if self.middle_collections > self.threshold[2]:
                    self.middle_collections = 0
                    self._oldest()
        if self.promoted > max(self.long_lived // 4, YOUNG_LIMIT):
            # CPython's own rule against walking a big heap too often: the objects moved to
            # the oldest generation since its last collection passed a quarter of those it
            # kept (medium-lived cycles promoted by the bursts would otherwise wait there)
            self.middle_collections = 0
            self._oldest()

    def check_young(self) -> None:
        """A burst: the young generation past ``YOUNG_LIMIT`` is collected now, and the
        middle one when the young collections since its last (the bursts' too) passed its
        threshold: cycles living a little longer than a burst's interval are promoted to
        it, and would otherwise wait for the timer's eleventh young collection."""
        if not self.stopped and gc.get_count()[0] > YOUNG_LIMIT:
            gc.collect(0)
            self._middle_if_due()

    def _middle_if_due(self) -> None:
        # gc.get_count()[1]: young collections since the middle generation's last one
        if gc.get_count()[1] > self.threshold[1]:
            size = len(gc.get_objects(generation=1))  # (its survivors go to the oldest)
            self.promoted += max(0, size - gc.collect(1))

    def _oldest(self) -> None:
        gc.collect(2)
        self.promoted, self.long_lived = 0, len(gc.get_objects(generation=2))

    def runner_busy(self, runner: object, busy: bool) -> None:
        """A runner started or ended its work: look more often while any works."""
        if busy:
            self.busy_runners.add(id(runner))
        else:
            self.busy_runners.discard(id(runner))
        if self.busy_runners and not self.stopped:
            if not self.busy_timer.isActive():
                self.busy_timer.start()
        else:
            self.busy_timer.stop()

    def _requested(self) -> None:
        self.requested = False
        self.check_young()

    def _window_changed(self, _window) -> None:
        QTimer.singleShot(0, self._collect_young)

    def _collect_young(self) -> None:
        if not self.stopped:
            gc.collect(1)

    def stop(self) -> None:
        """After the event loop: collect what is left here, then restore the setting."""
        global _guard
        if self.stopped:
            return
        self.stopped = True
        if _guard is self:
            _guard = None
        self.timer.stop()
        self.busy_timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):  # (the application is gone)
            self._app.focusWindowChanged.disconnect(self._window_changed)
        gc.collect()
        if self.was_enabled:
            gc.enable()


def start(app: QApplication) -> GcGuard:
    return GcGuard(app, INTERVAL_MS)


def request_collection() -> None:
    """From any thread, as often as a loop likes (a global read and ``gc.get_count``): past
    ``YOUNG_LIMIT`` young objects, the GUI thread is asked once to collect them. Nothing
    without a guard (the command line, tests of the core)."""
    guard = _guard
    if guard is not None and not guard.requested and gc.get_count()[0] > YOUNG_LIMIT:
        guard.requested = True
        guard.wanted.emit()


def runner_busy(runner: object, busy: bool) -> None:
    """``BackgroundRunner.busy_changed``: the client's guard looks more often meanwhile."""
    guard = _guard
    if guard is not None:
        guard.runner_busy(runner, busy)
