"""The 2026办法's 复核 exemptions (domain.md §2.5): a 复核 — a title of the tier whose
validity ends this year, or one run out and still in its 复核 round — is not tested on the
小巨人's 近两年营业收入复合增长率 (复核企业不考核此项), and passes the 专精特新发展评价得分 on
either of the last two years (复核企业近两年任一年达标即可). A new application is judged on
both as before. The per-firm assessment and the county's 候选企业 list agree."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.tiers.test_assess_edges import GIANT_2026, Y, figures
from tiers import assess
from tiers.assess import MET, MISSING, NOT_MET, FirmData, rules_for
from tiers.assess.rules import for_review
from tiers.services import figures as figure_service
from tiers.services import recognitions


def test_for_review_marks_only_what_the_rule_text_exempts():
    rules = rules_for("little_giant", "2026办法")
    review = {c.id: c for c in for_review(rules).walk()}
    assert review["growth"].kind == "given"
    assert review["growth"].title.endswith("（复核企业不考核此项）")
    assert (review["score"].years, review["score"].aggregate) == (2, "max")
    assert review["score"].title.endswith("（复核企业近两年任一年达标即可）")
    assert {c.id: c for c in rules.walk()}["growth"].kind == "threshold"  # (untouched)
    zjtx = {c.id: c for c in for_review(rules_for("zjtx", "2026办法")).walk()}
    assert (zjtx["score"].years, zjtx["score"].aggregate) == (2, "max")
    # the 2022 rules say nothing of the kind: the same rules
    for tier in ("zjtx", "little_giant"):
        assert for_review(rules_for(tier, "2022暂行办法")) is rules_for(tier, "2022暂行办法")


def _status(rules, changes, path):
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="常州复核测试有限公司",
                    figures=figures(GIANT_2026, changes), held=frozenset({"zjtx"}))
    result = assess.assess(firm, rules, Y)
    return dict(result.walk())[path].status


FLAT = {2: {"revenue": 10000, "main_revenue": 9500}}  # 复合增长率 0%


@pytest.mark.parametrize("changes, path, new, review", [
    (FLAT, "growth", NOT_MET, MET),
    ({0: {"development_score": 55}, 1: {"development_score": 65}}, "score", NOT_MET, MET),
    ({0: {"development_score": 65}, 1: {"development_score": 55}}, "score", MET, MET),
    ({0: {"development_score": 55}, 1: {"development_score": 58}}, "score", NOT_MET, NOT_MET),
    ({0: {"development_score": None}, 1: {"development_score": 62}}, "score", MISSING, MET),
    ({0: {"development_score": None}, 1: {"development_score": 50}}, "score", MISSING, MISSING),
])
def test_a_review_is_exempt_where_the_rules_say(changes, path, new, review):
    rules = rules_for("little_giant", "2026办法")
    assert _status(rules, changes, path) == new
    assert _status(for_review(rules), changes, path) == review


def _firm_in_db(session, enterprise_factory, name, changes):
    found = enterprise_factory(name)
    for year, row in figures(copy.deepcopy(GIANT_2026), changes).items():
        figure_service.set_year(session, found.id, year,
                                {k: v for k, v in row.items() if v is not None})
    recognitions.add(session, found.id, {"tier_code": "innovative", "batch_year": 2024,
                                         "recognized_on": dt.date(2024, 10, 1)})
    return found


def _leaves(item):
    return {leaf.id: leaf for leaf in item.leaves()}


def test_both_paths_judge_a_review_with_its_exemptions(session, enterprise_factory):
    """A 小巨人 (第五批, run out 2026-07-31, in its 2026 复核) judged under 2026办法 with flat
    revenue and 55 points this year, 65 last: both exempt; the same figures applying anew
    fall short on both. The 候选企业 row says what the firm's own assessment says."""
    changes = {**FLAT, 0: {"development_score": 55}, 1: {"development_score": 65}}
    review = _firm_in_db(session, enterprise_factory, "常州复核豁免科技有限公司", changes)
    recognitions.add(session, review.id, {"tier_code": "little_giant", "batch_year": 2023,
                                          "recognized_on": dt.date(2023, 8, 1),
                                          "batch_label": "第五批"})
    new = _firm_in_db(session, enterprise_factory, "常州新申报对照科技有限公司", changes)
    recognitions.add(session, new.id, {"tier_code": "zjtx", "batch_year": 2024,
                                       "recognized_on": dt.date(2024, 10, 1)})
    session.flush()
    today = dt.date(2026, 9, 1)
    listed = assess.candidates(session, "little_giant", today=today, include_not_ready=True,
                               rule_set="2026办法", year=Y)
    rows = {r.enterprise_id: r for r in listed.ranked + listed.flagged}
    for firm, status in ((review, MET), (new, NOT_MET)):
        item = assess.assess_enterprise(session, firm.id, "little_giant", today=today,
                                        rule_set="2026办法", year=Y)
        leaves = _leaves(item)
        assert (leaves["growth"].status, leaves["score"].status) == (status, status), firm.name
        assert (rows[firm.id].verdict, rows[firm.id].rule_set) == (item.verdict, item.rule_set)
    item = assess.assess_enterprise(session, review.id, "little_giant", today=today,
                                    rule_set="2026办法", year=Y)
    assert "复核企业不考核此项" in _leaves(item)["growth"].title
    assert item.score is not None and item.score.low == 65  # the year that passes


