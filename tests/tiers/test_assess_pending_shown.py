"""公示中 said where it matters, beyond the candidate lists: a prerequisite the firm is
公示中 for is still not met, but its detail and gap say so (not "库中没有…认定" as if the
county knew nothing of it); the 培育库's conclusion cell says 公示中 itself (not only its
tooltip); and a firm whose figures make no sense is left out of the candidates, counted and
named as held or 公示中 exactly like one whose figures are sound, and says so first."""

from __future__ import annotations

import json

import pytest

from tests.conftest import good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_pending import LAST, OLD, OPEN_YEAR, firms, publicise  # noqa: F401
from tiers import assess
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import load_county
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import cultivation
from ui.cli.main import main


def prerequisite(item: assess.Assessment) -> assess.ConditionResult:
    [leaf] = [node for _key, node in item.walk() if node.kind == "holds"]
    return leaf


def test_a_prerequisite_publicised_says_so(session, firms):  # noqa: F811
    # on this year's 专精特新 list, assessed for 小巨人: not met, and the list named
    giant = assess.assess_enterprise(session, firms["pending"], "little_giant", today=TODAY)
    leaf = prerequisite(giant)
    assert leaf.status == assess.NOT_MET and leaf.title == "须先取得省级专精特新中小企业称号"
    said = f"已在省级专精特新中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报"
    assert (leaf.detail, leaf.gap) == (said, said)
    # on the 小巨人 list without 专精特新: the prerequisite not held, and which list it is on
    higher = assess.assess_enterprise(session, firms["pending_giant"], "little_giant",
                                      today=TODAY)
    assert prerequisite(higher).gap == (
        "库中没有有效期内的省级专精特新中小企业认定；"
        f"已在专精特新“小巨人”企业第八批（{OPEN_YEAR}年）公示名单中")
    # a lapsed or a withdrawn 公示 says nothing of a list
    for key in ("stale", "withdrawn", "ready"):
        other = assess.assess_enterprise(session, firms[key], "little_giant", today=TODAY)
        assert prerequisite(other).gap == "库中没有有效期内的省级专精特新中小企业认定", key
    # a lower tier 公示中, without a title at all: both titles short, the list it is on
    # named beside the one it is for (not the title 小巨人 needs itself)
    other = assess.assess_enterprise(session, firms["pending_innovative"], "little_giant",
                                     today=TODAY)
    assert prerequisite(other).gap == (
        "库中没有有效期内的省级专精特新中小企业认定，也没有创新型中小企业认定"
        f"（已在创新型中小企业{OPEN_YEAR}年度公示名单中）")
    assert prerequisite(other).title == "须先取得创新型中小企业、省级专精特新中小企业称号"
    # the verdicts the county's columns reach are the detailed ones' (only words changed)
    county = load_county(session, years=range(Y - 3, Y + 1), today=TODAY)
    rules = assess.tier_rules("little_giant", "2022暂行办法", TODAY)
    found = verdicts(county, rules, Y)
    for key in ("pending", "pending_giant", "pending_innovative", "ready"):
        position = county.ids.index(firms[key])
        item = assess.assess_enterprise(session, firms[key], "little_giant", today=TODAY)
        assert (found.readiness[position], found.shortfalls[position],
                found.pending[position]) == (item.readiness, item.shortfalls,
                                             bool(item.pending_tier))


def test_the_command_line_shows_it(capsys, db_target, session, firms):  # noqa: F811
    code = session.get(Enterprise, firms["pending"]).credit_code
    session.commit()
    status = main(["--db", str(db_target), "assess", code, "--tier", "小巨人", "--year",
                   str(Y), *OLD])
    out = capsys.readouterr().out
    assert status == 0
    assert (f"差距：已在省级专精特新中小企业{OPEN_YEAR}年度公示名单中，正式名单公布后方可申报"
            in out)
    assert "库中没有有效期内的省级专精特新中小企业认定" not in out


