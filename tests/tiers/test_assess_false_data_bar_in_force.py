"""The 数据造假 bar is a clause of the 2026办法, in force from 2026-04-01 (domain.md §2.5: new
applications from that day are judged by it; earlier ones by the 2022暂行办法, whose text on
false data domain.md does not record). An assessment dated 2026-03-20 barred a firm as
不符合 by the 2026 clause without saying so. Dated before the 办法 took effect and judged by
another rule set, the revocation is now a core condition 需人工核实 that says which rules and
why; judged by the 办法 itself (chosen, or side by side), or for 单项冠军 (its 2023办法 in
force since 2023-09-01), the bar applies, naming the 办法 and its date — on the detailed
path and the county's columns alike."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_county import TODAY, Y
from tests.tiers.test_assess_false_data_bar import revoked
from tiers import assess
from tiers.assess.bar import BAR_ID, BAR_NOT_IN_FORCE_ID
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import load_county
from tiers.assess.results import MANUAL, NOT_READY, TO_VERIFY

assert dt.date(2026, 4, 1) > TODAY  # the case: a day before the 2026办法


def test_before_the_2026_rules_the_revocation_is_checked_by_hand(session, enterprise_factory):
    barred = revoked(session, enterprise_factory, "常州造假科技有限公司",
                     on=dt.date(2025, 11, 3), reason="数据造假")
    session.flush()
    item = assess.assess_enterprise(session, barred.id, "little_giant", today=TODAY)
    assert item.rule_set == "2022暂行办法"  # chosen by the day
    assert not any(c.id == BAR_ID for c in item.conditions)
    first = item.conditions[0]
    assert (first.id, first.status, first.secondary) == (BAR_NOT_IN_FORCE_ID, MANUAL, False)
    assert first.detail == (
        "专精特新“小巨人”企业认定于 2025-11-03 因“数据造假”撤销；“3年内不得申报”出自2026办法，"
        "2026-04-01起施行，本次预审日期 2026-03-20 在此之前，按2022暂行办法测算，不据此判定；"
        "domain.md 未载2022暂行办法对数据造假撤销后能否申报的规定，请人工核实")
    # a firm meeting every condition is no longer 条件均满足 but 待人工核实, not 不符合
    assert item.readiness == TO_VERIFY and not item.verdict.startswith("不符合")
    assert first.title in item.verdict
    # the county's columns agree
    county = load_county(session, years=range(Y - 3, Y + 1), today=TODAY)
    rules = assess.rules_for("little_giant", "2022暂行办法")
    found = verdicts(county, rules, Y)
    detailed = assess.assess(assess.load_firms(session, years=range(Y - 3, Y + 1), today=TODAY,
                                               ids=[barred.id])[barred.id], rules, Y)
    position = county.ids.index(barred.id)
    assert (found.readiness[position], found.shortfalls[position], found.manual[position],
            found.core_manual[position]) == (detailed.readiness, detailed.shortfalls,
                                             detailed.manual, detailed.core_manual)
    assert found.readiness[position] == TO_VERIFY


def test_judged_by_the_2026_rules_themselves_the_bar_applies_and_says_so(
        session, enterprise_factory):
    barred = revoked(session, enterprise_factory, "常州造假科技有限公司",
                     on=dt.date(2025, 11, 3), reason="数据造假")
    session.flush()
    item = assess.assess_enterprise(session, barred.id, "little_giant", rule_set="2026办法",
                                    today=TODAY)
    [bar] = [c for c in item.conditions if c.id == BAR_ID]
    assert bar.detail.endswith("（依所用规则集2026办法（2026-04-01起施行））")
    assert item.readiness == NOT_READY
    side_by_side = assess.compare_rule_sets(session, barred.id, "little_giant", today=TODAY)
    assert [(each.rule_set, each.conditions[0].id) for each in side_by_side] == [
        ("2022暂行办法", BAR_NOT_IN_FORCE_ID), ("2026办法", BAR_ID)]
    # 单项冠军: its own 2023办法 (in force since 2023-09-01) asks 近3年无数据造假
    champion = assess.assess_enterprise(session, barred.id, "single_champion", today=TODAY)
    [bar] = [c for c in champion.conditions if c.id == BAR_ID]
    assert bar.detail.endswith("（推定依单项冠军2023办法，2023-09-01起施行）")
    assert champion.readiness == NOT_READY


def test_a_champion_assessed_before_its_2023_rules_is_checked_by_hand(session,
                                                                      enterprise_factory):
    barred = revoked(session, enterprise_factory, "常州造假科技有限公司",
                     on=dt.date(2023, 8, 15), reason="数据造假")  # (recognised 08-01)
    session.flush()
    item = assess.assess_enterprise(session, barred.id, "single_champion",
                                    today=dt.date(2023, 8, 20))
    assert item.rule_set == "单项冠军2016方案"
    assert item.conditions[0].id == BAR_NOT_IN_FORCE_ID
    assert "出自单项冠军2023办法，2023-09-01起施行" in item.conditions[0].detail
