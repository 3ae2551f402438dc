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
    # a lock taken by hand says nothing of what it is for: not called an import
    assert capsys.readouterr().err.count(
        "另一位同事正在修改武进区的数据（导入、批量操作或撤销），请稍候……") == 1
    assert _entries(database) == 1


@pytest.mark.server_only
def test_a_colleague_who_adds_the_firm_first_is_named_and_the_loser_is_not_told_ok(
        database, db_target, capsys, monkeypatch):
    """Two officers add one firm to 培育库 at once (tester22, 09_cultivate_race.sh): the
    one who waits is told that a colleague's 批量操作 (not an import) holds 武进区, and
    after it, that the firm was added by the colleague meanwhile; nothing written: exit 2
    (it was told 将为 1 家企业加入培育库… then 没有需要修改的企业, exit 0)."""
    import threading

    from tiers.services import bulk
    from tiers.storage import import_locks
    from tiers.storage.database import open_database

    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    with database.session() as session:
        firm_id = enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                               "name": "常州抢先有限公司"}).id
    colleague = open_database(db_target)
    held, release = threading.Event(), threading.Event()

    def colleague_adds() -> None:
        with colleague.session() as other:
            bulk.apply(other, "cultivate", [firm_id], {"target_tier": "小巨人",
                                                       "target_year": 2027}, user="wujin02")
            held.set()
            release.wait(10)

    thread = threading.Thread(target=colleague_adds)
    thread.start()
    try:
        held.wait(10)
        threading.Timer(0.5, release.set).start()
        status = main(["--db", str(db_target), "bulk", "cultivate", "--codes", make_code(1),
                       "--tier", "小巨人", "--year", "2027"])
    finally:
        release.set()
        thread.join()
        colleague.dispose()
    out, err = capsys.readouterr()
    assert status == 2
    assert "将为 1 家企业加入培育库" in out  # the preview, before the colleague committed
    assert "正在对武进区批量操作，请稍候" in err and "导入" not in err
    assert ("加入培育库：没有修改任何企业。预览之后已由其他用户修改、这次未改的企业："
            "常州抢先有限公司：已在培育库中（专精特新“小巨人”企业 2027年）（wujin02 刚刚修改）") in out
    assert _entries(database) == 1


def test_a_bulk_action_a_colleague_did_first_says_why_on_stderr(database, db_target, capsys,
                                                                 monkeypatch):
    """Between the preview and the write a colleague restored the same firms: nothing is
    written and the exit status is 2. The reason was printed on stdout only, stderr empty,
    so a script (and the break campaign, restore beside restore) logged a failure without
    a word (#26); it is said on stderr as every other refusal."""
    from tiers.services import bulk

    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": make_code(i), "county": "武进区",
                                            "name": f"常州恢复{i}有限公司"}).id for i in (1, 2)]
        for enterprise_id in ids:
            enterprises.soft_delete(session, enterprise_id)
    preview = bulk.preview

    def colleague_restores_after_the_preview(session, name, enterprise_ids, values):
        draft = preview(session, name, enterprise_ids, values)
        with database.session() as other:  # the colleague's own session, committed
            for enterprise_id in ids:
                enterprises.restore(other, enterprise_id, user="李四")
        return draft

    monkeypatch.setattr(bulk, "preview", colleague_restores_after_the_preview)
    argv = ["--db", str(db_target), "bulk", "restore", "--codes", make_code(1), make_code(2)]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "没有修改任何企业" in out
    assert err.startswith("错误：") and "其他用户" in err and "Traceback" not in err
