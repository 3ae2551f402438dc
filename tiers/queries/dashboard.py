"""The 工作台's figures: the status bar's counts, tiers per county or town, what expires soon,
recognitions and support per year. Plain SQLAlchemy queries returning plain data (no Qt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tiers.model import ladder, reference
from tiers.model.orm import (
    Enterprise,
    Recognition,
    SupportMeasure,
)
from tiers.model.support_categories import money_condition
from tiers.model.vocabulary import means_all_counties
from tiers.queries import unit_scope
from tiers.queries.profiles import recognition_dict
from tiers.storage.dialect import ascending


class _Ask:
    """No area given: the query asks unit_scope itself (one figure on its own)."""

    def __repr__(self) -> str:
        return "ASK"


ASK: Any = _Ask()


def _in_area(session: Session, query: Any, county: str | None, area: Any = ASK) -> Any:
    """``query`` narrowed to the firms of ``county`` as the reports read it
    (tiers.queries.unit_scope): none — the unit's when the database records its unit (its
    counties' firms and its 开发区's without a county), else every firm; all — every firm.
    ``area``: that condition read already (``figures`` reads it once for all its queries:
    each asking again ran the unit's counties and three DISTINCT queries, 1.06 s at 100,000
    firms per refresh); None — every firm."""
    if area is ASK:
        area = unit_scope.condition(session, county)
    return query if area is None else query.where(area)


def figures(session: Session, *, by: str = "county", county: str | None = None,
            today: dt.date | None = None) -> dict[str, Any]:
    """Everything the 工作台 shows of ``county`` (the unit's when none, see ``_in_area``),
    the scope read once: the cards (``tiers``, ``pending``), the charts (``areas``,
    ``per_year``, ``support``), the titles expiring or run out inside their 复核 round
    (``expiring``, listed; ``expiring_titles``, ``review_due_titles``, counted) and, for a
    county chosen, the status bar's counts (``overview``; None for the unit or all)."""
    today = today or dt.date.today()
    area = unit_scope.condition(session, county)
    return {
        "overview": overview(session, today=today, county=county, area=area)
        if county and not means_all_counties(county) else None,
        "tiers": tier_totals(session, today=today, county=county, area=area),
        "pending": pending_firms(session, today=today, county=county, area=area),
        "areas": counts_by_tier(session, by=by, county=county, today=today, area=area),
        "per_year": recognitions_per_year(session, county=county, area=area),
        "support": support_per_year(session, county=county, area=area),
        "expiring": expiring(session, days=ladder.EXPIRING_DAYS, today=today, county=county,
                             review_due=True, area=area),
        "expiring_titles": expiring_titles(session, today=today, county=county, area=area),
        "review_due_titles": review_due_titles(session, today=today, county=county, area=area),
    }


def overview(session: Session, *, today: dt.date | None = None,
             county: str | None = None, area: Any = ASK) -> dict[str, int]:
    """Counts for the status bar: enterprises, in the 回收站, titles held and titles expiring
    within 180 days (a renewed one is not), each title once: a firm's tier, and chain for
    链主 (its old title and the 复核 that renews it are in force together until the old one
    ends; a title imported twice is two rows); of the whole database or of one county (a
    name or a code)."""
    today = today or dt.date.today()
    live = Enterprise.deleted_at.is_(None)
    firms = select(func.count(Enterprise.id))
    firms = _in_area(session, firms, county, area)
    return {
        "enterprises": session.scalar(firms.where(live)) or 0,
        "deleted": session.scalar(firms.where(Enterprise.deleted_at.isnot(None))) or 0,
        "recognitions": titles_counted(session, ladder.held_condition(today), county, area),
        "expiring": expiring_titles(session, today=today, county=county, area=area),
    }


def expiring_titles(session: Session, *, today: dt.date | None = None,
                    county: str | None = None, area: Any = ASK) -> int:
    """The titles expiring within 180 days (the status bar's 180天内到期, and the 工作台's
    heading above the list of them), each once (``titles_counted``)."""
    return titles_counted(session, ladder.status_condition(
        ladder.EXPIRING, today or dt.date.today()), county, area)


def review_due_titles(session: Session, *, today: dt.date | None = None,
                      county: str | None = None, area: Any = ASK) -> int:
    """The titles run out inside their 复核 round (待复核, ``ladder.status_of``), each once:
    the 工作台's heading above its list of them."""
    return titles_counted(session, ladder.status_condition(
        ladder.REVIEW_DUE, today or dt.date.today()), county, area)


def titles_counted(session: Session, condition: Any, county: str | None, area: Any = ASK) -> int:
    """The titles of live firms (of one county, or all) with a recognition meeting
    ``condition``: a firm's tier, and chain for 链主, once however many rows it has."""
    titles = (select(Recognition.enterprise_id, Recognition.tier_code, ladder.title_chain())
              .distinct().join(Enterprise, Enterprise.id == Recognition.enterprise_id)
              .where(Enterprise.deleted_at.is_(None), condition))
    titles = _in_area(session, titles, county, area)
    return session.scalar(select(func.count()).select_from(titles.subquery())) or 0


def tier_totals(session: Session, *, today: dt.date | None = None,
                county: str | None = None, area: Any = ASK) -> dict[str, int]:
    """Enterprises holding each tier in force (an enterprise with two tiers counts twice),
    of the whole database or of one county (a name or a code)."""
    today = today or dt.date.today()
    query = _firms_with(session, ladder.held_condition(today), county, Recognition.tier_code,
                        area=area)
    found = dict(session.execute(query.group_by(Recognition.tier_code)).all())
    return {t.code: found.get(t.code, 0) for t in reference.tiers()}


def pending_firms(session: Session, *, today: dt.date | None = None,
                  county: str | None = None, area: Any = ASK) -> int:
    """Firms a 公示 list named and no final list or confirmation has yet made holders
    (公示中): not counted in ``tier_totals``, so the dashboard says how many wait."""
    today = today or dt.date.today()
    return session.scalar(_firms_with(session, ladder.status_condition(ladder.PENDING, today),
                                      county, area=area)) or 0


def _firms_with(session: Session, condition: Any, county: str | None, *by: Any,
                area: Any = ASK) -> Any:
    """The live firms (of one county, or all) with a recognition meeting ``condition``,
    counted once each (per ``by``, grouped by the caller)."""
    query = (select(*by, func.count(func.distinct(Recognition.enterprise_id)))
             .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), condition))
    return _in_area(session, query, county, area)


