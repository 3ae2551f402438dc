"""tiers check finds 复核 records dated to their batch's own year without the file (named
with the year and 有效期至 they should have, and the fix); --fix corrects them in one go,
logged in the firm's 变更记录; a 复核 of its own year, or a new title, is not named."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import Change, Recognition
from tiers.services import enterprises, recognitions
from ui.cli.main import main


def _records(database):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "甲有限公司",
                                            "county": "武进区"})
        other = enterprises.create(session, {"credit_code": make_code(2), "name": "乙有限公司"})
        misdated = recognitions.add(session, firm.id, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批"}).id
        title = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                    "batch_label": "第二批", "batch_year": 2020}).id
        right = recognitions.add(session, other.id, {"tier_code": "little_giant",
                                                     "batch_label": "第二批", "is_review": True}).id
        return misdated, title, right


def _state(database, ids):
    with database.session() as session:
        return [session.execute(select(Recognition.batch_year, Recognition.valid_until)
                                .where(Recognition.id == i)).one() for i in ids]


def test_check_names_them_and_fix_corrects_them(database, db_target, capsys):
    ids = _records(database)
    db = ["--db", str(db_target)]
    assert main([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert "复核记录年度疑似记错 1 条" in out
    assert ("甲有限公司 " + make_code(1) + " 武进区：小巨人 第二批（复核），记为 2020 年、有效期至 "
            "2023-12-31 → 应为 2023 年、有效期至 2026-12-31") in out
    assert "tiers check --fix" in out and "乙有限公司" not in out
    assert main([*db, "check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["misdated_reviews"]
    assert [(d["recognition_id"], d["corrected_year"], d["fixed"]) for d in data] == [
        (ids[0], 2023, False)]
    assert main([*db, "check", "--fix", "--user", "张三"]) == 0
    assert "已更正 1 条（批次 " in capsys.readouterr().out
    assert _state(database, ids) == [(2023, dt.date(2026, 12, 31)),
                                     (2020, dt.date(2023, 12, 31)),
                                     (2023, dt.date(2026, 12, 31))]
    with database.session() as session:
        logged = session.execute(select(Change.field, Change.user).where(
            Change.entity == "recognition", Change.entity_id == ids[0],
            Change.action == "update")).all()
    assert ("batch_year", "张三") in logged and ("valid_until", "张三") in logged
    assert main([*db, "check"]) == 0
    assert "未发现疑似记错的记录" in capsys.readouterr().out


def test_a_date_given_otherwise_stays(database):
    from tiers.queries.misdated_reviews import misdated_reviews

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(3), "name": "丙有限公司"})
        given = recognitions.add(session, firm.id, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "valid_until": "2026-06-30"}).id
        [found] = misdated_reviews(session)
        assert (found.corrected_year, found.corrected_until) == (2023, dt.date(2026, 6, 30))
        recognitions.correct_misdated_review(session, given)
        record = session.get(Recognition, given)
        assert (record.batch_year, record.valid_until) == (2023, dt.date(2026, 6, 30))
        assert misdated_reviews(session) == []


def test_a_yearly_tiers_review_without_its_reviewed_batch_is_right(database, db_target,
                                                                    capsys):
    """专精特新 names its 复核 pass by the round's own year (2022年度…复核通过企业名单): a 复核
    stored 2022年度, 2022, with 复核批次 blank (every list import before it was read, and a
    复核 typed by hand) is right; check names nothing and --fix changes nothing (review26 #1:
    it was “corrected” to 2025)."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(4), "name": "丁有限公司"})
        right = recognitions.add(session, firm.id, {
            "tier_code": "zjtx", "batch_label": "2022年度", "batch_year": 2022,
            "is_review": True}).id
        until = session.get(Recognition, right).valid_until
    db = ["--db", str(db_target)]
    assert main([*db, "check"]) == 0
    assert "未发现疑似记错的记录" in capsys.readouterr().out
    assert main([*db, "check", "--fix"]) == 0
    assert "已更正" not in capsys.readouterr().out
    assert _state(database, [right]) == [(2022, until)]


