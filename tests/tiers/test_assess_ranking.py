"""The candidates ranked from the verdict columns alone (``tiers.assess.ranking``) are the
list the detailed path gives — every firm assessed in full, then sorted — firm for firm and
in the same order, with the same counts; each listed firm's detail on demand is the one
``candidates`` gives (issue #17: 候选企业 opening in under a second)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.tiers.test_assess_columnar import CASES, LADDER, Y, publicise, random_firm
from tiers import assess
from tiers.assess import rule_sets
from tiers.assess.candidates import report_row
from tiers.assess.county_columns import county_of
from tiers.assess.firm import LostTitle
from tiers.assess.ranking import details, rank
from tiers.assess.rules import for_review
from tiers.model import reference
from tiers.progress import drain
from tiers.services import demo

TODAY = dt.date(2026, 6, 1)
# the title 现有梯度 names first, by the roster's ranking (a 市级专精特新 above a 创新型; 链主
# no rank), a higher one first among equals
HELD_RANK = {tier.name: tier.rank for tier in reference.tiers() if tier.code != "chain_leader"}


def detailed_order(assessments, include_not_ready):
    """The order as it was built before the ranked list existed: every firm assessed in
    detail, the holders, those 公示中 for the tier or higher and (unless asked for) the 不符合
    left out, sorted on the assessments themselves."""
    kept = [item for item in assessments if not item.already_held and not item.pending_tier
            and (include_not_ready or item.readiness != assess.NOT_READY)]

    def key(item):
        score = item.score.low if item.score is not None else 0
        core = item.core_manual if item.manual else 0
        # the group by its rank (尚未取得前提认定, numbered last, ranks after 缺数据), and in
        # that group the firms one title short first (not two: no 创新型 nor 省级专精特新
        # for 小巨人), then those lacking no other data; the 不符合 only near-missing before
        # those far, fewer far first
        apart = ((item.rungs, item.missing) if item.readiness == assess.PREREQUISITE
                 else (item.far, 0) if item.readiness == assess.NOT_READY else (0, 0))
        return (assess.READINESS_RANK[item.readiness], apart, core, item.manual, item.missing,
                item.shortfalls, -score, -HELD_RANK.get(item.current_tier.split("、")[0], -1), item.name,
                item.enterprise_id)

    ranked = sorted((i for i in kept if i.readiness != assess.FLAGGED), key=key)
    flagged = sorted((i for i in kept if i.readiness == assess.FLAGGED),
                     key=lambda item: (item.name, item.enterprise_id))
    return ranked, flagged, sum(item.already_held for item in assessments), sum(
        not item.already_held and not item.pending_tier
        and item.readiness == assess.NOT_READY for item in assessments)


def publicised(assessments):
    """The firms left out as 公示中: not holding the tier, on a list of it or a higher one."""
    return sum(bool(item.pending_tier) for item in assessments)


def lost_title(rng: random.Random) -> LostTitle:
    """A title run out or revoked; run out, maybe still in its 复核: the round is this year
    (TODAY's), or it was last year and its list is awaited (ladder.review_results_by)."""
    revoked = rng.choice((None, dt.date(2025, 3, 1)))
    state = rng.random() if revoked is None else 1
    if state < 0.3:
        return LostTitle(batch="第五批（2023年）", valid_until=dt.date(2026, 2, 28),
                         review_due=True, review_year=TODAY.year)
    if state < 0.45:
        return LostTitle(batch="第五批（2022年）", valid_until=dt.date(2025, 12, 31),
                         review_year=TODAY.year - 1, results_by=dt.date(TODAY.year, 6, 30))
    return LostTitle(batch="2022年度", valid_until=dt.date(2025, 9, 30), revoked_on=revoked)


def lose(rng: random.Random, firms) -> None:
    """Give some firms ladder titles held once and lost (run out or revoked: the ranked
    list shows 前提认定已到期/已撤销 as the detail does; run out and in its 复核: judged as
    that 复核, by its own rules) and titles off the ladder (local, 链主: 现有梯度), from an
    rng of their own."""
    for firm in firms.values():
        firm.lost = {code: lost_title(rng)
                     for code in LADDER if code not in firm.held and rng.random() < 0.2}
        firm.others = frozenset(code for code in ("city_zjtx", "hidden_champion",
                                                  "chain_leader") if rng.random() < 0.1)


@pytest.mark.parametrize(("name", "code"), CASES)
@pytest.mark.parametrize("include_not_ready", [False, True])
def test_ranked_from_columns_is_the_detailed_order(name, code, include_not_ready):
    rng = random.Random(f"rank-{name}-{code}")
    firms = {i: random_firm(rng, i) for i in range(1, 401)}
    for firm in firms.values():  # names that tie, so that the id decides between them
        firm.name = rng.choice(("常州甲公司", "常州乙公司", "溧阳丙公司", firm.name))
    publicise(rng, firms)
    lose(random.Random(f"lost-{name}-{code}"), firms)
    rules = rule_sets()[name].tiers[code]
    found = rank(county_of(firms), rules, Y, today=TODAY, include_not_ready=include_not_ready)

    def rules_of(firm):  # a firm in its 复核: by its round's rules, as a firm alone is,
        if firm.review_title(code) is None:  # with their 复核 exemptions (for_review)
            return rules
        return for_review(assess.rules_for(code, assess.choose(code, on=TODAY, firm=firm).name))
    assessments = [assess.assess(firm, rules_of(firm), Y) for firm in firms.values()]
    ranked, flagged, held, not_ready = detailed_order(assessments, include_not_ready)
    assert found.excluded_pending == publicised(assessments) > 0
    # firms in their 复核 are listed, judged by their own rules: the same as alone
    assert sum(bool(item.review) for item in assessments) > 0
    reviewed = [item for item in ranked + flagged if item.review]
    assert reviewed or not include_not_ready
    assert {item.enterprise_id for item in reviewed} == set(found.reviews)
    for item in reviewed:
        assert found.rules_of(item.enterprise_id)[0].rule_set.name == item.rule_set
    assert [item.enterprise_id for item in found.ranked] == [i.enterprise_id for i in ranked]
    assert [item.enterprise_id for item in found.flagged] == [i.enterprise_id for i in flagged]
    assert (found.excluded_held, found.not_ready) == (held, 0 if include_not_ready
                                                      else not_ready)
    for item, detailed in zip(found.listed(), ranked + flagged, strict=True):
        assert (item.readiness_text, item.current_tier, item.name, item.credit_code) == (
            detailed.readiness_text, detailed.current_tier, detailed.name,
            detailed.credit_code)


@pytest.fixture
def demo_county(session):
    for _ in demo.generate(session, enterprises=400, today=TODAY):
        pass
    session.flush()
    return session


@pytest.mark.parametrize("tier", ["zjtx", "little_giant", "innovative"])
def test_ranked_from_the_database_is_the_candidates_list(demo_county, tier):
    session = demo_county
    found = drain(assess.ranked_steps(session, tier, today=TODAY, include_not_ready=True))
    listed = assess.candidates(session, tier, today=TODAY, include_not_ready=True)
    assert [item.enterprise_id for item in found.listed()] == [
        item.enterprise_id for item in listed.ranked + listed.flagged]
    assert (found.excluded_held, found.not_ready) == (listed.excluded_held, listed.not_ready)
    assert found.excluded_pending == listed.excluded_pending
    # (the demo county's provincial batch is 公示中 only in December: none on TODAY)
    assert found.excluded_pending == 0


def test_the_demo_countys_publicity_in_december_is_left_out_alike(session):
    """In its season the demo county's provincial 专精特新 batch is 公示中: both paths leave
    its firms out of the 专精特新 candidates, and count them alike."""
    december = dt.date(TODAY.year, 12, 4)
    for _ in demo.generate(session, enterprises=400, today=december):
        pass
    session.flush()
    found = drain(assess.ranked_steps(session, "zjtx", today=december, include_not_ready=True))
    listed = assess.candidates(session, "zjtx", today=december, include_not_ready=True)
    assert found.excluded_pending == listed.excluded_pending > 0
    assert found.pending_names == listed.pending_names
    assert [item.enterprise_id for item in found.listed()] == [
        item.enterprise_id for item in listed.ranked + listed.flagged]
    assert found.listed(), "the demo county lists somebody"
    # the details on demand are the assessments the full list carries, row for row
    by_id = details(session, found, [item.enterprise_id for item in found.listed()])
    for seq, (item, full) in enumerate(zip(found.listed(), listed.ranked + listed.flagged,
                                           strict=True), start=1):
        assert report_row(by_id[item.enterprise_id], seq) == report_row(full, seq)
        assert (item.county, item.town, item.readiness_label) == (
            full.county, full.town, full.readiness_label)


def test_the_county_filter_and_the_counts(demo_county):
    session = demo_county
    county = next(name for name in ("武进区", "新北区", "溧阳市", "金坛区")
                  if assess.candidates(session, "zjtx", today=TODAY, county=name).ranked)
    found = drain(assess.ranked_steps(session, "zjtx", today=TODAY, county=county))
    listed = assess.candidates(session, "zjtx", today=TODAY, county=county)
    assert [item.enterprise_id for item in found.ranked] == [
        item.enterprise_id for item in listed.ranked]
    assert {item.county for item in found.ranked} == {county}
    assert (found.tier_name, found.rule_set, found.rule_reason) == (
        listed.tier_name, listed.rule_set, listed.rule_reason)


def test_ranking_can_be_cancelled_before_it_reads(demo_county):
    from tiers.errors import Cancelled

    with pytest.raises(Cancelled):
        drain(assess.ranked_steps(demo_county, "zjtx", today=TODAY), lambda step: True)