def test_a_lapsed_zjtx_in_its_round_passes_on_last_years_score(session, enterprise_factory):
    """A 2023年度 省级专精特新 run out 2026-12-27, in its 2026 复核, judged by the 2026办法 in
    force: 45 points this year, 52 last year pass (≥50 on either year); both paths agree."""
    changes = {0: {"development_score": 45}, 1: {"development_score": 52}}
    firm = _firm_in_db(session, enterprise_factory, "常州省级复核得分科技有限公司", changes)
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2023,
                                        "recognized_on": dt.date(2023, 12, 28),
                                        "batch_label": "2023年度"})
    session.flush()
    today = dt.date(2026, 12, 30)
    item = assess.assess_enterprise(session, firm.id, "zjtx", today=today, year=Y)
    assert item.rule_set == "2026办法" and "复核" in item.rule_reason
    assert _leaves(item)["score"].status == MET
    listed = assess.candidates(session, "zjtx", today=today, include_not_ready=True, year=Y)
    [row] = [r for r in listed.ranked + listed.flagged if r.enterprise_id == firm.id]
    assert (row.verdict, row.rule_set, row.readiness) == (item.verdict, item.rule_set,
                                                          item.readiness)


def test_a_title_due_this_year_is_a_review_under_any_rule_set_named(session,
                                                                    enterprise_factory):
    """A 小巨人 held until 2026-12-14 (its 2026 复核): by the rules its data call for (the
    2022 rules, 工信厅企业函〔2026〕117号) and by the 2026办法 named or set beside them
    (并列对比), a 复核 — the 复合增长率 not tested."""
    firm = _firm_in_db(session, enterprise_factory, "常州本年复核科技有限公司", FLAT)
    recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_year": 2023,
                                        "recognized_on": dt.date(2023, 12, 15),
                                        "batch_label": "第五批"})
    session.flush()
    today = dt.date(2026, 9, 1)
    named = assess.assess_enterprise(session, firm.id, "little_giant", today=today,
                                     rule_set="2026办法", year=Y)
    [beside] = [item for item in assess.compare_rule_sets(session, firm.id, "little_giant",
                                                          today=today, year=Y)
                if item.rule_set == "2026办法"]
    for item in (named, beside):
        assert _leaves(item)["growth"].status == MET
        assert "复核企业不考核此项" in _leaves(item)["growth"].title
