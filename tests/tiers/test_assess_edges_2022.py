"""The 2022暂行办法 worked by hand at every edge: each band of the 13-indicator score
(专精特新中小企业, domain.md §2.2 and §2.6) and of the 6-indicator score (创新型, §2.1), and each
threshold of the three tiers, at the edge, just below and just above it.

With its own inputs recorded (the kinds of Ⅰ类 rights and research centres, 数字化, 质量, 领域,
特色化) the 13-indicator score is one number; an input not recorded leaves only its own
indicator open, as 缺数据 that names it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiers.assess import MET, MISSING, NOT_MET, FirmData, assess, rules_for
from tiers.assess.metrics import FIELDS
from tiers.assess.results import SCORE_MISSING, SCORED
from tiers.text import fields

Y = 2025  # 上年度
RULES = "2022暂行办法"
COUNTS = {name for name in FIELDS if fields.field("annual_figures", name).kind == "integer"}


def figures(base: dict[int, dict], changes: dict[int, dict]) -> dict[int, dict]:
    """``base`` (years back from Y → values) with ``changes`` applied; a value of None
    removes the input. Decimals from strings so that an edge is exactly the edge."""
    years: dict[int, dict] = {}
    for back in sorted(set(base) | set(changes)):
        merged = {**base.get(back, {}), **changes.get(back, {})}
        row = dict.fromkeys(FIELDS)
        for key, value in merged.items():
            assert key in FIELDS, key
            row[key] = value if value is None or key in COUNTS else Decimal(str(value))
        years[Y - back] = row
    return years


def assessed(tier: str, base: dict, changes: dict, held=()):
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="常州边界测试有限公司",
                    figures=figures(base, changes), held=frozenset(held))
    result = assess(firm, rules_for(tier, RULES), Y)
    assert not result.flags, result.flags
    return dict(result.walk())


# --- 专精特新中小企业：13 项指标 -------------------------------------------------------------
# The base firm, worked by hand (营业收入 2000):
#   专业化 20 = 主营占比 1800/2000 = 90% → 5; 近2年主营平均增长 (1300→1600 23.08%, 1600→1800
#               12.5%, mean 17.79%) → 10; 细分市场 4 年 → 2; 领域 二档 → 3
#   精细化 15 = 数字化 二级 → 3; 质量 1 项 → 3; 净利润率 100/2000 = 5% → 4; 负债率 500/1000 = 50% → 5
#   特色化 10 = the platform's 10 points
#   创新能力 15 = Ⅰ类 1 (not 高价值, not 自主研发) → 6; 研发 100 万元 → 2, 5% → 4: 4; 研发人员
#               10/100 = 10% → 3; 市级以下研发机构 1 → 2
#   60 in all: exactly the pass line

ZJTX = {
    0: dict(revenue=2000, main_revenue=1800, rd_expense=100, total_assets=1000,
            total_liabilities=500, niche_years=4, ip_class1=1, ip_class2=0,
            ip_class1_high_value=0, ip_class1_own=0, net_profit=100, employees=100,
            rd_staff=10, national_rd_centers=0, provincial_rd_centers=0,
            municipal_rd_centers=0, lower_rd_centers=1, digital_level=2, quality_items=1,
            lead_field_class=2, distinctive_score=10),
    1: dict(revenue=1800, main_revenue=1600, rd_expense=90),
    2: dict(revenue=1500, main_revenue=1300, rd_expense=80),
}
SCORE = "score_or_route/score"
INPUTS_2022 = {"ip_class1_high_value": "ip", "ip_class1_own": "ip",
               "municipal_rd_centers": "lab", "lower_rd_centers": "lab",
               "digital_level": "digital", "quality_items": "quality",
               "lead_field_class": "field", "distinctive_score": "local"}


def zjtx_score(changes):
    return assessed("zjtx", ZJTX, changes, held={"innovative"})[SCORE]


def indicator(changes, name):
    found = next(i for i in zjtx_score(changes).score.indicators if i.id == name)
    return found.low, found.high


def test_the_base_firm_scores_one_number_by_hand():
    score = zjtx_score({})
    assert score.score.exact and (score.score.low, score.score.high) == (60, 60)
    assert all(i.status == SCORED for i in score.score.indicators)
    assert [(g.name, g.low) for g in score.score.groups] == [
        ("专业化", 20), ("精细化", 15), ("特色化", 10), ("创新能力", 15)]
    assert score.status == MET and score.detail.startswith("评价得分 60 分")


@pytest.mark.parametrize(("local", "total", "status"), [
    (9, 59, NOT_MET), (10, 60, MET), (11, 61, MET)])
def test_the_pass_line_at_just_below_and_just_above(local, total, status):
    score = zjtx_score({0: {"distinctive_score": local}})
    assert (score.score.low, score.score.high) == (total, total) and score.status == status
    if status == NOT_MET:
        assert score.gap == "差 1 分"


@pytest.mark.parametrize("name", sorted(INPUTS_2022))
def test_an_input_not_recorded_leaves_only_its_indicator_open_and_names_it(name):
    # (特色化 one point less, so that the open indicator decides: 市级以下研发机构 only adds
    # its 2 points on top, so there the line stays in reach with 特色化 as it was)
    local = 10 if name == "lower_rd_centers" else 9
    score = zjtx_score({0: {"distinctive_score": local, name: None}})
    open_items = [i for i in score.score.indicators if i.low != i.high]
    assert [i.id for i in open_items] == [INPUTS_2022[name]]
    [item] = open_items
    label = {"ip_class1_high_value": "高价值Ⅰ类知识产权", "ip_class1_own": "自主研发Ⅰ类知识产权",
             "municipal_rd_centers": "市级研发机构", "lower_rd_centers": "市级以下研发机构",
             "digital_level": "数字化水平等级", "quality_items": "质量管理水平达标项",
             "lead_field_class": "主导产品领域档次", "distinctive_score": "特色化指标得分"}[name]
    assert item.status == SCORE_MISSING and f"缺少{Y}年度{label}" in item.detail
    assert score.status == MISSING and item.title in score.detail  # 待定指标：…


# every band edge (下限含本数；负债率上限含本数): at it, just below and just above it
BANDS_13 = [
    # 主营业务收入占比 ≥80 5 / ≥70 3 / ≥60 1 / 0 (营业收入 2000)
    ("main_ratio", {0: {"main_revenue": 1600}}, 5),
    ("main_ratio", {0: {"main_revenue": "1599.99"}}, 3),
    ("main_ratio", {0: {"main_revenue": "1600.01"}}, 5),
    ("main_ratio", {0: {"main_revenue": 1400}}, 3),
    ("main_ratio", {0: {"main_revenue": "1399.99"}}, 1),
    ("main_ratio", {0: {"main_revenue": "1400.01"}}, 3),
    ("main_ratio", {0: {"main_revenue": 1200}}, 1),
    ("main_ratio", {0: {"main_revenue": "1199.99"}}, 0),
    ("main_ratio", {0: {"main_revenue": "1200.01"}}, 1),
    # 近2年主营业务收入平均增长率 ≥10 10 / ≥8 8 / ≥6 6 / ≥4 4 / ≥0 2 / 0: 1000 → 1100 → 1210
    # is 10% twice; just below/above moves the latest year by 0.01 万元
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1100},
                     0: {"main_revenue": 1210}}, 10),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1100},
                     0: {"main_revenue": "1209.99"}}, 8),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1100},
                     0: {"main_revenue": "1210.01"}}, 10),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1080},
                     0: {"main_revenue": "1166.4"}}, 8),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1080},
                     0: {"main_revenue": "1166.39"}}, 6),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1080},
                     0: {"main_revenue": "1166.41"}}, 8),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1060},
                     0: {"main_revenue": "1123.6"}}, 6),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1060},
                     0: {"main_revenue": "1123.59"}}, 4),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1060},
                     0: {"main_revenue": "1123.61"}}, 6),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1040},
                     0: {"main_revenue": "1081.6"}}, 4),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1040},
                     0: {"main_revenue": "1081.59"}}, 2),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1040},
                     0: {"main_revenue": "1081.61"}}, 4),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1000},
                     0: {"main_revenue": 1000}}, 2),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1000},
                     0: {"main_revenue": "999.99"}}, 0),
    ("main_growth", {2: {"main_revenue": 1000}, 1: {"main_revenue": 1000},
                     0: {"main_revenue": "1000.01"}}, 2),
    # 从事特定细分市场年限：每满2年1分，最高5分
    ("niche_years", {0: {"niche_years": 10}}, 5),
    ("niche_years", {0: {"niche_years": "9.9"}}, 4),
    ("niche_years", {0: {"niche_years": "10.1"}}, 5),
    ("niche_years", {0: {"niche_years": 8}}, 4),
    ("niche_years", {0: {"niche_years": "7.9"}}, 3),
    ("niche_years", {0: {"niche_years": "8.1"}}, 4),
    ("niche_years", {0: {"niche_years": 6}}, 3),
    ("niche_years", {0: {"niche_years": "5.9"}}, 2),
    ("niche_years", {0: {"niche_years": "6.1"}}, 3),
    ("niche_years", {0: {"niche_years": 4}}, 2),
    ("niche_years", {0: {"niche_years": "3.9"}}, 1),
    ("niche_years", {0: {"niche_years": "4.1"}}, 2),
    ("niche_years", {0: {"niche_years": 2}}, 1),
    ("niche_years", {0: {"niche_years": "1.9"}}, 0),
    ("niche_years", {0: {"niche_years": "2.1"}}, 1),
    # 主导产品所属领域：1 补短板/锻长板/填空白 5, 2 六基/老字号/龙头 3, 3 其他 0
    ("field", {0: {"lead_field_class": 1}}, 5),
    ("field", {0: {"lead_field_class": 2}}, 3),
    ("field", {0: {"lead_field_class": 3}}, 0),
    # 数字化水平：三级以上 5, 二级 3, 一级 0
    ("digital", {0: {"digital_level": 4}}, 5),
    ("digital", {0: {"digital_level": 3}}, 5),
    ("digital", {0: {"digital_level": 2}}, 3),
    ("digital", {0: {"digital_level": 1}}, 0),
    ("digital", {0: {"digital_level": 0}}, 0),
    # 质量管理水平：每满足一项 3 分，最高 5 分
    ("quality", {0: {"quality_items": 0}}, 0),
    ("quality", {0: {"quality_items": 1}}, 3),
    ("quality", {0: {"quality_items": 2}}, 5),
    ("quality", {0: {"quality_items": 3}}, 5),
    # 净利润率 ≥10 10 / ≥8 8 / ≥6 6 / ≥4 4 / ≥2 2 / 0 (营业收入 2000)
    ("net_margin", {0: {"net_profit": 200}}, 10),
    ("net_margin", {0: {"net_profit": "199.99"}}, 8),
    ("net_margin", {0: {"net_profit": "200.01"}}, 10),
    ("net_margin", {0: {"net_profit": 160}}, 8),
    ("net_margin", {0: {"net_profit": "159.99"}}, 6),
    ("net_margin", {0: {"net_profit": "160.01"}}, 8),
    ("net_margin", {0: {"net_profit": 120}}, 6),
    ("net_margin", {0: {"net_profit": "119.99"}}, 4),
    ("net_margin", {0: {"net_profit": "120.01"}}, 6),
    ("net_margin", {0: {"net_profit": 80}}, 4),
    ("net_margin", {0: {"net_profit": "79.99"}}, 2),
    ("net_margin", {0: {"net_profit": "80.01"}}, 4),
    ("net_margin", {0: {"net_profit": 40}}, 2),
    ("net_margin", {0: {"net_profit": "39.99"}}, 0),
    ("net_margin", {0: {"net_profit": "40.01"}}, 2),
    # 资产负债率 ≤50 5 / ≤60 3 / ≤70 1 / 0 (资产 1000): below the edge is better
    ("debt_ratio", {0: {"total_liabilities": 500}}, 5),
    ("debt_ratio", {0: {"total_liabilities": "499.99"}}, 5),
    ("debt_ratio", {0: {"total_liabilities": "500.01"}}, 3),
    ("debt_ratio", {0: {"total_liabilities": 600}}, 3),
    ("debt_ratio", {0: {"total_liabilities": "599.99"}}, 3),
    ("debt_ratio", {0: {"total_liabilities": "600.01"}}, 1),
    ("debt_ratio", {0: {"total_liabilities": 700}}, 1),
    ("debt_ratio", {0: {"total_liabilities": "699.99"}}, 1),
    ("debt_ratio", {0: {"total_liabilities": "700.01"}}, 0),
    # 特色化：the platform's points as recorded
    ("local", {0: {"distinctive_score": 15}}, 15),
    ("local", {0: {"distinctive_score": 14}}, 14),
    ("local", {0: {"distinctive_score": 1}}, 1),
    ("local", {0: {"distinctive_score": 0}}, 0),
    # 知识产权：高价值Ⅰ类 10 / 自主研发Ⅰ类 8 / Ⅰ类 6 / Ⅱ类 2 / 0
    ("ip", {0: {"ip_class1": 3, "ip_class1_high_value": 1}}, 10),
    ("ip", {0: {"ip_class1": 3, "ip_class1_own": 1}}, 8),
    ("ip", {0: {"ip_class1": 3}}, 6),
    ("ip", {0: {"ip_class1": 0, "ip_class2": 1, "ip_class1_high_value": None,
                "ip_class1_own": None}}, 2),  # no Ⅰ类: none of its kinds either
    ("ip", {0: {"ip_class1": 0, "ip_class2": 0}}, 0),
    # 研发费用投入：金额 ≥500/400/300/200/100 万元，或占比 ≥10/8/6/4/3%，取高者
    # 营业收入 10000, so that the amount decides
    ("rd_input", {0: {"revenue": 10000, "rd_expense": 500}}, 10),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "499.99"}}, 8),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "500.01"}}, 10),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": 400}}, 8),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "399.99"}}, 6),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "400.01"}}, 8),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": 300}}, 6),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "299.99"}}, 4),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "300.01"}}, 6),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": 200}}, 4),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "199.99"}}, 2),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "200.01"}}, 4),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": 100}}, 2),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "99.99"}}, 0),
    ("rd_input", {0: {"revenue": 10000, "rd_expense": "100.01"}}, 2),
    # 营业收入 1000, so that the ratio decides (every amount under 100 万元 scores 0)
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "99.99"}}, 8),
    ("rd_input", {0: {"revenue": 999, "main_revenue": 900, "rd_expense": "99.9"}}, 10),  # 10% exactly
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 80}}, 8),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "79.99"}}, 6),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "80.01"}}, 8),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 60}}, 6),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "59.99"}}, 4),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "60.01"}}, 6),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 40}}, 4),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "39.99"}}, 2),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "40.01"}}, 4),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": 30}}, 2),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "29.99"}}, 0),
    ("rd_input", {0: {"revenue": 1000, "main_revenue": 900, "rd_expense": "30.01"}}, 2),
    # 研发人员占比 ≥20 5 / ≥10 3 / ≥5 1 / 0 (从业人员 1000)
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 200}}, 5),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 199}}, 3),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 201}}, 5),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 100}}, 3),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 99}}, 1),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 101}}, 3),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 50}}, 1),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 49}}, 0),
    ("rd_staff", {0: {"employees": 1000, "rd_staff": 51}}, 1),
    # 研发机构：国家级 10 / 省级 8 / 市级 4 / 市级以下 2 / 0
    ("lab", {0: {"national_rd_centers": 1}}, 10),
    ("lab", {0: {"provincial_rd_centers": 1}}, 8),
    ("lab", {0: {"municipal_rd_centers": 1}}, 4),
    ("lab", {0: {"lower_rd_centers": 1}}, 2),
    ("lab", {0: {"lower_rd_centers": 0}}, 0),
]


@pytest.mark.parametrize(("name", "changes", "points"), BANDS_13)
def test_every_band_of_the_13_indicators(name, changes, points):
    assert indicator(changes, name) == (points, points)


# --- 创新型中小企业：6 项指标 -----------------------------------------------------------------
# base: 营业收入 2000, 主营 1400 (70% → 20), 上年 1200 (增长 16.67% → 20), 研发 100 (5% → 20),
# 负债率 50% (→ 10), 高价值Ⅰ类 1 (→ 20) = 90; 领域 5–10 by hand

INNOVATIVE = {
    0: dict(revenue=2000, main_revenue=1400, rd_expense=100, total_assets=1000,
            total_liabilities=500, ip_class1=1, ip_class1_high_value=1, ip_class1_own=0,
            ip_class2=0),
    1: dict(revenue=1800, main_revenue=1200),
}


def innovative_points(changes, name):
    score = assessed("innovative", INNOVATIVE, changes)["announce/score"].score
    found = next(i for i in score.indicators if i.id == name)
    return found.low, found.high


BANDS_6 = [
    # 研发费用占营业收入 ≥5 20 / ≥3 15 / ≥2 10 / ≥1 5 / 0 (营业收入 2000)
    ("rd_ratio", {0: {"rd_expense": 100}}, 20),
    ("rd_ratio", {0: {"rd_expense": "99.99"}}, 15),
    ("rd_ratio", {0: {"rd_expense": "100.01"}}, 20),
    ("rd_ratio", {0: {"rd_expense": 60}}, 15),
    ("rd_ratio", {0: {"rd_expense": "59.99"}}, 10),
    ("rd_ratio", {0: {"rd_expense": "60.01"}}, 15),
    ("rd_ratio", {0: {"rd_expense": 40}}, 10),
    ("rd_ratio", {0: {"rd_expense": "39.99"}}, 5),
    ("rd_ratio", {0: {"rd_expense": "40.01"}}, 10),
    ("rd_ratio", {0: {"rd_expense": 20}}, 5),
    ("rd_ratio", {0: {"rd_expense": "19.99"}}, 0),
    ("rd_ratio", {0: {"rd_expense": "20.01"}}, 5),
    # 主营业务收入增长率 ≥15 20 / ≥10 15 / ≥5 10 / ≥0 5 / 0 (上年主营 1200)
    ("main_growth", {0: {"main_revenue": 1380}}, 20),
    ("main_growth", {0: {"main_revenue": "1379.99"}}, 15),
    ("main_growth", {0: {"main_revenue": "1380.01"}}, 20),
    ("main_growth", {0: {"main_revenue": 1320}}, 15),
    ("main_growth", {0: {"main_revenue": "1319.99"}}, 10),
    ("main_growth", {0: {"main_revenue": "1320.01"}}, 15),
    ("main_growth", {0: {"main_revenue": 1260}}, 10),
    ("main_growth", {0: {"main_revenue": "1259.99"}}, 5),
    ("main_growth", {0: {"main_revenue": "1260.01"}}, 10),
    ("main_growth", {0: {"main_revenue": 1200}}, 5),
    ("main_growth", {0: {"main_revenue": "1199.99"}}, 0),
    ("main_growth", {0: {"main_revenue": "1200.01"}}, 5),
    # 资产负债率 ≤55 10 / ≤75 5 / 0 (资产 1000)
    ("debt_ratio", {0: {"total_liabilities": 550}}, 10),
    ("debt_ratio", {0: {"total_liabilities": "549.99"}}, 10),
    ("debt_ratio", {0: {"total_liabilities": "550.01"}}, 5),
    ("debt_ratio", {0: {"total_liabilities": 750}}, 5),
    ("debt_ratio", {0: {"total_liabilities": "749.99"}}, 5),
    ("debt_ratio", {0: {"total_liabilities": "750.01"}}, 0),
    # 主营业务收入占比 ≥70 20 / ≥60 15 / ≥55 10 / ≥50 5 / 0 (营业收入 2000)
    ("main_ratio", {0: {"main_revenue": 1400}}, 20),
    ("main_ratio", {0: {"main_revenue": "1399.99"}}, 15),
    ("main_ratio", {0: {"main_revenue": "1400.01"}}, 20),
    ("main_ratio", {0: {"main_revenue": 1200}}, 15),
    ("main_ratio", {0: {"main_revenue": "1199.99"}}, 10),
    ("main_ratio", {0: {"main_revenue": "1200.01"}}, 15),
    ("main_ratio", {0: {"main_revenue": 1100}}, 10),
    ("main_ratio", {0: {"main_revenue": "1099.99"}}, 5),
    ("main_ratio", {0: {"main_revenue": "1100.01"}}, 10),
    ("main_ratio", {0: {"main_revenue": 1000}}, 5),
    ("main_ratio", {0: {"main_revenue": "999.99"}}, 0),
    ("main_ratio", {0: {"main_revenue": "1000.01"}}, 5),
    # 知识产权：高价值Ⅰ类 20 / 自主研发Ⅰ类 15 / Ⅰ类 10 / Ⅱ类 5 / 0
    ("ip", {}, 20),
    ("ip", {0: {"ip_class1_high_value": 0, "ip_class1_own": 1}}, 15),
    ("ip", {0: {"ip_class1_high_value": 0}}, 10),
    ("ip", {0: {"ip_class1": 0, "ip_class1_high_value": None, "ip_class2": 1}}, 5),
    ("ip", {0: {"ip_class1": 0, "ip_class1_high_value": 0}}, 0),
]


@pytest.mark.parametrize(("name", "changes", "points"), BANDS_6)
def test_every_band_of_the_6_indicators(name, changes, points):
    assert innovative_points(changes, name) == (points, points)


def test_innovative_only_the_field_is_left_to_check_by_hand():
    score = assessed("innovative", INNOVATIVE, {})["announce/score"].score
    assert [i.id for i in score.indicators if i.low != i.high] == ["field"]
    assert (score.low, score.high) == (95, 100)


# --- every threshold of the three tiers: at the edge, just below, just above ---------------
# (the edge is in for every 2022 threshold: 以上/不低于/达到 → ≥, 不高于 → ≤)

INNOVATIVE_THRESHOLDS = [
    # 直通：近三年新增股权融资总额500万元以上
    ("announce/route_equity", {0: {"equity_financing": 200}, 1: {"equity_financing": 200},
                               2: {"equity_financing": 100}}, MET),
    ("announce/route_equity", {0: {"equity_financing": 200}, 1: {"equity_financing": 200},
                               2: {"equity_financing": "99.99"}}, NOT_MET),
    ("announce/route_equity", {0: {"equity_financing": 200}, 1: {"equity_financing": 200},
                               2: {"equity_financing": "100.01"}}, MET),
]

ZJTX_THRESHOLDS = [
    # 从事特定细分市场时间达到2年以上
    ("niche", {0: {"niche_years": 2}}, MET),
    ("niche", {0: {"niche_years": "1.9"}}, NOT_MET),
    ("niche", {0: {"niche_years": "2.1"}}, MET),
    # 上年度研发费用总额不低于100万元
    ("rd/rd_amount", {0: {"rd_expense": 100}}, MET),
    ("rd/rd_amount", {0: {"rd_expense": "99.99"}}, NOT_MET),
    ("rd/rd_amount", {0: {"rd_expense": "100.01"}}, MET),
    # 占营业收入总额比重不低于3% (营业收入 4000: 120)
    ("rd/rd_ratio", {0: {"revenue": 4000, "rd_expense": 120}}, MET),
    ("rd/rd_ratio", {0: {"revenue": 4000, "rd_expense": "119.99"}}, NOT_MET),
    ("rd/rd_ratio", {0: {"revenue": 4000, "rd_expense": "120.01"}}, MET),
    # 上年度营业收入总额在1000万元以上
    ("revenue/revenue_amount", {0: {"revenue": 1000, "main_revenue": 900}}, MET),
    ("revenue/revenue_amount", {0: {"revenue": "999.99", "main_revenue": 900}}, NOT_MET),
    ("revenue/revenue_amount", {0: {"revenue": "1000.01", "main_revenue": 900}}, MET),
    # 或近2年新增股权融资总额达到2000万元以上
    ("revenue/revenue_equity", {0: {"equity_financing": 1200},
                                1: {"equity_financing": 800}}, MET),
    ("revenue/revenue_equity", {0: {"equity_financing": 1200},
                                1: {"equity_financing": "799.99"}}, NOT_MET),
    ("revenue/revenue_equity", {0: {"equity_financing": 1200},
                                1: {"equity_financing": "800.01"}}, MET),
    # 直通：近两年研发费用总额均值在1000万元以上 (营业收入 20000)
    ("score_or_route/route_rd", {0: {"revenue": 20000, "main_revenue": 18000,
                                     "rd_expense": 1100}, 1: {"rd_expense": 900}}, MET),
    ("score_or_route/route_rd", {0: {"revenue": 20000, "main_revenue": 18000,
                                     "rd_expense": "1099.99"}, 1: {"rd_expense": 900}}, NOT_MET),
    ("score_or_route/route_rd", {0: {"revenue": 20000, "main_revenue": 18000,
                                     "rd_expense": "1100.01"}, 1: {"rd_expense": 900}}, MET),
    # 直通：近两年新增股权融资总额6000万元以上
    ("score_or_route/route_equity", {0: {"equity_financing": 4000},
                                     1: {"equity_financing": 2000}}, MET),
    ("score_or_route/route_equity", {0: {"equity_financing": 4000},
                                     1: {"equity_financing": "1999.99"}}, NOT_MET),
    ("score_or_route/route_equity", {0: {"equity_financing": 4000},
                                     1: {"equity_financing": "2000.01"}}, MET),
]

# 小巨人: 营业收入 10000 (Ⅰ亿元档), 主营 7000 (70%), 研发 300 / 270 (3%, 3%), 负债率 70%,
# 占有率 10%, Ⅰ类 2, 细分市场 3 年; 主营 6000 → 6300 → 6615 (5%, 5%)
GIANT = {
    0: dict(revenue=10000, main_revenue=7000, rd_expense=300, niche_years=3,
            total_assets=1000, total_liabilities=700, market_share=10, ip_class1=2,
            employees=200, rd_staff=40),
    1: dict(revenue=9000, main_revenue=6300, rd_expense=270),
    2: dict(revenue=8000, main_revenue=6000),
}
RD = "innovation/innovation_general/rd_intensity"
SMALL = dict(revenue="4999.99", main_revenue=4000, rd_expense=1500, equity_financing=8000,
             rd_staff=100)  # 5000万元以下档, every part at its edge with 上年 below

GIANT_THRESHOLDS = [
    # 截至上年末，从事特定细分市场时间达到3年以上
    ("specialised/niche", {0: {"niche_years": 3}}, MET),
    ("specialised/niche", {0: {"niche_years": "2.9"}}, NOT_MET),
    ("specialised/niche", {0: {"niche_years": "3.1"}}, MET),
    # 主营业务收入总额占营业收入总额比重不低于70%
    ("specialised/main_ratio", {0: {"main_revenue": 7000}}, MET),
    ("specialised/main_ratio", {0: {"main_revenue": "6999.99"}}, NOT_MET),
    ("specialised/main_ratio", {0: {"main_revenue": "7000.01"}}, MET),
    # 近2年主营业务收入平均增长率不低于5% (6615 is 5% on 6300; main_ratio kept ≥ 70% by
    # raising 营业收入 is not needed: only this condition is read)
    ("specialised/main_growth", {0: {"main_revenue": 6615}}, MET),
    ("specialised/main_growth", {0: {"main_revenue": "6614.99"}}, NOT_MET),
    ("specialised/main_growth", {0: {"main_revenue": "6615.01"}}, MET),
    # 截至上年末资产负债率不高于70%: below the edge is the good side
    ("refined/debt_ratio", {0: {"total_liabilities": 700}}, MET),
    ("refined/debt_ratio", {0: {"total_liabilities": "700.01"}}, NOT_MET),
    ("refined/debt_ratio", {0: {"total_liabilities": "699.99"}}, MET),
    # 主导产品在全国细分市场占有率达到10%以上
    ("distinctive/market_share", {0: {"market_share": 10}}, MET),
    ("distinctive/market_share", {0: {"market_share": "9.999"}}, NOT_MET),
    ("distinctive/market_share", {0: {"market_share": "10.001"}}, MET),
    # 拥有2项以上与主导产品相关的Ⅰ类知识产权
    ("innovation/innovation_general/ip_class1", {0: {"ip_class1": 2}}, MET),
    ("innovation/innovation_general/ip_class1", {0: {"ip_class1": 1}}, NOT_MET),
    ("innovation/innovation_general/ip_class1", {0: {"ip_class1": 3}}, MET),
    # 营业收入1亿元以上：近2年研发费用占比均不低于3% (each year)
    (RD, {}, MET),
    (RD, {0: {"rd_expense": "299.99"}}, NOT_MET),
    (RD, {0: {"rd_expense": "300.01"}}, MET),
    (RD, {1: {"rd_expense": "269.99"}}, NOT_MET),
    (RD, {1: {"rd_expense": "270.01"}}, MET),
    # the band's own edges: 营业收入 10000 is in the 1亿元 band, 9999.99 in the 6% band
    (RD, {0: {"revenue": "9999.99"}}, NOT_MET),
    (RD, {0: {"revenue": "10000.01", "rd_expense": 301}}, MET),
    # 5000万元－1亿元：均不低于6% (营业收入 6000 / 9000: 360 / 540)
    (RD, {0: {"revenue": 6000, "main_revenue": 5000, "rd_expense": 360},
          1: {"rd_expense": 540}}, MET),
    (RD, {0: {"revenue": 6000, "main_revenue": 5000, "rd_expense": "359.99"},
          1: {"rd_expense": 540}}, NOT_MET),
    (RD, {0: {"revenue": 6000, "main_revenue": 5000, "rd_expense": "360.01"},
          1: {"rd_expense": 540}}, MET),
    (RD, {0: {"revenue": 6000, "main_revenue": 5000, "rd_expense": 360},
          1: {"rd_expense": "539.99"}}, NOT_MET),
    # 营业收入 5000 is in the 6% band (300 = 6%), 4999.99 in the small-firm band
    (RD, {0: {"revenue": 5000, "main_revenue": 4000, "rd_expense": 300},
          1: {"rd_expense": 540}}, MET),
    (RD, {0: {"revenue": "4999.99", "main_revenue": 4000, "rd_expense": 300},
          1: {"rd_expense": 540}}, NOT_MET),
    # 5000万元以下：股权融资8000万元以上、研发费用总额3000万元以上、研发人员比重50%以上
    (RD, {0: SMALL, 1: {"rd_expense": 1500, "equity_financing": 0}}, MET),
    (RD, {0: {**SMALL, "equity_financing": "7999.99"},
          1: {"rd_expense": 1500, "equity_financing": 0}}, NOT_MET),
    (RD, {0: {**SMALL, "equity_financing": "8000.01"},
          1: {"rd_expense": 1500, "equity_financing": 0}}, MET),
    (RD, {0: SMALL, 1: {"rd_expense": "1499.99", "equity_financing": 0}}, NOT_MET),
    (RD, {0: SMALL, 1: {"rd_expense": "1500.01", "equity_financing": 0}}, MET),
    (RD, {0: {**SMALL, "rd_staff": 99}, 1: {"rd_expense": 1500, "equity_financing": 0}},
     NOT_MET),
    (RD, {0: {**SMALL, "rd_staff": 101}, 1: {"rd_expense": 1500, "equity_financing": 0}},
     MET),
]


@pytest.mark.parametrize(("path", "changes", "expected"), INNOVATIVE_THRESHOLDS)
def test_every_threshold_of_the_innovative_tier(path, changes, expected):
    assert assessed("innovative", INNOVATIVE, changes)[path].status == expected


@pytest.mark.parametrize(("path", "changes", "expected"), ZJTX_THRESHOLDS)
def test_every_threshold_of_the_zjtx_tier(path, changes, expected):
    assert assessed("zjtx", ZJTX, changes, held={"innovative"})[path].status == expected


@pytest.mark.parametrize(("path", "changes", "expected"), GIANT_THRESHOLDS)
def test_every_threshold_of_the_little_giant_tier(path, changes, expected):
    assert assessed("little_giant", GIANT, changes, held={"zjtx"})[path].status == expected
