"""恒锐 (tester28a #3) is 450 万元 short of the 2026办法 小巨人's 近两年研发费用总额合计1200万元 —
a condition required, certainly not met — and lacks its 2023 营业收入; the list said 缺数据
first, as if the data still to come could make it ready. A required condition 不满足 with
data missing is 不符合 now (the data missing said too); one of several ways short while
another is still open is not certain, and stays 缺数据; complete, one near shortfall is
still 差一项. A floor over several years with a year missing (单项冠军's 近3年平均4亿) stays
缺数据 but says what is known and what the missing year would need. The county's verdict
columns agree with each firm's assessment."""

from __future__ import annotations

from tests.tiers.test_assess_edges import GIANT_2026, Y, figures
from tiers.assess import (
    DATA_MISSING,
    MISSING,
    NOT_READY,
    ONE_SHORT,
    FirmData,
    assess,
    rules_for,
)
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import county_of

SHORT_RD = {0: {"rd_expense": 400}, 1: {"rd_expense": 350}}  # 750 of 1200 (62.5%: near)
NO_2023_REVENUE = {2: {"revenue": None}}  # 复合增长率 needs 2023 and 2025
NO_EQUITY = {"equity_financing": None}


def _firm(number, changes, held=("zjtx",)):
    merged: dict[int, dict] = {}
    for part in changes:
        for back, values in part.items():
            merged.setdefault(back, {}).update(values)
    return FirmData(enterprise_id=number, credit_code="", name=f"常州测试{number}有限公司",
                    figures=figures(GIANT_2026, merged), held=frozenset(held))


def test_a_required_condition_short_with_data_missing_is_not_ready():
    firm = _firm(1, [SHORT_RD, NO_2023_REVENUE])
    item = assess(firm, rules_for("little_giant", "2026办法"), Y)
    assert item.readiness == NOT_READY, item.verdict
    assert item.verdict.startswith("不符合：近两年研发费用总额合计不低于1200万元（差 450 万元）；另缺数据："), \
        item.verdict
    assert "缺少2023年度营业收入" in item.verdict
    # the same firm with its 2023 figures: one near shortfall, 差一项 as before
    complete = assess(_firm(2, [SHORT_RD]), rules_for("little_giant", "2026办法"), Y)
    assert complete.readiness == ONE_SHORT
    assert complete.verdict.startswith("差一项：近两年研发费用总额合计不低于1200万元（差 450 万元）")


def test_a_way_short_while_another_is_open_is_not_certain():
    """专精特新 2026: 营业收入 1400 万元 (short of 1500) or 股权投资 2000 万元 (not recorded):
    the second may still meet it, so with its 评价得分 missing too it is 缺数据, not 不符合."""
    firm = _firm(3, [{0: {"revenue": 1400, "main_revenue": 1330, "rd_expense": 120,
                          "development_score": None, **NO_EQUITY},
                      1: {"revenue": 1300, "main_revenue": 1200, "rd_expense": 110,
                          **NO_EQUITY}}], held=("innovative",))
    item = assess(firm, rules_for("zjtx", "2026办法"), Y)
    size = dict(item.walk())["size"]
    assert size.status == MISSING and (item.shortfalls, item.missing) == (1, 1)
    assert item.readiness == DATA_MISSING, item.verdict


def test_a_floor_with_a_year_missing_says_what_that_year_would_need():
    firm = FirmData(enterprise_id=4, credit_code="", name="常州冠军测试有限公司",
                    figures=figures({0: dict(revenue=21000, main_revenue=20000),
                                     1: dict(revenue=13000, main_revenue=12000)}, {}),
                    held=frozenset({"little_giant"}))
    item = assess(firm, rules_for("single_champion", "单项冠军2023办法"), Y)
    floor = dict(item.walk())["main_revenue"]
    assert floor.status == MISSING and item.readiness == DATA_MISSING
    need = "已知2024、2025年度平均 16000 万元；要达到平均 40000 万元，2023年度须有 88000 万元"
    assert need in floor.detail and need in item.verdict, floor.detail


def test_the_county_columns_agree():
    firms = {1: _firm(1, [SHORT_RD, NO_2023_REVENUE]), 2: _firm(2, [SHORT_RD]),
             3: _firm(3, [NO_2023_REVENUE]),
             5: _firm(5, [SHORT_RD, NO_2023_REVENUE, {0: {"niche_years": 2}}])}
    for rule_set in ("2026办法", "2022暂行办法"):
        rules = rules_for("little_giant", rule_set)
        columns = verdicts(county_of(firms), rules, Y)
        for position, firm in enumerate(firms.values()):
            item = assess(firm, rules, Y)
            assert (columns.readiness[position], columns.shortfalls[position],
                    columns.missing[position]) == (item.readiness, item.shortfalls,
                                                   item.missing), (rule_set, firm.name)
