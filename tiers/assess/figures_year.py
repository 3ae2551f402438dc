"""Which year's figures 对标预审 uses by default: 上年度, unless the firms have not reported it.

A county collects last year's figures around April–June, so from January until then 上年度
(today's year − 1) has figures for few firms or none, and judged on it nearly every firm would
be 缺数据 and listed as a candidate. The default is therefore the year the data support:
上年度 when the scope assessed (a county, or the whole database) has figures for it for at
least half as many firms as the year with the most firms' figures among the last
``WINDOW`` years; otherwise the newest earlier year that meets that; with no figures at all,
上年度 as before. An explicit year (``--year``, a picker) always wins. One grouped count query
per call, so the views may ask it each time they refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tiers.model import reference
from tiers.model.orm import AnnualFigures, Enterprise

WINDOW = 5  # the last few years (上年度 and the four before) whose counts set the bar
SHARE = 0.5  # 上年度 is used when it has figures for at least this share of the best year


def last_year(today: dt.date | None = None) -> int:
    """上年度: the figures year an application made this year is judged on."""
    return (today or dt.date.today()).year - 1


@dataclass(frozen=True)
class FiguresYear:
    """The figures year used, and why when it is not 上年度 (``note``: one Chinese sentence,
    empty when the year is 上年度 or was given)."""

    year: int
    last_year: int  # 上年度 (today's year − 1)
    explicit: bool = False  # given by the officer (--year, a picker)
    note: str = ""
    counts: dict[int, int] = field(default_factory=dict)  # firms with figures, per year

    @property
    def fell_back(self) -> bool:
        return self.year != self.last_year and not self.explicit

    @property
    def years(self) -> list[int]:
        """The years with figures, newest first (for a picker)."""
        return sorted((y for y, n in self.counts.items() if n), reverse=True)


def firms_with_figures(session: Session, *, county: str | None = None,
                       enterprise_id: int | None = None,
                       up_to: int | None = None) -> dict[int, int]:
    """How many firms (not deleted) have figures, per year: one grouped query. ``county``
    narrows it to a county; ``enterprise_id`` to that firm's county."""
    query = (select(AnnualFigures.year, func.count())
             .join(Enterprise, Enterprise.id == AnnualFigures.enterprise_id)
             .where(Enterprise.deleted_at.is_(None)))
    if up_to is not None:
        query = query.where(AnnualFigures.year <= up_to)
    if county:  # as the candidates read a county (tiers.assess.county_columns)
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    elif enterprise_id is not None:  # the firm's own county, in the same statement
        own = aliased(Enterprise)
        mine = select(own.county_code, own.county_name).where(own.id == enterprise_id)
        query = query.where(
            Enterprise.county_code.is_not_distinct_from(
                mine.with_only_columns(own.county_code).scalar_subquery()),
            Enterprise.county_name == mine.with_only_columns(own.county_name).scalar_subquery())
    return {int(year): int(count) for year, count in
            session.execute(query.group_by(AnnualFigures.year))}


def decide(counts: dict[int, int], today: dt.date) -> FiguresYear:
    """The rule above over ``counts`` (firms with figures per year)."""
    default = last_year(today)
    window = [default - back for back in range(WINDOW)]  # newest first
    best = max((counts.get(y, 0) for y in window), default=0)
    if best == 0:
        return FiguresYear(default, default, counts=counts)
    for year in window:
        if counts.get(year, 0) >= best * SHARE:
            break
    if year == default:
        return FiguresYear(default, default, counts=counts)
    have = counts.get(default, 0)
    status = f"尚未录齐（已录入 {have} 家，{year} 年度 {counts[year]} 家）" if have else "尚未录入"
    return FiguresYear(year, default, counts=counts,
                       note=f"{default} 年度数据{status}，按 {year} 年度数据预审")


def figures_year(session: Session, *, today: dt.date | None = None, year: int | None = None,
                 county: str | None = None,
                 enterprise_id: int | None = None) -> FiguresYear:
    """The figures year for 对标预审 of ``county`` (None: the whole database; or the county
    of ``enterprise_id``): ``year`` when given, else as the data support (see the module)."""
    today = today or dt.date.today()
    if year:
        return FiguresYear(year, last_year(today), explicit=True)
    counts = firms_with_figures(session, county=county, enterprise_id=enterprise_id,
                                up_to=last_year(today))
    return decide(counts, today)


def years_with_figures(session: Session, *, county: str | None = None,
                       today: dt.date | None = None) -> list[int]:
    """The years that have figures up to 上年度, newest first: the choices of a year picker."""
    counts = firms_with_figures(session, county=county, up_to=last_year(today))
    return sorted((y for y, n in counts.items() if n), reverse=True)


__all__ = ["FiguresYear", "decide", "figures_year", "firms_with_figures", "last_year",
           "years_with_figures"]
