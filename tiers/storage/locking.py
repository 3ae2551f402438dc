"""Writers that meet: one database file, several programs (two ``tiers import`` at once, the
client saving while an import runs).

SQLite lets one writer at a time hold the write lock; the others wait up to the busy
timeout (see database._sqlite_on_connect) and then fail with ``database is locked``. Two
things follow:

- a write that depends on what was read (an import applying a plan, an undo) must check
  that the data has not moved *after* it holds the write lock, else a writer that lands
  between the check and the first write is overwritten with stale values. ``write_lock``
  takes the lock for the session's transaction first (``BEGIN IMMEDIATE``), so that what
  the transaction reads afterwards stays true until it commits;
- a writer that waited in vain is told so in one Chinese line (``DatabaseBusy``), never
  with the driver's ``OperationalError``: ``translate_busy`` does it for every statement
  of an engine (``watch_engine``) and for the bulk writer's own connection.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, event, func, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tiers.storage.faults import LOCKED, DatabaseError

BUSY_MESSAGE = LOCKED  # one wording for "another program holds the lock", wherever it is met
# SQLite's primary result codes for "someone else holds it" (the extended codes, such as
# SQLITE_BUSY_SNAPSHOT 517 for a read transaction that can no longer become a writer, keep
# these in their low byte)
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# a write that changes nothing but needs the write lock, for a transaction already open
# (as the first statement of a transaction a savepoint began, it waits for the lock as
# BEGIN IMMEDIATE does, and then reads the newest data)
_TAKE_LOCK = 'UPDATE "import_batch" SET "id" = "id" WHERE 0'


class DatabaseBusy(DatabaseError):
    """Another program held the write lock longer than the busy timeout; nothing of this
    transaction was written (it is rolled back), and trying again later will do."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


def is_busy(error: BaseException) -> bool:
    """Whether the driver's error means another connection holds the lock."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "database is locked" in str(error) or "database table is locked" in str(error)


def translate_busy(error: BaseException) -> BaseException:
    """DatabaseBusy for a busy/locked error of the driver, else the error as it is."""
    if is_busy(error):
        busy = DatabaseBusy()
        busy.__cause__ = error
        return busy
    return error


# a server that ended one of two transactions waiting for each other's rows (deadlock) or
# that could not serialise them: that transaction is rolled back whole, and trying again
# will do (a package import and a 确认公示 over firms of one county, each holding some)
MET_ON_SERVER = ("这次操作与同事同时进行的操作要修改同一批企业，服务器中止了这次操作，"
                 "没有写入任何数据；请稍后重试")
_MET_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def _on_error(context: ExceptionContext) -> BaseException | None:
    original = context.original_exception
    if is_busy(original):
        return translate_busy(original)
    if getattr(original, "sqlstate", None) in _MET_SQLSTATES:
        met = DatabaseBusy(MET_ON_SERVER)
        met.__cause__ = original
        return met
    return None


def watch_engine(engine: Engine) -> None:
    """Every statement and commit of the engine that fails because another program holds
    the lock (SQLite), or that a server ended for a colleague's transaction it waited on
    (a deadlock), raises DatabaseBusy instead; idempotent."""
    if not event.contains(engine, "handle_error", _on_error):
        event.listen(engine, "handle_error", _on_error)


def write_lock(session: Session) -> None:
    """Hold the database's write lock for the rest of the session's transaction, waiting
    up to the busy timeout for another writer to finish (then DatabaseBusy).

    On SQLite the driver starts a transaction only at the first write, so until then each
    read sees the newest data; a transaction not yet started begins with BEGIN IMMEDIATE.
    One already writing holds the lock; one that has only read (a savepoint) takes it with a
    write that changes nothing, which fails if another program wrote since it began
    reading (its reads are stale: DatabaseBusy, try again). Other databases: nothing
    (a server database takes row locks as it writes)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    watch_engine(connection.engine)
    driver = connection.connection.dbapi_connection
    statement = _TAKE_LOCK if driver.in_transaction else "BEGIN IMMEDIATE"
    try:
        connection.exec_driver_sql(statement)
    except DBAPIError as exc:  # an engine not made by make_engine (watched too late)
        raise translate_busy(exc.orig) from exc


def hold_save_token(session: Session, token: str) -> None:
    """Wait until no other transaction saves with this token, and keep it ours until the
    session's transaction ends: a firm window's save sent again while the first one (its
    answer lost) still runs on the server then sees the first one's outcome (a new firm's
    credit code waited for instead would fail on the unique key, not say 已写入). SQLite:
    nothing (one writer at a time, and each read before the first write sees the newest)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    # the one-key form: its locks never meet the import locks' two-key ones (objsubid 1)
    connection.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(token, 0))))
