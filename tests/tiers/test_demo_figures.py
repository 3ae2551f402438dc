"""The demo county's figures are skewed as a county's are: most firms small, a few large, market
share going with the rung a firm holds. Drawn evenly (revenue 800 万元–8 亿元, share 0.1–30%),
106 of 300 firms met 单项冠军's 4 亿元 of 主营业务收入 and two thirds of the firms had
10% of a national market (review of the demo, session 19)."""

from __future__ import annotations

import datetime as dt
from statistics import median

from sqlalchemy import select

from tiers import assess
from tiers.assess import READY, TO_VERIFY
from tiers.model.orm import AnnualFigures
from tiers.progress import drain
from tiers.queries import dashboard
from tiers.services import demo

TODAY = dt.date(2026, 12, 6)


def test_a_handful_meet_the_single_champion_figures_and_most_firms_are_small(session):
    drain(demo.generate(session, enterprises=300, seed=20261121, today=TODAY))
    found = assess.candidates(session, "single_champion", today=TODAY)
    meeting = [item for item in found.ranked if item.readiness in (READY, TO_VERIFY)]
    assert 1 <= len(meeting) <= 20, len(meeting)

    year = assess.default_year(TODAY)
    figures = {row.enterprise_id: row for row in session.scalars(
        select(AnnualFigures).where(AnnualFigures.year == year))}
    revenue = sorted(float(row.revenue) for row in figures.values())
    assert median(revenue) < 10000  # 万元: most firms under 1 亿元 (it was 4.4 亿元)
    assert revenue[-1] > 10 * median(revenue)  # and a few are much larger
    held = dashboard.tier_totals(session, today=TODAY)
    assert held["single_champion"] >= 2
    share = [float(row.market_share) for row in figures.values()]
    assert sum(value >= 10 for value in share) < len(share) / 3, sorted(share)  # was 2/3
