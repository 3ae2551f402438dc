"""Reads of one moment: an export (a package, an Excel report) reads many tables in turn, and
each of its statements must see the database as it stood when the first one ran, or a firm
saved between two reads goes out with its records but not itself (the city refuses such a
package whole), a report's 合计 differs from its rows.

Without this each statement sees the newest data: on SQLite the driver (pysqlite's legacy
transaction handling) begins a transaction only before a write, so reads run outside one;
on PostgreSQL the default READ COMMITTED takes a new snapshot per statement.
``read_snapshot`` makes the reads of its block one transaction:

- SQLite: a deferred ``BEGIN`` on the session's connection, whose first read fixes the
  snapshot (write-ahead log: writers go on meanwhile, the reader keeps its view). It ends
  with a ``ROLLBACK`` when the block does, not when the session does: while it lasts a
  checkpoint cannot copy the log past its snapshot (the log grows, writers are not held),
  and it must have ended before the connection goes back to the pool, whose checkin runs
  a large write's deferred checkpoint (database._checkpoint_when_back). A transaction
  already going (a write's, holding the write lock; a savepoint's) is one snapshot
  already: left as it is. A write inside the block (none is meant to be) makes it a
  write transaction, left for the session to commit; if another program committed since
  the snapshot was taken, the write is refused as busy (locking.DatabaseBusy).
- PostgreSQL: ``SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`` as the first
  statement of a transaction, ended by a ``ROLLBACK`` with the block. A session that has
  only read so far (a READ COMMITTED transaction with no transaction id: nothing written)
  has that transaction ended first; one that has written keeps its transaction (its
  writes are the session's to commit) and reads on as before, which is logged.
- Anything else: nothing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tiers.storage.faults import DatabaseError

log = logging.getLogger(__name__)

# psycopg.pq.TransactionStatus (not imported: a local database never loads psycopg)
_IDLE, _IN_TRANSACTION, _IN_ERROR = 0, 2, 3
_ONE_MOMENT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_WRITTEN = "SELECT txid_current_if_assigned() IS NOT NULL"


@contextmanager
def read_snapshot(session: Session) -> Iterator[None]:
    """Every read of ``session`` inside the block sees the database as at its first read
    (see the module). Usable around a generator's body: closing the generator (a
    cancelled export) ends the snapshot too."""
    connection = session.connection()
    driver = connection.connection.dbapi_connection
    dialect = connection.dialect.name
    if dialect == "sqlite":
        begun = _begin_on_file(connection, driver)
    elif dialect == "postgresql":
        begun = _begin_on_server(connection, driver)
    else:
        begun = None
    try:
        yield
    finally:
        if begun is not None:
            _end(connection, driver, begun)


def _begin_on_file(connection: Connection, driver: sqlite3.Connection) -> int | None:
    """BEGIN (deferred) unless a transaction is going; the connection's count of changes
    then (None: nothing begun)."""
    if driver.in_transaction:
        return None
    changes = driver.total_changes
    connection.exec_driver_sql("BEGIN")
    return changes


def _begin_on_server(connection: Connection, driver: Any) -> int | None:
    status = driver.info.transaction_status
    if status == _IN_TRANSACTION:
        if connection.exec_driver_sql(_WRITTEN).scalar():
            log.warning("导出所在的事务已写入数据，无法改为只读快照，各次读取可能看到不同时刻的数据")
            return None
        connection.exec_driver_sql("ROLLBACK")  # it only read: nothing to keep
    elif status != _IDLE:
        return None  # a failed transaction: its next statement raises anyway
    connection.exec_driver_sql(_ONE_MOMENT)  # the driver's BEGIN, then this first
    return 0


def _end(connection: Connection, driver: Any, changes: int) -> None:
    """ROLLBACK of the transaction begun, if it is still the session's connection's and
    still going (the session may have been closed first: the pool's reset ended it then,
    and the connection may be another session's by now)."""
    if connection.closed or connection.invalidated:
        return
    if connection.connection.dbapi_connection is not driver:
        return
    if connection.dialect.name == "sqlite":
        if not driver.in_transaction or driver.total_changes != changes:
            return  # ended already, or written in: the session's to commit
    elif driver.info.transaction_status not in (_IN_TRANSACTION, _IN_ERROR):
        return
    try:
        connection.exec_driver_sql("ROLLBACK")
    except (DBAPIError, sqlite3.Error, DatabaseError) as exc:
        # the connection lost or failing: the reads are done; the session's own end (the
        # pool's reset) ends the transaction, or the connection is dropped
        log.warning("结束只读快照时出错：%s", exc)
