"""tiers.storage.snapshot.read_snapshot: the reads of its block see one moment, writers go
on meanwhile, and the read transaction ends with the block (before the connection goes back
to the pool), never with a write of the session's lost."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.snapshot import read_snapshot


def _add_firm(database, serial: int) -> None:
    """Another session commits a firm (another client, or the client beside the CLI)."""
    with database.session() as other:
        enterprises.create(other, {"credit_code": make_code(serial), "county": "武进区",
                                   "name": f"常州快照{serial}科技有限公司"})


def _firms(session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise))


def _in_transaction(session) -> bool:
    """Whether the session's connection holds a transaction on the database itself."""
    driver = session.connection().connection.dbapi_connection
    if isinstance(driver, sqlite3.Connection):
        return driver.in_transaction
    return driver.info.transaction_status != 0  # psycopg: IDLE


def test_the_reads_of_the_block_see_one_moment_and_writers_go_on(database):
    _add_firm(database, 1)
    with database.reading() as session:
        with read_snapshot(session):
            assert _firms(session) == 1
            _add_firm(database, 2)  # committed meanwhile: not held up
            assert _firms(session) == 1
            assert _in_transaction(session)
        assert not _in_transaction(session)  # ended with the block
        assert _firms(session) == 2  # the newest again after it


def test_a_session_that_has_read_before_reads_one_moment_in_the_block(database):
    """(the command line reads the unit and the year before it exports; on a server that
    began a READ COMMITTED transaction, ended for the snapshot: it had written nothing)"""
    _add_firm(database, 1)
    with database.reading() as session:
        assert _firms(session) == 1
        with read_snapshot(session):
            assert _firms(session) == 1
            _add_firm(database, 2)
            assert _firms(session) == 1
        assert _firms(session) == 2


def test_a_session_that_has_written_keeps_its_write(database):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州先写科技有限公司"})
        session.flush()
        with read_snapshot(session):
            assert _firms(session) == 1  # its own write, seen
        assert _firms(session) == 1  # not rolled back
    with database.reading() as session:
        assert _firms(session) == 1  # committed


@pytest.mark.sqlite_only
def test_a_write_in_the_block_is_left_for_the_session_to_commit(database):
    with database.session() as session, read_snapshot(session):
        assert _firms(session) == 0
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州快照中写科技有限公司"})
        session.flush()
    with database.reading() as session:
        assert _firms(session) == 1


@pytest.mark.sqlite_only
def test_the_log_is_checkpointed_whole_once_the_block_has_ended(database):
    """A read transaction holds SQLite's checkpoint back (the log grows) only while it lasts."""
    _add_firm(database, 1)
    checkpoint = sqlite3.connect(database.path, isolation_level=None)
    try:
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with database.reading() as session:
            with read_snapshot(session):
                _firms(session)
                _add_firm(database, 2)
                _busy, log, copied = checkpoint.execute(
                    "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                assert copied < log  # the pages the reader's snapshot still needs
            _busy, log, copied = checkpoint.execute(
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert copied == log > 0  # ended with the block, the session still open
    finally:
        checkpoint.close()
