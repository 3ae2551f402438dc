"""A prerequisite title held once and lost is not "尚未取得": a 小巨人 candidate whose
省级专精特新 ran out (not renewed by 复核) reads 前提认定已到期 with the batch and the end of
validity, one whose title was revoked 前提认定已撤销 — still in the 尚未取得前提认定 group
(its number and label unchanged). A firm with no title at all is short of every rung below
the tier (创新型 → 省级专精特新 → 小巨人 under the 2022 rules, 科技和创新型 → 专精特新 →
小巨人 under the 2026 rules): the verdict names them all, and it ranks after the firms one
rung away, on the detailed path and the county's columns alike."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_edges import GIANT_2026
from tests.tiers.test_assess_edges import figures as edge_figures
from tests.tiers.test_assess_evaluate import firm, giant_firm
from tiers import assess
from tiers.assess.candidates import report_row
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import county_of, load_county
from tiers.assess.ranking import assessed_rank_key, rank
from tiers.assess.results import NOT_MET
from tiers.progress import drain
from tiers.services import figures, recognitions

RULES_2022, RULES_2026 = "2022暂行办法", "2026办法"


def giant_in_db(session, enterprise_factory, name, held=()):
    found = add_firm(session, enterprise_factory, name, held=held)
    for year, row in giant_firm().items():
        figures.set_year(session, found.id, year, {k: v for k, v in row.items()
                                                   if v is not None})
    return found


def add_title(session, enterprise_id, tier, *, year, on, **more):
    return recognitions.add(session, enterprise_id, {"tier_code": tier, "batch_year": year,
                                                     "recognized_on": on, **more})


def giant(rules, **changes):
    """A firm that meets the rules' 小巨人 conditions the data decide (``changes`` apart)."""
    if rules == RULES_2026:
        return edge_figures(GIANT_2026, {0: changes})
    return giant_firm(**changes)


def prerequisite(item):
    [leaf] = [leaf for leaf in item.leaves(NOT_MET) if leaf.kind == "holds"]
    return leaf


@pytest.fixture
def lost(session, enterprise_factory):
    # 省级专精特新 of 2022年度, valid to 2025-09-30: run out by TODAY (2026-03-20)
    lapsed = giant_in_db(session, enterprise_factory, "常州过期科技有限公司", ("innovative",))
    add_title(session, lapsed.id, "zjtx", year=2022, on=dt.date(2022, 10, 1))
    # the same, revoked before it ran out
    revoked = giant_in_db(session, enterprise_factory, "常州撤销科技有限公司", ("innovative",))
    title = add_title(session, revoked.id, "zjtx", year=2024, on=dt.date(2024, 10, 1))
    session.flush()
    recognitions.revoke(session, title.id, reason="企业迁出本省", on=dt.date(2025, 11, 3))
    # run out, then renewed by 复核: held, nothing lost
    renewed = giant_in_db(session, enterprise_factory, "常州复核科技有限公司", ("innovative",))
    add_title(session, renewed.id, "zjtx", year=2022, on=dt.date(2022, 10, 1))
    add_title(session, renewed.id, "zjtx", year=2025, on=dt.date(2025, 10, 1), is_review=True)
    never = giant_in_db(session, enterprise_factory, "常州从未科技有限公司", ("innovative",))
    session.flush()
    return {"lapsed": lapsed.id, "revoked": revoked.id, "renewed": renewed.id,
            "never": never.id}


def test_a_lapsed_prerequisite_says_it_ran_out(session, lost):
    item = assess.assess_enterprise(session, lost["lapsed"], "little_giant",
                                    rule_set=RULES_2022, today=TODAY)
    assert item.readiness == assess.PREREQUISITE
    assert item.readiness_label == "尚未取得前提认定"  # the group kept (README, --json)
    assert item.readiness_text == "前提认定已到期"  # as shown beside the firm
    assert item.verdict.startswith(
        "前提认定已到期：省级专精特新中小企业（2022年，有效期至 2025-09-30）已到期，"
        "须重新申报取得后方可申报；其余条件")
    assert "尚未" not in item.verdict
    leaf = prerequisite(item)
    # ran out in 2025, the year of its 复核: missed, applied for anew (2026)
    assert leaf.title == "须重新申报取得省级专精特新中小企业称号"
    assert leaf.gap == "2022年，有效期至 2025-09-30，已到期"
    row = report_row(item, 1)
    assert row["gaps"] == ("须重新申报取得省级专精特新中小企业称号"
                           "（2022年，有效期至 2025-09-30，已到期）")


def test_a_revoked_prerequisite_says_so(session, lost):
    item = assess.assess_enterprise(session, lost["revoked"], "little_giant",
                                    rule_set=RULES_2022, today=TODAY)
    assert item.readiness == assess.PREREQUISITE
    assert item.verdict.startswith(
        "前提认定已撤销：省级专精特新中小企业（2024年）已于 2025-11-03 撤销，"
        "须重新取得后方可申报；其余条件")
    assert prerequisite(item).gap == "2024年认定已于 2025-11-03 撤销"
    assert (item.readiness_label, item.readiness_text) == ("尚未取得前提认定", "前提认定已撤销")


