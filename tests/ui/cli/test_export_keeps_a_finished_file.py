"""An export only reads: a server lost after its last read must not turn a finished file
into a failure. ``tiers export`` and ``tiers export collection`` committed their read-only
session at the end, and a server stopped while the workbook was being written made that
commit fail: 错误：与数据库服务器的连接中断了 with exit status 1, the complete file beside it
(the audit of the twenty-third session, a server stopped in the middle of tiers export).
They now read in ``Database.reading()``, which ends with a rollback whose failure loses
nothing. The lost server is simulated here on the session's end; the PostgreSQL run of the
audit stopped a real one."""

from __future__ import annotations

import psycopg
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli.main import main


def _lost(*_args, **_kwargs):
    raise OperationalError("COMMIT", None, psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly"))


@pytest.fixture
def lost_at_the_end(db, monkeypatch):
    """Once the database is made: every session's commit, and its close (the rollback),
    fail as on a server gone."""
    close = Session.close

    def close_then_lost(self):
        close(self)
        _lost()

    monkeypatch.setattr(Session, "commit", _lost)
    monkeypatch.setattr(Session, "close", close_then_lost)


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "库.sqlite3"
    database = open_database(path)
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州恒立液压科技有限公司"})
    database.dispose()
    return str(path)


@pytest.mark.parametrize("argv", [["export", "roster", "{out}", "--quiet"],
                                  ["export", "collection", "{out}", "--year", "2025"]])
def test_a_finished_export_is_kept_when_the_server_goes_after_the_last_read(
        argv, db, tmp_path, capsys, lost_at_the_end):
    target = tmp_path / "名单.xlsx"
    status = main(["--db", db, *[str(target) if a == "{out}" else a for a in argv]])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    assert out.startswith("已导出") and target.exists()
    assert CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()  # whole