def test_fix_is_one_batch_that_undo_puts_back(database, db_target, capsys):
    """--fix is the core's one call (services.review_check): one batch of 导入记录, named
    with its undo; undoing it puts the records back as they were (review26 #6)."""
    from tests.importers.helpers import undo
    from tiers.model.orm import ImportBatch
    from tiers.services.review_check import BATCH_NAME

    ids = _records(database)
    db = ["--db", str(db_target)]
    assert main([*db, "check", "--fix", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    batch = data["batch_id"]
    assert batch is not None
    assert [(d["fixed"], d["not_fixed_because"]) for d in data["misdated_reviews"]] == [
        (True, "")]
    with database.session() as session:
        row = session.get(ImportBatch, batch)
        assert (row.kind, row.file_name) == ("bulk", BATCH_NAME)
        assert set(session.scalars(select(Change.import_batch_id).where(
            Change.entity == "recognition", Change.entity_id == ids[0],
            Change.action == "update"))) == {batch}
    assert _state(database, ids[:1]) == [(2023, dt.date(2026, 12, 31))]
    undo(database, batch)
    assert _state(database, ids[:1]) == [(2020, dt.date(2023, 12, 31))]


def test_fix_skips_other_counties_and_names_what_it_refused(database, monkeypatch):
    """The core decides by the login's write rights (an editor of 武进区: 乙's record is
    skipped, said why), and a record it refuses is left as it was, named, while the others
    are still corrected in the same batch."""
    from tiers.services import review_check
    from tiers.storage.write_rights import WriteRights

    with database.session() as session:
        firms = [enterprises.create(session, {"credit_code": make_code(10 + n),
                                              "name": f"{name}有限公司", "county": county}).id
                 for n, (name, county) in enumerate([("甲", "武进区"), ("乙", "溧阳市"),
                                                      ("丙", "武进区")])]
        ids = [recognitions.add(session, firm, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批"}).id for firm in firms]
    editor = WriteRights(counties=frozenset({"320412"}), role="editor",
                         county_names=("武进区",))
    monkeypatch.setattr(review_check, "write_rights", lambda session: editor)
    real = recognitions.correct_misdated_review

    def refusing(session, recognition_id, **kwargs):
        changed = real(session, recognition_id, **kwargs)
        if recognition_id == ids[2]:  # refused after writing: its savepoint undoes it
            raise review_check.Conflict("这条认定已被其他用户修改")
        return changed

    monkeypatch.setattr(review_check.recognitions, "correct_misdated_review", refusing)
    with database.session() as session:
        result = review_check.correct_misdated_reviews(session, user="张三")
    assert [f.recognition_id for f in result.fixed] == [ids[0]]
    assert [(f.recognition_id, "溧阳市" in why and "武进区" in why)
            for f, why in result.skipped] == [(ids[1], True)]
    assert [(f.recognition_id, why) for f, why in result.refused] == [
        (ids[2], "这条认定已被其他用户修改")]
    assert _state(database, ids) == [(2023, dt.date(2026, 12, 31)),
                                     (2020, dt.date(2023, 12, 31)),
                                     (2020, dt.date(2023, 12, 31))]
    with database.session() as session:
        assert set(session.scalars(select(Change.entity_id).where(
            Change.import_batch_id == result.batch_id))) == {ids[0]}


@pytest.mark.server_only
def test_a_record_misdated_after_the_locks_were_taken_is_left_and_named(database, db_target,
                                                                       monkeypatch):
    """Two writers on a server: the locks are taken for the firms of the first read; a
    record a colleague's session commits in between (another county, whose lock was not
    taken) was then corrected from the second read without its county's lock (review27
    #10). Now it is left as it was and named; the others are corrected."""
    from tiers.services import review_check
    from tiers.storage.database import open_database

    with database.session() as session:
        first = enterprises.create(session, {"credit_code": make_code(20), "name": "甲有限公司",
                                             "county": "武进区"}).id
        second = enterprises.create(session, {"credit_code": make_code(21), "name": "乙有限公司",
                                              "county": "溧阳市"}).id
        misdated = recognitions.add(session, first, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批"}).id
    real = review_check.hold_firms
    added: list[int] = []
    held: list[list[int]] = []

    def meanwhile(session, enterprise_ids):
        held.append(list(enterprise_ids))
        yield from real(session, enterprise_ids)
        colleague = open_database(db_target)  # another client of the same server
        try:
            with colleague.session() as other:
                added.append(recognitions.add(other, second, {
                    "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
                    "is_review": True, "review_of_batch": "第二批"}).id)
        finally:
            colleague.dispose()

    monkeypatch.setattr(review_check, "hold_firms", meanwhile)
    with database.session() as session:
        result = review_check.correct_misdated_reviews(session, user="张三")
    assert held == [[first]]
    assert sorted(f.recognition_id for f in result.found) == sorted([misdated, *added])
    assert [f.recognition_id for f in result.fixed] == [misdated]
    assert [(f.recognition_id, why) for f, why in result.refused] == [
        (added[0], review_check.NOT_HELD)]
    assert _state(database, [misdated, *added]) == [(2023, dt.date(2026, 12, 31)),
                                                    (2020, dt.date(2023, 12, 31))]


@pytest.mark.server_only
def test_fix_says_on_stderr_that_it_waits_for_a_colleagues_import(database, db_target,
                                                                   capsys, monkeypatch):
    """check --fix waited silently while a colleague's import held the county (review27
    #9): it says so once, as tiers bulk does, then corrects."""
    import threading

    from sqlalchemy import func

    from tiers.storage import import_locks
    from tiers.storage.database import open_database

    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    ids = _records(database)
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
        assert main(["--db", str(db_target), "check", "--fix"]) == 0
    finally:
        release.set()
        thread.join()
        colleague.dispose()
    assert capsys.readouterr().err.count(
        "另一位同事正在修改武进区的数据（导入、批量操作或撤销），请稍候……") == 1
    assert _state(database, ids[:1]) == [(2023, dt.date(2026, 12, 31))]


def test_one_record_is_corrected_alone_in_its_own_undoable_batch(database):
    """The firm window's 更正复核年度: the core's same call for one record (recognition_ids),
    the other misdated ones left for tiers check --fix; one that is right already is not
    found and nothing is written."""
    from tests.importers.helpers import undo
    from tiers.services.review_check import correct_misdated_reviews

    ids = _records(database)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(5), "name": "戊有限公司"})
        second = recognitions.add(session, firm.id, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True}).id
    with database.session() as session:
        result = correct_misdated_reviews(session, user="张三", recognition_ids=[ids[0]])
    assert [f.recognition_id for f in result.fixed] == [ids[0]] and result.batch_id
    assert _state(database, [ids[0], second]) == [(2023, dt.date(2026, 12, 31)),
                                                  (2020, dt.date(2023, 12, 31))]
    with database.session() as session:  # right now: nothing found, no batch
        again = correct_misdated_reviews(session, recognition_ids=[ids[0], ids[1]])
    assert (again.found, again.fixed, again.batch_id) == ([], [], None)
    undo(database, result.batch_id)
    assert _state(database, [ids[0], second]) == [(2020, dt.date(2023, 12, 31))] * 2


def test_fix_says_on_stderr_what_the_login_may_not_change_and_fails_when_nothing_is_his(
        database, db_target, capsys, monkeypatch):
    """As tiers bulk (tester27 #1): a firm of another county or without a county his login
    may not change is named with why and who may, said on stderr too; none his: status 2."""
    from tiers.services import review_check
    from tiers.storage.write_rights import NO_COUNTY_WHO, WriteRights

    with database.session() as session:
        firms = [enterprises.create(session, {"credit_code": code, "name": name, "county": county}).id
                 for code, name, county in [(make_code(21, "320481"), "溧阳甲有限公司", "溧阳市"),
                                            (make_code(22, "320400"), "高新乙有限公司", "常州国家高新区")]]
        for firm in firms:
            recognitions.add(session, firm, {"tier_code": "little_giant", "batch_label": "第二批",
                                             "batch_year": 2020, "is_review": True,
                                             "review_of_batch": "第二批"})
    editor = WriteRights(counties=frozenset({"320412"}), role="editor", county_names=("武进区",))
    monkeypatch.setattr(review_check, "write_rights", lambda session: editor)
    db = ["--db", str(db_target)]
    assert main([*db, "check", "--fix"]) == 2
    said = capsys.readouterr()
    assert "您的账号不能修改（别的区县或未填区县的企业），未修改 2 条" in said.out
    assert "高新乙有限公司" in said.out and NO_COUNTY_WHO in said.out
    assert "这 2 条都是您的账号不能修改的企业的（原因见上），没有更正任何记录" in said.err
    granted = WriteRights(counties=frozenset({"320412", ""}), role="editor",
                          county_names=("武进区", "未填区县的企业"))
    monkeypatch.setattr(review_check, "write_rights", lambda session: granted)
    assert main([*db, "check", "--fix"]) == 0
    said = capsys.readouterr()
    assert "已更正 1 条" in said.out
    assert "注意：跳过您的账号不能修改的企业的 1 条，其余照常（原因见上）" in said.err


def test_show_says_which_record_is_the_review(database, db_target, capsys):
    """tester27b #8: tiers show listed the 复核 as “第二批” like the title it renews; after
    --fix it read as a 2023 title of 第二批. Its batch says 复核, as the firm window's does."""
    _records(database)
    db = ["--db", str(db_target)]
    assert main([*db, "check", "--fix"]) == 0
    capsys.readouterr()
    assert main([*db, "show", make_code(1)]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = lines[lines.index("梯度认定：") + 1:lines.index("扶持措施：")]
    assert [line.split()[2] for line in listed] == ["第二批（复核）", "第二批"], listed
    assert "2026-12-31" in listed[0] and "2023-12-31" in listed[1]


def test_a_review_listed_under_its_rounds_batch_imported_into_a_fresh_database(
        db_target, tmp_path, capsys):
    """A county's 汇总 of 复核 passes (第八批 2026, 是否复核 是, no 复核批次) imported into a
    fresh database: tiers check names nothing (it said 应为 2029 年) and --fix changes
    nothing."""
    from tests.importers.helpers import write_xlsx

    path = write_xlsx(tmp_path / "复核汇总.xlsx", {"Sheet1": [
        ["专精特新“小巨人”企业名单"], ["企业名称", "统一社会信用代码", "认定批次", "认定年度", "是否复核"],
        ["甲有限公司", make_code(1), "第八批", 2026, "是"]]})
    db = ["--db", str(db_target)]
    assert main([*db, "import", str(path)]) == 0
    capsys.readouterr()
    assert main([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert "未发现疑似记错的记录" in out and "应为 2029" not in out
    assert main([*db, "check", "--fix"]) == 0
    assert "已更正" not in capsys.readouterr().out


def test_check_lists_firms_whose_stored_code_is_no_longer_valid_with_the_fix(
        database, db_target, capsys):
    """A code stored before the stricter check (credit29: 95…) is listed with why and the
    fix, beside the misdated 复核 records; --fix corrects those and says the codes are
    left for the officer (a code cannot be guessed); --json keeps its keys and adds the
    codes and one list of findings."""
    from tests.tiers.test_data_check_findings import BAD, FIX, firms_with_a_bad_code

    bad, good = firms_with_a_bad_code(database)
    db = ["--db", str(db_target)]
    assert main([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert "复核记录年度疑似记错 1 条" in out and "统一社会信用代码不合规 1 条" in out
    [line] = [line for line in out.splitlines() if BAD in line]
    assert "坏码有限公司" in line and "武进区" in line and "第2位" in line, line
    assert FIX in out and "tiers check --fix" in out
    assert main([*db, "check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"misdated_reviews", "batch_id"} <= set(data)
    assert [d["name"] for d in data["misdated_reviews"]] == ["好码有限公司"]
    [code] = data["invalid_credit_codes"]
    assert (code["enterprise_id"], code["credit_code"], code["county"], code["fix"]) == (
        bad, BAD, "武进区", FIX) and "第2位" in code["reason"]
    assert [(f["kind"], f["enterprise_id"], f["fixable"], f["fixed"])
            for f in data["findings"]] == [("misdated_review", good, True, False),
                                           ("invalid_credit_code", bad, False, False)]
    assert all(f["description"] and f["fix"] for f in data["findings"])
    assert main([*db, "check", "--fix"]) == 0
    out = capsys.readouterr().out
    assert "已更正 1 条" in out and BAD in out and "不能自动更正" in out and FIX in out
    assert main([*db, "check"]) == 0
    out = capsys.readouterr().out
    assert "复核记录年度" not in out and "统一社会信用代码不合规 1 条" in out
    assert "未发现" not in out


def test_package_export_refuses_a_firm_whose_code_the_city_would_refuse(
        database, db_target, tmp_path, capsys):
    from tests.tiers.test_data_check_findings import BAD, FIX, firms_with_a_bad_code

    firms_with_a_bad_code(database)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "武进区.zip"
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--county", "320412", "--unit", "常州市武进区工业和信息化局"]) == 1
    err = capsys.readouterr().err
    assert "无法导出数据包" in err and "坏码有限公司" in err and BAD in err and FIX in err
    assert not list((tmp_path / "out").iterdir())


def test_fix_reads_the_findings_outside_its_write_transaction(database, db_target, capsys,
                                                               monkeypatch):
    """--fix reads every firm's code (the findings) in its own session, after the
    correction is committed: on a server the write transaction does not keep a colleague's
    import waiting while the codes are read, and a failing read does not throw the
    correction away."""
    from tiers.errors import TiersError
    from tiers.queries import data_check

    ids = _records(database)
    seen = []

    def failing(session):
        seen.append(_state(database, ids[:1]))  # another session: only what is committed
        raise TiersError("读数据库失败")

    monkeypatch.setattr(data_check.invalid_codes, "invalid_credit_codes", failing)
    assert main(["--db", str(db_target), "check", "--fix"]) != 0
    assert "读数据库失败" in capsys.readouterr().err
    assert seen == [[(2023, dt.date(2026, 12, 31))]]  # already committed when read
    assert _state(database, ids[:1]) == [(2023, dt.date(2026, 12, 31))]  # and kept
