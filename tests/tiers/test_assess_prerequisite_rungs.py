"""A prerequisite short, said as it is and counted as it is said (review of the lapsed and
two-rungs-away wording): a 科技型中小企业 入库编号 run out is evaluated anew (须重新评价入库,
no 复核), and the 2026 专精特新 prerequisite keeps its alternative wording; a title that ran
out in the year of its 复核 reads 须通过复核重新取得, one that ran out earlier 须重新申报取得;
every rung short is named, lost ones as lost, and the rank (``rungs``) counts what the text
names — on the detailed path and the county's columns alike; a title lost at or above the
tier assessed is said too; ``rungs`` counts only a prerequisite actually short."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_county import TODAY, Y
from tests.tiers.test_assess_edges import ZJTX_2026
from tests.tiers.test_assess_edges import figures as edge_figures
from tests.tiers.test_assess_evaluate import champion_firm, firm, giant_firm
from tests.tiers.test_assess_prerequisite_lost import add_title, giant_in_db, prerequisite
from tiers import assess
from tiers.assess.candidates import report_row
from tiers.assess.county_columns import county_of
from tiers.assess.firm import LostTitle
from tiers.assess.ranking import rank
from tiers.progress import drain

RULES_2022, RULES_2026 = "2022暂行办法", "2026办法"


def lapsed(batch, until, **more):
    return LostTitle(batch=batch, valid_until=until, **more)


def both_paths(found, rules, tier="little_giant"):
    """The detailed assessment of ``found`` and its row on the county's ranked list."""
    tier_rules = assess.rules_for(tier, rules)
    item = assess.assess(found, tier_rules, Y)
    [ranked] = rank(county_of({1: found}), tier_rules, Y, today=TODAY).ranked
    return item, ranked


def test_a_science_sme_number_run_out_is_evaluated_anew_not_reviewed():
    found = firm(edge_figures(ZJTX_2026, {}))
    found.lost = {"tech_sme": lapsed("2025年", dt.date(2025, 12, 31), review_due=False)}
    item, ranked = both_paths(found, RULES_2026, "zjtx")
    leaf = prerequisite(item)
    # the prerequisite accepts either title: its alternative wording is kept
    assert leaf.title == "须先取得科技型中小企业入库编号或创新型中小企业称号（科技和创新型中小企业）"
    assert leaf.gap == "2025年科技型中小企业入库编号有效期至 2025-12-31，已过期，须重新评价入库"
    assert "复核" not in item.verdict and "重新申报" not in item.verdict
    assert item.verdict.startswith("前提认定已到期：2025年科技型中小企业入库编号有效期至 "
                                   "2025-12-31，已过期，须重新评价入库；须先取得科技型中小企业"
                                   "入库编号或创新型中小企业称号（科技和创新型中小企业）后方可申报；")
    assert item.readiness_text == ranked.readiness_text == "前提认定已到期"
    assert item.rungs == ranked.rungs == 1


def test_run_out_in_the_year_of_its_review_reads_review(session, enterprise_factory):
    # a 2023年度 省级专精特新 recognised 2023-02-10: valid to 2026-02-09, its batch's 复核
    # round (2023 + 3) is this year, 2026
    due = giant_in_db(session, enterprise_factory, "常州复核期科技有限公司")
    add_title(session, due.id, "zjtx", year=2023, on=dt.date(2023, 2, 10))
    # a 2022年度 one run out 2025-09-30: the 2025 复核 missed
    missed = giant_in_db(session, enterprise_factory, "常州错过复核科技有限公司", ("innovative",))
    add_title(session, missed.id, "zjtx", year=2022, on=dt.date(2022, 10, 1))
    # a 2022年度 one announced late, 2023-01-10: it ended 2026-01-09, this year, but its
    # batch was reviewed in 2025 (domain.md §1.5: 2025 reviewed the 2022年度 titles):
    # missed too, whatever the calendar year of its end says
    late = giant_in_db(session, enterprise_factory, "常州晚公告科技有限公司", ("innovative",))
    add_title(session, late.id, "zjtx", year=2022, on=dt.date(2023, 1, 10))
    session.flush()
    item = assess.assess_enterprise(session, due.id, "little_giant", rule_set=RULES_2022,
                                    today=TODAY)
    assert prerequisite(item).title == "须通过复核重新取得省级专精特新中小企业称号"
    assert item.verdict.startswith(
        "前提认定已到期：省级专精特新中小企业（2023年，有效期至 2026-02-09）已到期，"
        "须通过复核重新取得后方可申报；")
    # the 复核 gives the title back: no 创新型 needed below it, one rung
    assert item.rungs == 1
    other = assess.assess_enterprise(session, missed.id, "little_giant", rule_set=RULES_2022,
                                     today=TODAY)
    assert prerequisite(other).title == "须重新申报取得省级专精特新中小企业称号"
    after = assess.assess_enterprise(session, late.id, "little_giant", rule_set=RULES_2022,
                                     today=TODAY)
    assert prerequisite(after).title == "须重新申报取得省级专精特新中小企业称号"
    assert after.verdict.startswith(
        "前提认定已到期：省级专精特新中小企业（2022年，有效期至 2026-01-09）已到期，"
        "须重新申报取得后方可申报；")
    ranked = drain(assess.ranked_steps(session, "little_giant", rule_set=RULES_2022,
                                       today=TODAY))
    by_id = {row.enterprise_id: row for row in ranked.ranked}
    assert by_id[due.id].rungs == 1 and by_id[missed.id].rungs == 1
    assert by_id[late.id].rungs == 1
    assert by_id[due.id].readiness_text == "前提认定已到期"