def counts_by_tier(session: Session, *, by: str = "county", county: str | None = None,
                   today: dt.date | None = None, area: Any = ASK) -> list[dict[str, Any]]:
    """Enterprises per county or per town (inside ``county``), each counted once, under its
    highest title of the ladder in force (按梯度体系中最高的有效称号计一次): the chart,
    各县区梯度企业数, stacks the ladder's tiers only, so a firm holding only local titles
    (市级专精特新, 隐形冠军) is not counted, and one that is 创新型 and 市专精特新 counts as
    创新型 — not the roster's 当前梯度, which ranks local titles in (市专精特新 above 创新型);
    链主 and a title 公示中 are none. So an area's bar adds up to its firms on the ladder (a
    firm with two titles was counted twice: 湖塘镇 showed 2 for its one firm). The titles in
    force per tier, each tier counted: ``holders_by_tier``."""
    today = today or dt.date.today()
    place = Enterprise.county_name if by == "county" else Enterprise.town
    ladder_codes = [t.code for t in reference.tiers() if t.ladder]
    rank = ladder.rank_expression()
    numbered = (
        select(place.label("area"), Recognition.tier_code.label("tier_code"),
               func.row_number().over(
                   partition_by=Recognition.enterprise_id,
                   order_by=(rank.desc(), Recognition.id.desc()),
               ).label("position"))
        .join(Recognition, Recognition.enterprise_id == Enterprise.id)
        .where(Enterprise.deleted_at.is_(None), ladder.held_condition(today),
               Recognition.tier_code.in_(ladder_codes))
    )
    numbered = _in_area(session, numbered, county, area)
    numbered = numbered.subquery()
    query = (select(numbered.c.area, numbered.c.tier_code, func.count())
             .where(numbered.c.position == 1)
             .group_by(numbered.c.area, numbered.c.tier_code))
    return _area_rows(session.execute(query))


def holders_by_tier(session: Session, *, by: str = "county", county: str | None = None,
                    today: dt.date | None = None, area: Any = ASK) -> list[dict[str, Any]]:
    """Enterprises holding each tier (in force), per county or per town (inside ``county``):
    the 汇总表's 有效 per tier. An enterprise with two tiers counts under each."""
    today = today or dt.date.today()
    place = Enterprise.county_name if by == "county" else Enterprise.town
    query = (
        select(place.label("area"), Recognition.tier_code,
               func.count(func.distinct(Enterprise.id)).label("n"))
        .join(Recognition, Recognition.enterprise_id == Enterprise.id)
        .where(Enterprise.deleted_at.is_(None), ladder.held_condition(today))
        .group_by(place, Recognition.tier_code)
    )
    query = _in_area(session, query, county, area)
    return _area_rows(session.execute(query))


