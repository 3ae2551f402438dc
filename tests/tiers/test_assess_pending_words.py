"""How a prerequisite and the 培育库 say a 公示 list: a list of a tier the prerequisite
accepts, below the tier assessed, is the way to it (…，正式名单公布后方可申报) — under the
2026办法 a 创新型 list for 专精特新 (科技和创新型) as much as a 专精特新 list for 小巨人; a
list of the tier assessed or above is not (库中没有…认定；已在…). A batch is written as rosters
write it (第八批（2026年）), a 复核 list says 复核, and of two open lists of one tier the newer is
named whatever order the rows come in. A 公示 closed by its final list without the firm says
nothing; a firm holding its 培育 target reads 已认定 in the 培育库."""

from __future__ import annotations

import json

import pytest

from tests.conftest import entry_kept, good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_pending import LAST, OLD, OPEN_YEAR, publicise
from tests.tiers.test_assess_pending_lapse import listed
from tiers import assess
from tiers.services import cultivation
from ui.cli.main import main

NEW = "2026办法"


def gap(session, firm_id, tier, rule_set=None) -> str:
    item = assess.assess_enterprise(session, firm_id, tier, rule_set=rule_set, today=TODAY)
    [leaf] = [node for _key, node in item.walk() if node.kind == "holds"]
    assert leaf.status == assess.NOT_MET and leaf.detail == leaf.gap
    return leaf.gap


@pytest.fixture
def firm(session, enterprise_factory):
    def make(name, held=()):
        return add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=held)
    return make


def test_2026_an_innovative_list_leads_to_zjtx(session, firm):
    innovative = firm("常州公示创新科技有限公司")
    publicise(session, innovative, "innovative")
    plain = firm("常州平常科技有限公司")
    session.flush()
    # 科技和创新型: 创新型 is part of the prerequisite itself, so its list is the way to it
    assert gap(session, innovative.id, "zjtx", NEW) == (
        f"已在创新型中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报")
    # nothing at all: the prerequisite as it is written, not 科技型 alone
    assert gap(session, plain.id, "zjtx", NEW) == (
        "库中没有有效期内的科技型或创新型认定")
    # under the 2022暂行办法 as before (创新型 itself)
    assert gap(session, innovative.id, "zjtx", "2022暂行办法") == (
        f"已在创新型中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报")
    assert gap(session, plain.id, "zjtx", "2022暂行办法") == (
        "库中没有有效期内的创新型中小企业认定")


def test_2026_a_list_of_the_tier_assessed_is_not_the_prerequisite(session, firm):
    on_zjtx = firm("常州公示科技有限公司")
    publicise(session, on_zjtx, "zjtx")
    session.flush()
    assert gap(session, on_zjtx.id, "zjtx", NEW) == (
        "库中没有有效期内的科技型或创新型认定；"
        f"已在省级专精特新中小企业{OPEN_YEAR}年度公示名单中")
    # for 小巨人 the same list is the way to its prerequisite
    assert gap(session, on_zjtx.id, "little_giant", NEW) == (
        f"已在省级专精特新中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报")


def test_on_two_lists_the_prerequisite_names_its_own(session, firm):
    both = firm("常州双公示科技有限公司", held=("innovative",))
    publicise(session, both, "zjtx")
    publicise(session, both, "little_giant", batch_label="第八批")
    session.flush()
    for rule_set in ("2022暂行办法", NEW):
        assert gap(session, both.id, "little_giant", rule_set) == (
            f"已在省级专精特新中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报")


def test_a_batch_as_rosters_write_it_and_a_review_list(session, firm):
    giant = firm("常州公示巨人科技有限公司", held=("innovative",))
    publicise(session, giant, "little_giant", batch_label="第八批")
    reviewed = firm("常州复核公示科技有限公司", held=("innovative",))
    publicise(session, reviewed, "zjtx", is_review=True)
    session.flush()
    assert gap(session, giant.id, "little_giant", "2022暂行办法") == (
        "库中没有有效期内的省级专精特新中小企业认定；"
        f"已在专精特新“小巨人”企业第八批（{OPEN_YEAR}年）公示名单中")
    assert gap(session, reviewed.id, "little_giant", "2022暂行办法") == (
        f"已在省级专精特新中小企业{OPEN_YEAR}年度复核公示名单中，正式名单公布后方可申报")


@pytest.mark.parametrize("labels", [("第三批", "第二批"), ("第二批", "第三批")])
def test_of_two_open_lists_the_newer_is_named(session, firm, labels):
    twice = firm("常州两批公示科技有限公司", held=("innovative",))
    for label in labels:
        publicise(session, twice, "zjtx", batch_label=label)
    last_year = firm("常州跨年公示科技有限公司", held=("innovative",))
    publicise(session, last_year, "zjtx", batch_year=OPEN_YEAR)
    publicise(session, last_year, "zjtx", batch_year=OPEN_YEAR - 1)
    session.flush()
    said = "已在省级专精特新中小企业{}公示名单中，正式名单公布后方可申报"
    assert gap(session, twice.id, "little_giant", "2022暂行办法") == said.format(
        f"第三批（{OPEN_YEAR}年）")
    assert gap(session, last_year.id, "little_giant", "2022暂行办法") == said.format(
        f"{OPEN_YEAR}年度")


def test_a_list_closed_without_the_firm_says_nothing(session, firm):
    # the 2025年度 专精特新 list has its final list, the firm not on it
    dropped = firm("常州落选科技有限公司", held=("innovative",))
    listed(session, dropped, "zjtx", 2025)
    listed(session, firm("常州入选科技有限公司", held=("innovative",)), "zjtx", 2025,
           pending=False, final_list=True)
    session.flush()
    assert gap(session, dropped.id, "little_giant", "2022暂行办法") == (
        "库中没有有效期内的省级专精特新中小企业认定")
    cultivation.add(session, dropped.id, {"target_tier": "zjtx", "target_year": 2026,
                                          "officer": "王丽"})
    session.flush()
    [entry] = assess.cultivation_overview(session, today=TODAY, rule_set="2022暂行办法")
    assert not entry.current.pending_tier
    assert entry.conclusion == entry.current.readiness_label == "条件均满足"


def test_a_firm_holding_its_target_reads_recognised(capsys, db_target, session, firm):
    holder = firm("常州已认定科技有限公司", held=("zjtx",))
    higher = firm("常州已是巨人科技有限公司", held=("little_giant",))
    ready = firm("常州甲科技有限公司", held=("innovative",))
    for one in (holder, higher, ready):  # entered before the firms were recognised
        entry_kept(session, one.id, {"target_tier": "zjtx", "target_year": 2026,
                                          "officer": "王丽"})
    session.flush()
    by_name = {entry.name: entry for entry in assess.cultivation_overview(
        session, today=TODAY, rule_set="2022暂行办法")}
    assert by_name["常州已认定科技有限公司"].conclusion == "已认定"
    assert by_name["常州已是巨人科技有限公司"].conclusion == "已认定为小巨人"
    assert by_name["常州甲科技有限公司"].conclusion == "条件均满足"
    session.commit()
    status = main(["--db", str(db_target), "assess", "--cultivation", "--json", "--year",
                   str(Y), *OLD])
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert status == 0
    assert rows["常州已认定科技有限公司"]["conclusion"] == "已认定"
    assert rows["常州已是巨人科技有限公司"]["conclusion"] == "已认定为小巨人"