def test_the_cultivation_conclusion_says_publicised(capsys, db_target, session,
                                                    firms):  # noqa: F811
    for key in ("ready", "pending", "pending_giant", "pending_innovative"):
        cultivation.add(session, firms[key], {"target_tier": "zjtx", "target_year": 2026,
                                              "officer": "王丽"})
    session.flush()
    by_name = {entry.name: entry for entry in assess.cultivation_overview(session,
                                                                          today=TODAY)}
    assert by_name["常州公示科技有限公司"].conclusion == "公示中（不再推荐）"
    assert by_name["常州公示巨人科技有限公司"].conclusion == "小巨人公示中（不再推荐）"
    # its figures are still judged (the tooltip's verdict says how), as for a holder
    assert by_name["常州公示科技有限公司"].current.readiness == assess.READY
    assert by_name["常州甲科技有限公司"].conclusion == "条件均满足"
    # 创新型 公示中 is lower than the target: nothing to say
    assert by_name["常州公示创新科技有限公司"].conclusion == by_name[
        "常州公示创新科技有限公司"].current.readiness_label
    session.commit()
    status = main(["--db", str(db_target), "assess", "--cultivation", "--json", *OLD])
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert status == 0
    assert rows["常州公示科技有限公司"]["conclusion"] == "公示中（不再推荐）"
    assert rows["常州甲科技有限公司"]["conclusion"] == "条件均满足"


# --- figures that make no sense -------------------------------------------------------------

NONSENSE = dict(rd_expense=5000)  # 研发费用 above 营业收入


@pytest.fixture
def flagged(session, enterprise_factory):
    """Pairs of firms alike but for their figures (sound, or nonsense): one holding
    专精特新, one on its 公示 list, one on the 小巨人 list, one with neither."""
    def firm(name, suffix, bad, held=("innovative",)):
        return add_firm(session, enterprise_factory, f"常州{name}{suffix}科技有限公司",
                        this_year=good_zjtx(**bad), last_year=LAST, held=held)

    found = {}
    for suffix, bad in (("", {}), ("存疑", NONSENSE)):
        found["held" + suffix] = firm("持有", suffix, bad, held=("innovative", "zjtx"))
        found["pending" + suffix] = firm("公示", suffix, bad)
        found["giant" + suffix] = firm("巨人公示", suffix, bad)
        found["plain" + suffix] = firm("平常", suffix, bad)
        publicise(session, found["pending" + suffix], "zjtx")
        publicise(session, found["giant" + suffix], "little_giant", batch_label="第八批")
    session.flush()
    return {key: firm.id for key, firm in found.items()}


def test_flagged_firms_are_left_out_like_sound_ones(session, flagged):
    ranked = drain(assess.ranked_steps(session, "zjtx", today=TODAY, include_not_ready=True))
    listed = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    loaded = assess.load_firms(session, years=range(Y - 3, Y + 1), today=TODAY)
    preloaded = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True,
                                  firms=loaded)
    names = sorted(["常州公示科技有限公司", "常州公示存疑科技有限公司",
                    "常州巨人公示科技有限公司", "常州巨人公示存疑科技有限公司"])
    for found in (ranked, listed, preloaded):
        # held: both of the pair; 公示中: both of each pair, named
        assert (found.excluded_held, found.excluded_pending) == (2, 4)
        assert found.pending_names == names
        assert [item.enterprise_id for item in found.flagged] == [flagged["plain存疑"]]
        assert [item.enterprise_id for item in found.ranked] == [flagged["plain"]]
    excluded: dict = {}
    rows = assess.candidates_report_rows(session, "zjtx", today=TODAY, include_flagged=True,
                                         excluded=excluded)
    assert excluded == {"held": 2, "pending": 4, "pending_names": names}
    assert [row["enterprise_id"] for row in rows] == [flagged["plain"], flagged["plain存疑"]]


def test_a_flagged_firm_says_first_that_it_holds_the_tier_or_is_publicised(session,
                                                                          flagged):
    def verdict(key, tier="zjtx"):
        return assess.assess_enterprise(session, flagged[key], tier, today=TODAY).verdict

    for suffix in ("", "存疑"):
        assert verdict("held" + suffix).startswith("已是省级专精特新中小企业（有效期内）；")
        assert verdict("pending" + suffix).startswith(
            "已在省级专精特新中小企业公示名单中（公示中，待正式认定），不再推荐；")
        assert verdict("giant" + suffix).startswith(
            "已在专精特新“小巨人”企业公示名单中（公示中，待正式认定），不再推荐；")
    assert verdict("held存疑").endswith("研发费用 5000 万元，营业收入 2000 万元")
    assert verdict("plain存疑").startswith("数据存疑，未评估：")
