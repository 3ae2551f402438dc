"""Which year's figures 对标预审 uses by default: 上年度, unless the firms have not reported it.

A county collects last year's figures around April–June, so from January until then 上年度
(today's year − 1) has figures for few firms or none, and judged on it nearly every firm would
be 缺数据 and listed as a candidate. The default is therefore the year the data support:
上年度 when the scope assessed (a county, or the whole database) has figures for it for at
least half as many firms as the year with the most firms' figures among the last
``WINDOW`` years; otherwise the newest earlier year that meets that; with no figures at all,
上年度 as before. An explicit year (``--year``, a picker) always wins.

Counties report at their own pace, so the year is decided per county (``year_plan``: one
``GROUP BY county, year`` query per call) and every firm is judged on its own county's year in
every view (the candidate lists, the report, 培育库, the firm's window, the CLI): a firm whose
county has no figures at all, or that has no county, on the whole database's year. A list of
several counties gives the year of most of its firms and a note naming the counties judged on
another ("新北区 2026 年度数据尚未录齐，该区按 2025 年度数据预审"). Only rows holding figures the
rules use count (a headcount list carrying 从业人员 alone does not).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.orm import AnnualFigures, Enterprise

WINDOW = 5  # the last few years (上年度 and the four before) whose counts set the bar
SHARE = 0.5  # 上年度 is used when it has figures for at least this share of the best year
NO_COUNTY = "未填县（市、区）的企业"

# a year counts for a firm when its row holds a figure the rules use (not 从业人员 alone)
HOLDS_FIGURES = or_(*(column.is_not(None) for column in (
    AnnualFigures.revenue, AnnualFigures.main_revenue, AnnualFigures.net_profit,
    AnnualFigures.rd_expense, AnnualFigures.total_assets)))


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
                       up_to: int | None = None) -> dict[int, int]:
    """How many firms (not deleted) have figures, per year: one grouped query. ``county``
    narrows it to a county (the choices of a year picker)."""
    query = (select(AnnualFigures.year, func.count())
             .join(Enterprise, Enterprise.id == AnnualFigures.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), HOLDS_FIGURES))
    if up_to is not None:
        query = query.where(AnnualFigures.year <= up_to)
    if county:  # as the candidates read a county (tiers.assess.county_columns)
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
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


def _status(chosen: FiguresYear) -> str:
    return "尚未录齐" if chosen.counts.get(chosen.last_year, 0) else "尚未录入"


@dataclass(frozen=True)
class YearPlan:
    """The figures year of every county (``by_county``, by county name) and of the whole
    database (``overall``: for firms without a county, or whose county has no figures)."""

    overall: FiguresYear
    by_county: dict[str, FiguresYear] = field(default_factory=dict)

    def of(self, county: str | None) -> FiguresYear:
        """The year a firm of ``county`` (its county name; "" for none) is judged on."""
        return self.by_county.get(county, self.overall) if county else self.overall

    @property
    def years(self) -> list[int]:
        return sorted({self.overall.year} | {c.year for c in self.by_county.values()})

    def span(self, back: int, extra: int = 0) -> range:
        """The years to read for judging any firm: each year used and ``back`` before it
        (``extra`` more before: 培育库 also judges the year before)."""
        years = self.years
        return range(years[0] - back - extra, years[-1] + 1)

    def summary(self, counties: Iterable[str]) -> FiguresYear:
        """The year of most of the firms of ``counties`` (one county name per firm), and a
        note saying why it is not 上年度 and naming the counties judged on another year."""
        per_firm = Counter(counties)
        used: dict[int, tuple[FiguresYear, int]] = {}  # by id: FiguresYear holds a dict
        for county, firms in per_firm.items():
            chosen = self.of(county)
            used[id(chosen)] = (chosen, used.get(id(chosen), (chosen, 0))[1] + firms)
        if len(used) <= 1:
            return next(iter(used.values()), (self.overall, 0))[0]
        by_year: Counter[int] = Counter()
        for chosen, firms in used.values():
            by_year[chosen.year] += firms
        main_year = max(by_year, key=lambda year: (by_year[year], year))
        # said of the whole database when its year is the one most firms are judged on
        main = self.overall if self.overall.year == main_year else max(
            (pair for pair in used.values() if pair[0].year == main_year),
            key=lambda pair: pair[1])[0]
        parts = [main.note] if main.note else []
        for county in sorted(per_firm, key=lambda name: (not name, name)):
            chosen = self.of(county)
            if chosen.year == main_year:
                continue
            name = county or NO_COUNTY
            parts.append(f"{name} {chosen.last_year} 年度数据{_status(chosen)}，该区按 "
                         f"{chosen.year} 年度数据预审" if chosen.fell_back
                         else f"{name}按 {chosen.year} 年度数据预审")
        return dataclasses.replace(main, note="；".join(dict.fromkeys(parts)),
                                   counts=self.overall.counts)


def figures_by_county(session: Session, *, up_to: int | None = None
                      ) -> dict[str, dict[int, int]]:
    """How many firms (not deleted) have figures, per county name ("" for none) and year:
    one grouped query."""
    query = (select(Enterprise.county_name, AnnualFigures.year, func.count())
             .join(Enterprise, Enterprise.id == AnnualFigures.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), HOLDS_FIGURES))
    if up_to is not None:
        query = query.where(AnnualFigures.year <= up_to)
    out: dict[str, dict[int, int]] = {}
    for county, year, count in session.execute(
            query.group_by(Enterprise.county_name, AnnualFigures.year)):
        counts = out.setdefault(county or "", {})
        counts[int(year)] = counts.get(int(year), 0) + int(count)
    return out


def year_plan(session: Session, *, today: dt.date | None = None,
              year: int | None = None) -> YearPlan:
    """Every county's figures year (see the module): ``year`` for all when given (no query)."""
    today = today or dt.date.today()
    default = last_year(today)
    if year:
        return YearPlan(FiguresYear(year, default, explicit=True))
    per_county = figures_by_county(session, up_to=default)
    total: Counter[int] = Counter()
    for counts in per_county.values():
        total.update(counts)
    window = range(default - WINDOW + 1, default + 1)
    return YearPlan(decide(dict(total), today), {
        county: decide(counts, today) for county, counts in per_county.items()
        if county and any(counts.get(y, 0) for y in window)})  # none: the database's year


def figures_year(session: Session, *, today: dt.date | None = None, year: int | None = None,
                 county: str | None = None,
                 enterprise_id: int | None = None) -> FiguresYear:
    """The figures year the firms of ``county`` (or of the county of ``enterprise_id``) are
    judged on; with neither, the whole database's (``YearPlan.overall``): ``year`` when
    given, else as the data support (see the module)."""
    today = today or dt.date.today()
    if year:
        return FiguresYear(year, last_year(today), explicit=True)
    name = ""
    if county:
        name = reference.resolve_county(county)[1] or county
    elif enterprise_id is not None:  # its county name, by its key
        name = session.scalar(select(Enterprise.county_name)
                              .where(Enterprise.id == enterprise_id)) or ""
    return year_plan(session, today=today).of(name)


def years_with_figures(session: Session, *, county: str | None = None,
                       today: dt.date | None = None) -> list[int]:
    """The years that have figures up to 上年度, newest first: the choices of a year picker."""
    counts = firms_with_figures(session, county=county, up_to=last_year(today))
    return sorted((y for y, n in counts.items() if n), reverse=True)


__all__ = ["FiguresYear", "YearPlan", "decide", "figures_by_county", "figures_year",
           "firms_with_figures", "last_year", "year_plan", "years_with_figures"]
