"""差一项 is a near miss: a firm below half of a numeric bar (单项冠军's 4 亿元 at 5%) is far
from it, 不符合 whatever else it meets, and its verdict says how far. The detailed assessment
and the county's columns agree, in an ``any`` a near miss is taken before a far one, and a
bar every year must reach is as far as its farthest year (tiers.assess.near)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tiers import assess
from tiers.assess import metrics, near
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import County, county_of
from tiers.assess.firm import FirmData
from tiers.assess.rules import load_rule_set

Y = 2025
CHAMPION = "单项冠军2023办法"


def champion_firm(mean_main_revenue, niche_years=12, enterprise_id=1) -> FirmData:
    """A firm meeting 单项冠军's figures but the 近3年平均主营业务收入 given."""
    years = {year: {"revenue": Decimal(mean_main_revenue) * 2,
                    "main_revenue": Decimal(mean_main_revenue), "niche_years": niche_years}
             for year in range(Y - 2, Y + 1)}
    return FirmData(enterprise_id=enterprise_id, credit_code=f"C{enterprise_id}",
                    name=f"常州近远{enterprise_id}号有限公司", figures=years,
                    held=frozenset({"little_giant"}))


def both(firms: list[FirmData], rules) -> tuple[list, object]:
    """The detailed assessments, and the column-wise verdicts (each pass: as the float pass
    sees them too) — checked equal firm by firm."""
    numbered = {number: data for number, data in enumerate(firms, start=1)}
    for number, data in numbered.items():
        data.enterprise_id = number
    detailed = [assess.assess(data, rules, Y) for data in numbered.values()]
    county = county_of(numbered)
    for found in (verdicts(county, rules, Y), verdicts(as_floats(county), rules, Y)):
        assert found.readiness == [d.readiness for d in detailed]
        assert found.shortfalls == [d.shortfalls for d in detailed]
        assert found.far == [d.far for d in detailed]
        assert found.missing == [d.missing for d in detailed]
    return detailed, found


def as_floats(county: County) -> County:
    """The county as a driver gives it (floats), so that the float pass runs first."""
    rows = {year: [None if row is None else tuple(
        float(v) if isinstance(v, Decimal) else v for v in row) for row in firms]
        for year, firms in county.rows.items()}
    converters = {name: (lambda v: Decimal(f"{v:.4f}")) for name in metrics.FIELDS}
    return County(ids=county.ids, names=county.names, held=county.held, rows=rows,
                  converters=converters)


def test_a_firm_at_5_percent_of_the_bar_is_not_one_item_short():
    rules = assess.rules_for("single_champion", CHAMPION)
    detailed, found = both([champion_firm(2000)], rules)
    result = detailed[0]
    assert (result.shortfalls, result.far) == (1, 1)
    assert result.readiness == assess.NOT_READY and result.readiness_label == "不符合"
    assert result.verdict == "不符合：近3年平均主营业务收入不低于4亿元（现 2000 万元，仅达到 5%）"
    assert found.far == [1]


@pytest.mark.parametrize(("mean", "readiness"), [
    ("30000", assess.ONE_SHORT),  # 75%: push it next year
    ("20000", assess.ONE_SHORT),  # exactly half: near
    ("19999.99", assess.NOT_READY),  # a hair below half: far
    ("0", assess.NOT_READY),
])
def test_near_and_far_at_half_the_bar(mean, readiness):
    rules = assess.rules_for("single_champion", CHAMPION)
    detailed, _ = both([champion_firm(mean)], rules)
    result = detailed[0]
    assert result.readiness == readiness, result.verdict
    if readiness == assess.ONE_SHORT:
        assert result.verdict.startswith("差一项：近3年平均主营业务收入不低于4亿元（差 ")
        assert "仅达到" not in result.verdict
    elif mean == "0":
        assert result.verdict == "不符合：近3年平均主营业务收入不低于4亿元（现 0 万元）"
    else:
        assert result.verdict == ("不符合：近3年平均主营业务收入不低于4亿元"
                                  "（现 19999.99 万元，仅达到 49%）")


def test_far_with_another_shortfall_names_how_far_in_the_list():
    rules = assess.rules_for("single_champion", CHAMPION)
    detailed, _ = both([champion_firm(8000, niche_years=7)], rules)
    assert detailed[0].readiness == assess.NOT_READY
    assert detailed[0].verdict == (
        "不符合：差 2 项（近3年平均主营业务收入不低于4亿元：现 8000 万元，仅达到 20%；"
        "从事相关业务领域的时间达到10年以上：现 7 年，仅达到 70%）")
    # two near shortfalls read as before (9 of 10 years: one year short, near)
    near_two, _ = both([champion_firm(30000, niche_years=9)], rules)
    assert near_two[0].verdict == ("不符合：差 2 项（近3年平均主营业务收入不低于4亿元；"
                                   "从事相关业务领域的时间达到10年以上）")


