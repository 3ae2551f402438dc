"""A database opened read-only while someone else may write it (review of session 31).

``immutable=1`` tells SQLite the file never changes: it takes no locks and trusts what it
has read. It was chosen whenever *this account* could not write the file, so a reader of a
colleague's file (644, another owner) showed firms the owner had deleted, wrong joins, then
"数据库文件已损坏…请从备份恢复"; and a client holding a chmod-444 file open showed stale rows
after the officer ran chmod 644 and ``tiers undo-import``. Now immutable only when nobody
can write (a read-only mount, or neither the file nor its folder has a write bit), read
through the -wal/-shm of a program that has it open, and refused otherwise; and what was
read as immutable is checked at every checkout: changed since, it says so (never 损坏)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.read_only_mount import bind_read_only, unmount
from tiers.model.orm import Enterprise
from tiers.services import demo
from tiers.storage.database import DatabaseError, open_database
from tiers.storage.faults import explain, read_only_refusal

pytestmark = pytest.mark.sqlite_only

CHANGED = "数据库已被其他程序修改，请关闭后重新打开"

# another process: gives the rights back (as the officer told to would), deletes a firm
# with sqlite3, and takes them away again; root, whom modes do not stop, does the same
WRITER = """
import os, sqlite3, sys
path = sys.argv[1]
folder = os.path.dirname(path)
os.chmod(folder, 0o755); os.chmod(path, 0o644)
connection = sqlite3.connect(path)
connection.execute("PRAGMA foreign_keys = OFF")
connection.execute("DELETE FROM enterprise WHERE id = (SELECT max(id) FROM enterprise)")
connection.commit()
if sys.argv[2] == "close":
    connection.close()
    os.chmod(path, 0o444); os.chmod(folder, 0o555)
else:
    print("held", flush=True); sys.stdin.readline()
"""


def _made(folder: Path, firms: int = 5) -> Path:
    folder.mkdir()
    path = folder / "tiers.sqlite3"
    database = open_database(path)
    with database.session() as session:
        list(demo.generate(session, enterprises=firms))
    database.dispose()
    return path


def _firms(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Enterprise.id)))


def _sealed(path: Path) -> None:
    """Neither the file nor its folder has a write bit: nobody writes it without first
    giving the rights back."""
    path.chmod(0o444)
    path.parent.chmod(0o555)


@pytest.fixture
def unsealed(tmp_path):
    yield
    for path in tmp_path.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)


@pytest.mark.parametrize("writer", ["close", "hold"])
def test_a_change_by_another_program_is_said_never_stale_nor_damaged(tmp_path, unsealed,
                                                                      writer):
    path = _made(tmp_path / "db")
    _sealed(path)
    database = open_database(path, read_only=True)
    held = None
    try:
        assert _firms(database) == 5
        if writer == "close":
            subprocess.run([sys.executable, "-c", WRITER, str(path), "close"], check=True)
        else:
            held = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "hold"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert held.stdout.readline() == "held\n"
        with pytest.raises(DatabaseError, match=CHANGED) as told:
            _firms(database)
        assert "损坏" not in str(told.value) and str(path) in str(told.value)
        with pytest.raises(DatabaseError, match=CHANGED):  # every later read as well
            _firms(database)
    finally:
        database.dispose()
        if held is not None:
            held.communicate("\n", timeout=60)
    again = open_database(path, read_only=True) if writer == "close" else None
    if again is not None:  # reopened: the file as it is now
        try:
            assert _firms(again) == 4
        finally:
            again.dispose()


def test_a_file_someone_may_write_with_nobody_in_it_is_refused_unchanged(tmp_path):
    """644 (its owner may write it at any time), no -wal or -shm beside it: read-only
    through SQLite it would create them, read as immutable it would show stale rows or
    "损坏" once the owner writes: refused, nothing made beside it."""
    path = _made(tmp_path / "db")
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    with pytest.raises(DatabaseError, match="无法打开数据库") as refused:
        open_database(path, read_only=True)
    assert str(path) in str(refused.value) and "损坏" not in str(refused.value)
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before


def test_a_file_someone_has_open_is_read_through_its_wal_and_follows_his_saves(tmp_path):
    """A writer holds it open (its -wal and -shm beside it): read-only through them, each
    read sees the writer's last commit, never a stale row."""
    path = _made(tmp_path / "db")
    writer = sqlite3.connect(path)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("SELECT 1 FROM enterprise").fetchall()
        database = open_database(path, read_only=True)
        try:
            assert database.read_only and _firms(database) == 5
            writer.execute("PRAGMA foreign_keys = OFF")
            writer.execute("DELETE FROM enterprise WHERE id = (SELECT max(id) FROM enterprise)")
            writer.commit()
            assert _firms(database) == 4
        finally:
            database.dispose()
    finally:
        writer.close()


def test_a_writable_database_through_a_symlink_is_writable(tmp_path, unsealed):
    """The link's own folder read-only (a link kept on a read-only place) says nothing of
    the file's: it was taken as read-only and the officer could not save."""
    path = _made(tmp_path / "db")
    links = tmp_path / "links"
    links.mkdir()
    (links / "库.sqlite3").symlink_to(path)
    links.chmod(0o555)
    import os

    if os.geteuid() == 0:  # root is not stopped by a folder's mode: a read-only mount
        bind_read_only(links, tmp_path / "view")
        links = tmp_path / "view"
    try:
        database = open_database(links / "库.sqlite3")
        try:
            assert not database.read_only
            with database.session() as session:
                session.get(Enterprise, 1).name = "改名有限公司"
            assert _firms(database) == 5
        finally:
            database.dispose()
    finally:
        if links.name == "view":
            unmount(links)


def test_the_refusal_says_what_stops_this_account(tmp_path, monkeypatch, unsealed):
    """A file with write bits this account may not use (another account's) is not a file
    marked read-only: its owner may write it, and removing an attribute is not the cure."""
    import os

    path = _made(tmp_path / "db")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    theirs = read_only_refusal(path)
    assert "当前账号没有写入它的权限" in theirs and "只读”属性" not in theirs
    assert "共享" not in theirs
    path.chmod(0o444)
    folder_too = read_only_refusal(path)  # (os.access says no to the folder as well)
    assert "所在的文件夹也不能写入" in folder_too and "“只读”属性" not in folder_too
    monkeypatch.setattr(os, "access", lambda where, *args, **kwargs: Path(where).is_dir())
    marked = read_only_refusal(path)
    assert "文件设为只读" in marked and "去掉文件的“只读”属性" in marked


@pytest.mark.parametrize("name", ["SQLITE_READONLY_DIRECTORY", "SQLITE_READONLY_RECOVERY",
                                  "SQLITE_READONLY_CANTINIT"])
def test_only_a_plain_write_refusal_says_it_may_be_viewed(tmp_path, unsealed, name):
    """SQLite's other read-only conditions (it could not recover or set up the WAL's
    index) are not a write refused: the line for them is explain()'s."""
    from tiers.storage.database import told_read_only

    error = sqlite3.OperationalError("attempt to write a readonly database")
    error.sqlite_errorname = name
    assert told_read_only(error, "只读，可以查看和导出") is None
    plain = sqlite3.OperationalError("attempt to write a readonly database")
    plain.sqlite_errorname = "SQLITE_READONLY"
    assert told_read_only(plain, "只读，可以查看和导出") == "只读，可以查看和导出"
    assert explain(error) is not None
