"""The far rule carried through: the 差距 cell (候选企业, 拟推荐 report) says how far a far
condition is (仅达到 N%) as the verdict does; among the 不符合, firms only near-missing rank
before those far, fewer far first, on the county's columns as on the detailed path; and the
2022 rules' computed 评价得分 is far too when even its best is below half the pass line."""

from __future__ import annotations

from decimal import Decimal

from tests.tiers.test_assess_evaluate import firm, zjtx_firm
from tests.tiers.test_assess_near import CHAMPION, Y, both, champion_firm
from tiers import assess
from tiers.assess.candidates import report_row
from tiers.assess.county_columns import county_of
from tiers.assess.ranking import assessed_rank_key, rank
from tiers.assess.results import NOT_MET


def test_the_gap_cell_says_how_far():
    rules = assess.rules_for("single_champion", CHAMPION)
    [item], _ = both([champion_firm(2000)], rules)
    assert item.readiness == assess.NOT_READY
    row = report_row(item, 1)
    assert "现 2000 万元，仅达到 5%" in item.verdict
    assert "现 2000 万元，仅达到 5%" in row["gaps"]
    [leaf] = [leaf for leaf in item.leaves(NOT_MET) if leaf.far]
    assert row["gaps"].startswith(f"{leaf.title}（{leaf.gap}；现 2000 万元，仅达到 5%）")
    # a near miss: the gap alone, as before
    [near_item], _ = both([champion_firm(39000)], rules)
    assert "仅达到" not in report_row(near_item, 1)["gaps"]


def test_near_missing_before_far_among_the_not_ready():
    rules = assess.rules_for("single_champion", CHAMPION)
    firms = [champion_firm(2000, niche_years=2),  # two far
             champion_firm(2000),  # one far
             champion_firm(39000, niche_years=9)]  # two short, both near
    for data in firms:
        data.name = "常州同名有限公司"  # names tie: the far counts decide
    detailed, found = both(firms, rules)
    assert [d.readiness for d in detailed] == [assess.NOT_READY] * 3
    assert [d.far for d in detailed] == [2, 1, 0]
    assert [d.shortfalls for d in detailed] == [2, 1, 2]
    order = [d.enterprise_id for d in sorted(detailed, key=assessed_rank_key)]
    assert order == [3, 2, 1]
    ranked = rank(county_of({d.enterprise_id: f for d, f in zip(detailed, firms, strict=True)}),
                  rules, Y, today=None, include_not_ready=True)
    assert [item.enterprise_id for item in ranked.ranked] == order


def test_a_computed_score_far_below_its_pass_line():
    rules = assess.rules_for("zjtx", "2022暂行办法")
    poor = zjtx_firm(ip_class1=0, ip_class2=0, ip_class1_high_value=0, ip_class1_own=0,
                     rd_expense=Decimal("1"), net_profit=Decimal("-10"), rd_staff=0,
                     digital_level=1, quality_items=0, national_rd_centers=0,
                     provincial_rd_centers=0, municipal_rd_centers=0, lower_rd_centers=0,
                     distinctive_score=0, lead_field_class=3)
    [item], found = both([firm(poor, held={"innovative"})], rules)
    score = next(node for _key, node in item.walk() if node.kind == "score")
    assert score.status == NOT_MET and score.score.high < 30
    assert score.far == 1 and score.reach.startswith(f"现 {score.score.high} 分")
    assert item.readiness == assess.NOT_READY and found.far == [item.far]