def test_both_rungs_lost_are_both_named_and_counted():
    found = firm(giant_firm())
    found.lost = {"zjtx": lapsed("2022年", dt.date(2025, 9, 30)),
                  "innovative": lapsed("2021年", dt.date(2024, 12, 31))}
    item, ranked = both_paths(found, RULES_2022)
    leaf = prerequisite(item)
    assert leaf.title == "须先取得创新型中小企业、省级专精特新中小企业称号"
    assert leaf.gap == ("2022年省级专精特新中小企业认定有效期至 2025-09-30，已到期；"
                        "2021年创新型中小企业认定有效期至 2024-12-31，已到期")
    assert item.verdict.startswith(f"前提认定已到期：{leaf.gap}；{leaf.title}后方可申报；")
    assert item.rungs == ranked.rungs == 2
    assert item.readiness_text == ranked.readiness_text == "前提认定已到期"
    # one lost, the other never held: both named, the lost one as lost
    found.lost = {"zjtx": lapsed("2022年", dt.date(2025, 9, 30))}
    item, ranked = both_paths(found, RULES_2022)
    assert prerequisite(item).gap == ("2022年省级专精特新中小企业认定有效期至 2025-09-30，已到期；"
                                      "也没有创新型中小企业认定")
    assert item.rungs == ranked.rungs == 2


def test_on_the_list_for_the_rung_above_is_one_rung_away():
    # 公示中 for 省级专精特新 without 创新型: the list gives the 小巨人 prerequisite
    found = firm(giant_firm())
    found.pending = frozenset({"zjtx"})
    found.pending_batches = {"zjtx": "2025年度"}
    item, ranked = both_paths(found, RULES_2022)
    assert prerequisite(item).gap == "已在省级专精特新中小企业2025年度公示名单中，正式名单公布后方可申报"
    assert item.rungs == ranked.rungs == 1


def test_a_title_lost_at_the_tier_assessed_is_said():
    # 小巨人 run out, assessed for 小巨人 anew, no 省级专精特新 on record
    found = firm(giant_firm(), held={"innovative"})
    found.lost = {"little_giant": lapsed("第五批（2023年）", dt.date(2025, 6, 30))}
    item, ranked = both_paths(found, RULES_2022)
    leaf = prerequisite(item)
    assert leaf.title == "须先取得省级专精特新中小企业称号"
    assert leaf.gap == ("库中没有有效期内的省级专精特新中小企业认定；第五批（2023年）"
                        "专精特新“小巨人”企业认定有效期至 2025-06-30，已到期")
    assert not item.verdict.startswith("尚未取得") and "小巨人”企业认定有效期至" in item.verdict
    assert item.readiness_text == ranked.readiness_text == "前提认定已到期"
    assert item.rungs == ranked.rungs == 1


def test_rungs_count_only_a_prerequisite_short():
    # 单项冠军 (2016): 4亿元 or more, the 小巨人 prerequisite does not apply
    large = assess.assess(firm(champion_firm()), assess.rules_for("single_champion",
                                                                  "单项冠军2016方案"), Y)
    assert large.rungs == 0
    small = assess.assess(firm(champion_firm(revenue=39999)),
                          assess.rules_for("single_champion", "单项冠军2016方案"), Y)
    assert small.rungs == 1


def test_the_report_cell_shows_lost_the_filter_keeps_the_group():
    found = firm(giant_firm())
    found.lost = {"zjtx": lapsed("2022年", dt.date(2025, 9, 30))}
    item = assess.assess(found, assess.rules_for("little_giant", RULES_2022), Y)
    row = report_row(item, 1)
    assert row["readiness"] == "尚未取得前提认定"  # what the report's filter and counts read
    assert row["readiness_shown"] == "前提认定已到期"  # what its 预审结论 cell shows
    # 不符合 on other grounds: shown as 不符合, whatever its prerequisite
    found = firm(giant_firm(niche_years=1))
    found.lost = {"zjtx": lapsed("2022年", dt.date(2025, 9, 30))}
    item = assess.assess(found, assess.rules_for("little_giant", RULES_2022), Y)
    assert item.readiness == assess.NOT_READY
    assert report_row(item, 1)["readiness_shown"] == "不符合"


