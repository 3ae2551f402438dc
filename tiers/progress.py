"""One shape of progress and one cancel, for every long job of the core.

A long job is a generator that yields ``Progress`` and returns its result; the caller (the
CLI, the desktop client's background runner, a test) drives it with ``drain`` and may stop it
between two yields. Closing the generator is how a job is cancelled: its ``finally`` blocks
and context managers roll back what it started.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from tiers.errors import Cancelled

Result = TypeVar("Result")

__all__ = ["Cancelled", "Job", "Progress", "drain", "paused_gc"]


@dataclass(frozen=True)
class Progress:
    stage: str  # Chinese, e.g. "读取" / "比对" / "写入"
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


Job = Generator[Progress, None, Result]


def drain(generator: Generator[Progress, None, Result],
          on_progress: Callable[[Progress], Any] | None = None,
          cancelled_message: str = "已取消，未写入任何数据") -> Result:
    """Run a progress generator to the end and return its result. ``on_progress`` may
    return True to cancel: the generator is closed (a write rolls back) and Cancelled raised."""
    while True:
        try:
            progress = next(generator)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None and on_progress(progress):
            generator.close()
            raise Cancelled(cancelled_message)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a loop allocates a few objects per row: with a
    whole sheet in memory each collection walks millions of cells (measured: a third of the
    plan's time). Reference counting still frees everything; nothing here makes cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # the objects made meanwhile (a plan: about a million) would all be in the young
        # generation, and the first collection after this would walk every one of them
        # (measured: 0.3 s); moved to the oldest generation instead, they wait for the next
        # full collection like any long-lived object (freeze + unfreeze: two list splices)
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
