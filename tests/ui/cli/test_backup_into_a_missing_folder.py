"""``tiers backup DIR/NAME`` with DIR mistyped made the whole tree of folders and put the
backup where no one would look; a missing folder is refused now, named, as a missing --db
folder is (数据库所在的文件夹不存在), on a file database and on a server alike."""

from __future__ import annotations

import pytest

from ui.cli.main import main


@pytest.fixture
def db(new_target, capsys):
    target = str(new_target("cli.sqlite3"))
    assert main(["--db", target, "demo", "--enterprises", "5"]) == 0
    capsys.readouterr()
    return target


@pytest.mark.parametrize("given", ["备份/2026/tiers.sqlite3", "备份/2026/"])
def test_a_backup_into_a_missing_folder_is_refused(capsys, db, tmp_path, given):
    status = main(["--db", db, "backup", f"{tmp_path}/{given}"])
    err = capsys.readouterr().err
    assert status == 1
    assert err == f"错误：备份所在的文件夹不存在：{tmp_path / '备份' / '2026'}（请先建好它，或检查路径是否写错）\n"
    assert not (tmp_path / "备份").exists()


@pytest.mark.sqlite_only  # a copy of the file (a server's backup needs pg_dump and init)
def test_a_backup_into_a_folder_that_is_there_is_made(capsys, db, tmp_path):
    (tmp_path / "备份").mkdir()
    assert main(["--db", db, "backup", f"{tmp_path}/备份/"]) == 0
    assert len(list((tmp_path / "备份").iterdir())) == 1
