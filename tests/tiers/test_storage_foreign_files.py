"""Only an empty file or a Tiers database is opened: another program's SQLite file, or a
database of a newer Tiers, is refused with a message and left byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tiers.storage import schema
from tiers.storage.database import DatabaseError, open_database
from tiers.storage.faults import FileRefused
from ui.cli.main import main

pytestmark = pytest.mark.sqlite_only  # another program's SQLite files


def sqlite_file(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (a -wal or -shm appearing counts as a change too)."""
    return {path.name: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


FOREIGN = {
    "customers": ("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
                  "INSERT INTO customers (name) VALUES ('张三')"),
    "own enterprise": ("CREATE TABLE enterprise (id INTEGER PRIMARY KEY, title TEXT)",
                       "INSERT INTO enterprise (title) VALUES ('别人的企业表')"),
    "another alembic app": ("CREATE TABLE alembic_version (version_num VARCHAR(32))",
                            "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
                            "CREATE TABLE invoices (id INTEGER PRIMARY KEY)"),
}


@pytest.mark.parametrize("kind", FOREIGN)
def test_another_programs_database_is_refused_unchanged(tmp_path, kind):
    folder = tmp_path / "data"
    folder.mkdir()
    path = sqlite_file(folder / "other.db", *FOREIGN[kind])
    before = snapshot(folder)
    with pytest.raises(FileRefused, match="不是 Tiers 数据库") as refused:
        open_database(path)
    assert "Traceback" not in str(refused.value) and "Background" not in str(refused.value)
    assert snapshot(folder) == before
    assert not (tmp_path / "backups").exists()


def test_a_tiers_database_with_a_table_of_another_program_is_refused(tmp_path):
    path = tmp_path / "mixed.sqlite3"
    open_database(path).dispose()
    sqlite_file(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    before = snapshot(tmp_path)
    with pytest.raises(FileRefused, match="customers"):
        open_database(path)
    assert snapshot(tmp_path) == before


def test_the_command_line_refuses_it_too_with_exit_status_not_zero(tmp_path, capsys):
    path = sqlite_file(tmp_path / "crm.db", *FOREIGN["customers"])
    before = path.read_bytes()
    assert main(["--db", str(path), "info"]) != 0
    assert "不是 Tiers 数据库" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_database_of_a_newer_release_is_refused_without_a_backup(tmp_path):
    path = tmp_path / "future.sqlite3"
    open_database(path).dispose()
    sqlite_file(path, "PRAGMA wal_checkpoint(TRUNCATE)",
                "UPDATE alembic_version SET version_num = '0099'")
    before = snapshot(tmp_path)
    for _attempt in range(2):
        with pytest.raises(FileRefused, match="由更新版本的 Tiers 创建，请升级程序"):
            open_database(path)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "backups").exists()


def test_an_empty_file_or_a_database_without_tables_becomes_a_tiers_database(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    bare = sqlite_file(tmp_path / "bare.sqlite3", "PRAGMA user_version = 0")
    for path in (empty, bare):
        database = open_database(path)
        assert schema.current_revision(database.engine) == schema.head_revision(database.engine)
        database.dispose()


def test_garbage_is_refused(tmp_path):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"\x00\x01not a database" * 100)
    with pytest.raises(DatabaseError, match="不是 Tiers 数据库"):
        open_database(path)
    assert path.read_bytes() == b"\x00\x01not a database" * 100
