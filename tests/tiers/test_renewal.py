"""A title renewed before it ends (a 复核 recorded early, or a new recognition of the same
title, in force already or starting later) needs no 复核: it is not 即将到期 anywhere a title
about to expire is listed or counted, by the same rule that keeps a renewed lapsed title out
of 已到期 (ladder.renewed_condition). 链主 is of one chain: 链主 of chain B renews nothing of
chain A. While old and new overlap, a firm counts once per tier."""

from __future__ import annotations

import datetime as dt

import pytest

from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.queries import dashboard, profiles, roster
from tiers.queries.roster import RosterFilter
from tiers.reports import ReportRequest, data
from tiers.services import recognitions, records

TODAY = dt.date(2026, 11, 21)  # 180 days on: 2027-05-20
ENDING = dt.date(2026, 12, 27)  # a 2023年度 省级专精特新 ends then


def zjtx(session, firm, **values):
    return recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2023,
                                               "recognized_on": dt.date(2023, 12, 28),
                                               **values})


def leader(session, firm, chain, until, **values):
    return recognitions.add(session, firm.id, {"tier_code": "链主", "chain_code": chain,
                                               "batch_year": 2024, "valid_until": until,
                                               **values})


@pytest.fixture
def firms(session, enterprise_factory):
    made = {}
    made["early"] = enterprise_factory("常州提前复核有限公司")  # 复核 in force already
    zjtx(session, made["early"])
    zjtx(session, made["early"], batch_year=2026, is_review=True,
         recognized_on=dt.date(2026, 11, 1))
    made["later"] = enterprise_factory("常州复核待起有限公司")  # 复核 from the old one's end
    zjtx(session, made["later"])
    zjtx(session, made["later"], batch_year=2026, is_review=True,
         recognized_on=ENDING + dt.timedelta(days=1))
    made["waiting"] = enterprise_factory("常州复核公示有限公司")  # 复核 only 公示中
    zjtx(session, made["waiting"])
    zjtx(session, made["waiting"], batch_year=2026, is_review=True, is_pending=True,
         recognized_on=None)
    made["plain"] = enterprise_factory("常州尚未复核有限公司")
    zjtx(session, made["plain"])
    made["twins"] = enterprise_factory("常州两条同期有限公司")  # ending the same day
    zjtx(session, made["twins"])
    # (the same title twice, as a database written before recognitions.add refused a copy
    # may hold: stored past the service)
    records.create(session, Recognition, made["twins"].id, recognitions.clean(
        {"tier_code": "zjtx", "batch_year": 2023, "recognized_on": dt.date(2023, 12, 28),
         "document_number": "苏工信中小〔2023〕513号"}), user=None, import_batch_id=None)
    made["chains"] = enterprise_factory("常州两链链主有限公司")  # 链主 of A ends, of B goes on
    leader(session, made["chains"], "挖掘机", dt.date(2027, 1, 31))
    leader(session, made["chains"], "起重机", dt.date(2029, 12, 31))
    made["chain_renewed"] = enterprise_factory("常州链主续任有限公司")
    leader(session, made["chain_renewed"], "挖掘机", dt.date(2027, 1, 31))
    leader(session, made["chain_renewed"], "挖掘机", dt.date(2030, 1, 31), batch_year=2026)
    return made


EXPIRING_FIRMS = ["常州尚未复核有限公司", "常州复核公示有限公司", "常州两条同期有限公司",
                  "常州两链链主有限公司"]


def names(session, **filters):
    return sorted(r["name"] for r in roster.roster(session, RosterFilter(today=TODAY, **filters)))


def test_a_title_renewed_early_is_not_about_to_expire(session, firms):
    assert names(session, status="即将到期") == sorted(EXPIRING_FIRMS)
    assert names(session, expiring_days=180) == sorted(EXPIRING_FIRMS)
    assert names(session, tier="省级专精特新", status="即将到期") == sorted(EXPIRING_FIRMS[:3])
    # the renewed firms hold the tier, in force: 有效
    assert {"常州提前复核有限公司", "常州复核待起有限公司"} <= set(
        names(session, tier="省级专精特新", status="有效"))


