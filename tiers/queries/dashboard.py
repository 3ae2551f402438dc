"""The 工作台's figures and the list views beside the roster (扶持措施, 产业链, 培育库, 导入记录):
plain SQLAlchemy queries returning plain data (no Qt). Filtering and sorting happen in SQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tiers.model import ladder, reference
from tiers.model.orm import (
    ChainRole,
    CultivationEntry,
    Enterprise,
    Recognition,
    SupportMeasure,
)
from tiers.queries.profiles import columns, recognition_dict
from tiers.queries.roster import county_condition, current_recognition
from tiers.queries.search import contains, search_condition


def overview(session: Session, *, today: dt.date | None = None) -> dict[str, int]:
    """Counts for the status bar: enterprises, in the 回收站, recognitions in force,
    expiring within 180 days."""
    today = today or dt.date.today()
    live = Enterprise.deleted_at.is_(None)
    held = (select(func.count(Recognition.id))
            .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
            .where(live))
    return {
        "enterprises": session.scalar(select(func.count(Enterprise.id)).where(live)) or 0,
        "deleted": session.scalar(select(func.count(Enterprise.id)).where(
            Enterprise.deleted_at.isnot(None))) or 0,
        "recognitions": session.scalar(held.where(ladder.held_condition(today))) or 0,
        "expiring": session.scalar(held.where(
            ladder.status_condition(ladder.EXPIRING, today))) or 0,
    }


def tier_totals(session: Session, *, today: dt.date | None = None) -> dict[str, int]:
    """Enterprises holding each tier in force (an enterprise with two tiers counts twice)."""
    today = today or dt.date.today()
    query = (select(Recognition.tier_code, func.count(func.distinct(Recognition.enterprise_id)))
             .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), ladder.held_condition(today))
             .group_by(Recognition.tier_code))
    found = dict(session.execute(query).all())
    return {t.code: found.get(t.code, 0) for t in reference.tiers()}


def counts_by_tier(session: Session, *, by: str = "county", county: str | None = None,
                   today: dt.date | None = None) -> list[dict[str, Any]]:
    """Enterprises holding each tier (in force), per county or per town (inside ``county``).
    An enterprise with two tiers counts under each."""
    today = today or dt.date.today()
    area = Enterprise.county_name if by == "county" else Enterprise.town
    query = (
        select(area.label("area"), Recognition.tier_code,
               func.count(func.distinct(Enterprise.id)).label("n"))
        .join(Recognition, Recognition.enterprise_id == Enterprise.id)
        .where(Enterprise.deleted_at.is_(None), ladder.held_condition(today))
        .group_by(area, Recognition.tier_code)
    )
    if county:
        query = query.where(county_condition(county))
    table: dict[str, dict[str, int]] = {}
    for area_name, tier_code, n in session.execute(query):
        table.setdefault(area_name or "（未填）", {})[tier_code] = n
    tiers = [t for t in reference.tiers()]
    return [{"area": area_name, **{t.code: row.get(t.code, 0) for t in tiers}}
            for area_name, row in sorted(table.items())]


def expiring(session: Session, *, days: int = ladder.EXPIRING_DAYS,
             today: dt.date | None = None, county: str | None = None) -> list[dict[str, Any]]:
    """Recognitions in force that expire within ``days``, soonest first."""
    today = today or dt.date.today()
    query = (
        select(Recognition, Enterprise)
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(Enterprise.deleted_at.is_(None),
               ladder.status_condition(ladder.EXPIRING, today, days))
        .order_by(Recognition.valid_until, Enterprise.name)
    )
    if county:
        query = query.where(county_condition(county))
    return [
        {**recognition_dict(recognition, today), "enterprise_id": enterprise.id,
         "credit_code": enterprise.credit_code, "name": enterprise.name,
         "county": enterprise.county_name, "town": enterprise.town,
         "days_left": (recognition.valid_until - today).days}
        for recognition, enterprise in session.execute(query)
    ]


def cultivation_entries(session: Session) -> list[dict[str, Any]]:
    query = (select(CultivationEntry, Enterprise)
             .join(Enterprise, Enterprise.id == CultivationEntry.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(CultivationEntry.target_year, Enterprise.name))
    return [{**columns(entry, set()), "target_tier_name": ladder.tier_label(entry.target_tier),
             "name": enterprise.name, "credit_code": enterprise.credit_code,
             "county": enterprise.county_name, "town": enterprise.town}
            for entry, enterprise in session.execute(query)]


def recognitions_per_year(session: Session, *, first_year: int | None = None
                          ) -> list[dict[str, Any]]:
    """New recognitions (not 复核) per batch year and tier: [{year, tier_code: n, ...}]."""
    query = (select(Recognition.batch_year, Recognition.tier_code, func.count())
             .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), Recognition.batch_year.isnot(None),
                    Recognition.is_review.is_(False))
             .group_by(Recognition.batch_year, Recognition.tier_code)
             .order_by(Recognition.batch_year))
    if first_year:
        query = query.where(Recognition.batch_year >= first_year)
    table: dict[int, dict[str, int]] = {}
    for year, tier_code, n in session.execute(query):
        table.setdefault(year, {})[tier_code] = n
    codes = [t.code for t in reference.tiers()]
    return [{"year": year, **{c: row.get(c, 0) for c in codes}}
            for year, row in sorted(table.items())]


PAID = "已兑现"


def support_per_year(session: Session, *, status: str | None = PAID
                     ) -> list[dict[str, Any]]:
    """Support funds per year: [{year, total (万元), measures, enterprises}]. Only paid
    measures (已兑现) by default, as the 扶持情况 report and the roster's total count them;
    ``status=None`` counts every measure, applied for or paid."""
    query = (select(SupportMeasure.year, func.sum(SupportMeasure.amount), func.count(),
                    func.count(func.distinct(SupportMeasure.enterprise_id)))
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None), SupportMeasure.year.isnot(None))
             .group_by(SupportMeasure.year).order_by(SupportMeasure.year))
    if status is not None:
        query = query.where(SupportMeasure.status == status)
    return [{"year": year, "total": Decimal(str(total or 0)), "measures": n, "enterprises": e}
            for year, total, n, e in session.execute(query)]


def measures(session: Session, *, kind: str | None = None, year: int | None = None,
             county: str | None = None, status: str | None = None, search: str = "",
             limit: int | None = None) -> list[dict[str, Any]]:
    """All support measures with their enterprise, newest first, filtered in SQL."""
    query = (select(SupportMeasure, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town)
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(SupportMeasure.year.desc(), SupportMeasure.paid_on.desc(),
                       Enterprise.name, SupportMeasure.id))
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
    query = (select(func.count(SupportMeasure.id), func.sum(SupportMeasure.amount),
                    func.count(func.distinct(SupportMeasure.enterprise_id)))
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.deleted_at.is_(None)))
    query = _measure_filters(query, kind=kind, year=year, county=county, status=status,
                             search=search)
    n, total, firms = session.execute(query).one()
    return {"measures": n or 0, "total": Decimal(str(total or 0)), "enterprises": firms or 0}


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


def recognition_years(session: Session) -> list[int]:
    return sorted(session.scalars(select(Recognition.batch_year).where(
        Recognition.batch_year.isnot(None)).distinct()), reverse=True)


def chain_counts(session: Session, *, today: dt.date | None = None) -> dict[str, int]:
    """Enterprises on each chain (by role, or holding a 链主 title for it)."""
    today = today or dt.date.today()
    by_role = (select(ChainRole.chain_code, ChainRole.enterprise_id)
               .join(Enterprise, Enterprise.id == ChainRole.enterprise_id)
               .where(Enterprise.deleted_at.is_(None)))
    by_title = (select(Recognition.chain_code, Recognition.enterprise_id)
                .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
                .where(Enterprise.deleted_at.is_(None), Recognition.chain_code.isnot(None),
                       ladder.held_condition(today)))
    members = by_role.union(by_title).subquery()
    query = select(members.c.chain_code, func.count()).group_by(members.c.chain_code)
    return dict(session.execute(query).all())


def chain_members(session: Session, chain_code: str, *,
                  today: dt.date | None = None) -> list[dict[str, Any]]:
    """The enterprises of one chain with their role and current tier: 链主 first, then by
    tier (highest first), then name."""
    today = today or dt.date.today()
    roles: dict[int, dict[str, Any]] = {}
    for role in session.scalars(select(ChainRole).join(
            Enterprise, Enterprise.id == ChainRole.enterprise_id).where(
            ChainRole.chain_code == chain_code, Enterprise.deleted_at.is_(None))):
        roles[role.enterprise_id] = {"chain_role_id": role.id, "role": role.role,
                                     "note": role.note}
    leaders = set(session.scalars(select(Recognition.enterprise_id).join(
        Enterprise, Enterprise.id == Recognition.enterprise_id).where(
        Recognition.chain_code == chain_code, Enterprise.deleted_at.is_(None),
        ladder.held_condition(today))))
    ids = set(roles) | leaders
    if not ids:
        return []
    current = current_recognition(today, list(ids))
    query = (select(Enterprise.id, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town, current.c.tier_code,
                    current.c.rank)
             .outerjoin(current, current.c.enterprise_id == Enterprise.id)
             .where(Enterprise.id.in_(ids)))
    rows = []
    for enterprise_id, name, code, county, town, tier_code, rank in session.execute(query):
        info = roles.get(enterprise_id, {"chain_role_id": None, "role": "", "note": ""})
        is_leader = info["role"] == "链主" or enterprise_id in leaders
        rows.append({
            "enterprise_id": enterprise_id, "name": name, "credit_code": code,
            "county": county, "town": town, "tier_code": tier_code,
            "tier": ladder.tier_label(tier_code), "rank": rank if rank is not None else -1,
            "role": "链主" if is_leader and not info["role"] else info["role"],
            "is_leader": is_leader, "leader_title": enterprise_id in leaders,
            "chain_role_id": info["chain_role_id"], "note": info["note"]})
    rows.sort(key=lambda r: (not r["is_leader"], -r["rank"], r["name"]))
    return rows


