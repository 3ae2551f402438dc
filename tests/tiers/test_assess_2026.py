"""The 2026 办法 beside the 2022 rules: the firm of issue #17, the compound growth rate,
which rule set applies (新申报 / 2026 小巨人复核) and the two side by side for one firm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import inspect

from tiers import assess
from tiers.assess import MANUAL, MET, NOT_MET, FirmData, rules_for
from tiers.assess.firm import LostTitle
from tiers.assess.metrics import FIELDS, measure
from tiers.services import figures, recognitions

Y = 2025
INTEGERS = {"employees", "rd_staff", "ip_class1", "ip_class2", "domestic_rank",
            "national_rd_centers", "provincial_rd_centers", "national_award_rank",
            "provincial_award_rank"}


def row(**values):
    out = dict.fromkeys(FIELDS)
    out.update({k: v if k in INTEGERS else Decimal(str(v)) for k, v in values.items()})
    return out


# The firm of the issue: 主营业务收入占比 70%, R&D 312 + 258 = 570万 over two years (6% of
# 5200 and of 4300: the 2022 band for 5000万–1亿 asks 6% each year), two Ⅰ类 patents.
ISSUE_FIRM = {
    Y: dict(revenue=5200, main_revenue=3640, rd_expense=312, total_assets=4000,
            total_liabilities=2400, niche_years=5, ip_class1=2, market_share=12,
            domestic_rank=2, development_score=70, lead_product_ratio=60, employees=150,
            rd_staff=30),
    Y - 1: dict(revenue=4300, main_revenue=3010, rd_expense=258),
    Y - 2: dict(revenue=4000, main_revenue=2800, rd_expense=200),
}


def issue_firm() -> FirmData:
    return FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="常州示例科技有限公司",
                    figures={y: row(**v) for y, v in ISSUE_FIRM.items()},
                    held=frozenset({"zjtx"}))


def test_the_issue_firm_passes_2022_as_far_as_the_data_go():
    result = assess.assess(issue_firm(), rules_for("little_giant", "2022暂行办法"), Y)
    assert result.shortfalls == 0 and result.missing == 0
    assert result.verdict.startswith("数据所及条件均满足")


def test_the_issue_firm_fails_2026_on_exactly_the_three_conditions():
    result = assess.assess(issue_firm(), rules_for("little_giant", "2026办法"), Y)
    short = {leaf.id: leaf for leaf in result.leaves(NOT_MET)}
    assert set(short) == {"main_ratio", "rd", "ip_general"}
    assert result.shortfalls == 3 and result.missing == 0
    assert result.verdict.startswith("不符合：差 3 项")
    found = dict(result.walk())
    assert found["main_ratio"].detail == \
        "主营业务收入占营业收入比重 70%（2025年度），低于 90%"
    assert found["main_ratio"].title == "上年度主营业务收入总额占营业收入总额比重不低于90%"
    assert found["rd/rd_amount"].detail == "近2年研发费用合计 570 万元（2024—2025年度），低于 1200 万元"
    assert found["rd/rd_amount"].gap == "差 630 万元"
    assert found["rd/rd_ratio"].status == MET
    assert found["ip/ip_general/ip_class1"].gap == "差 2 项"
    # every other condition the data decide is met
    for path in ("niche", "revenue", "growth", "debt_ratio", "market", "score",
                 "lead_product", "prereq_zjtx"):
        assert found[path].status == MET, path


def test_compound_growth_is_not_the_mean_of_two_rates():
    # 4000 → 5000 (+25%) → 4410 (−11.8%): the mean of the two rates is 6.6%, the compound
    # rate √(4410/4000) − 1 = 5%
    years = {Y - 2: row(revenue=4000), Y - 1: row(revenue=5000), Y: row(revenue=4410)}
    assert measure(years, "revenue_cagr", Y).value == Decimal(5)
    mean = measure({y: row(main_revenue=v["revenue"]) for y, v in years.items()},
                   "main_growth", Y, years=2, aggregate="mean").value
    assert mean == Decimal("6.6")
    firm = FirmData(enterprise_id=1, credit_code="", name="乙", figures=years)
    growth = dict(assess.assess(firm, rules_for("little_giant", "2026办法"), Y).walk())["growth"]
    assert growth.status == MET
    # the revenues it comes from are shown with it
    assert [v.text for v in growth.values][:2] == ["营业收入 4000 万元（2023年度）",
                                                   "营业收入 4410 万元（2025年度）"]


def test_compound_growth_gap_in_revenue_terms():
    years = {Y - 2: row(revenue=4000), Y: row(revenue=4400)}
    firm = FirmData(enterprise_id=1, credit_code="", name="乙", figures=years)
    growth = dict(assess.assess(firm, rules_for("little_giant", "2026办法"), Y).walk())["growth"]
    assert growth.status == NOT_MET
    assert growth.gap.endswith("2025年度营业收入约需增加 10 万元")  # 4000 × 1.05² = 4410


def test_compound_growth_needs_the_year_two_back():
    firm = FirmData(enterprise_id=1, credit_code="", name="乙",
                    figures={Y - 1: row(revenue=4000), Y: row(revenue=4400)})
    growth = dict(assess.assess(firm, rules_for("little_giant", "2026办法"), Y).walk())["growth"]
    assert growth.status == assess.MISSING and "2023" in growth.detail


def test_the_screen_shows_the_rule_as_written():
    tier = rules_for("little_giant", "2026办法")
    titles = [c.title for c in tier.walk()]
    assert "上年度主营业务收入总额占营业收入总额比重不低于90%" in titles
    lead = next(c for c in tier.walk() if c.id == "lead_product")
    assert lead.op == ">" and "超过50%" in lead.title  # 超过: the edge is out
    for condition in tier.walk():
        if condition.kind == "threshold" and condition.op in (">=", "<="):
            assert "≥" not in condition.title and "≤" not in condition.title, condition.id


def test_market_and_field_are_checked_by_hand_with_their_text():
    zjtx = {c.id: c for c in rules_for("zjtx", "2026办法").walk()}
    assert zjtx["market"].kind == "manual" and "较为靠前" in zjtx["market"].source
    giant = {c.id: c for c in rules_for("little_giant", "2026办法").walk()}
    assert giant["field"].kind == "manual" and "六基" in giant["field"].source


@pytest.mark.parametrize("name", ["2022暂行办法", "2026办法"])
def test_basic_conditions_are_routine_checks_in_every_tier(name):
    for code, tier in assess.rule_sets()[name].tiers.items():
        basic = next(c for c in tier.conditions if c.id == "basic")
        assert basic.secondary and basic.single, code
        assert [c.id for c in basic.children] == ["basic_size", "basic_credit",
                                                  "basic_products", "basic_accidents"]
        assert all(c.kind == "manual" for c in basic.children)


# --- which rule set applies --------------------------------------------------------------

def test_a_new_application_after_april_2026_is_judged_by_2026():
    choice = assess.choose("little_giant", on=dt.date(2026, 5, 1))
    assert choice.name == "2026办法" and not choice.review
    assert choice.reason.startswith("新申报")
    assert assess.choose("little_giant", on=dt.date(2026, 3, 31)).name == "2022暂行办法"
    # 创新型 keeps the 2022 rules until a merged standard appears
    assert assess.choose("innovative", on=dt.date(2026, 5, 1)).name == "2022暂行办法"
    assert assess.choose("single_champion", on=dt.date(2026, 5, 1)).name == "单项冠军2023办法"


def test_a_day_before_any_rule_set_takes_the_oldest_and_says_it_was_not_in_force():
    """2022-05-01, before the 暂行办法 (2022-06-01): the oldest rule set, not the newest
    (which read “按2022-05-01适用的2026办法，2026-04-01起施行”), said to be not yet in force."""
    early = dt.date(2022, 5, 1)
    assert assess.rules_for("zjtx", on=early).rule_set.name == "2022暂行办法"
    assert assess.rules_for("single_champion", on=dt.date(2015, 1, 1)).rule_set.name \
        == "单项冠军2016方案"
    choice = assess.choose("zjtx", on=early)
    assert choice.name == "2022暂行办法" and not choice.review
    assert choice.reason == ("新申报：2022-05-01尚无施行的认定标准，按最早的2022暂行办法"
                             "（2022-06-01起施行）测算")
    held = FirmData(enterprise_id=1, credit_code="", name="丙", held=frozenset({"zjtx"}),
                    valid_until={"zjtx": dt.date(2024, 12, 31)})
    choice = assess.choose("zjtx", on=early, firm=held)
    assert choice.name == "2022暂行办法" and "现行" not in choice.reason
    assert "尚无施行的认定标准" in choice.reason
    # a 复核 due that year, before any rule set
    due = FirmData(enterprise_id=1, credit_code="", name="丙", held=frozenset({"zjtx"}),
                   valid_until={"zjtx": dt.date(2022, 12, 31)})
    choice = assess.choose("zjtx", on=early, firm=due)
    assert choice.name == "2022暂行办法" and choice.review and "现行" not in choice.reason
    assert "尚无施行的认定标准" in choice.reason
    # a title run out in its 复核 round (of this year, of one past) before any rule set
    for year, words in ((2022, "这一轮复核，2022-05-01尚无施行的认定标准"),
                        (2021, "这一轮复核时尚无施行的认定标准")):
        lapsed = FirmData(enterprise_id=1, credit_code="", name="丙", lost={"zjtx": LostTitle(
            batch="2018年度", valid_until=dt.date(year, 3, 31), review_due=True,
            review_year=year)})
        choice = assess.choose("zjtx", on=early, firm=lapsed)
        assert choice.name == "2022暂行办法" and choice.review, choice.reason
        assert words + "，按最早的2022暂行办法（2022-06-01起施行）" in choice.reason


def test_the_2026_review_of_older_giants_is_judged_by_2022():
    firm = FirmData(enterprise_id=1, credit_code="", name="丙", held=frozenset({"little_giant"}),
                    valid_until={"little_giant": dt.date(2026, 7, 31)})
    choice = assess.choose("little_giant", on=dt.date(2026, 6, 1), firm=firm)
    assert choice.name == "2022暂行办法" and choice.review
    assert "2026年复核" in choice.reason and "117号" in choice.reason
    # a 小巨人 whose title runs to 2027 is not reviewed in 2026: the rules in force
    later = FirmData(enterprise_id=1, credit_code="", name="丙",
                     held=frozenset({"little_giant"}),
                     valid_until={"little_giant": dt.date(2027, 7, 31)})
    assert assess.choose("little_giant", on=dt.date(2026, 6, 1), firm=later).name == "2026办法"
    # a 专精特新 复核 has no transition rule: the rules in force
    zjtx = FirmData(enterprise_id=1, credit_code="", name="丙", held=frozenset({"zjtx"}),
                    valid_until={"zjtx": dt.date(2026, 12, 31)})
    choice = assess.choose("zjtx", on=dt.date(2026, 6, 1), firm=zjtx)
    assert choice.name == "2026办法" and choice.review


def test_the_officer_may_name_another_rule_set():
    choice = assess.choose("little_giant", on=dt.date(2026, 6, 1), named="2022暂行办法")
    assert choice.name == "2022暂行办法" and "所选" in choice.reason


def add_issue_firm(session, enterprise_factory, *, held, valid_until=None):
    firm = enterprise_factory("常州示例科技有限公司")
    for year, values in ISSUE_FIRM.items():
        figures.set_year(session, firm.id, year, values)
    for tier in held:
        recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": 2023,
                                            "recognized_on": dt.date(2023, 8, 1),
                                            "valid_until": valid_until})
    session.flush()
    return firm


def test_one_firm_from_the_database_says_which_rule_set_and_why(session, enterprise_factory):
    firm = add_issue_firm(session, enterprise_factory, held=["zjtx"],
                          valid_until=dt.date(2027, 12, 31))
    item = assess.assess_enterprise(session, firm.id, "小巨人", today=dt.date(2026, 6, 1))
    assert item.rule_set == "2026办法" and item.rule_reason.startswith("新申报")
    assert item.shortfalls == 3


def test_a_giant_up_for_review_in_2026_is_assessed_by_2022(session, enterprise_factory):
    firm = add_issue_firm(session, enterprise_factory, held=["zjtx", "little_giant"],
                          valid_until=dt.date(2026, 7, 31))
    item = assess.assess_enterprise(session, firm.id, "小巨人", today=dt.date(2026, 6, 1))
    assert item.rule_set == "2022暂行办法" and "复核" in item.rule_reason
    every = assess.assess_enterprise_all(session, firm.id, today=dt.date(2026, 6, 1))
    by_tier = {a.tier_code: a.rule_set for a in every}
    assert by_tier["little_giant"] == "2022暂行办法" and by_tier["zjtx"] == "2026办法"


def test_both_rule_sets_side_by_side_for_one_firm(session, enterprise_factory):
    firm = add_issue_firm(session, enterprise_factory, held=["zjtx"])
    both = assess.compare_rule_sets(session, firm.id, "小巨人", today=dt.date(2026, 6, 1))
    assert [a.rule_set for a in both] == ["2022暂行办法", "2026办法"]
    old, new = both
    assert old.shortfalls == 0 and new.shortfalls == 3
    assert old.rule_reason.startswith("对比") and new.rule_reason.startswith("新申报")


def test_candidates_say_which_rule_set(session, enterprise_factory):
    add_issue_firm(session, enterprise_factory, held=["zjtx"])
    found = assess.candidates(session, "小巨人", today=dt.date(2026, 6, 1),
                              include_not_ready=True)
    assert found.rule_set == "2026办法" and found.rule_reason.startswith("新申报")
    assert found.ranked[0].rule_set == "2026办法"


# --- the inputs --------------------------------------------------------------------------

def test_the_new_inputs_are_stored_and_checked(session, enterprise_factory):
    firm = enterprise_factory("常州输入科技有限公司")
    figures.set_year(session, firm.id, Y, {
        "development_score": "62.5", "domestic_rank": 3, "lead_product_ratio": "55.5",
        "national_rd_centers": 0, "provincial_rd_centers": 2, "national_award_rank": 2,
        "provincial_award_rank": 1})
    session.flush()
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("annual_figures")}
    assert {"development_score", "domestic_rank", "lead_product_ratio", "national_rd_centers",
            "provincial_rd_centers", "national_award_rank", "provincial_award_rank"} <= columns
    with pytest.raises(assess.AssessError.__mro__[1]) as caught:  # InvalidInput
        figures.set_year(session, firm.id, Y, {"domestic_rank": 0, "development_score": 101,
                                               "lead_product_ratio": -1})
    text = str(caught.value) + str(getattr(caught.value, "fields", ""))
    assert "国内细分市场排名" in text and "专精特新发展评价得分" in text


def test_award_and_centre_facts_release_the_ip_condition():
    years = {y: row(**v) for y, v in ISSUE_FIRM.items()}
    years[Y - 2]["national_award_rank"] = 2
    firm = FirmData(enterprise_id=1, credit_code="", name="丁", figures=years,
                    held=frozenset({"zjtx"}))
    result = assess.assess(firm, rules_for("little_giant", "2026办法"), Y)
    found = dict(result.walk())
    assert found["ip"].status == MET and found["ip/ip_award"].status == MET
    assert found["ip/ip_general"].status != MET
    assert {leaf.id for leaf in result.leaves(NOT_MET)} == {"main_ratio", "rd"}
    assert found["field"].status == MANUAL
