"""``tiers restore FILE`` for a local database: the copy made by ``tiers backup`` comes back
after the database's name is typed (or --yes); what was there is kept in backups/."""

from __future__ import annotations

import pytest

from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli.main import main

pytestmark = pytest.mark.sqlite_only  # a file's copy; the server's is tests/ui/cli/server


def _notes(path) -> str:
    database = open_database(path)
    try:
        with database.session() as session:
            return session.query(Enterprise).one().notes
    finally:
        database.dispose()


def _set_notes(path, text: str) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            enterprises.update(session, session.query(Enterprise).one().id, {"notes": text})
    finally:
        database.dispose()


def test_restore_a_local_backup_after_confirmation(tmp_path, capsys, monkeypatch, code):
    path = tmp_path / "tiers.sqlite3"
    database = open_database(path)
    with database.session() as session:
        enterprises.create(session, {"credit_code": code(1), "name": "常州恢复测试有限公司",
                                     "county": "武进区", "notes": "备份时"})
    database.dispose()
    assert main(["--db", str(path), "backup", str(tmp_path / "copy.sqlite3")]) == 0
    _set_notes(path, "备份之后")
    capsys.readouterr()

    monkeypatch.setattr("builtins.input", lambda prompt: "something else")
    assert main(["--db", str(path), "restore", str(tmp_path / "copy.sqlite3")]) == 2
    assert "未确认，数据库未作改动" in capsys.readouterr().err
    assert _notes(path) == "备份之后"

    monkeypatch.setattr("builtins.input", lambda prompt: "tiers.sqlite3")
    assert main(["--db", str(path), "restore", str(tmp_path / "copy.sqlite3")]) == 0
    assert "恢复前的数据已备份到" in capsys.readouterr().out
    assert _notes(path) == "备份时"


def test_restore_refuses_what_is_not_a_backup(tmp_path, capsys):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    other = tmp_path / "roster.csv"
    other.write_text("名称\n", encoding="utf-8")
    assert main(["--db", str(path), "restore", str(other), "--yes"]) == 1
    assert "不是 Tiers 数据库备份" in capsys.readouterr().err
