"""Every failure to open or write a database is one Chinese line (a DatabaseError, kind
storage or refused), never a traceback or SQLAlchemy's English."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy import text

from tiers.errors import StorageError
from tiers.services import demo
from tiers.storage import backups, faults
from tiers.storage import database as storage
from tiers.storage.database import DatabaseError, open_database
from ui.cli.main import main

ENGLISH = ("Background on this error", "sqlalche.me", "database is locked", "disk is full",
           "readonly", "malformed", "not a database", "Traceback", "Errno")


def assert_one_chinese_line(error: BaseException, *expected: str) -> None:
    message = str(error)
    assert isinstance(error, StorageError)
    assert "\n" not in message
    assert not any(word in message for word in ENGLISH), message
    for part in expected:
        assert part in message, message


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_write_while_another_program_holds_the_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 100)
    database = open_database(tmp_path / "busy.sqlite3")
    other = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError) as failed, database.session() as session:
            list(demo.generate(session, enterprises=2))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_one_chinese_line(failed.value, "占用", "重试")
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_full_disk(tmp_path):
    database = open_database(tmp_path / "full.sqlite3")
    with pytest.raises(DatabaseError) as failed, database.session() as session:
        session.execute(text("PRAGMA max_page_count = 60"))  # what a full disk does
        list(demo.generate(session, enterprises=300))
    assert_one_chinese_line(failed.value, "磁盘已满")
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_read_only_database(tmp_path):
    path = tmp_path / "ro.sqlite3"
    open_database(path).dispose()
    read_only = open_database(f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(DatabaseError) as failed, read_only.session() as session:
        list(demo.generate(session, enterprises=1))
    assert_one_chinese_line(failed.value, "只读")
    read_only.dispose()


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_folder_that_cannot_be_made(tmp_path, monkeypatch):
    def refused(*_arguments, **_options):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(storage.Path, "mkdir", refused)
    with pytest.raises(DatabaseError) as failed:
        open_database(tmp_path / "locked-away" / "x.sqlite3")
    assert_one_chinese_line(failed.value, "只读")


@pytest.mark.parametrize("damage", ["header", "middle"])
@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_corrupted_file(tmp_path, damage):
    path = tmp_path / "damaged.sqlite3"
    database = open_database(path)
    with database.session() as session:
        list(demo.generate(session, enterprises=200))
    database.dispose()
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    content = bytearray(path.read_bytes())
    if damage == "header":  # the header says SQLite, the rest is garbage
        content[16:] = b"\xa5" * (len(content) - 16)
    else:  # pages in the middle overwritten, the schema intact
        content[4096 * 2:4096 * 40] = b"\xa5" * (4096 * 38)
    path.write_bytes(bytes(content))
    with pytest.raises(DatabaseError) as failed:
        opened = open_database(path)
        with opened.session() as session:
            session.execute(text("SELECT count(*), sum(length(name)) FROM enterprise")).all()
            session.execute(text("SELECT count(*) FROM change")).all()
    assert_one_chinese_line(failed.value, "损坏")


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_the_command_line_says_it_in_one_line(tmp_path, capsys):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8000)
    assert main(["--db", str(path), "info"]) != 0
    err = capsys.readouterr().err
    assert "损坏" in err and "Traceback" not in err and "Background" not in err


@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_a_backup_that_cannot_be_written(tmp_path, monkeypatch):
    database = open_database(tmp_path / "x.sqlite3")

    def full(*_arguments):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups.os, "replace", full)
    with pytest.raises(DatabaseError) as failed:
        database.backup(tmp_path / "copy.sqlite3")
    assert_one_chinese_line(failed.value, "备份失败", "磁盘已满")
    assert not list(tmp_path.glob("copy*"))
    database.dispose()


def test_a_bug_is_not_dressed_up(db_target):
    """A missing table is no storage condition: it keeps its own error and traceback."""
    database = open_database(db_target)
    with pytest.raises(Exception, match="no such table|does not exist") as failed, \
            database.session() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    assert not isinstance(failed.value, DatabaseError)
    database.dispose()


@pytest.mark.parametrize(("name", "message", "expected"), [
    ("SQLITE_BUSY", "database is locked", faults.LOCKED),
    ("SQLITE_IOERR_WRITE", "disk I/O error", faults.DISK),
    ("SQLITE_READONLY_DBMOVED", "attempt to write a readonly database", faults.READ_ONLY),
    (None, "database disk image is malformed", faults.DAMAGED),
    (None, "no such column: x", None),
])
@pytest.mark.sqlite_only  # the SQLite file's own failures
def test_explain_reads_the_code_or_the_text(name, message, expected):
    error = sqlite3.OperationalError(message)
    if name:
        error.sqlite_errorname = name
    assert faults.explain(error) == expected
