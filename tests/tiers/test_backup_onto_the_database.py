"""A backup is never written over the database it copies, nor over a file SQLite or the
client keeps beside it (the break campaign of #17): ``tiers backup tiers.sqlite3`` with the
database's own path replaced the live file under the open client, whose later saves went to
the unlinked old file: 50 firms saved after it were gone when the database was opened again."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.backups import backup_file
from tiers.storage.database import open_database
from tiers.storage.faults import FileRefused

pytestmark = pytest.mark.sqlite_only


def _firms(path) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return session.scalar(select(func.count()).select_from(Enterprise))
    finally:
        database.dispose()


def test_the_database_itself_is_refused_and_the_clients_saves_stay(tmp_path):
    path = tmp_path / "tiers.sqlite3"
    client = open_database(path)  # the desktop client, open meanwhile
    with client.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州先前有限公司"})
    with pytest.raises(FileRefused, match="备份不能保存为正在使用的数据库文件本身"):
        backup_file(path, path)
    os.symlink(path, tmp_path / "链接.sqlite3")
    with pytest.raises(FileRefused, match="数据库文件本身"):
        backup_file(path, tmp_path / "链接.sqlite3")
    for serial in range(2, 12):
        with client.session() as session:
            enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                         "name": f"常州之后{serial}有限公司"})
    client.dispose()
    assert _firms(path) == 11


@pytest.mark.parametrize("sidecar", ["-wal", "-shm", "-journal", ".lock"])
def test_the_files_beside_it_are_refused(tmp_path, sidecar):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    with pytest.raises(FileRefused, match=f"备份不能保存为 tiers.sqlite3{sidecar}"):
        backup_file(path, tmp_path / f"tiers.sqlite3{sidecar}")


def test_its_folder_gets_a_named_copy(tmp_path):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    made = backup_file(path, tmp_path)
    assert made.parent == tmp_path and made.name.startswith("tiers-") and made != path


def test_a_file_that_is_no_backup_is_not_written_over(tmp_path):
    """``tiers backup 名单.xlsx`` by mistake replaced the list with a copy of the database;
    an earlier backup of the same name is replaced, as asked."""
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(b"PK\x03\x04 the officer's list")
    with pytest.raises(FileRefused, match="已存在且不是数据库备份，不会覆盖它"):
        backup_file(path, roster)
    assert roster.read_bytes() == b"PK\x03\x04 the officer's list"
    earlier = backup_file(path, tmp_path / "备份.sqlite3")
    assert backup_file(path, earlier) == earlier


def _with_firm(path, serial: int = 1):
    database = open_database(path)
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                     "name": f"常州武进{serial}有限公司"})
    return database


def test_another_tiers_database_is_not_written_over(tmp_path):
    """``tiers backup D:/数据/武进区.sqlite3`` run from another database replaced that live
    database with a copy of this one (the review of round 14): any SQLite file passed."""
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    other = tmp_path / "武进区.sqlite3"
    client = _with_firm(other)  # open in the client: its lock or WAL files beside it
    before = other.read_bytes()
    with pytest.raises(FileRefused, match="这是正在使用的数据库"):
        backup_file(path, other)
    assert other.read_bytes() == before
    client.dispose()
    for sidecar in ("-wal", "-shm", "-journal"):
        other.with_name(other.name + sidecar).unlink(missing_ok=True)
    with pytest.raises(FileRefused, match="这是一个 Tiers 数据库，不是备份"):
        backup_file(path, other)  # closed now, and still nobody's backup
    assert _firms(other) == 1


def test_an_earlier_backup_is_replaced_but_not_once_opened_as_the_database(tmp_path):
    path = tmp_path / "tiers.sqlite3"
    _with_firm(path).dispose()
    earlier = backup_file(path, tmp_path / "武进区备份.sqlite3")
    assert backup_file(path, earlier) == earlier  # an earlier backup: replaced, as asked
    assert _firms(earlier) == 1  # opened as a database: it is one from then on
    with pytest.raises(FileRefused, match="这是一个 Tiers 数据库，不是备份"):
        backup_file(path, earlier)


# review27: an existing file is replaced only when it is empty or a Tiers backup (its mark);
# a name as backups are named let a Tiers database renamed so through, and another
# program's empty SQLite file passed as "no Tiers database"; and the check ran only before
# the copy, which a large database takes a while to make.


def test_a_tiers_database_named_as_backups_are_named_is_not_written_over(tmp_path):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    renamed = tmp_path / "溧阳-20250301-120000-manual.sqlite3"  # a database, as the officer named it
    _with_firm(renamed).dispose()
    before = renamed.read_bytes()
    with pytest.raises(FileRefused, match="这是一个 Tiers 数据库，不是备份"):
        backup_file(path, renamed)
    assert renamed.read_bytes() == before and _firms(renamed) == 1


def test_another_programs_sqlite_file_is_not_written_over_even_without_tables(tmp_path):
    import sqlite3

    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    theirs = tmp_path / "设置.sqlite3"
    connection = sqlite3.connect(theirs)
    connection.execute("PRAGMA user_version = 7")  # its own settings, no table yet
    connection.commit()
    connection.close()
    before = theirs.read_bytes()
    with pytest.raises(FileRefused, match="已存在且不是 Tiers 数据库备份，不会覆盖它"):
        backup_file(path, theirs)
    assert theirs.read_bytes() == before
    empty = tmp_path / "空.sqlite3"
    empty.touch()  # nothing to lose: replaced
    assert backup_file(path, empty) == empty and empty.stat().st_size > 0


def test_a_file_saved_under_the_name_during_the_copy_is_kept(tmp_path, monkeypatch):
    """Absent when the backup began, someone's file there when the copy is done: refused,
    kept byte for byte, and the copy (.partial) removed."""
    from tiers.storage import backups

    path = tmp_path / "tiers.sqlite3"
    _with_firm(path).dispose()
    target = tmp_path / "备份.sqlite3"
    real = backups._remove_with_sidecars

    def meanwhile(partial):
        real(partial)
        if not target.exists():  # (the first call: the copy starts now)
            target.write_bytes(b"PK\x03\x04 the officer's list, saved just now")

    monkeypatch.setattr(backups, "_remove_with_sidecars", meanwhile)
    with pytest.raises(FileRefused, match="已存在且不是数据库备份，不会覆盖它"):
        backup_file(path, target)
    assert target.read_bytes() == b"PK\x03\x04 the officer's list, saved just now"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("备份")] == ["备份.sqlite3"]
