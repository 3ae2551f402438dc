"""A 复核 list imported before the 复核-year rule (“第二批…复核通过名单”, no year) left a 复核
record at the reviewed batch's own year: 第二批, 2020, valid to 2023-12-31 — the title read
as run out. Re-importing the same list now reads 2023; the plan must correct that record
(更正 2020 → 2023, undone like any update), not add a second 复核 beside it. A 复核 in the
same year as the recognition it renews is impossible, which is how the artefact is told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.plan.preview import content_lines
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.services import enterprises, recognitions

HEADER = ["序号", "企业名称", "统一社会信用代码"]
TITLE = "附件2：第二批专精特新“小巨人”企业复核通过名单"
NAME = "江苏溧阳华锐新材料股份有限公司"


def _list(tmp_path):
    return write_xlsx(tmp_path / "复核.xlsx", {"复核通过": [
        [TITLE], HEADER, [1, NAME, make_code(1)]]})


def _firm_with_misdated_review(database, *, with_title=False):
    """The firm as an import before the rule left it: its 复核 of 第二批 recorded at 2020."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": NAME}).id
        misdated = recognitions.add(session, firm, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批"})
        if with_title:  # the 第二批 title itself, of the same batch and year, entered later
            recognitions.add(session, firm, {"tier_code": "little_giant",
                                             "batch_label": "第二批", "batch_year": 2020})
        return firm, misdated.id


def _titles(database, firm):
    with database.session() as session:
        return [(r.is_review, r.batch_year, r.valid_until) for r in session.scalars(
            select(Recognition).where(Recognition.enterprise_id == firm)
            .order_by(Recognition.id))]


def test_the_core_tells_a_review_recorded_at_its_batchs_own_year():
    def misdated(*args, **kwargs):
        return ladder.misdated_review_year(*args, recognized_on=None, **kwargs)

    assert misdated("little_giant", is_review=True, batch_label="第二批", batch_year=2020,
                    review_of_batch="第二批") == 2023
    assert misdated("little_giant", is_review=True, batch_label="第二批", batch_year=2020,
                    review_of_batch="") == 2023
    # a yearly tier's 复核 of 2019年度 recorded in 2019
    assert misdated("zjtx", is_review=True, batch_label="2019年度",
                    batch_year=2019, review_of_batch="2019年度") == 2022
    # the right year, a new title, a 复核 of another batch given in its own year: not
    assert misdated("little_giant", is_review=True, batch_label="第二批", batch_year=2023,
                    review_of_batch="第二批") is None
    assert misdated("little_giant", is_review=False, batch_label="第二批", batch_year=2020,
                    review_of_batch="") is None
    assert misdated("little_giant", is_review=True, batch_label="第五批", batch_year=2023,
                    review_of_batch="第二批") is None
    assert misdated("zjtx", is_review=True, batch_label="2025年度",
                    batch_year=2025, review_of_batch="2022年度") is None
    # a yearly tier's 复核 without 复核批次: its label is the round's own year (2025年度
    # 复核通过名单), not the reviewed batch — right as recorded (review26 #1)
    assert misdated("zjtx", is_review=True, batch_label="2025年度",
                    batch_year=2025, review_of_batch="") is None
    assert misdated("zjtx", is_review=True, batch_label="2025年度",
                    batch_year=2025, review_of_batch=None) is None
    # one with a 认定日期 is not: the date says when it was recognised (review27b #6)
    assert ladder.misdated_review_year(
        "little_giant", is_review=True, batch_label="第二批", batch_year=2020,
        review_of_batch="第二批", recognized_on=dt.date(2020, 11, 3)) is None


def test_reimporting_the_list_corrects_the_misdated_review(database, tmp_path):
    firm, misdated = _firm_with_misdated_review(database)
    path = _list(tmp_path)
    plan = plan_file(database, path)
    row = by_row(plan)[3]
    assert row.action == "update"
    [record] = row.records
    assert (record.action, record.record_id, record.correction) == ("update", misdated, True)
    assert record.values["batch_year"] == 2023
    assert record.values["valid_until"] == dt.date(2026, 12, 31)
    lines = content_lines(row)
    assert any(line.startswith("更正 小巨人 第二批（复核）") and "2020 → 2023" in line
               and "2023-12-31 → 2026-12-31" in line for line in lines), lines
    said = [p.message for p in plan.all_problems() if "更正 1 条复核记录" in p.message]
    assert len(said) == 1 and "2020 → 2023" in said[0], plan.all_problems()
    _, batch = import_file(database, path)
    assert _titles(database, firm) == [(True, 2023, dt.date(2026, 12, 31))]
    undo(database, batch)  # undone like any update: the record as it was
    assert _titles(database, firm) == [(True, 2020, dt.date(2023, 12, 31))]


def test_the_batchs_own_title_is_kept_and_only_the_review_corrected(database, tmp_path):
    """The 第二批 title and the misdated 复核 share tier, batch and year: the 复核 is the one
    corrected, the title left as it is, and no third record added."""
    firm, _ = _firm_with_misdated_review(database, with_title=True)
    import_file(database, _list(tmp_path))
    assert _titles(database, firm) == [(True, 2023, dt.date(2026, 12, 31)),
                                       (False, 2020, dt.date(2023, 12, 31))]


def test_a_review_already_right_is_left_alone(database, tmp_path):
    path = _list(tmp_path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": NAME}).id
    import_file(database, path)
    plan = plan_file(database, path)
    assert by_row(plan)[3].action == "unchanged"
    assert not [p for p in plan.all_problems() if "更正" in p.message]
    assert _titles(database, firm) == [(True, 2023, dt.date(2026, 12, 31))]


def test_a_dated_review_is_not_corrected_by_the_import(database, tmp_path):
    """A 复核 of 第二批 recorded at 2020 with a 认定日期 is the officer's, not the artefact:
    数据核查 and the firm window leave it alone, and so does the import (review27b #6: its
    plan "corrected" it to 2023, the only caller of the rule without the 认定日期 clause)."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": NAME}).id
        dated = recognitions.add(session, firm, {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批",
            "recognized_on": dt.date(2020, 11, 3)}).id
    path = _list(tmp_path)
    plan = plan_file(database, path)
    row = by_row(plan)[3]
    assert all(record.record_id != dated for record in row.records), row.records
    assert not [p for p in plan.all_problems() if "更正" in p.message], plan.all_problems()
    import_file(database, path)
    with database.session() as session:
        kept = session.get(Recognition, dated)
        assert (kept.batch_year, kept.recognized_on) == (2020, dt.date(2020, 11, 3))


def test_the_core_tells_a_review_listed_under_its_rounds_batch():
    """复核批次 blank, the label a numbered batch of the recorded year: the batch reviewed
    only when no round of that year renewed anything (第二批 小巨人 2020: the first batch is
    2019), or when the firm holds that batch's own title of that year; else it is the round's
    batch the 复核 is listed under (第八批（2026年） 复核 of a 第五批 title), right."""
    def misdated(label, year, **kwargs):
        return ladder.misdated_review_year("little_giant", is_review=True, batch_label=label,
                                           batch_year=year, review_of_batch="",
                                           recognized_on=None, **kwargs)

    assert misdated("第八批", 2026) is None
    assert misdated("第五批", 2023) is None
    assert misdated("第八批", 2026, batch_title_held=True) == 2029
    assert misdated("第五批", 2023, batch_title_held=True) == 2026
    assert misdated("第二批", 2020) == 2023 and misdated("第三批", 2021) == 2024
    # 单项冠军's 2023 round renewed 第二批 (2017) a second time and 第五批 (2020): 第四批
    # (2019) could be the 2019 round's, 第二批 (2017) cannot
    assert ladder.misdated_review_year("single_champion", is_review=True,
                                       batch_label="第二批", batch_year=2017,
                                       review_of_batch="", recognized_on=None) == 2020
    assert ladder.misdated_review_year("single_champion", is_review=True,
                                       batch_label="第四批", batch_year=2019,
                                       review_of_batch=None, recognized_on=None) is None


def _round_list(tmp_path):
    """A county's 汇总 of 复核 passes as Tiers's roster prints them: under the batch of the
    round (第八批 2026 for a 2026 复核 of a 第五批 title), no 复核批次."""
    return write_xlsx(tmp_path / "复核汇总.xlsx", {"Sheet1": [
        ["专精特新“小巨人”企业名单"], ["企业名称", "统一社会信用代码", "认定批次", "认定年度", "是否复核"],
        [NAME, make_code(1), "第八批", 2026, "是"]]})


def test_a_review_listed_under_its_rounds_batch_read_into_a_fresh_database_is_right(
        database, tmp_path):
    """Read into a fresh database (no title of the firm to tell by), the 复核 is recorded as
    the list says, 第八批 2026 with 复核批次 blank, and 数据核查 / tiers check must not take
    it for one recorded at its reviewed batch's year (it was “应为 2029 年”)."""
    from tiers.queries.misdated_reviews import misdated_reviews

    import_file(database, _round_list(tmp_path))
    with database.session() as session:
        [record] = session.scalars(select(Recognition))
        assert (record.batch_label, record.batch_year, record.is_review,
                record.review_of_batch or "") == ("第八批", 2026, True, "")
        assert misdated_reviews(session) == []


def test_the_roster_read_into_a_fresh_database_names_no_misdated_review(
        database, new_target, tmp_path):
    """Tiers's own roster (its 复核 passes under their round's batch, 复核批次 not printed),
    read into a fresh database: nothing is misdated there, as nothing was where it came
    from (11 of 300 demo firms were named, 第八批 2026 → 应为 2029)."""
    from tests.importers.test_own_reports import _demo, _export
    from tiers.queries.misdated_reviews import misdated_reviews
    from tiers.storage.database import open_database

    _demo(database)
    with database.session() as session:
        assert misdated_reviews(session) == []
    path = _export(database, "roster", tmp_path / "roster.xlsx")
    fresh = open_database(new_target("fresh.sqlite3"))
    try:
        import_file(fresh, path)
        with fresh.session() as session:
            blank = session.scalars(select(Recognition).where(
                Recognition.is_review.is_(True), Recognition.tier_code == "little_giant")).all()
            assert any(not r.review_of_batch for r in blank)  # the case this is about
            assert misdated_reviews(session) == []
    finally:
        fresh.dispose()


def test_a_misdated_review_without_its_reviewed_batch_is_still_found_by_the_firms_title(
        database, tmp_path):
    """第五批 2023, 复核批次 blank: the firm holds the 第五批 2023 title itself, so the 复核
    cannot be of that year — found, corrected by tiers check --fix and by the 复核 list."""
    from tiers.queries.misdated_reviews import misdated_reviews

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": NAME}).id
        recognitions.add(session, firm, {"tier_code": "little_giant", "batch_label": "第五批",
                                         "batch_year": 2023})
        misdated = recognitions.add(session, firm, {
            "tier_code": "little_giant", "batch_label": "第五批", "batch_year": 2023,
            "is_review": True}).id
        other = enterprises.create(session, {"credit_code": make_code(2), "name": "乙有限公司"}).id
        listed = recognitions.add(session, other, {  # the round's batch: right
            "tier_code": "little_giant", "batch_label": "第五批", "batch_year": 2023,
            "is_review": True}).id
        assert [(f.recognition_id, f.corrected_year) for f in misdated_reviews(session)] == [
            (misdated, 2026)]
        import pytest

        from tiers.services.errors import NotFound
        with pytest.raises(NotFound):
            recognitions.correct_misdated_review(session, listed)
    path = write_xlsx(tmp_path / "复核.xlsx", {"复核通过": [
        ["第五批专精特新“小巨人”企业复核通过名单"], HEADER, [1, NAME, make_code(1)]]})
    plan = plan_file(database, path)
    [record] = by_row(plan)[3].records
    assert (record.action, record.record_id, record.correction) == ("update", misdated, True)
