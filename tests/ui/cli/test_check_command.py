"""tiers check finds 复核 records dated to their batch's own year without the file (named
with the year and 有效期至 they should have, and the fix); --fix corrects them in one go,
logged in the firm's 变更记录; a 复核 of its own year, or a new title, is not named."""

import datetime as dt
import json

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
    assert ("甲有限公司 " + make_code(1) + " 武进区：小巨人 第二批 复核，记为 2020 年、有效期至 "
            "2023-12-31 → 应为 2023 年、有效期至 2026-12-31") in out
    assert "tiers check --fix" in out and "乙有限公司" not in out
    assert main([*db, "check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["misdated_reviews"]
    assert [(d["recognition_id"], d["corrected_year"], d["fixed"]) for d in data] == [
        (ids[0], 2023, False)]
    assert main([*db, "check", "--fix", "--user", "张三"]) == 0
    assert "已更正 1 条。" in capsys.readouterr().out
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
