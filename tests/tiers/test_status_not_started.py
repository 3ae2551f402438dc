"""A title entered before its 认定日期 is not held until it starts (ladder.held_condition:
the dashboard, the status filter, the current tier), and its status says so: 待生效, with
the day it starts in the firm's 认定历史 and `tiers show` — not 有效 beside a status filter
that leaves the firm out (review of assess21, finding 3)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.queries import profiles
from tiers.services import recognitions

TODAY = dt.date(2026, 6, 1)


def test_a_title_entered_early_reads_pending_start_with_its_day(session, enterprise_factory):
    firm = enterprise_factory("常州提前录入科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2026,
                                        "recognized_on": dt.date(2026, 6, 21)})
    session.flush()
    [title] = profiles.profile(session, firm.id, today=TODAY)["recognitions"]
    assert title["status"] == "待生效（2026-06-21起）"
    [started] = profiles.profile(session, firm.id,
                                 today=dt.date(2026, 6, 21))["recognitions"]
    assert started["status"] == ladder.VALID


def test_the_status_says_held_exactly_when_the_condition_does(session, enterprise_factory):
    """Random titles, some entered early, some run out or revoked: 有效 / 即将到期 (or
    有效（已复核）) exactly for those held_condition holds."""
    rng = random.Random("not started")
    for number in range(40):
        firm = enterprise_factory(f"常州待生效{number}号有限公司")
        start = TODAY + dt.timedelta(days=rng.choice((-1200, -400, -1, 0, 1, 30, 400)))
        until = start + dt.timedelta(days=rng.choice((364, 1094)))
        revoked = start + dt.timedelta(days=10) if rng.random() < 0.1 else None
        session.add(Recognition(enterprise_id=firm.id, tier_code="zjtx", level="省级",
                                batch_year=start.year, recognized_on=start,
                                valid_until=until, revoked_on=revoked))
    session.flush()
    held = set(session.scalars(select(Recognition.id).where(ladder.held_condition(TODAY))))
    shown = {}
    for found in session.scalars(select(Recognition)):
        shown[found.id] = ladder.status_of(valid_until=found.valid_until,
                                           revoked_on=found.revoked_on, today=TODAY,
                                           recognized_on=found.recognized_on)
    assert {key for key, status in shown.items()
            if status in (ladder.VALID, ladder.EXPIRING)} == held
    assert ladder.NOT_STARTED in shown.values()
