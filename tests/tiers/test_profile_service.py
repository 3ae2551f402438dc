"""The enterprise window's rules, now in the services: checking the 基本信息 as typed,
saving a whole profile in one transaction, the shared date reader, 培育库 defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from tiers.errors import InvalidInput
from tiers.model.orm import CultivationEntry, Recognition
from tiers.services import candidates, enterprises
from tiers.services.errors import ValidationError
from tiers.services.profile import DELETED, NEW, RecordEdit, check_basic, save_profile
from tiers.text.dates import parse_date


@pytest.mark.parametrize("text", ["2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日",
                                  "20240501", "２０２４－０５－０１", " 2024 - 05 - 01 "])
def test_one_date_reader_for_forms_and_cells(text):
    assert parse_date(text) == dt.date(2024, 5, 1)


def test_a_form_date_that_is_not_one_is_refused():
    assert parse_date("  ") is None
    with pytest.raises(InvalidInput):
        parse_date("五月一日")
    with pytest.raises(InvalidInput, match="不存在"):
        parse_date("2024-02-30")


def test_check_basic_says_what_the_services_would(code):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    errors = check_basic({"credit_code": "", "name": "", "founded_on": tomorrow})
    assert list(errors) == ["credit_code", "name", "founded_on"]
    assert errors["founded_on"] == "成立日期不能晚于今天"
    assert check_basic({"credit_code": code(1), "name": "常州甲有限公司",
                        "founded_on": "2010-5-1"}) == {}
    assert check_basic({"credit_code": code(1), "name": "常州甲有限公司",
                        "founded_on": "昨天"}) == {
        "founded_on": "成立日期：无法识别的日期（可写作 2024-03-08）：昨天"}


def test_save_profile_creates_the_firm_and_its_records_at_once(session, code):
    saved = save_profile(session, None, {"credit_code": code(3), "name": "常州乙有限公司",
                                         "founded_on": "2012-03-04", "town": ""},
                         recognition_edits=[RecordEdit(NEW, values={
                             "tier_code": "innovative", "batch_year": 2024})])
    assert saved.created and "recognitions" in saved.records
    firm = enterprises.get(session, saved.enterprise_id)
    assert firm.founded_on == dt.date(2012, 3, 4)
    assert session.query(Recognition).filter_by(enterprise_id=firm.id).count() == 1


def test_save_profile_refuses_as_a_whole(session, code):
    firm = enterprises.create(session, {"credit_code": code(4), "name": "常州丙有限公司"})
    with pytest.raises(ValidationError):
        save_profile(session, firm.id, {"name": ""},
                     measure_edits=[RecordEdit(DELETED, record_id=None)])


def test_a_candidate_goes_into_next_years_cultivation(session, code):
    firm = enterprises.create(session, {"credit_code": code(5), "name": "常州丁有限公司"})
    today = dt.date(2026, 6, 1)
    entry = candidates.add_candidate(session, firm.id, "zjtx", readiness="符合",
                                     officer="王科长", today=today)
    assert isinstance(entry, CultivationEntry)
    assert (entry.target_year, entry.status, entry.note) == (2027, "培育中", "对标预审：符合")


def test_a_year_of_figures_is_saved_as_the_form_took_it(session, code):
    """The 年度数据 form takes 2024年 and ２０２４ (as the other year fields do); saving ran
    int() on it and failed with Python's English instead of saving 2024."""
    from tiers.model.orm import AnnualFigures

    firm = enterprises.create(session, {"credit_code": code(5), "name": "常州丁有限公司"})
    save_profile(session, firm.id, {}, figures_edits=[
        RecordEdit(NEW, values={"year": "2024年", "revenue": "3200"}),
        RecordEdit(NEW, values={"year": "２０２３", "revenue": "2800"})])
    years = sorted(row.year for row in session.query(AnnualFigures).filter_by(
        enterprise_id=firm.id))
    assert years == [2023, 2024]
    with pytest.raises(ValidationError, match="年度"):
        save_profile(session, firm.id, {}, figures_edits=[
            RecordEdit(NEW, values={"year": "去年", "revenue": "1"})])


def test_a_firm_moved_to_another_county_keeps_no_town_of_the_old_one(session, code):
    """An administrator changed a firm's 县区 to 新北区 and its 武进区 town stayed, unnoticed
    (tester22): the save is refused, at 镇街, saying whose town it is, until the town is
    one of the new county's, or blank. A town that firms of both counties have may stay."""
    wujin = enterprises.create(session, {"credit_code": code(11), "name": "常州甲有限公司",
                                         "county": "武进区", "town": "湖塘镇"})
    enterprises.create(session, {"credit_code": code(12), "name": "常州乙有限公司",
                                 "county": "新北区", "town": "三井街道"})
    for values in ({"county": "新北区"}, {"county": "新北区", "town": "湖塘镇"},
                   {"county_code": "320411"}):
        with pytest.raises(ValidationError) as refused:
            save_profile(session, wujin.id, values)
        assert list(refused.value.fields) == ["town"]
        assert refused.value.fields["town"].startswith("镇街“湖塘镇”属于武进区，不属于新北区")
        assert (wujin.county_name, wujin.town) == ("武进区", "湖塘镇")
    save_profile(session, wujin.id, {"county": "新北区", "town": "三井街道"})
    assert (wujin.county_name, wujin.town) == ("新北区", "三井街道")
    save_profile(session, wujin.id, {"county": "武进区", "town": ""})
    assert (wujin.county_name, wujin.town) == ("武进区", "")
    # a town of the same name in both counties (a 高新区 each side of the line) may stay
    both = enterprises.create(session, {"credit_code": code(13), "name": "常州丙有限公司",
                                        "county": "武进区", "town": "高新区"})
    enterprises.create(session, {"credit_code": code(14), "name": "常州丁有限公司",
                                 "county": "新北区", "town": "高新区"})
    enterprises.update(session, both.id, {"county": "新北区"})
    assert (both.county_name, both.town) == ("新北区", "高新区")
