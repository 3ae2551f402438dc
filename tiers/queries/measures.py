"""扶持措施: every support measure with its enterprise, filtered in SQL, and their totals.
Plain SQLAlchemy queries returning plain data (no Qt)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tiers.model.orm import Enterprise, SupportMeasure
from tiers.model.support_categories import split_amounts
from tiers.queries.roster import county_condition
from tiers.queries.search import contains, search_condition
from tiers.storage.dialect import ascending, descending


def measures(session: Session, *, kind: str | None = None, year: int | None = None,
             county: str | None = None, status: str | None = None, search: str = "",
             limit: int | None = None) -> list[dict[str, Any]]:
    """All support measures with their enterprise, newest first, filtered in SQL."""
    query = (select(SupportMeasure, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town)
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(descending(SupportMeasure.year), descending(SupportMeasure.paid_on),
                       ascending(Enterprise.name), SupportMeasure.id))
    query = _measure_filters(query, kind=kind, year=year, county=county, status=status,
                             search=search)
    if limit:
        query = query.limit(limit)
    rows = []
    for measure, name, code, county_name, town in session.execute(query):
        rows.append({
            "id": measure.id, "enterprise_id": measure.enterprise_id, "name": name,
            "credit_code": code, "county": county_name, "town": town, "kind": measure.kind,
            "measure_name": measure.name, "amount": measure.amount, "paid_on": measure.paid_on,
            "year": measure.year, "implementer": measure.implementer,
            "implementer_level": measure.implementer_level,
            "policy_basis": measure.policy_basis, "status": measure.status,
            "note": measure.note})
    return rows


def measure_totals(session: Session, *, kind: str | None = None, year: int | None = None,
                   county: str | None = None, status: str | None = None,
                   search: str = "") -> dict[str, Any]:
    """{measures, enterprises, total: the money (资金奖补, 万元), others: {融资: 万元, …} for
    the categories whose amounts are not money paid and are not in ``total``}."""
    query = (select(func.count(SupportMeasure.id),
                    func.count(func.distinct(SupportMeasure.enterprise_id)))
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None)))
    query = _measure_filters(query, kind=kind, year=year, county=county, status=status,
                             search=search)
    n, firms = session.execute(query).one()
    by_kind = (select(SupportMeasure.kind, func.sum(SupportMeasure.amount))
               .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
               .where(Enterprise.deleted_at.is_(None), SupportMeasure.amount.isnot(None))
               .group_by(SupportMeasure.kind))
    by_kind = _measure_filters(by_kind, kind=kind, year=year, county=county, status=status,
                               search=search)
    # (a few dozen kinds at most)
    money, others = split_amounts(session.execute(by_kind).all())
    return {"measures": n or 0, "total": money, "others": others,
            "enterprises": firms or 0}


def _measure_filters(query, *, kind, year, county, status, search):
    if kind:
        query = query.where(SupportMeasure.kind == kind)
    if year:
        query = query.where(SupportMeasure.year == year)
    if status:
        query = query.where(SupportMeasure.status == status)
    if county:
        query = query.where(county_condition(county))
    if search.strip():
        words = search.split()
        query = query.where(or_(search_condition(search),
                                *[contains(SupportMeasure.name, w) for w in words],
                                *[contains(SupportMeasure.policy_basis, w) for w in words]))
    return query


def measure_years(session: Session) -> list[int]:
    return sorted(session.scalars(select(SupportMeasure.year).where(
        SupportMeasure.year.isnot(None)).distinct()), reverse=True)
