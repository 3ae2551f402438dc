"""Others' changes to a SQLite file: the command line (``tiers import`` while the window is
open, as the README allows), a second window, a script.

SQLite tells no one of a commit, but each connection can ask whether another connection
has committed since it last asked: ``PRAGMA data_version`` (read from the write-ahead log's
index in shared memory: no page of the database is read, microseconds). A thread with a
connection of its own asks every ``POLL_SECONDS`` and calls ``on_change`` when the answer
changes for a reason other than the engine's own writes, which the program refreshes after
by itself.

The engine's own writes are bracketed instead of guessed at by time: just before one of its
commits (and before a statement that writes outside a transaction, DDL or a PRAGMA), the
listener's connection is asked once more and a change since its last look is another
program's (SQLite lets no one else commit while the engine holds the write lock it needs
for that commit); once the commit is done (its connection given back to the pool, or used
again) the version it left is taken as seen. A change is thus neither dropped for being
close to an own write nor reported for one that took long. On a server, ``notify`` does
this.

A transaction may also end without the driver's commit: the driver (pysqlite's own
transaction handling) begins none before a SAVEPOINT, so SQLite begins one with it, and
the RELEASE of that savepoint commits it (an import's ``begin_nested`` before the session's
first write: every package and roster import from the window). Such a RELEASE, and COMMIT
or END sent as text, are bracketed as the commit is; a RELEASE that leaves the transaction
going (an inner savepoint's) is let go after it ran.

Between the commit (its write lock let go) and that last look, another program may commit
too; the listener's connection then sees one change for both (its data_version moves once
for any number of others' commits). The committing connection tells them apart: its own
data_version never moves for its own commits and moves for anyone else's, so it is read
just before the listener's look before the commit and again right after the listener's
look at the return; a difference is another program's commit, told at the thread's next
look. (A statement outside a transaction, DDL or a PRAGMA, holds no write lock before it
runs: another program's commit between the two reads before it is the look's to see,
which is why the committing connection's version is read first.) The only commits besides the other program's that move it are those
of the engine's other pooled connections landing in that moment: one refresh too many, not
one missed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, event

from tiers.storage.notify import ListenerThread

log = logging.getLogger(__name__)

OTHER_PROGRAM = "file"  # what ``on_change`` is called with


class FileChangeListener(ListenerThread):
    """A thread that notices commits to ``path`` made by anything but ``engine`` and calls
    ``on_change(OTHER_PROGRAM)`` once for each time it notices some. Its owner starts it and
    stops it; ``stop`` waits for the thread."""

    POLL_SECONDS = 1.0
    THREAD_NAME = "tiers-file-changes"

    def __init__(self, engine: Engine, path: Path | str,
                 on_change: Callable[[str], None]) -> None:
        super().__init__()  # (listening: set once the first answer is known)
        self.engine, self.path, self.on_change = engine, str(path), on_change
        # guards the connection (asked from the thread and from the engine's own commits),
        # the version last seen, the changes noticed and the commits in flight
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._others = False  # another program's change noticed around an own commit
        # id() of the driver connections committing → their own data_version just before
        # (None: not read)
        self._committing: dict[int, int | None] = {}
        self._events = ((engine, "commit", self._before_commit),
                        (engine, "begin", self._connection_used),
                        (engine, "before_cursor_execute", self._before_execute),
                        (engine, "after_cursor_execute", self._after_execute),
                        (engine.pool, "checkin", self._checked_in))

    def start(self) -> None:
        for target, name, handler in self._events:
            event.listen(target, name, handler)
        super().start()

    def stop(self, timeout: float = 10) -> None:
        for target, name, handler in self._events:
            if event.contains(target, name, handler):
                event.remove(target, name, handler)
        super().stop(timeout)

    # --- the engine's own writes (in the thread that writes) -----------------------------
    def _look(self, *, own: bool) -> None:
        """Under the lock: the version now. Before an own write (own False) a change since
        the last look is another program's; after one (own True) it is that write's."""
        if self._connection is None:
            return  # the thread's first look takes the version as it is
        try:
            [(version,)] = self._connection.execute("PRAGMA data_version").fetchall()
        except sqlite3.Error as exc:
            log.debug("未能查看数据库是否被其他程序修改：%s", exc)
            return
        if not own and self._seen is not None and version != self._seen:
            self._others = True
        self._seen = version

    def _before_commit(self, connection: Connection) -> None:
        driver = connection.connection.dbapi_connection
        if getattr(driver, "in_transaction", True):  # (unknown: taken as a write)
            with self._lock:
                # its own version first, the listener's look second: another program's
                # commit between the two is seen by the look (the other way round it
                # would be in neither difference: no write lock holds others off here)
                self._committing[id(driver)] = _version_of(driver)
                self._look(own=False)

    def _settled(self, driver) -> None:
        """The commit on ``driver`` is done: the version it left is the engine's own, unless
        ``driver`` itself saw another commit since just before its own."""
        if id(driver) not in self._committing:
            return
        with self._lock:
            before = self._committing.pop(id(driver))
            self._look(own=True)
            # after the listener's look: a commit landing between the two reads is told
            # once more at worst (the thread's next look sees it too), never missed
            after = _version_of(driver)
            if before is not None and after is not None and after != before:
                self._others = True

    def _connection_used(self, connection: Connection) -> None:
        self._settled(connection.connection.dbapi_connection)

    def _checked_in(self, driver, _record) -> None:
        self._settled(driver)

    def _before_execute(self, connection, _cursor, statement, *_rest) -> None:
        driver = connection.connection.dbapi_connection
        self._settled(driver)
        if (_may_end(statement) if getattr(driver, "in_transaction", False)
                else _may_write(statement)):
            # DDL or a PRAGMA outside a transaction commits by itself; inside one, the
            # RELEASE of the savepoint that began it commits it (the driver's commit,
            # which the "commit" event brackets, then finds nothing left to commit)
            with self._lock:
                # its own version first, the listener's look second: another program's
                # commit between the two is seen by the look (the other way round it
                # would be in neither difference: no write lock holds others off here)
                self._committing[id(driver)] = _version_of(driver)
                self._look(own=False)

    def _after_execute(self, connection, *_rest) -> None:
        driver = connection.connection.dbapi_connection
        if not getattr(driver, "in_transaction", False):
            self._settled(driver)
        elif id(driver) in self._committing:
            # it began a transaction (a write's, BEGIN IMMEDIATE, a SAVEPOINT), or a
            # RELEASE left the transaction going (an inner savepoint's): its commit is
            # bracketed; meanwhile the thread looks on (a reading one lets others commit)
            with self._lock:
                self._committing.pop(id(driver), None)

    # --- the thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                changed = False
                with self._lock:
                    try:
                        if self._connection is None:
                            # mode=rw: a file gone (moved, deleted) is not made anew
                            # as an empty database where it was
                            self._connection = sqlite3.connect(
                                Path(self.path).resolve().as_uri() + "?mode=rw", uri=True,
                                timeout=1, check_same_thread=False)
                        if not self._committing:  # else: the commit's own look follows
                            # read to its end, so that the statement is reset at once and
                            # holds no read transaction (whose snapshot would keep the version)
                            [(version,)] = self._connection.execute(
                                "PRAGMA data_version").fetchall()
                            changed = self._others or (
                                self._seen is not None and version != self._seen)
                            self._others, self._seen = False, version
                            self.listening.set()
                    except sqlite3.Error as exc:  # locked a moment, or the file went
                        log.debug("未能查看数据库是否被其他程序修改：%s", exc)
                if changed:
                    self.on_change(OTHER_PROGRAM)
                self._stop.wait(self.POLL_SECONDS)
        finally:
            with self._lock:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None


def _version_of(driver) -> int | None:
    """``PRAGMA data_version`` on the engine's own connection (microseconds: the write-ahead
    log's index in shared memory); None when it cannot be read (being closed, not SQLite's)."""
    try:
        [(version,)] = driver.execute("PRAGMA data_version").fetchall()
    except (sqlite3.Error, AttributeError, ValueError) as exc:
        log.debug("未能读取本程序连接的数据版本：%s", exc)
        return None
    return version


def _may_end(statement: str) -> bool:
    """A statement that may end the transaction it runs in with a commit: RELEASE (of the
    savepoint that began it: an import's ``begin_nested`` before the session's first
    write), COMMIT or END sent as text."""
    return statement.lstrip()[:7].upper().startswith(("RELEASE", "COMMIT", "END"))


def _may_write(statement: str) -> bool:
    """A statement that may change the file: all but a query (SELECT, and the PRAGMAs that
    only read are bracketed too: harmless)."""
    return statement.lstrip()[:6].upper() != "SELECT"
