"""A title is new (the 汇总表's 本年新增, the 工作台's new recognitions per year) when the
firm never held it before. A 2023 公示 row the final list left out (公示中 for good) was
never held: the firm recognised in 2024 is new in 2024. A title held and revoked since was
held: its return is no new one. 链主 is a title of one chain (as renewed_condition takes it):
链主 of 挖掘机 from 2024 becoming 链主 of 起重机 in 2026 is new in 2026."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_renewal import TODAY, leader, zjtx
from tiers.queries import dashboard
from tiers.reports import ReportRequest, data
from tiers.services import recognitions


def new_in(session, year: int) -> dict[str, int]:
    """{tier_code: firms new} of ``year``, as the 汇总表 counts them (武进区), and the
    工作台's count of the same year, which must agree."""
    _areas, table = data.summary_counts(session, ReportRequest(today=TODAY, year=year),
                                        by_town=False)
    summary = {code: counts.new for code, counts in table[("武进区", "")].items()
               if counts.new}
    per_year = {row["year"]: row for row in dashboard.recognitions_per_year(session)}
    workbench = {code: n for code, n in per_year.get(year, {}).items()
                 if code != "year" and n}
    assert workbench == summary, year
    return summary


def test_a_title_never_confirmed_does_not_make_the_next_one_old(session, enterprise_factory):
    left_out = enterprise_factory("常州公示落选有限公司")  # on the 2023 公示, not the list
    zjtx(session, left_out, is_pending=True, recognized_on=None)
    zjtx(session, left_out, batch_year=2024, recognized_on=dt.date(2024, 12, 20))
    revoked = enterprise_factory("常州撤销再认有限公司")  # held in 2023, revoked, again 2024
    first = zjtx(session, revoked)
    recognitions.revoke(session, first.id, reason="弄虚作假", on=dt.date(2024, 3, 1))
    zjtx(session, revoked, batch_year=2024, recognized_on=dt.date(2024, 12, 20))
    session.flush()
    assert new_in(session, 2024) == {"zjtx": 1}  # the firm left out in 2023 only
    assert new_in(session, 2023) == {"zjtx": 1}  # the revoked one was new then


def test_a_leader_of_another_chain_is_new(session, enterprise_factory):
    moved = enterprise_factory("常州新链链主有限公司")
    leader(session, moved, "挖掘机", dt.date(2027, 1, 31))
    leader(session, moved, "起重机", dt.date(2029, 12, 31), batch_year=2026)
    again = enterprise_factory("常州原链续任有限公司")  # the same chain again: not new
    leader(session, again, "挖掘机", dt.date(2027, 1, 31))
    leader(session, again, "挖掘机", dt.date(2030, 1, 31), batch_year=2026)
    session.flush()
    assert new_in(session, 2026) == {"chain_leader": 1}
    assert new_in(session, 2024) == {"chain_leader": 2}
