"""Every threshold of the 2026办法, the 2022暂行办法 and the 2023 单项冠军办法, worked by hand:
at the edge, just below and just above it. A firm that meets everything is changed in one
place, and the one condition read there must come out as the rule text says (不低于: the
edge is in; 超过: it is out)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from tiers.assess import MANUAL, MET, NOT_MET, FirmData, assess, rules_for
from tiers.assess.metrics import FIELDS

Y = 2025  # 上年度
INTEGERS = {"employees", "rd_staff", "ip_class1", "ip_class2", "domestic_rank",
            "national_rd_centers", "provincial_rd_centers", "national_award_rank",
            "provincial_award_rank", "ip_class1_high_value", "ip_class1_own",
            "municipal_rd_centers", "lower_rd_centers", "digital_level", "quality_items",
            "lead_field_class", "distinctive_score"}


def row(**values):
    out = dict.fromkeys(FIELDS)
    for key, value in values.items():
        assert key in FIELDS, key
        out[key] = value if key in INTEGERS or value is None else Decimal(str(value))
    return out


def figures(base: dict[int, dict], changes: dict[int, dict]) -> dict[int, dict]:
    """``base`` (years back from Y → values) with ``changes`` applied, by year."""
    years = copy.deepcopy(base)
    for back, values in changes.items():
        for key, value in values.items():
            years[back][key] = value if key in INTEGERS or value is None \
                else Decimal(str(value))
    return {Y - back: row(**{k: v for k, v in values.items() if v is not None})
            for back, values in years.items()}


def status_of(rule_set, tier, base, held, path, changes):
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="常州边界测试有限公司",
                    figures=figures(base, changes), held=frozenset(held))
    result = assess(firm, rules_for(tier, rule_set), Y)
    assert not result.flags, result.flags
    return dict(result.walk())[path].status


# --- 2026办法：专精特新“小巨人” -------------------------------------------------------------
# everything met: 营业收入 10000, 主营 9500 (95%), 研发 700 + 650 = 1350 (7%, 6.84%), 负债率 60%,
# 复合增长 √(10000/8000) − 1 = 11.8%, Ⅰ类 5, 占有率 12%, 国内第 2, 得分 70, 主导产品 60%

GIANT_2026 = {
    0: dict(revenue=10000, main_revenue=9500, rd_expense=700, total_assets=1000,
            total_liabilities=600, niche_years=5, ip_class1=5, market_share=12,
            domestic_rank=2, development_score=70, lead_product_ratio=60, employees=200,
            rd_staff=40),
    1: dict(revenue=9500, main_revenue=9000, rd_expense=650),
    2: dict(revenue=8000, main_revenue=7600, rd_expense=500),
}

GIANT_2026_CASES = [
    # 截至上年末从事特定细分市场3年以上
    ("niche", {0: {"niche_years": 3}}, MET),
    ("niche", {0: {"niche_years": "2.9"}}, NOT_MET),
    ("niche", {0: {"niche_years": "3.1"}}, MET),
    # 营业收入不低于5000万元 (主营 and 研发 scaled so that nothing else is odd)
    ("revenue", {0: {"revenue": 5000, "main_revenue": 4750, "rd_expense": 350}}, MET),
    ("revenue", {0: {"revenue": "4999.99", "main_revenue": 4750, "rd_expense": 350}}, NOT_MET),
    ("revenue", {0: {"revenue": "5000.01", "main_revenue": 4750, "rd_expense": 350}}, MET),
    # 主营业务收入占比不低于90%: 9000 / 10000
    ("main_ratio", {0: {"main_revenue": 9000}}, MET),
    ("main_ratio", {0: {"main_revenue": "8999.99"}}, NOT_MET),
    ("main_ratio", {0: {"main_revenue": "9000.01"}}, MET),
    # 近两年营业收入复合增长率不低于5%: 8000 × 1.05² = 8820 exactly
    ("growth", {0: {"revenue": 8820, "main_revenue": 8000}}, MET),
    ("growth", {0: {"revenue": "8819.99", "main_revenue": 8000}}, NOT_MET),
    ("growth", {0: {"revenue": "8820.01", "main_revenue": 8000}}, MET),
    # 资产负债率不高于75%: 750 / 1000
    ("debt_ratio", {0: {"total_liabilities": 750}}, MET),
    ("debt_ratio", {0: {"total_liabilities": "750.01"}}, NOT_MET),
    ("debt_ratio", {0: {"total_liabilities": "749.99"}}, MET),
    # 近两年研发费用合计不低于1200万元: 700 + 500
    ("rd/rd_amount", {1: {"rd_expense": 500}}, MET),
    ("rd/rd_amount", {1: {"rd_expense": "499.99"}}, NOT_MET),
    ("rd/rd_amount", {1: {"rd_expense": "500.01"}}, MET),
    # 每年研发费用占比不低于3%: 300 / 10000 in the last year
    ("rd/rd_ratio", {0: {"rd_expense": 300}}, MET),
    ("rd/rd_ratio", {0: {"rd_expense": "299.99"}}, NOT_MET),
    ("rd/rd_ratio", {0: {"rd_expense": "300.01"}}, MET),
    ("rd/rd_ratio", {1: {"rd_expense": 285}}, MET),  # 285 / 9500 = 3% the year before
    ("rd/rd_ratio", {1: {"rd_expense": "284.99"}}, NOT_MET),
    # 4项以上Ⅰ类知识产权
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 4}}, MET),
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 3}}, NOT_MET),
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 5}}, MET),
    # 免：近三年国家级科技奖励排名前三 (the best place of three years; unrecorded → 需人工核实)
    ("ip/ip_award", {1: {"national_award_rank": 3}}, MET),
    ("ip/ip_award", {0: {"national_award_rank": 4}, 1: {"national_award_rank": 5},
                     2: {"national_award_rank": 4}}, NOT_MET),
    ("ip/ip_award", {2: {"national_award_rank": 2}}, MET),
    ("ip/ip_award", {0: {"national_award_rank": 4}}, MANUAL),
    ("ip/ip_award", {}, MANUAL),
    # 全国细分市场占有率不低于10%, 或国内细分市场前三
    ("market/market_share", {0: {"market_share": 10}}, MET),
    ("market/market_share", {0: {"market_share": "9.999"}}, NOT_MET),
    ("market/market_share", {0: {"market_share": "10.001"}}, MET),
    ("market/domestic_rank", {0: {"domestic_rank": 3}}, MET),
    ("market/domestic_rank", {0: {"domestic_rank": 4}}, NOT_MET),
    ("market/domestic_rank", {0: {"domestic_rank": 1}}, MET),
    ("market", {0: {"market_share": 5, "domestic_rank": 4}}, NOT_MET),
    ("market", {0: {"market_share": 5, "domestic_rank": 3}}, MET),
    # 专精特新发展评价得分不低于60分 (the platform's, as recorded)
    ("score", {0: {"development_score": 60}}, MET),
    ("score", {0: {"development_score": "59.9"}}, NOT_MET),
    ("score", {0: {"development_score": "60.1"}}, MET),
    # 主导产品：收入占营业收入比重超过50% (the edge is out)
    ("lead_product", {0: {"lead_product_ratio": 50}}, NOT_MET),
    ("lead_product", {0: {"lead_product_ratio": "49.99"}}, NOT_MET),
    ("lead_product", {0: {"lead_product_ratio": "50.01"}}, MET),
]


@pytest.mark.parametrize(("path", "changes", "expected"), GIANT_2026_CASES)
def test_little_giant_2026_edges(path, changes, expected):
    assert status_of("2026办法", "little_giant", GIANT_2026, {"zjtx"}, path, changes) \
        == expected


def test_little_giant_2026_base_firm_meets_every_condition_the_data_decide():
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="甲",
                    figures=figures(GIANT_2026, {}), held=frozenset({"zjtx"}))
    result = assess(firm, rules_for("little_giant", "2026办法"), Y)
    assert result.shortfalls == 0 and result.missing == 0
    # 六基/关键环节 and Ⅰ类 in use are core checks; the basic conditions routine
    assert [leaf.id for leaf in result.leaves(MANUAL)] == ["ip_general", "field", "basic"]
    assert result.readiness_label == "待人工核实" and result.core_manual == 2


# --- 2026办法：专精特新中小企业 --------------------------------------------------------------
# everything met: 营业收入 2000, 主营 1800 (90%), 研发 120 / 110 (6%, 6.1%), 负债率 50%,
# Ⅰ类 1, 得分 60, 主导产品 60%

ZJTX_2026 = {
    0: dict(revenue=2000, main_revenue=1800, rd_expense=120, total_assets=1000,
            total_liabilities=500, niche_years=4, ip_class1=1, development_score=60,
            lead_product_ratio=60),
    1: dict(revenue=1800, main_revenue=1600, rd_expense=110),
    2: dict(revenue=1500, main_revenue=1300, rd_expense=90),
}

ZJTX_2026_CASES = [
    ("niche", {0: {"niche_years": 3}}, MET),
    ("niche", {0: {"niche_years": "2.9"}}, NOT_MET),  # 2 years were enough in 2022
    ("niche", {0: {"niche_years": "3.1"}}, MET),
    # 营业收入不低于1500万元
    ("size/revenue", {0: {"revenue": 1500, "main_revenue": 1350, "rd_expense": 100}}, MET),
    ("size/revenue", {0: {"revenue": "1499.99", "main_revenue": 1350, "rd_expense": 100}},
     NOT_MET),
    ("size/revenue", {0: {"revenue": "1500.01", "main_revenue": 1350, "rd_expense": 100}},
     MET),
    # 或近两年合格机构实缴股权投资不低于2000万元
    ("size/equity", {0: {"equity_financing": 1000}, 1: {"equity_financing": 1000}}, MET),
    ("size/equity", {0: {"equity_financing": 1000}, 1: {"equity_financing": "999.99"}},
     NOT_MET),
    ("size/equity", {0: {"equity_financing": 1000}, 1: {"equity_financing": "1000.01"}}, MET),
    ("size", {0: {"revenue": 1400, "main_revenue": 1300, "rd_expense": 100,
                  "equity_financing": 2000}, 1: {"equity_financing": 0}}, MET),
    # 主营业务收入占比不低于80%: 1600 / 2000
    ("main_ratio", {0: {"main_revenue": 1600}}, MET),
    ("main_ratio", {0: {"main_revenue": "1599.99"}}, NOT_MET),
    ("main_ratio", {0: {"main_revenue": "1600.01"}}, MET),
    # 资产负债率不高于80%
    ("debt_ratio", {0: {"total_liabilities": 800}}, MET),
    ("debt_ratio", {0: {"total_liabilities": "800.01"}}, NOT_MET),
    ("debt_ratio", {0: {"total_liabilities": "799.99"}}, MET),
    # 近两年研发费用每年不低于100万元
    ("rd/rd_amount", {1: {"rd_expense": 100}}, MET),
    ("rd/rd_amount", {1: {"rd_expense": "99.99"}}, NOT_MET),
    ("rd/rd_amount", {1: {"rd_expense": "100.01"}}, MET),
    # 每年占营业收入不低于3%: 60 / 2000 (120 would do it too: 60 is the edge)
    ("rd/rd_ratio", {0: {"rd_expense": 60}}, MET),
    ("rd/rd_ratio", {0: {"rd_expense": "59.99"}}, NOT_MET),
    ("rd/rd_ratio", {0: {"rd_expense": "60.01"}}, MET),
    ("rd/rd_ratio", {1: {"rd_expense": 54}}, MET),  # 54 / 1800 = 3%
    ("rd/rd_ratio", {1: {"rd_expense": "53.99"}}, NOT_MET),
    # 1项以上Ⅰ类知识产权
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 1}}, MET),
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 0}}, NOT_MET),
    ("ip/ip_general/ip_class1", {0: {"ip_class1": 2}}, MET),
    # 免：近三年省部级以上科技奖励排名前三
    ("ip/ip_award/ip_award_provincial", {0: {"provincial_award_rank": 3}}, MET),
    ("ip/ip_award/ip_award_provincial", {0: {"provincial_award_rank": 4},
                                         1: {"provincial_award_rank": 4},
                                         2: {"provincial_award_rank": 6}}, NOT_MET),
    ("ip/ip_award/ip_award_national", {1: {"national_award_rank": 1}}, MET),
    ("ip/ip_award", {}, MANUAL),
    # 免：省部级以上研发机构
    ("ip/ip_centre/ip_centre_provincial", {0: {"provincial_rd_centers": 1}}, MET),
    ("ip/ip_centre/ip_centre_provincial", {0: {"provincial_rd_centers": 0}}, NOT_MET),
    ("ip/ip_centre/ip_centre_national", {0: {"national_rd_centers": 2}}, MET),
    ("ip", {0: {"ip_class1": 0, "provincial_rd_centers": 1}}, MET),
    # 发展评价得分不低于50分
    ("score", {0: {"development_score": 50}}, MET),
    ("score", {0: {"development_score": "49.9"}}, NOT_MET),
    ("score", {0: {"development_score": "50.1"}}, MET),
    # 较为靠前：no number, always checked by hand
    ("market", {0: {"market_share": 40, "domestic_rank": 1}}, MANUAL),
]


@pytest.mark.parametrize(("path", "changes", "expected"), ZJTX_2026_CASES)
def test_zjtx_2026_edges(path, changes, expected):
    assert status_of("2026办法", "zjtx", ZJTX_2026, {"innovative"}, path, changes) == expected


@pytest.mark.parametrize(("held", "expected"), [
    ({"tech_sme"}, MET), ({"innovative"}, MET), ({"little_giant"}, MET), (set(), NOT_MET)])
def test_zjtx_2026_prerequisite_is_either_half_of_the_bottom_tier(held, expected):
    assert status_of("2026办法", "zjtx", ZJTX_2026, held, "prereq_tech_innovative", {}) \
        == expected


def test_zjtx_2022_prerequisite_is_innovative_only():
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="甲",
                    figures=figures(ZJTX_2026, {}), held=frozenset({"tech_sme"}))
    result = assess(firm, rules_for("zjtx", "2022暂行办法"), Y)
    assert dict(result.walk())["prereq_innovative"].status == NOT_MET


# --- 2022暂行办法 ---------------------------------------------------------------------------
# 专精特新中小企业: everything met at 营业收入 2000, 主营 1800, 研发 100 (5%), 负债率 50%

ZJTX_2022 = {
    0: dict(revenue=2000, main_revenue=1800, rd_expense=100, total_assets=1000,
            total_liabilities=500, niche_years=2, ip_class1=1, net_profit=100, employees=100,
            rd_staff=10),
    1: dict(revenue=1800, main_revenue=1600, rd_expense=90),
    2: dict(revenue=1500, main_revenue=1300, rd_expense=80),
}

ZJTX_2022_CASES = [
    ("niche", {0: {"niche_years": 2}}, MET),
    ("niche", {0: {"niche_years": "1.9"}}, NOT_MET),
    ("niche", {0: {"niche_years": "2.1"}}, MET),
    ("rd/rd_amount", {0: {"rd_expense": 100}}, MET),
    ("rd/rd_amount", {0: {"rd_expense": "99.99"}}, NOT_MET),
    ("rd/rd_amount", {0: {"rd_expense": "100.01"}}, MET),
    ("rd/rd_ratio", {0: {"revenue": 3000, "main_revenue": 2700, "rd_expense": 90}}, MET),
    ("rd/rd_ratio", {0: {"revenue": 3000, "main_revenue": 2700, "rd_expense": "89.99"}},
     NOT_MET),
    ("rd/rd_ratio", {0: {"revenue": 3000, "main_revenue": 2700, "rd_expense": "90.01"}}, MET),
    ("revenue/revenue_amount", {0: {"revenue": 1000, "main_revenue": 900}}, MET),
    ("revenue/revenue_amount", {0: {"revenue": "999.99", "main_revenue": 900}}, NOT_MET),
    ("revenue/revenue_amount", {0: {"revenue": "1000.01", "main_revenue": 900}}, MET),
    ("revenue/revenue_equity", {0: {"equity_financing": 1500}, 1: {"equity_financing": 500}},
     MET),
    ("revenue/revenue_equity", {0: {"equity_financing": 1500},
                                1: {"equity_financing": "499.99"}}, NOT_MET),
    ("revenue/revenue_equity", {0: {"equity_financing": 1500},
                                1: {"equity_financing": "500.01"}}, MET),
    ("score_or_route/route_rd", {0: {"revenue": 20000, "main_revenue": 18000,
                                     "rd_expense": 1000},
                                 1: {"revenue": 20000, "rd_expense": 1000}}, MET),
    ("score_or_route/route_rd", {0: {"revenue": 20000, "main_revenue": 18000,
                                     "rd_expense": "999.99"},
                                 1: {"revenue": 20000, "rd_expense": 1000}}, NOT_MET),
    ("score_or_route/route_equity", {0: {"equity_financing": 3000},
                                     1: {"equity_financing": 3000}}, MET),
    ("score_or_route/route_equity", {0: {"equity_financing": 3000},
                                     1: {"equity_financing": "2999.99"}}, NOT_MET),
]


@pytest.mark.parametrize(("path", "changes", "expected"), ZJTX_2022_CASES)
def test_zjtx_2022_edges(path, changes, expected):
    assert status_of("2022暂行办法", "zjtx", ZJTX_2022, {"innovative"}, path, changes) \
        == expected


def points(changes, indicator, base=ZJTX_2022):
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="甲",
                    figures=figures(base, changes), held=frozenset({"innovative"}))
    result = assess(firm, rules_for("zjtx", "2022暂行办法"), Y)
    score = dict(result.walk())["score_or_route/score"].score
    found = next(i for i in score.indicators if i.id == indicator)
    return (found.low, found.high)


# §2.6 bands (下限含本数；资产负债率上限含本数), at each edge and just under it
@pytest.mark.parametrize(("changes", "indicator", "expected"), [
    # 净利润率 ≥10 10 / 8 8 / 6 6 / 4 4 / 2 2 / else 0, 营业收入 2000
    ({0: {"net_profit": 200}}, "net_margin", (10, 10)),
    ({0: {"net_profit": "199.99"}}, "net_margin", (8, 8)),
    ({0: {"net_profit": 160}}, "net_margin", (8, 8)),
    ({0: {"net_profit": "159.99"}}, "net_margin", (6, 6)),
    ({0: {"net_profit": 120}}, "net_margin", (6, 6)),
    ({0: {"net_profit": 80}}, "net_margin", (4, 4)),
    ({0: {"net_profit": "79.99"}}, "net_margin", (2, 2)),
    ({0: {"net_profit": 40}}, "net_margin", (2, 2)),
    ({0: {"net_profit": "39.99"}}, "net_margin", (0, 0)),
    ({0: {"net_profit": -10}}, "net_margin", (0, 0)),
    # 资产负债率 ≤50 5 / ≤60 3 / ≤70 1 / else 0
    ({0: {"total_liabilities": 500}}, "debt_ratio", (5, 5)),
    ({0: {"total_liabilities": "500.01"}}, "debt_ratio", (3, 3)),
    ({0: {"total_liabilities": 600}}, "debt_ratio", (3, 3)),
    ({0: {"total_liabilities": "600.01"}}, "debt_ratio", (1, 1)),
    ({0: {"total_liabilities": 700}}, "debt_ratio", (1, 1)),
    ({0: {"total_liabilities": "700.01"}}, "debt_ratio", (0, 0)),
    # 研发投入：金额 500/400/300/200/100 万元或占比 10/8/6/4/3 %，取高者 (营业收入 2000)
    # (营业收入 10000: the amount decides; 500 is 5%, worth only 4 by the ratio)
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": 500}}, "rd_input", (10, 10)),
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": "499.99"}}, "rd_input",
     (8, 8)),
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": 400}}, "rd_input", (8, 8)),
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": "399.99"}}, "rd_input",
     (6, 6)),
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": 300}}, "rd_input", (6, 6)),
    ({0: {"revenue": 10000, "main_revenue": 9000, "rd_expense": 200}}, "rd_input", (4, 4)),
    ({0: {"rd_expense": 200}}, "rd_input", (10, 10)),  # 200 is 10% of 2000: the ratio wins
    ({0: {"revenue": 5000, "main_revenue": 4500, "rd_expense": 200}}, "rd_input", (4, 4)),
    ({0: {"revenue": 5000, "main_revenue": 4500, "rd_expense": "199.99"}}, "rd_input", (2, 2)),
    ({0: {"revenue": 5000, "main_revenue": 4500, "rd_expense": 150}}, "rd_input", (2, 2)),
    ({0: {"revenue": 5000, "main_revenue": 4500, "rd_expense": "99.99"}}, "rd_input", (0, 0)),
    ({0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 100}}, "rd_input", (10, 10)),
    ({0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "99.99"}}, "rd_input", (8, 8)),
    ({0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 30}}, "rd_input", (2, 2)),
    ({0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "29.99"}}, "rd_input", (0, 0)),
    # 研发人员占比 ≥20 5 / ≥10 3 / ≥5 1 (从业人员 100)
    ({0: {"rd_staff": 20}}, "rd_staff", (5, 5)),
    ({0: {"rd_staff": 19}}, "rd_staff", (3, 3)),
    ({0: {"rd_staff": 10}}, "rd_staff", (3, 3)),
    ({0: {"rd_staff": 9}}, "rd_staff", (1, 1)),
    ({0: {"rd_staff": 5}}, "rd_staff", (1, 1)),
    ({0: {"rd_staff": 4}}, "rd_staff", (0, 0)),
    # 知识产权 and 研发机构 with their kinds unrecorded: the points still possible, 缺数据
    # (their bands with every input: test_assess_edges_2022.py)
    ({0: {"ip_class1": 1}}, "ip", (6, 10)),
    ({0: {"ip_class1": 0, "ip_class2": 1}}, "ip", (2, 2)),  # no Ⅰ类: none of its kinds
    ({0: {"ip_class1": 0, "ip_class2": 0}}, "ip", (0, 0)),
    ({0: {"national_rd_centers": 1}}, "lab", (10, 10)),
    ({0: {"national_rd_centers": 0, "provincial_rd_centers": 1}}, "lab", (8, 8)),
    ({0: {"national_rd_centers": 0, "provincial_rd_centers": 0}}, "lab", (0, 4)),
    ({}, "lab", (0, 10)),
])
def test_zjtx_2022_score_bands(changes, indicator, expected):
    assert points(changes, indicator) == expected


# 小巨人 2022
GIANT_2022 = {
    0: dict(revenue=10000, main_revenue=7000, rd_expense=300, niche_years=3,
            total_assets=1000, total_liabilities=700, market_share=10, ip_class1=2,
            employees=200, rd_staff=40),
    1: dict(revenue=9000, main_revenue=6600, rd_expense=270),
    2: dict(revenue=8000, main_revenue=6000),
}

GIANT_2022_CASES = [
    ("specialised/niche", {0: {"niche_years": 3}}, MET),
    ("specialised/niche", {0: {"niche_years": "2.9"}}, NOT_MET),
    ("specialised/main_ratio", {0: {"main_revenue": 7000}}, MET),
    ("specialised/main_ratio", {0: {"main_revenue": "6999.99"}}, NOT_MET),
    ("specialised/main_ratio", {0: {"main_revenue": "7000.01"}}, MET),
    # 近2年主营业务收入平均增长率不低于5%: 6000 → 6300 (5%) → 6615 (5%)
    ("specialised/main_growth", {1: {"main_revenue": 6300}, 0: {"main_revenue": 6615}}, MET),
    ("specialised/main_growth", {1: {"main_revenue": 6300},
                                 0: {"main_revenue": "6614.99"}}, NOT_MET),
    ("refined/debt_ratio", {0: {"total_liabilities": 700}}, MET),
    ("refined/debt_ratio", {0: {"total_liabilities": "700.01"}}, NOT_MET),
    ("distinctive/market_share", {0: {"market_share": 10}}, MET),
    ("distinctive/market_share", {0: {"market_share": "9.999"}}, NOT_MET),
    ("innovation/innovation_general/ip_class1", {0: {"ip_class1": 2}}, MET),
    ("innovation/innovation_general/ip_class1", {0: {"ip_class1": 1}}, NOT_MET),
    # 研发强度：1亿元以上 均≥3%
    ("innovation/innovation_general/rd_intensity", {}, MET),
    ("innovation/innovation_general/rd_intensity", {0: {"rd_expense": "299.99"}}, NOT_MET),
    # 5000万–1亿 均≥6%: 营业收入 9999.99 falls in this band
    ("innovation/innovation_general/rd_intensity",
     {0: {"revenue": "9999.99", "main_revenue": 7000, "rd_expense": 600},
      1: {"rd_expense": 540}}, MET),
    ("innovation/innovation_general/rd_intensity",
     {0: {"revenue": 6000, "main_revenue": 5000, "rd_expense": 360},
      1: {"rd_expense": "539.99"}}, NOT_MET),
    # 5000万以下：股权融资≥8000、研发合计≥3000、研发人员≥50%
    ("innovation/innovation_general/rd_intensity",
     {0: {"revenue": "4999.99", "main_revenue": 4000, "rd_expense": 1500,
          "equity_financing": 8000, "rd_staff": 100},
      1: {"rd_expense": 1500, "equity_financing": 0}}, MET),
    ("innovation/innovation_general/rd_intensity",
     {0: {"revenue": "4999.99", "main_revenue": 4000, "rd_expense": 1500,
          "equity_financing": "7999.99", "rd_staff": 100},
      1: {"rd_expense": 1500, "equity_financing": 0}}, NOT_MET),
    ("innovation/innovation_general/rd_intensity",
     {0: {"revenue": "4999.99", "main_revenue": 4000, "rd_expense": 1500,
          "equity_financing": 8000, "rd_staff": 99},
      1: {"rd_expense": 1500, "equity_financing": 0}}, NOT_MET),
]


@pytest.mark.parametrize(("path", "changes", "expected"), GIANT_2022_CASES)
def test_little_giant_2022_edges(path, changes, expected):
    assert status_of("2022暂行办法", "little_giant", GIANT_2022, {"zjtx"}, path, changes) \
        == expected


# --- 单项冠军 2023 --------------------------------------------------------------------------

CHAMPION = {
    0: dict(revenue=50000, main_revenue=45000, niche_years=12, market_share=30),
    1: dict(revenue=46000, main_revenue=40000),
    2: dict(revenue=40000, main_revenue=35000),
}


@pytest.mark.parametrize(("path", "changes", "expected"), [
    # 近3年平均主营业务收入不低于4亿元: (45000 + 40000 + 35000) / 3 = 40000
    ("main_revenue", {}, MET),
    ("main_revenue", {2: {"main_revenue": "34999.99"}}, NOT_MET),
    ("main_revenue", {2: {"main_revenue": "35000.01"}}, MET),
    ("years/years_ten", {0: {"niche_years": 10}}, MET),
    ("years/years_ten", {0: {"niche_years": "9.9"}}, NOT_MET),
    ("years", {0: {"niche_years": 10}}, MET),
    # 新产品 5 年：the years are there, whether it is a new product is checked by hand
    ("years", {0: {"niche_years": 5}}, MANUAL),
    ("years", {0: {"niche_years": "4.9"}}, NOT_MET),
    ("global_rank", {}, MANUAL),
])
def test_champion_2023_edges(path, changes, expected):
    assert status_of("单项冠军2023办法", "single_champion", CHAMPION, set(), path, changes) \
        == expected


def test_champion_2023_has_no_little_giant_prerequisite_but_a_hard_floor():
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="甲",
                    figures=figures(CHAMPION, {0: {"main_revenue": 30000, "revenue": 31000},
                                               1: {"main_revenue": 30000},
                                               2: {"main_revenue": 30000}}),
                    held=frozenset({"little_giant"}))
    result = assess(firm, rules_for("single_champion", "单项冠军2023办法"), Y)
    assert [leaf.id for leaf in result.leaves(NOT_MET)] == ["main_revenue"]
