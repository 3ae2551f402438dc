"""Databases and backups on something that cannot be written: a disc, a read-only share, a
write-protected stick, a folder without write rights (the break campaign of #16, on a
read-only bind mount).

It found a backup kept there impossible to restore ("无法读取数据库备份：无法打开数据库文件"):
SQLite must create the WAL's shared-memory file beside a database to read it, unless told
the file cannot change. And a database there refused with "文件夹不存在、没有权限或文件被
占用", which named none of what was the matter. Now the backup is read as immutable, and
the database is opened without writing to it: read and exported, every write refused
saying it is read-only (it was refused whole at first, its exports too)."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import func, select

from tests.read_only_mount import bind_read_only, unmount
from tests.tiers.test_storage_upgrade import make_first_release_database
from tiers.model.orm import Enterprise
from tiers.services import demo
from tiers.storage import backups
from tiers.storage.database import DatabaseError, open_database

pytestmark = pytest.mark.sqlite_only  # database files and their backups


@pytest.fixture
def read_only(tmp_path):
    """``(source, view)``: files put in ``source`` are seen read-only in ``view`` once
    ``seal()`` is called: a read-only bind mount for root (whom a file's mode does not stop),
    modes without write rights for anyone else."""
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    mounted = []

    def seal():
        if os.geteuid() != 0:
            for path in source.iterdir():
                path.chmod(0o444)
            source.chmod(0o555)
            return source
        bind_read_only(source, view)
        mounted.append(view)
        return view

    yield source, seal
    if mounted:
        unmount(view)
    source.chmod(0o755)


def _firms(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Enterprise.id)))


def test_a_database_there_is_read_and_every_write_refused_in_chinese(read_only):
    """Opened without writing to it (the breaker of session 30: a read-only file refused
    its exports too): reads work, a write is refused saying the file is read-only, and
    the folder holds exactly what it held. A new database there is still refused."""
    source, seal = read_only
    database = open_database(source / "tiers.sqlite3")
    with database.session() as session:
        list(demo.generate(session, enterprises=5))
    database.dispose()
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    view = seal()
    database = open_database(view / "tiers.sqlite3")
    try:
        assert database.read_only
        assert _firms(database) == 5
        with pytest.raises(DatabaseError, match="只读") as refused, database.session() as session:
            session.add(Enterprise(credit_code="91320412MA1X000001", name="新企业",
                                   name_key="新企业"))
        assert str(view / "tiers.sqlite3") in str(refused.value)
        assert "readonly" not in str(refused.value)
    finally:
        database.dispose()
    with pytest.raises(DatabaseError, match="文件夹是只读的"):
        open_database(view / "new.sqlite3")
    assert {p.name: p.read_bytes() for p in view.iterdir()} == before


def test_a_database_there_that_needs_upgrading_is_refused_never_upgraded(read_only):
    source, seal = read_only
    make_first_release_database(source / "old.sqlite3")
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    view = seal()
    with pytest.raises(DatabaseError, match="需要升级") as refused:
        open_database(view / "old.sqlite3")
    assert "只读" in str(refused.value) and str(view / "old.sqlite3") in str(refused.value)
    assert {p.name: p.read_bytes() for p in view.iterdir()} == before


def test_opened_read_only_on_request_writes_nothing_beside_it(tmp_path):
    """``read_only=True`` (what a file without write rights gets; root, whom modes do not
    stop, asks for it here on a file and folder without a write bit): the same reads and
    refusals, and no -wal or -shm is made beside the file (a read-only connection leaves
    them behind, read-only themselves, and the next writer of the file is then refused)."""
    folder = tmp_path / "sealed"
    folder.mkdir()
    path = folder / "tiers.sqlite3"
    database = open_database(path)
    with database.session() as session:
        list(demo.generate(session, enterprises=3))
    database.dispose()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        database = open_database(path, read_only=True)
        try:
            assert _firms(database) == 3
            with pytest.raises(DatabaseError, match="只读"), database.session() as session:
                session.get(Enterprise, 1).name = "改名"
            assert _firms(database) == 3
        finally:
            database.dispose()
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("kept", ["current", "first release"])
def test_a_backup_kept_there_is_restored(read_only, tmp_path, kept):
    source, seal = read_only
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=12))
    if kept == "current":
        backups.backup_file(tmp_path / "live.sqlite3", source / "kept.sqlite3")
        expected = 12
    else:
        make_first_release_database(source / "kept.sqlite3")
        expected = 3
    with live.session() as session:
        list(demo.generate(session, enterprises=5))  # changed since
    view = seal()
    assert backups.check_backup(view / "kept.sqlite3")
    backups.restore_file(view / "kept.sqlite3", tmp_path / "live.sqlite3")
    assert _firms(live) == expected
    live.dispose()


def test_a_copy_with_its_wal_there_is_refused_not_read_without_it(read_only, tmp_path):
    """A live database copied with its -wal (the folder copied to a stick): read as
    immutable, SQLite would skip the -wal and restore the file without its last saves
    (review). Refused, saying what to do; nothing changed."""
    import sqlite3

    from tiers.storage.faults import FileRefused

    source, seal = read_only
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=4))
    keeper = sqlite3.connect(tmp_path / "live.sqlite3")  # holds the WAL open: no checkpoint
    keeper.execute("PRAGMA wal_autocheckpoint = 0")
    with live.session() as session:
        list(demo.generate(session, enterprises=3))
    for suffix in ("", "-wal"):
        shutil.copy(tmp_path / f"live.sqlite3{suffix}", source / f"copy.sqlite3{suffix}")
    keeper.close()
    live.dispose()
    assert (source / "copy.sqlite3-wal").stat().st_size > 0
    view = seal()
    with pytest.raises(FileRefused, match="-wal 文件") as refused:
        backups.restore_file(view / "copy.sqlite3", tmp_path / "other.sqlite3")
    assert "一起复制到可以写入的文件夹" in str(refused.value)
    assert not (tmp_path / "other.sqlite3").exists()


def test_a_copy_with_its_wal_and_shm_there_is_read_with_its_last_saves(read_only, tmp_path):
    """The -wal beside it with its -shm (a program had it open): read through them,
    read-only, the saves kept only in the -wal included; nothing there changes."""
    import sqlite3

    source, seal = read_only
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=4))
    keeper = sqlite3.connect(tmp_path / "live.sqlite3")  # holds the WAL open: no checkpoint
    keeper.execute("PRAGMA wal_autocheckpoint = 0")
    with live.session() as session:
        list(demo.generate(session, enterprises=3))
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(tmp_path / f"live.sqlite3{suffix}", source / f"copy.sqlite3{suffix}")
    keeper.close()
    live.dispose()
    assert (source / "copy.sqlite3-wal").stat().st_size > 0
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    view = seal()
    database = open_database(view / "copy.sqlite3")
    try:
        assert database.read_only and _firms(database) == 7
    finally:
        database.dispose()
    assert {p.name: p.read_bytes() for p in view.iterdir()} == before
