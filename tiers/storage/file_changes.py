"""Others' changes to a SQLite file: the command line (``tiers import`` while the window is
open, as the README allows), a second window, a script.

SQLite tells no one of a commit, but each connection can ask whether another connection
has committed since it last asked: ``PRAGMA data_version`` (read from the write-ahead log's
index in shared memory: no page of the database is read, microseconds). A thread with a
connection of its own asks every ``POLL_SECONDS`` and calls ``on_change`` when the answer
changes for a reason other than the engine's own writes, which the program refreshes after
by itself.

The engine's own writing commits are counted (a commit after which the driver's connection
was in a transaction: a read-only session commits nothing); a change seen within
``OWN_SECONDS`` of one of them is taken as that write's (its commit may end just after
the count), and the window refreshes after it anyway. On a server, ``notify`` does this.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, event

log = logging.getLogger(__name__)

OTHER_PROGRAM = "file"  # what ``on_change`` is called with


class FileChangeListener:
    """A thread that notices commits to ``path`` made by anything but ``engine`` and calls
    ``on_change(OTHER_PROGRAM)`` once for each time it notices some. Its owner starts it and
    stops it; ``stop`` waits for the thread (and forgets the engine's commits)."""

    POLL_SECONDS = 1.0
    OWN_SECONDS = 2.0  # a change this soon after the engine's own write is that write's

    def __init__(self, engine: Engine, path: Path | str,
                 on_change: Callable[[str], None]) -> None:
        self.engine, self.path, self.on_change = engine, str(path), on_change
        self._lock = threading.Lock()
        self._own_writes = 0
        self._last_own = float("-inf")  # time.monotonic() of the last own writing commit
        self._stop = threading.Event()
        self.listening = threading.Event()  # set once the first answer is known (as notify's)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        event.listen(self.engine, "commit", self._committing)
        self._thread = threading.Thread(target=self._run, name="tiers-file-changes",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if event.contains(self.engine, "commit", self._committing):
            event.remove(self.engine, "commit", self._committing)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _committing(self, connection: Connection) -> None:
        driver = connection.connection.dbapi_connection
        if getattr(driver, "in_transaction", True):  # (unknown: counted as a write)
            with self._lock:
                self._own_writes += 1
                self._last_own = time.monotonic()

    def _own(self) -> tuple[int, float]:
        with self._lock:
            return self._own_writes, self._last_own

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        seen: int | None = None
        writes_seen = self._own()[0]
        try:
            while not self._stop.is_set():
                try:
                    if connection is None:
                        connection = sqlite3.connect(self.path, timeout=1)
                    # read to its end, so that the statement is reset at once and holds
                    # no read transaction (whose snapshot would keep the version)
                    [(version,)] = connection.execute("PRAGMA data_version").fetchall()
                except sqlite3.Error as exc:  # locked a moment, or the file went: next time
                    log.debug("未能查看数据库是否被其他程序修改：%s", exc)
                    self._stop.wait(self.POLL_SECONDS)
                    continue
                writes, last_own = self._own()
                own = writes != writes_seen or time.monotonic() - last_own < self.OWN_SECONDS
                if seen is not None and version != seen and not own:
                    self.on_change(OTHER_PROGRAM)
                seen, writes_seen = version, writes
                self.listening.set()
                self._stop.wait(self.POLL_SECONDS)
        finally:
            if connection is not None:
                connection.close()