def test_a_little_giant_run_out_and_due_for_review_is_assessed_as_its_review(
        session, enterprise_factory):
    """A 小巨人 run out in the year of its batch's 复核, no 省级专精特新 on record: assessed for
    小巨人 it is that 复核, not a new application told to get its title back first
    (review of assess21): the headline names the 复核 and its year, the prerequisite is met
    by the title under review (never 须先取得省级专精特新, nor 创新型 below it), the 2026
    复核 of 第五批 is judged by the 2022 rules (domain.md §2.5, 工信厅企业函〔2026〕117号), on
    either path."""
    for held in (set(), {"innovative"}):
        found = firm(giant_firm(), held=held)
        found.lost = {"little_giant": lapsed("第五批（2023年）", dt.date(2026, 2, 28),
                                             review_due=True, review_year=2026)}
        item, ranked = both_paths(found, RULES_2022)
        assert not [leaf for leaf in item.leaves(assess.NOT_MET) if leaf.kind == "holds"]
        assert item.verdict.startswith(
            "专精特新“小巨人”企业（第五批（2023年），有效期至 2026-02-28）已到期，"
            "处于2026年复核轮次内；")
        assert "须先取得" not in item.verdict and "省级专精特新" not in item.verdict
        assert "前提认定" not in item.verdict and not item.already_held
        assert item.readiness_text == ranked.readiness_text
        assert item.readiness == ranked.readiness != assess.PREREQUISITE
        assert item.rungs == ranked.rungs == 0
    # from the database: 第五批 (2023) recognised 2023-03-01, run out 2026-02-28, its 复核
    # round 2026; a firm that was 小巨人 and never had 省级专精特新 on record
    due = giant_in_db(session, enterprise_factory, "常州小巨人复核期科技有限公司", ())
    add_title(session, due.id, "little_giant", year=2023, on=dt.date(2023, 3, 1),
              batch_label="第五批")
    session.flush()
    item = assess.assess_enterprise(session, due.id, "little_giant", today=TODAY)
    assert item.rule_set == RULES_2022  # no rule set named: the 2026 复核's own
    assert "2026年复核" in item.rule_reason and "117号" in item.rule_reason
    assert item.verdict.startswith("专精特新“小巨人”企业（第五批（2023年），有效期至 "
                                   "2026-02-28）已到期，处于2026年复核轮次内；")
    holds = next(leaf for leaf in item.leaves() if leaf.kind == "holds")
    assert holds.status == assess.MET and holds.title == "复核企业（原为专精特新“小巨人”企业）"
    assert "须先取得" not in item.verdict and item.rungs == 0
    # the county's list agrees: listed (not held, not a new applicant), the same verdict
    listed = assess.candidates(session, "little_giant", today=TODAY, include_not_ready=True)
    [row] = [row for row in listed.ranked if row.enterprise_id == due.id]
    assert (row.verdict, row.rule_set, row.rule_reason) == (
        item.verdict, item.rule_set, item.rule_reason)
    # after 2026 its round is over: a new application under the 2026办法, told so
    later = assess.assess_enterprise(session, due.id, "little_giant",
                                     today=dt.date(2027, 3, 1))
    assert later.rule_set == RULES_2026 and "复核；" not in later.verdict
    assert later.rule_reason.startswith("新申报") and not later.review


def test_a_little_giant_due_for_review_assessed_for_zjtx_is_told_the_zjtx_prerequisite():
    """The same lapsed 小巨人 (复核 due), assessed for 省级专精特新: its real prerequisite is
    named as for any firm (科技型 or 创新型, 2026办法), with the 复核 as the other way back —
    not only 须通过复核重新取得小巨人 (review of assess21, finding 5); on both paths."""
    found = firm(edge_figures(ZJTX_2026, {}))
    found.lost = {"little_giant": lapsed("第五批（2023年）", dt.date(2026, 2, 28),
                                         review_due=True)}
    item, ranked = both_paths(found, RULES_2026, "zjtx")
    leaf = prerequisite(item)
    assert leaf.title == ("须先取得科技型中小企业入库编号或创新型中小企业称号（科技和创新型中小企业）"
                          "（或经复核恢复小巨人称号）")
    assert "须通过复核重新取得专精特新“小巨人”企业称号" not in item.verdict
    assert item.readiness_text == ranked.readiness_text
    assert item.rungs == ranked.rungs == 1
