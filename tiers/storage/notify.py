"""Others' changes, on a PostgreSQL server: every transaction that wrote something tells the
other clients when it commits, and a client listens on a connection of its own.

The telling is PostgreSQL's ``NOTIFY`` on the channel ``tiers_changes``, sent inside the
writer's transaction: the server delivers it at commit only, so a rolled-back write
notifies nobody. It is sent here, for every commit of an engine (``announce_commits``), so
that services, imports (COPY included: it writes in the same transaction) and undo all
notify without each remembering to; whether the transaction wrote anything is the
server's own answer (a transaction gets an id at its first write), so a read-only session
costs one round trip and sends nothing. The payload names the sending program's engine
(``origin``), so that a client leaves its own changes to its own refresh, and the login
that wrote (``origin:login``), so that a client tells another officer's change from one
of its own login made in another program (the command line, a second window).

SQLite has one client per file (see ``instance``): nothing here applies to it.
"""

from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections.abc import Callable

from sqlalchemy import Connection, Engine, event

log = logging.getLogger(__name__)

CHANNEL = "tiers_changes"
# each engine's name in the payload: a client skips what its own engine sent (a second
# engine in the same program, the CLI, another computer: all are "others")
_origins: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
# a resync after the listening connection was lost: what was said meanwhile is unknown
RECONNECTED = "reconnected"
# the listening connection lost (or never made): said once, at once, so that a window
# sitting idle shows the server is gone (tester27: nothing showed until rows were painted)
LOST = "lost"
# a commit of this client's own login from another engine (the command line, another window)
SAME_LOGIN = "same_login"

_IN_TRANSACTION = 2  # psycopg.pq.TransactionStatus.INTRANS (not imported for SQLite's sake)
# session_user: the login, whatever role a statement runs under
_NOTIFY_IF_WRITTEN = ("SELECT pg_notify(%s, %s || ':' || session_user) "
                      "WHERE txid_current_if_assigned() IS NOT NULL")


def announce_commits(engine: Engine) -> None:
    """Every transaction of ``engine`` that wrote something sends a notification with its
    commit. (Only for PostgreSQL engines.)"""
    if engine.dialect.name != "postgresql":
        return
    _origins[engine] = uuid.uuid4().hex[:16]
    event.listen(engine, "commit", _notify_if_written)


def origin(engine: Engine) -> str:
    """How the notifications of ``engine``'s commits name their sender."""
    return _origins.get(engine, "")


def _notify_if_written(connection: Connection) -> None:
    # on the driver's connection: its transaction is the one being committed, and the
    # flush of a session has already happened when the connection commits
    driver = connection.connection.dbapi_connection
    if driver.info.transaction_status != _IN_TRANSACTION:
        # idle (nothing ran) or failed: the server turns a COMMIT of a failed transaction
        # into a rollback, nothing was written, and a statement now would raise instead
        return
    driver.execute(_NOTIFY_IF_WRITTEN, (CHANNEL, origin(connection.engine)))


def conninfo(engine: Engine) -> str:
    """The engine's URL as libpq takes it (the password included: it is only passed on)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class ListenerThread:
    """What a server's and a file's listeners share: a daemon thread running ``_run``
    until ``stop`` (which waits for it), and ``listening`` set once it hears."""

    THREAD_NAME = "tiers-changes"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        raise NotImplementedError


class ChangeListener(ListenerThread):
    """A thread that listens for others' commits (not those of ``engine`` itself) and calls
    ``on_change(sender)`` for each: the sending engine's origin for another login's
    commit, ``SAME_LOGIN`` for one of this engine's login made elsewhere, ``LOST`` when
    the connection is lost (or cannot be made), once until it is back, ``RECONNECTED``
    after the connection was lost and found again (whatever was said meanwhile went
    unheard). Its owner starts it and stops it; ``stop`` waits for the thread.

    The connection is its own (autocommit, outside the engine's pool). When the server
    restarts or the network drops, the listener tries again quietly every few seconds; the
    pages refresh once it is back, since what happened meanwhile went unheard."""

    WAIT_SECONDS = 0.5  # how often the thread looks whether it should stop
    RETRY_SECONDS = (1, 2, 3, 5)  # between attempts to connect again (then every 5 s)

    def __init__(self, engine: Engine, on_change: Callable[[str], None], *,
                 connect_timeout: float = 5) -> None:
        super().__init__()  # (listening: set while a LISTEN is in place)
        self.conninfo = conninfo(engine)
        self.own = origin(engine)
        self.on_change = on_change
        self.connect_timeout = connect_timeout

    def _run(self) -> None:
        import psycopg

        failures = 0
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True,
                                     connect_timeout=int(self.connect_timeout)) as connection:
                    login = connection.execute("SELECT session_user").fetchone()[0]
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if failures:
                        log.info("已重新连接数据库服务器，继续接收其他用户的修改")
                        self.on_change(RECONNECTED)
                    failures = 0
                    self._listen(connection, login)
            except psycopg.Error as exc:
                if self._stop.is_set():
                    break
                if failures == 0:
                    log.warning("接收其他用户修改的连接中断，将自动重试：%s", exc)
                    self.on_change(LOST)
                failures += 1
            finally:
                self.listening.clear()
            delay = self.RETRY_SECONDS[min(failures, len(self.RETRY_SECONDS)) - 1] \
                if failures else 0
            self._stop.wait(delay)

    def _listen(self, connection, login: str) -> None:
        while not self._stop.is_set():
            for notification in connection.notifies(timeout=self.WAIT_SECONDS):
                if notification.channel == CHANNEL:
                    sender = self.sender(notification.payload, login)
                    if sender is not None:
                        self.on_change(sender)
                if self._stop.is_set():
                    return

    def sender(self, payload: str, login: str) -> str | None:
        """Who sent ``payload``: None for this engine itself (its window refreshes after
        its own writes), ``SAME_LOGIN`` for this login elsewhere, else the sender's origin
        (a payload without a login, of an older client, is another officer's)."""
        origin, _, writer = payload.partition(":")
        if origin == self.own:
            return None
        return SAME_LOGIN if writer and writer == login else origin