def test_far_is_not_data_missing_either():
    """A far shortfall and data missing: no figure still to come brings it near."""
    rules = assess.rules_for("single_champion", CHAMPION)
    data = champion_firm(2000)
    for row in data.figures.values():
        row["niche_years"] = None
    detailed, _ = both([data], rules)
    result = detailed[0]
    assert (result.shortfalls, result.far, result.missing) == (1, 1, 1)
    assert result.readiness == assess.NOT_READY
    assert result.verdict == ("不符合：近3年平均主营业务收入不低于4亿元（现 2000 万元，仅达到 5%）"
                              "；另缺数据：缺少2025年度从事特定细分市场年限")
    # near, with the same data missing: 缺数据 as before
    near_one, _ = both([champion_firm(30000)], rules)
    assert near_one[0].readiness == assess.ONE_SHORT


RULES = """
[rule_set]
name = "近远测试"
effective_from = 2020-01-01

[[tier]]
code = "single_champion"

[[tier.condition]]
id = "revenue"
kind = "threshold"
title = "近2年营业收入每年不低于1000万元"
metric = "revenue"
value = 1000
years = 2
aggregate = "each"

[[tier.condition]]
id = "strength"
kind = "any"
title = "知识产权或人员（其一）"

[[tier.condition]]
id = "ip"
parent = "strength"
kind = "threshold"
title = "拥有10项以上Ⅰ类知识产权"
metric = "ip_class1"
value = 10

[[tier.condition]]
id = "staff"
parent = "strength"
kind = "threshold"
title = "从业人员不低于100人"
metric = "employees"
value = 100

[[tier.condition]]
id = "rd_ratio"
kind = "threshold"
title = "研发费用占营业收入比重不低于3%"
metric = "rd_ratio"
value = 3

[[tier.condition]]
id = "own"
kind = "threshold"
title = "拥有1项以上Ⅱ类知识产权"
metric = "ip_class2"
value = 1
"""


@pytest.fixture
def rules(tmp_path: Path):
    path = tmp_path / "near.toml"
    path.write_text(RULES, encoding="utf-8")
    return load_rule_set(path).tiers["single_champion"]


def plain_firm(**latest) -> FirmData:
    """Meets every condition of RULES unless ``latest`` (上年度's figures) says otherwise."""
    good = {"revenue": Decimal(2000), "rd_expense": Decimal(100), "ip_class1": 12,
            "ip_class2": 2, "employees": 150}
    return FirmData(enterprise_id=1, credit_code="C1", name="常州近远有限公司",
                    figures={Y - 1: dict(good), Y: {**good, **latest}})


def test_an_any_takes_the_near_miss_before_the_far_one(rules):
    # intellectual property far (2 of 10), staff near (60 of 100): short of the staff
    far_ip = plain_firm(ip_class1=2, employees=60)
    # the other way round, the first branch is the near one
    far_staff = plain_firm(ip_class1=6, employees=20)
    both_far = plain_firm(ip_class1=2, employees=20)
    detailed, _ = both([far_ip, far_staff, both_far], rules)
    assert [d.readiness for d in detailed] == [assess.ONE_SHORT, assess.ONE_SHORT,
                                               assess.NOT_READY]
    assert detailed[0].verdict.startswith("差一项：从业人员不低于100人（差 40 人）")
    assert detailed[1].verdict.startswith("差一项：拥有10项以上Ⅰ类知识产权（差 4 项）")
    # both far: the first branch, and how far it is
    assert detailed[2].verdict == "不符合：拥有10项以上Ⅰ类知识产权（现 2 项，仅达到 20%）"


def test_a_bar_every_year_must_reach_is_as_far_as_its_farthest_year(rules):
    earlier_far = plain_firm()
    earlier_far.figures[Y - 1]["revenue"] = Decimal(300)
    earlier_far.figures[Y - 1]["rd_expense"] = Decimal(30)
    latest_near = plain_firm(revenue=Decimal(800), rd_expense=Decimal(40))
    detailed, _ = both([earlier_far, latest_near], rules)
    assert detailed[0].readiness == assess.NOT_READY
    assert detailed[0].verdict == "不符合：近2年营业收入每年不低于1000万元（2024年度 300 万元，仅达到 30%）"
    assert detailed[1].readiness == assess.ONE_SHORT


