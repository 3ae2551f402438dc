"""A 复核 round whose list comes out the next year (单项冠军: the 2023 round, 第八批遴选 +
第二批、第五批复核, was 公示 in March 2024, domain.md §1.6): a title that ended on 12-31 of its
round is not lapsed on 01-01 — its list is awaited (复核结果待公布) until
ladder.REVIEW_RESULTS_BY's day, in 认定历史 (the profile, `tiers show`, the firm window) and in
对标预审 (assessed as that 复核, the headline saying the list is awaited), on both paths.
After that day, or for a tier whose lists come within the year, it is 已到期 as before."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_county import add_firm
from tests.tiers.test_assess_evaluate import champion_firm
from tiers import assess
from tiers.model import ladder
from tiers.queries.profiles import profile
from tiers.services import figures, recognitions

AWAITED = dt.date(2024, 3, 1)  # the 第八批 / 复核 公示 was 2024-03-04 to 03-11
AFTER = dt.date(2024, 7, 1)


def test_the_grace_is_the_tiers_whose_review_lists_come_the_next_year():
    until = dt.date(2023, 12, 31)  # 第五批 (2020): its round 2023
    by = ladder.review_results_by("single_champion", batch_year=2020, valid_until=until,
                                  today=dt.date(2024, 1, 1))
    assert by == dt.date(2024, 6, 30)
    assert ladder.review_results_by("single_champion", batch_year=2020, valid_until=until,
                                    today=dt.date(2024, 6, 30)) == by
    assert ladder.review_results_by("single_champion", batch_year=2020, valid_until=until,
                                    today=dt.date(2024, 7, 1)) is None
    # still in force, or its round this year: no list awaited yet
    assert ladder.review_results_by("single_champion", batch_year=2020, valid_until=until,
                                    today=dt.date(2023, 12, 31)) is None
    # a round two years back: over
    assert ladder.review_results_by("single_champion", batch_year=2019,
                                    valid_until=dt.date(2022, 12, 31),
                                    today=dt.date(2024, 1, 1)) is None
    # 小巨人 and 省级 lists come within the year: no grace
    for tier in ("little_giant", "zjtx", "innovative"):
        assert ladder.review_results_by(tier, batch_year=2020, valid_until=until,
                                        today=dt.date(2024, 1, 1)) is None
    status = {"valid_until": until, "revoked_on": None, "tier_code": "single_champion",
              "batch_year": 2020}
    assert ladder.status_of(**status, today=dt.date(2024, 1, 1)) == "复核结果待公布"
    assert ladder.status_of(**status, today=AFTER) == "已到期"
    assert ladder.status_of(**status, today=dt.date(2024, 1, 1), renewed=True) == \
        ladder.RENEWED_LAPSED
    assert ladder.status_of(**{**status, "tier_code": "little_giant"},
                            today=dt.date(2024, 1, 1)) == "已到期"


def champion_in_db(session, enterprise_factory):
    found = add_firm(session, enterprise_factory, "常州冠军待公布科技有限公司")
    for row in champion_firm().values():  # as 2023's figures, what a 2024 check reads
        figures.set_year(session, found.id, 2023, {k: v for k, v in row.items()
                                                   if v is not None})
    recognitions.add(session, found.id, {"tier_code": "single_champion", "batch_year": 2020,
                                         "batch_label": "第五批",
                                         "valid_until": dt.date(2023, 12, 31)})
    session.flush()
    return found


def test_a_champion_awaiting_its_review_list_is_shown_so(session, enterprise_factory):
    found = champion_in_db(session, enterprise_factory)
    [title] = profile(session, found.id, today=AWAITED)["recognitions"]
    assert title["status"] == "复核结果待公布"
    [title] = profile(session, found.id, today=AFTER)["recognitions"]
    assert title["status"] == "已到期"


def test_a_champion_awaiting_its_review_list_is_assessed_as_that_review(
        session, enterprise_factory):
    found = champion_in_db(session, enterprise_factory)
    item = assess.assess_enterprise(session, found.id, "single_champion", today=AWAITED,
                                    year=2023)
    assert item.verdict.startswith(
        "制造业单项冠军企业（第五批（2020年），有效期至 2023-12-31）已到期，"
        "2023年复核结果待公布（预计 2024-06-30 前公布）；")
    assert not item.already_held
    # the rules of the 2023 round: those in force at its end (the 2023办法 from 2023-09-01)
    assert item.rule_set == "单项冠军2023办法"
    assert "按2023年复核时施行的单项冠军2023办法" in item.rule_reason
    listed = assess.candidates(session, "single_champion", today=AWAITED, year=2023,
                               include_not_ready=True)
    [row] = [row for row in listed.ranked + listed.flagged if row.enterprise_id == found.id]
    assert (row.verdict, row.rule_set) == (item.verdict, item.rule_set)
    # its list not out by 06-30: lapsed, a new application
    later = assess.assess_enterprise(session, found.id, "single_champion", today=AFTER,
                                     year=2023)
    assert not later.review and later.rule_reason.startswith("新申报")


def test_a_title_run_out_inside_its_round_reads_review_due(session, enterprise_factory):
    """A title run out inside its 复核 round is not 已到期 — 对标预审 judges it as that 复核
    (须参加…复核) — but 待复核, amber like 复核结果待公布: a 单项冠军 (第五批, 2020; ended
    2023-11-30) reads 待复核 → 复核结果待公布 → 已到期, not 已到期 → 复核结果待公布 → 已到期
    (review); a 小巨人 of 第五批 (2023) ended 2026-07-31 reads 待复核 through 2026."""
    from ui.enterprise_dialog.record_tab import STATUS_COLOUR

    status = {"valid_until": dt.date(2023, 11, 30), "revoked_on": None,
              "tier_code": "single_champion", "batch_year": 2020}
    assert [ladder.status_of(**status, today=day) for day in (
        dt.date(2023, 12, 15), dt.date(2024, 1, 2), AFTER)] == [
        ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING, ladder.EXPIRED]
    assert ladder.REVIEW_DUE == "待复核"
    # renewed, revoked, or without a tier to judge its round by: as before
    assert ladder.status_of(**status, today=dt.date(2023, 12, 15), renewed=True) == \
        ladder.RENEWED_LAPSED
    assert ladder.status_of(**{**status, "revoked_on": dt.date(2023, 12, 1)},
                            today=dt.date(2023, 12, 15)) == ladder.REVOKED
    assert ladder.status_of(valid_until=dt.date(2023, 11, 30), revoked_on=None,
                            today=dt.date(2023, 12, 15)) == ladder.EXPIRED
    found = add_firm(session, enterprise_factory, "常州待复核科技有限公司")
    recognitions.add(session, found.id, {"tier_code": "little_giant", "batch_year": 2023,
                                         "batch_label": "第五批",
                                         "recognized_on": dt.date(2023, 8, 1)})
    session.flush()
    for day, expected in ((dt.date(2026, 9, 1), "待复核"), (dt.date(2026, 12, 31), "待复核"),
                          (dt.date(2027, 1, 1), "已到期")):
        [title] = profile(session, found.id, today=day)["recognitions"]
        assert title["status"] == expected, day
    # the firm window's 认定历史: amber, as 复核结果待公布, not the red of a title lost
    assert STATUS_COLOUR[ladder.REVIEW_DUE] == STATUS_COLOUR[ladder.REVIEW_RESULTS_PENDING] \
        != STATUS_COLOUR[ladder.EXPIRED]


def test_a_prerequisite_awaiting_its_review_list_is_not_headed_lapsed(session,
                                                                      enterprise_factory):
    """A 单项冠军 (第五批, 2020; ended 2023-11-30) whose 复核 list is awaited, assessed for
    小巨人 and 省级专精特新 in March 2024: the group reads 前提认定复核结果待公布, as the detail
    says 复核结果待公布 — not 前提认定已到期 — on both paths; once the list's day is past,
    前提认定已到期."""
    found = add_firm(session, enterprise_factory, "常州冠军前提待公布科技有限公司")
    recognitions.add(session, found.id, {"tier_code": "single_champion", "batch_year": 2020,
                                         "batch_label": "第五批",
                                         "recognized_on": dt.date(2020, 12, 1)})
    session.flush()
    for today, heading in ((AWAITED, "前提认定复核结果待公布"), (AFTER, "前提认定已到期")):
        for tier in ("little_giant", "zjtx"):
            item = assess.assess_enterprise(session, found.id, tier, today=today, year=2023)
            assert item.readiness_text == heading, (today, tier, item.verdict)
            listed = assess.candidates(session, tier, today=today, year=2023,
                                       include_not_ready=True)
            [row] = [r for r in listed.ranked + listed.flagged if r.enterprise_id == found.id]
            assert row.readiness_text == heading, (today, tier)
