"""The server's connection lost during a command's write (the server restarted mid-import):
the command says what became of the write, as the desktop's import windows do. It said
only "与数据库服务器的连接中断了……请稍后重试", and the officer could not tell whether the
import was in (a restart campaign, /work/tools/s23/break23/pg_restarts.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import importers
from tests.server_helpers import admin
from tiers.storage.database import open_database
from ui.cli.main import main

pytestmark = pytest.mark.server_only


def _roster(path, code):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码", "所属区县"])
    for serial in range(1, 4):
        sheet.append([f"常州断线测试{serial}号有限公司", code(serial), "武进区"])
    book.save(path)
    return path


def _drop(db_target, session) -> None:
    """The server ends this session's backend, as a restart does."""
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin(db_target) as connection:
        connection.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _written(db_target) -> tuple[int, int]:
    database = open_database(db_target)
    try:
        with database.session() as session:
            return (session.execute(text("SELECT count(*) FROM enterprise")).scalar(),
                    session.execute(text("SELECT count(*) FROM import_batch")).scalar())
    finally:
        database.dispose()


def test_lost_before_the_commit_says_nothing_was_written(db_target, tmp_path, code,
                                                         monkeypatch, capsys):
    original = importers.apply_plan

    def restarted(session, plan, **options):
        _drop(db_target, session)
        return original(session, plan, **options)

    monkeypatch.setattr(importers, "apply_plan", restarted)
    assert main(["--db", db_target, "import", str(_roster(tmp_path / "名录.xlsx", code))]) == 1
    said = capsys.readouterr().err.strip()
    assert said.startswith("错误：与数据库服务器的连接中断了（服务器重启或网络断开）")
    assert "尚未提交，服务器已全部撤回，数据库未改动；服务器恢复后重新运行即可" in said
    assert "请稍后重试" not in said and said.count("\n") == 0
    assert _written(db_target) == (0, 0)


def test_lost_at_the_commit_says_it_may_be_written(db_target, tmp_path, code, monkeypatch,
                                                   capsys):
    original = importers.apply_plan

    def restarted(session, plan, **options):
        result = yield from original(session, plan, **options)
        _drop(db_target, session)  # the work is done: the commit is what breaks
        return result

    monkeypatch.setattr(importers, "apply_plan", restarted)
    assert main(["--db", db_target, "import", str(_roster(tmp_path / "名录.xlsx", code))]) == 1
    said = capsys.readouterr().err.strip()
    assert "连接在提交时中断，无法确定这条命令的修改是否已写入" in said
    assert "tiers imports" in said and "数据库未改动" not in said
