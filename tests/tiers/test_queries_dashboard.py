"""Dashboard aggregates agree with the reports: support money counts what was paid."""

from __future__ import annotations

from decimal import Decimal

from tiers.queries import dashboard, roster
from tiers.reports.base import ReportRequest
from tiers.reports.data import measure_rows
from tiers.services import measures


def add_measure(session, firm, amount, status, year=2025):
    measures.add(session, firm.id, {"kind": "资金奖励", "name": f"{status}项目",
                                    "amount": amount, "year": year, "status": status})


def test_support_per_year_counts_paid_measures_as_the_report_and_roster_do(
        session, enterprise_factory):
    first = enterprise_factory("常州甲科技有限公司")
    second = enterprise_factory("常州乙科技有限公司")
    add_measure(session, first, "100", "已兑现")
    add_measure(session, first, "50", "申报")
    add_measure(session, first, "30", "审核")
    add_measure(session, second, "20.5", "已兑现")
    add_measure(session, second, "7", "已兑现", year=2024)
    session.flush()

    per_year = {row["year"]: row for row in dashboard.support_per_year(session)}
    assert per_year[2025]["total"] == Decimal("120.5")
    assert per_year[2025]["measures"] == 2 and per_year[2025]["enterprises"] == 2
    assert per_year[2024]["total"] == Decimal("7")
    everything = {row["year"]: row["total"]
                  for row in dashboard.support_per_year(session, status=None)}
    assert everything[2025] == Decimal("200.5")

    # the 扶持措施兑现情况表 (default 已兑现) adds up to the same figure
    report = measure_rows(session, ReportRequest(year=2025), "enterprise")
    assert sum(row["amount"] for row in report) == per_year[2025]["total"]
    # and so does the roster's 扶持金额合计 (every year)
    totals = {row["name"]: row["support_total"]
              for row in roster.roster(session, roster.RosterFilter())}
    assert totals == {"常州甲科技有限公司": Decimal("100"),
                      "常州乙科技有限公司": Decimal("27.5")}
    assert sum(totals.values()) == sum(row["total"] for row in per_year.values())
    ids = roster.roster_ids(session, roster.RosterFilter(), sort="support_total",
                             descending=True)
    assert ids == [first.id, second.id]
