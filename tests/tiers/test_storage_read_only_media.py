"""Databases and backups on something that cannot be written: a disc, a read-only share, a
write-protected stick, a folder without write rights (the break campaign of #16, on a
read-only bind mount).

It found a backup kept there impossible to restore ("无法读取数据库备份：无法打开数据库文件"):
SQLite must create the WAL's shared-memory file beside a database to read it, unless told
the file cannot change. And a database there refused with "文件夹不存在、没有权限或文件被
占用", which named none of what was the matter. Now the backup is read as immutable, and
the database is refused saying it is read-only, before anything is tried on it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

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
        view.mkdir()
        for command in (["mount", "--bind", str(source), str(view)],
                        ["mount", "-o", "remount,ro,bind", str(view)]):
            if shutil.which("mount") is None or subprocess.run(
                    command, capture_output=True).returncode != 0:
                pytest.skip("a read-only bind mount needs root and mount")
            mounted.append(view)
        return view

    yield source, seal
    if mounted:
        subprocess.run(["umount", str(view)], capture_output=True)
    source.chmod(0o755)


def _firms(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Enterprise.id)))


def test_a_database_there_is_refused_as_read_only_and_left_as_it_was(read_only):
    source, seal = read_only
    open_database(source / "tiers.sqlite3").dispose()
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    view = seal()
    with pytest.raises(DatabaseError, match="只读") as refused:
        open_database(view / "tiers.sqlite3")
    assert "复制到可以写入的文件夹" in str(refused.value)
    with pytest.raises(DatabaseError, match="文件夹是只读的"):
        open_database(view / "new.sqlite3")
    assert {p.name: p.read_bytes() for p in view.iterdir()} == before


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
