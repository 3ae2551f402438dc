"""tiers bulk: the preview per firm, the write under one batch, its undo with undo-import."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tiers.model.orm import CultivationEntry
from tiers.services import cultivation, enterprises
from ui.cli.main import main


def _entries(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(CultivationEntry))


def test_bulk_cultivate_dry_run_apply_and_undo(database, db_target, tmp_path, capsys):
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": make_code(i), "county": "武进区",
                                            "name": f"常州命令{i}有限公司"}).id for i in (1, 2)]
        cultivation.add(session, ids[0], {"target_tier": "小巨人", "target_year": 2027})
    codes = tmp_path / "代码.txt"
    codes.write_text(f"{make_code(1)}\n{make_code(2)}\n", encoding="utf-8")
    db = ["--db", str(db_target)]
    argv = [*db, "bulk", "cultivate", "--codes", str(codes), "--tier", "小巨人", "--year", "2027",
            "--officer", "王明"]
    assert main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "将为 1 家企业加入培育库；跳过 1 家（原因见列表）。" in out
    assert "常州命令1有限公司（" in out and "跳过：已在培育库中" in out
    assert _entries(database) == 1
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["changed"], data["skipped"], data["dry_run"]) == (1, 1, False)
    assert _entries(database) == 2
    assert main([*db, "undo-import", str(data["batch_id"])]) == 0
    assert _entries(database) == 1


def test_bulk_refuses_unknown_codes_and_bad_input_in_chinese(database, db_target, capsys):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州命令有限公司"})
    db = ["--db", str(db_target)]
    assert main([*db, "bulk", "trash", "--codes", make_code(1), make_code(9)]) != 0
    assert "找不到以下信用代码的企业，未做任何修改" in capsys.readouterr().err
    assert main([*db, "bulk", "chain", "--codes", make_code(1), "--chain", "不存在",
                 "--role", "链主"]) != 0
    err = capsys.readouterr().err
    assert "未知的产业链：不存在" in err and "Traceback" not in err


@pytest.mark.server_only
def test_bulk_says_once_on_stderr_that_it_waits_for_a_colleagues_import(
        database, db_target, capsys, monkeypatch):
    import threading

    from tiers.storage import import_locks
    from tiers.storage.database import open_database

    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州等候命令有限公司"})
    colleague = open_database(db_target)
    held, release = threading.Event(), threading.Event()

    def colleague_imports() -> None:  # into 武进区, until told to stop
        with colleague.session() as other:
            other.scalar(select(func.pg_advisory_xact_lock(import_locks.NAMESPACE, 320412)))
            held.set()
            release.wait(10)

    thread = threading.Thread(target=colleague_imports)
    thread.start()
    try:
        held.wait(10)
        threading.Timer(0.5, release.set).start()
        assert main(["--db", str(db_target), "bulk", "cultivate", "--codes", make_code(1),
                     "--tier", "小巨人", "--year", "2027"]) == 0
    finally:
        release.set()
        thread.join()
        colleague.dispose()
    assert capsys.readouterr().err.count("另一位同事正在向武进区导入，请稍候……") == 1
    assert _entries(database) == 1
