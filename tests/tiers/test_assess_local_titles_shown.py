"""候选企业's 现有梯度 names what a firm is, as the roster's 当前梯度 does: a firm whose only
titles are local (市级专精特新, 隐形冠军) or 链主 is not blank there. The ranked list (from
the county's columns), the detailed assessment and the 拟推荐 report's row say the same;
a firm with a rung of the ladder shows that rung as before. (The view itself:
tests/ui/test_candidates_local_titles.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import good_zjtx
from tests.tiers.test_assess_county import TODAY, add_firm
from tiers import assess
from tiers.assess.candidates import report_row
from tiers.assess.firm import title_words
from tiers.assess.ranking import details
from tiers.progress import drain
from tiers.queries.roster import roster_rows
from tiers.services import recognitions

RULES_2022 = "2022暂行办法"
LAST = dict(revenue=1900, main_revenue=1700, rd_expense=90)
# (the roster ranks 市级专精特新 above 创新型: so does 现有梯度, ``ladder``)
SHOWN = {"city": "市级专精特新中小企业", "hidden_leader": "隐形冠军企业、链主企业",
         "leader": "链主企业", "ladder": "市级专精特新中小企业", "none": ""}


@pytest.fixture
def local_firms(session, enterprise_factory):
    def firm(key, name, *titles, held=()):
        made = add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=held)
        for tier, more in titles:
            recognitions.add(session, made.id, {"tier_code": tier, "batch_year": 2024,
                                                "recognized_on": dt.date(2024, 10, 1), **more})
        found[key] = made.id

    found: dict[str, int] = {}
    leader = ("chain_leader", {"chain_code": "C07"})
    firm("city", "常州市级科技有限公司", ("city_zjtx", {"level": "市级"}))
    firm("hidden_leader", "常州隐冠科技有限公司", ("hidden_champion", {"level": "市级"}), leader)
    firm("leader", "常州链主科技有限公司", leader)
    firm("ladder", "常州创新科技有限公司", ("city_zjtx", {"level": "市级"}), leader,
         held=("innovative",))
    firm("none", "常州无称号科技有限公司")
    session.flush()
    return found


def test_local_titles_and_chain_leaders_are_shown(session, local_firms):
    ranked = drain(assess.ranked_steps(session, "zjtx", rule_set=RULES_2022, today=TODAY))
    shown = {item.enterprise_id: item.current_tier for item in ranked.listed()}
    assert {key: shown[i] for key, i in local_firms.items()} == SHOWN
    detailed = details(session, ranked, list(local_firms.values()))
    assert {key: detailed[i].current_tier for key, i in local_firms.items()} == SHOWN
    rows = assess.candidates_report_rows(session, "zjtx", rule_set=RULES_2022, today=TODAY)
    assert {row["enterprise_id"]: row["current_tier"] for row in rows} == {
        i: SHOWN[key] for key, i in local_firms.items()}
    one = assess.assess_enterprise(session, local_firms["city"], "zjtx",
                                   rule_set=RULES_2022, today=TODAY)
    assert one.current_tier == SHOWN["city"] and report_row(one, 1)["current_tier"] == \
        SHOWN["city"]


def test_title_words():
    assert title_words(frozenset(), frozenset()) == ""
    assert title_words(frozenset({"innovative", "zjtx"}), frozenset({"chain_leader"})) == \
        "省级专精特新中小企业"
    assert title_words(frozenset(), frozenset({"county_zjtx", "city_zjtx"})) == \
        "市级专精特新中小企业"


def test_the_roster_says_the_same(session, local_firms):
    """One ranking: 现有梯度 is the roster's 当前梯度, 链主企业 added only for a firm on no
    rung of the ladder (the roster says 链主 in its 产业链 column, this list has none)."""
    ranked = drain(assess.ranked_steps(session, "zjtx", rule_set=RULES_2022, today=TODAY))
    shown = {item.enterprise_id: item.current_tier for item in ranked.listed()}
    rows = roster_rows(session, list(local_firms.values()), today=TODAY)
    for row in rows:
        assert shown[row["id"]].removesuffix("链主企业").rstrip("、") == row["tier"]
    # with a rung of the ladder the roster's words alone, 链主 or not
    assert title_words(frozenset({"innovative"}), frozenset({"hidden_champion",
                                                             "chain_leader"})) == "隐形冠军企业"