def test_percentages_places_and_having_one_are_never_far(rules):
    low_ratio = plain_firm(rd_expense=Decimal(10))  # 0.5% of revenue against 3%
    none_of_one = plain_firm(ip_class2=0)  # 拥有1项: none is one item short
    detailed, found = both([low_ratio, none_of_one], rules)
    assert [d.readiness for d in detailed] == [assess.ONE_SHORT, assess.ONE_SHORT]
    assert found.far == [0, 0]
    metric = metrics.METRICS
    assert not near.judged(metric["rd_ratio"], ">=", Decimal(3))
    assert not near.judged(metric["domestic_rank"], "<=", Decimal(3))
    assert not near.judged(metric["ip_class1"], ">=", Decimal(1))
    assert near.judged(metric["main_revenue"], ">=", Decimal(40000))
    assert near.judged(metric["niche_years"], ">", Decimal(10))
    assert not near.judged(metric["revenue"], "<=", Decimal(40000))


def test_the_near_fraction_is_half():
    assert Decimal("0.5") == near.NEAR_FRACTION
    assert near.reach(None, Decimal("0.3"), "万元", Decimal(40000)) == "现 0.3 万元，不足 1%"


def test_from_far_to_near_is_progress_in_the_cultivation_pool():
    from tiers.assess.cultivation import _trend

    rules = assess.rules_for("single_champion", CHAMPION)
    far_before = assess.assess(champion_firm(8000), rules, Y)
    near_now = assess.assess(champion_firm(30000), rules, Y)
    assert (far_before.readiness, near_now.readiness) == (assess.NOT_READY, assess.ONE_SHORT)
    assert _trend(far_before, near_now) == "进步"
    assert _trend(near_now, far_before) == "退步"


# --- review of the merge (the nineteenth session) ---------------------------------------

def _small_2026_firm(revenue: str, equity: str | None) -> FirmData:
    """A 2026 专精特新 applicant holding 创新型 whose size condition (营业收入 1500 万元, or a
    direct route of 股权投资 2000 万元) turns on the two values given."""
    good = {"revenue": Decimal(revenue), "main_revenue": Decimal(revenue) * Decimal("0.93"),
            "rd_expense": Decimal(110), "net_profit": Decimal(100), "employees": 50,
            "rd_staff": 10, "ip_class1": 2, "niche_years": 5, "market_share": Decimal(20),
            "total_assets": Decimal(2000), "total_liabilities": Decimal(800),
            "equity_financing": None if equity is None else Decimal(equity),
            "development_score": Decimal(70), "lead_product_ratio": Decimal(80)}
    years = {year: dict(good) for year in range(Y - 3, Y + 1)}
    return FirmData(enterprise_id=1, credit_code="C1", name="常州直通有限公司", figures=years,
                    held=frozenset({"innovative"}))


def test_a_route_still_open_keeps_a_far_general_branch_from_being_far():
    """A direct route (股权投资) not known: the size condition is 缺数据 itself, so its far
    general branch (营业收入 700 of 1500 万元) does not make the firm 不符合; known to be
    short, the condition is 不满足 and the miss is far."""
    rules = assess.rules_for("zjtx", "2026办法")
    detailed, _ = both([_small_2026_firm("700", None), _small_2026_firm("700", "0")], rules)
    unknown, none = detailed
    assert unknown.far == 0 and unknown.readiness != assess.NOT_READY, unknown.verdict
    assert none.far == 1 and none.readiness == assess.NOT_READY, none.verdict


@pytest.mark.parametrize(("years", "far"), [("9", 0), ("8", 1), ("8.5", 1)])
def test_years_are_far_more_than_one_year_short(years, far):
    """单项冠军2016's 10 years: 9 is one year away (near); 8 is not, though it is 80%. The
    condition as a whole is not far: its 新产品 3 years is met, to be checked by hand."""
    rules = assess.rules_for("single_champion", "单项冠军2016方案")
    detailed, _ = both([champion_firm(40000, niche_years=Decimal(years))], rules)
    found = dict(detailed[0].walk())
    assert found["years/years_ten"].far == far, detailed[0].verdict
    assert found["years"].status == assess.MANUAL and detailed[0].far == 0


def test_a_flagged_firm_has_no_far_count_on_either_path():
    rules = assess.rules_for("single_champion", CHAMPION)
    firm = champion_firm("-500")
    detailed = assess.assess(firm, rules, Y)
    found = verdicts(county_of({1: firm}), rules, Y)
    assert detailed.readiness == found.readiness[0] == assess.FLAGGED
    assert detailed.far == found.far[0] == 0