def test_renewed_or_never_held_read_as_before(session, lost):
    renewed = assess.assess_enterprise(session, lost["renewed"], "little_giant",
                                       rule_set=RULES_2022, today=TODAY)
    assert renewed.readiness != assess.PREREQUISITE and "已是省级专精特新" in "；".join(
        renewed.met_titles())
    never = assess.assess_enterprise(session, lost["never"], "little_giant",
                                     rule_set=RULES_2022, today=TODAY)
    assert never.verdict.startswith(
        "尚未取得前提认定：须先取得省级专精特新中小企业称号（库中没有有效期内的省级专精特新中小企业认定），"
        "取得后方可申报")


def test_the_candidates_list_says_it_too(session, lost):
    found = assess.candidates(session, "little_giant", rule_set=RULES_2022, today=TODAY)
    by_id = {item.enterprise_id: item for item in found.ranked}
    assert by_id[lost["lapsed"]].verdict.startswith("前提认定已到期：")
    assert by_id[lost["revoked"]].verdict.startswith("前提认定已撤销：")
    assert by_id[lost["never"]].verdict.startswith("尚未取得前提认定：")
    # the county's columns put them in the same group
    columns = load_county(session, years=range(Y - 3, Y + 1), today=TODAY)
    column = verdicts(columns, assess.rules_for("little_giant", RULES_2022), Y)
    for key in ("lapsed", "revoked", "never"):
        position = columns.ids.index(lost[key])
        assert column.readiness[position] == assess.PREREQUISITE == by_id[lost[key]].readiness
    # the ranked list (before any firm's detail) shows what the detail will
    ranked = drain(assess.ranked_steps(session, "little_giant", rule_set=RULES_2022,
                                       today=TODAY))
    shown = {item.enterprise_id: item.readiness_text for item in ranked.ranked}
    assert shown[lost["lapsed"]] == "前提认定已到期" == by_id[lost["lapsed"]].readiness_text
    assert shown[lost["revoked"]] == "前提认定已撤销"
    assert shown[lost["never"]] == "尚未取得前提认定"
    assert shown[lost["renewed"]] != "前提认定已到期"
    counts = ranked.counts()
    assert counts["尚未取得前提认定"] == 3  # one group, however each is shown


@pytest.mark.parametrize(("rules", "title", "gap"), [
    (RULES_2022, "须先取得创新型中小企业、省级专精特新中小企业称号",
     "库中没有有效期内的省级专精特新中小企业认定，也没有创新型中小企业认定"),
    (RULES_2026, "须先取得科技和创新型中小企业、专精特新中小企业称号",
     "库中没有有效期内的省级专精特新中小企业认定，也没有科技型或创新型认定"),
])
def test_no_title_at_all_names_every_rung(rules, title, gap):
    item = assess.assess(firm(giant(rules)), assess.rules_for("little_giant", rules), Y)
    assert item.readiness == assess.PREREQUISITE and item.rungs == 2
    leaf = prerequisite(item)
    assert (leaf.title, leaf.gap) == (title, gap)
    assert item.verdict.startswith(f"尚未取得前提认定：{title}（{gap}），取得后方可申报；")
    # one rung away: as before
    one = assess.assess(firm(giant(rules), held={"innovative", "tech_sme"}),
                        assess.rules_for("little_giant", rules), Y)
    assert one.rungs == 1 and prerequisite(one).title in (
        "须先取得省级专精特新中小企业称号", "须先取得专精特新中小企业称号")
    # 2022: a 科技型 title alone is not the 创新型 the 2022 专精特新 needs
    tech = assess.assess(firm(giant(rules), held={"tech_sme"}),
                         assess.rules_for("little_giant", rules), Y)
    assert tech.rungs == (2 if rules == RULES_2022 else 1)


@pytest.mark.parametrize("rules", [RULES_2022, RULES_2026])
def test_two_rungs_away_rank_after_one_rung_away(rules):
    tier_rules = assess.rules_for("little_giant", rules)
    cases = {1: ((), giant(rules)), 2: (("innovative",), giant(rules)),
             3: (("innovative",), giant(rules, niche_years=None)),
             4: ((), giant(rules, niche_years=None)), 5: (("tech_sme",), giant(rules))}
    firms = {}
    for number, (held, years) in cases.items():
        firms[number] = firm(years, held)
        firms[number].enterprise_id = number
        firms[number].name = "常州甲公司"  # the same name: only the rungs and data decide
    detailed = sorted((assess.assess(f, tier_rules, Y) for f in firms.values()),
                      key=assessed_rank_key)
    assert all(item.readiness == assess.PREREQUISITE for item in detailed)
    one_rung = [2, 5, 3] if rules == RULES_2026 else [2, 3]
    # (of two with no other data missing, the one holding 科技型 first: a title held)
    two_rungs = [1, 4] if rules == RULES_2026 else [5, 1, 4]
    assert [item.enterprise_id for item in detailed] == one_rung + two_rungs
    found = rank(county_of(firms), tier_rules, Y, today=TODAY)
    assert [item.enterprise_id for item in found.ranked] == one_rung + two_rungs
    assert [item.rungs for item in found.ranked] == [i.rungs for i in detailed]