def _area_rows(counts) -> list[dict[str, Any]]:
    table: dict[str, dict[str, int]] = {}
    for area_name, tier_code, n in counts:
        table.setdefault(area_name or "（未填）", {})[tier_code] = n
    tiers = [t for t in reference.tiers()]
    return [{"area": area_name, **{t.code: row.get(t.code, 0) for t in tiers}}
            for area_name, row in sorted(table.items())]


def expiring(session: Session, *, days: int = ladder.EXPIRING_DAYS,
             today: dt.date | None = None, county: str | None = None,
             review_due: bool = False, area: Any = ASK) -> list[dict[str, Any]]:
    """Recognitions in force that expire within ``days``, soonest first; with
    ``review_due`` those run out inside their 复核 round too (待复核: not lost, the 复核 is on),
    first. Each row's ``status`` is the core's word for it (``ladder.status_of``)."""
    today = today or dt.date.today()
    wanted = ladder.status_condition(ladder.EXPIRING, today, days)
    if review_due:
        wanted = or_(wanted, ladder.status_condition(ladder.REVIEW_DUE, today))
    query = (
        select(Recognition, Enterprise)
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(Enterprise.deleted_at.is_(None), wanted)
        .order_by(ascending(Recognition.valid_until), ascending(Enterprise.name))
    )
    query = _in_area(session, query, county, area)
    return [
        {**recognition_dict(recognition, today), "enterprise_id": enterprise.id,
         "credit_code": enterprise.credit_code, "name": enterprise.name,
         "county": enterprise.county_name, "town": enterprise.town,
         "days_left": (recognition.valid_until - today).days}
        for recognition, enterprise in session.execute(query)
    ]


def recognitions_per_year(session: Session, *, first_year: int | None = None,
                          county: str | None = None, area: Any = ASK) -> list[dict[str, Any]]:
    """New recognitions per batch year and tier: [{year, tier_code: n, ...}], firms counted
    once (two rows of one title, a 链主 of two chains), as the 汇总表's 本年新增: not a 复核,
    nor a firm recognised for the tier in an earlier year (renewed without the 复核 mark)."""
    query = (select(Recognition.batch_year, Recognition.tier_code,
                    func.count(func.distinct(Recognition.enterprise_id)))
             .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), Recognition.batch_year.isnot(None),
                    Recognition.is_review.is_(False), Recognition.is_pending.is_(False),
                    ladder.first_of_tier_condition())
             .group_by(Recognition.batch_year, Recognition.tier_code)
             .order_by(Recognition.batch_year))
    if first_year:
        query = query.where(Recognition.batch_year >= first_year)
    query = _in_area(session, query, county, area)
    table: dict[int, dict[str, int]] = {}
    for year, tier_code, n in session.execute(query):
        table.setdefault(year, {})[tier_code] = n
    codes = [t.code for t in reference.tiers()]
    return [{"year": year, **{c: row.get(c, 0) for c in codes}}
            for year, row in sorted(table.items())]


PAID = "已兑现"


def support_per_year(session: Session, *, status: str | None = PAID,
                     county: str | None = None, area: Any = ASK) -> list[dict[str, Any]]:
    """Support funds per year: [{year, total (万元), measures, enterprises}]. Only money
    (资金奖补: not a loan, a guarantee, a tax deduction or a service —
    tiers.model.support_categories) and only paid measures (已兑现) by default, as the 扶持情况
    report and the roster's total count them; ``status=None`` counts every money measure,
    applied for or paid."""
    query = (select(SupportMeasure.year, func.sum(SupportMeasure.amount), func.count(),
                    func.count(func.distinct(SupportMeasure.enterprise_id)))
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), SupportMeasure.year.isnot(None),
                    money_condition(SupportMeasure.kind))
             .group_by(SupportMeasure.year).order_by(SupportMeasure.year))
    if status is not None:
        query = query.where(SupportMeasure.status == status)
    query = _in_area(session, query, county, area)
    return [{"year": year, "total": Decimal(str(total or 0)), "measures": n, "enterprises": e}
            for year, total, n, e in session.execute(query)]
