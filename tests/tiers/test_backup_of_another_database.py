"""A backup replaces an earlier backup only of the same database (tester27b, finding 4):
``tiers --db 溧阳市.sqlite3 backup bk/city.sqlite3`` replaced the city's backup of 255 firms
with 溧阳's, said "已备份到 bk/city.sqlite3" and exited 0. The backup now records which
database it copies (backups.source_mark, in its header beside the mark); another
database's backup is refused, named by what it holds, and stays as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.services.unit import set_unit_counties
from tiers.storage.backups import backup_file
from tiers.storage.database import open_database
from tiers.storage.faults import FileRefused
from ui.cli.main import main

pytestmark = pytest.mark.sqlite_only


def _database(path, county: str, unit: str | None, firms: int, first: int = 1):
    database = open_database(path)
    with database.session() as session:
        for serial in range(first, first + firms):
            enterprises.create(session, {"credit_code": make_code(serial), "county": county,
                                         "name": f"{county}第{serial}有限公司"})
        if unit:
            set_unit_counties(session, [unit])
    database.dispose()
    return path


def _firms_in(path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    finally:
        connection.close()


def test_another_databases_backup_is_refused_and_kept(tmp_path):
    city = _database(tmp_path / "常州市.sqlite3", "武进区", "常州市", 3)
    liyang = _database(tmp_path / "溧阳市.sqlite3", "溧阳市", "溧阳市", 2, first=10)
    folder = tmp_path / "bk"
    folder.mkdir()
    backup = backup_file(city, folder / "city.sqlite3")
    before = backup.read_bytes()
    with pytest.raises(FileRefused) as refused:
        backup_file(liyang, backup)
    told = str(refused.value)
    assert "是另一个数据库的备份（本单位：常州市；3 家企业；备份于 " in told
    assert f"不是本库（{liyang}）的备份" in told and "请换一个文件名或文件夹" in told
    assert backup.read_bytes() == before and _firms_in(backup) == 3
    assert not list(folder.glob("*.partial*"))  # nothing half-made left beside it
    assert backup_file(city, backup) == backup  # the city's own: replaced, as asked


def test_the_same_databases_backup_is_replaced(tmp_path):
    path = _database(tmp_path / "溧阳市.sqlite3", "溧阳市", None, 1)
    backup = backup_file(path, tmp_path / "每日备份.sqlite3")
    _database(path, "溧阳市", None, 2, first=5)  # more firms since
    assert backup_file(path, backup) == backup
    assert _firms_in(backup) == 3


def test_a_database_without_a_unit_is_told_apart_too(tmp_path):
    """Two county databases that record no 本单位: the path tells them apart."""
    one = _database(tmp_path / "一.sqlite3", "溧阳市", None, 1)
    other = _database(tmp_path / "二.sqlite3", "金坛区", None, 2, first=5)
    backup = backup_file(one, tmp_path / "备份.sqlite3")
    with pytest.raises(FileRefused, match=r"是另一个数据库的备份（1 家企业；备份于 "):
        backup_file(other, backup)
    assert _firms_in(backup) == 1


def _as_made_before_the_record(backup) -> None:
    connection = sqlite3.connect(backup)
    connection.execute("PRAGMA user_version = 0")  # what a backup of an earlier release has
    connection.commit()
    connection.close()


def test_a_backup_made_before_the_record_is_replaced_only_by_its_unit(tmp_path):
    city = _database(tmp_path / "常州市.sqlite3", "武进区", "常州市", 3)
    liyang = _database(tmp_path / "溧阳市.sqlite3", "溧阳市", "溧阳市", 2, first=10)
    backup = backup_file(city, tmp_path / "city.sqlite3")
    _as_made_before_the_record(backup)
    before = backup.read_bytes()
    with pytest.raises(FileRefused, match="是较早版本的 Tiers 做的备份（本单位：常州市；3 家企业；"):
        backup_file(liyang, backup)
    assert backup.read_bytes() == before
    assert backup_file(city, backup) == backup  # the same 本单位: the city's own
    nameless = _database(tmp_path / "无单位.sqlite3", "武进区", None, 1, first=20)
    old = backup_file(nameless, tmp_path / "old.sqlite3")
    _as_made_before_the_record(old)
    with pytest.raises(FileRefused, match="看不出是哪个数据库的备份"):
        backup_file(nameless, old)  # no unit to go by: kept


def test_a_read_only_database_replaces_its_own_backup_and_no_other(tmp_path):
    """Nothing is written into the database to tell it apart: one on a read-only disc
    is backed up, replaces its own backup and refuses another's."""
    original = tmp_path / "盘"
    original.mkdir()
    _database(original / "溧阳市.sqlite3", "溧阳市", "溧阳市", 2)
    other = _database(tmp_path / "常州市.sqlite3", "武进区", "常州市", 3, first=10)
    point = tmp_path / "光盘"
    point.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "--bind", str(original), str(point)], capture_output=True).returncode:
        pytest.skip("a read-only bind mount needs root")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(point)], check=True)
        read_only = point / "溧阳市.sqlite3"
        before = read_only.read_bytes()
        own = backup_file(read_only, tmp_path / "own.sqlite3")
        assert backup_file(read_only, own) == own
        others = backup_file(other, tmp_path / "city.sqlite3")
        with pytest.raises(FileRefused, match="是另一个数据库的备份（本单位：常州市；3 家企业"):
            backup_file(read_only, others)
        assert read_only.read_bytes() == before and _firms_in(others) == 3
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


def test_the_command_refuses_with_status_2(tmp_path, capsys):
    city = _database(tmp_path / "常州市.sqlite3", "武进区", "常州市", 3)
    liyang = _database(tmp_path / "溧阳市.sqlite3", "溧阳市", "溧阳市", 2, first=10)
    backup = tmp_path / "city.sqlite3"
    assert main(["--db", str(city), "backup", str(backup)]) == 0
    capsys.readouterr()
    assert main(["--db", str(liyang), "backup", str(backup)]) == 2
    assert "是另一个数据库的备份（本单位：常州市；3 家企业" in capsys.readouterr().err
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(b"PK\x03\x04 the officer's list")
    assert main(["--db", str(liyang), "backup", str(roster)]) == 2  # as before: refused
    assert main(["--db", str(liyang), "backup", str(city)]) == 2  # another database
    assert main(["--db", str(city), "backup", str(backup)]) == 0
    assert _firms_in(backup) == 3