def test_the_dashboard_lists_and_counts_only_titles_that_need_a_review(session, firms):
    listed = dashboard.expiring(session, today=TODAY)
    assert sorted({row["name"] for row in listed}) == sorted(EXPIRING_FIRMS)
    # the twins' two titles end together: neither renews the other, both are listed
    assert len(listed) == 5
    assert [row["chain"] for row in listed if row["tier_code"] == "chain_leader"] == ["挖掘机"]
    # the status bar counts titles, as its 有效认定: the twins' one title once
    assert dashboard.overview(session, today=TODAY)["expiring"] == 4


def test_the_expiring_report_and_the_summary_leave_renewed_titles_out(session, firms):
    request = ReportRequest(today=TODAY)
    rows = list(data.expiring_rows(session, request))
    assert sorted({row["name"] for row in rows}) == sorted(EXPIRING_FIRMS)
    assert [row["tier"] for row in rows if row["name"] == "常州两链链主有限公司"] == [
        "链主企业（挖掘机）"]
    _areas, table = data.summary_counts(session, request, by_town=False)
    counts = table[("武进区", "")]
    assert counts["zjtx"].expiring == 3 and counts["zjtx"].held == 5
    assert counts["chain_leader"].expiring == 1 and counts["chain_leader"].held == 2


def test_a_lapsed_leader_of_one_chain_is_expired_whatever_it_leads_elsewhere(
        session, enterprise_factory):
    firm = enterprise_factory("常州换链链主有限公司")
    leader(session, firm, "挖掘机", dt.date(2026, 6, 30))
    leader(session, firm, "起重机", dt.date(2029, 12, 31))
    again = enterprise_factory("常州原链续任有限公司")
    leader(session, again, "挖掘机", dt.date(2026, 6, 30))
    leader(session, again, "挖掘机", dt.date(2029, 6, 30), batch_year=2026)
    assert names(session, tier="链主", status="已到期") == ["常州换链链主有限公司"]
    assert names(session, status="已到期") == ["常州换链链主有限公司"]


def test_a_firm_counts_once_per_tier_while_old_and_new_overlap(session, firms):
    """The status bar's 有效认定 counts titles held, a firm's tier (and 链主's chain) once;
    the 工作台's tiers, the 汇总表 and the 产业链分布表 count firms already."""
    overview = dashboard.overview(session, today=TODAY)
    # zjtx of 5 firms (early, later, waiting, plain, twins), 链主 of 挖掘机 twice and 起重机
    assert overview["recognitions"] == 5 + 3
    assert dashboard.overview(session, today=TODAY, county="武进区")["recognitions"] == 8
    assert dashboard.tier_totals(session, today=TODAY)["zjtx"] == 5
    assert dashboard.counts_by_tier(session, today=TODAY)[0]["zjtx"] == 5
    # new recognitions per year count firms too, and as the 汇总表's 本年新增 a title given
    # again (a 链主 renewed without the 复核 mark) is not new: the twins' 2023 titles once
    per_year = {row["year"]: row for row in dashboard.recognitions_per_year(session)}
    assert per_year[2023]["zjtx"] == 5
    assert per_year[2024]["chain_leader"] == 2 and 2026 not in per_year
    groups, _held, _names = data.chain_distribution(session, ReportRequest(today=TODAY))
    assert groups["C08"].leaders.count("常州链主续任有限公司") == 1
    assert len(groups["C08"].members) == 2


def test_the_firm_window_says_a_renewed_title_needs_no_review(session, firms):
    statuses = sorted(r["status"] for r in
                      profiles.profile(session, firms["early"].id, today=TODAY)["recognitions"])
    assert statuses == sorted([ladder.VALID, ladder.RENEWED_EARLY])
    statuses = [r["status"] for r in
                profiles.profile(session, firms["plain"].id, today=TODAY)["recognitions"]]
    assert statuses == [ladder.EXPIRING]
