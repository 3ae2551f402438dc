"""Read-only queries: the roster with its filters, counts, expiring recognitions, one
enterprise's profile. Filtering and sorting happen in SQL; results are plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from tiers.errors import InvalidInput
from tiers.model import credit_code, ladder, reference
from tiers.model.names import name_key
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    Change,
    CultivationEntry,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
)

SORT_KEYS = ("name", "credit_code", "county", "town", "tier", "year", "valid_until",
             "support_total", "created_at")


@dataclass
class RosterFilter:
    """What the officer filters by. Recognition filters (tier, level, year, status) apply
    together to one recognition: ``tier=小巨人, year=2023`` means a 小巨人 recognition of
    2023. With a tier, level or year but no status, the recognition must be in force."""

    tier: str | None = None
    level: str | None = None
    county: str | None = None
    town: str | None = None
    chain: str | None = None
    year: int | None = None
    status: str | None = None  # 有效 / 即将到期 / 已到期 / 已撤销
    expiring_days: int | None = None
    search: str = ""
    deleted: bool = False  # True: the 回收站 instead of the roster
    today: dt.date = field(default_factory=dt.date.today)


class QueryError(InvalidInput):
    """A filter that cannot be understood; the message is for the user."""


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, text: str):
    return column.like(f"%{_like_escape(text)}%", escape="\\")


def search_condition(text: str):
    """Every word must match the name, a former name, the credit code or pinyin initials."""
    conditions = []
    for word in text.split():
        key = name_key(word)
        options = [_contains(Enterprise.name_key, key), _contains(Enterprise.name, word)]
        code = credit_code.normalise(word)
        if code.isalnum() and code.isascii():
            options.append(_contains(Enterprise.credit_code, code))
        if word.isascii() and word.isalpha():
            options.append(_contains(Enterprise.pinyin_initials, word.lower()))
        former = [_contains(FormerName.name_key, key)]
        if word.isascii() and word.isalpha():
            former.append(_contains(FormerName.pinyin_initials, word.lower()))
        options.append(exists().where(FormerName.enterprise_id == Enterprise.id, or_(*former)))
        conditions.append(or_(*options))
    return and_(*conditions)


ANY_STATUS = "全部"


def recognition_conditions(*, tier: str | None = None, level: str | None = None,
                           year: int | None = None, status: str | None = None,
                           today: dt.date, expiring_days: int = ladder.EXPIRING_DAYS,
                           default_in_force: bool = True) -> list:
    """Conditions on one recognition: tier, level, year and status together. Without a
    status the recognition must be in force (when ``default_in_force``, or always for the
    roster once another recognition filter is given); 全部 takes every recognition."""
    parts = []
    if tier:
        code = reference.resolve_tier(tier)
        if code is None:
            raise QueryError(f"未知的梯度层级：{tier}")
        parts.append(Recognition.tier_code == code)
    if level:
        if level not in reference.LEVELS:
            raise QueryError(f"认定级别应为{'、'.join(reference.LEVELS)}之一：{level}")
        parts.append(Recognition.level == level)
    if year:
        parts.append(Recognition.batch_year == year)
    if expiring_days < 0:
        raise QueryError("天数不能为负数")
    if status and status != ANY_STATUS:
        if status not in ladder.STATUSES:
            raise QueryError(f"状态应为{'、'.join((*ladder.STATUSES, ANY_STATUS))}之一：{status}")
        parts.append(ladder.status_condition(status, today, expiring_days))
    elif not status and (default_in_force or parts):
        parts.append(ladder.held_condition(today))
    return parts


def _recognition_condition(filters: RosterFilter):
    parts = recognition_conditions(tier=filters.tier, level=filters.level, year=filters.year,
                                   status=filters.status, today=filters.today,
                                   default_in_force=False)
    return and_(*parts) if parts else None


def roster_select(filters: RosterFilter) -> Select:
    """SELECT Enterprise.id with every filter applied (no order)."""
    query = select(Enterprise.id)
    query = query.where(Enterprise.deleted_at.isnot(None) if filters.deleted
                        else Enterprise.deleted_at.is_(None))
    if filters.county:
        code, county_name = reference.resolve_county(filters.county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    if filters.town:  # 湖塘 finds 湖塘镇
        query = query.where(Enterprise.town.like(f"{_like_escape(filters.town.strip())}%",
                                                 escape="\\"))
    if filters.chain:
        chain_code = reference.resolve_chain(filters.chain)
        if chain_code is None:
            raise QueryError(f"未知的产业链：{filters.chain}")
        query = query.where(or_(
            exists().where(ChainRole.enterprise_id == Enterprise.id,
                           ChainRole.chain_code == chain_code),
            exists().where(Recognition.enterprise_id == Enterprise.id,
                           Recognition.chain_code == chain_code,
                           ladder.held_condition(filters.today))))
    condition = _recognition_condition(filters)
    if condition is not None:
        query = query.where(exists().where(Recognition.enterprise_id == Enterprise.id, condition))
    if filters.expiring_days is not None:
        query = query.where(exists().where(
            Recognition.enterprise_id == Enterprise.id,
            ladder.status_condition(ladder.EXPIRING, filters.today, filters.expiring_days)))
    if filters.search.strip():
        query = query.where(search_condition(filters.search))
    return query


def _current_recognition(today: dt.date, ids: list[int] | None = None):
    """One row per enterprise: its highest-ranked recognition in force (链主 aside)."""
    rank = ladder.rank_expression()
    numbered = select(
        Recognition.enterprise_id, Recognition.tier_code, Recognition.batch_year,
        Recognition.valid_until, Recognition.level, rank.label("rank"),
        func.row_number().over(
            partition_by=Recognition.enterprise_id,
            order_by=(rank.desc(), Recognition.valid_until.desc(), Recognition.id.desc()),
        ).label("position"),
    ).where(ladder.held_condition(today), Recognition.tier_code != "chain_leader")
    if ids is not None:
        numbered = numbered.where(Recognition.enterprise_id.in_(ids))
    numbered = numbered.subquery()
    return select(numbered).where(numbered.c.position == 1).subquery("current")


def _support_totals(ids: list[int] | None = None):
    query = select(SupportMeasure.enterprise_id,
                   func.sum(SupportMeasure.amount).label("total")).where(
        SupportMeasure.status == "已兑现").group_by(SupportMeasure.enterprise_id)
    if ids is not None:
        query = query.where(SupportMeasure.enterprise_id.in_(ids))
    return query.subquery("support")


def roster_ids(session: Session, filters: RosterFilter, *, sort: str = "name",
               descending: bool = False) -> list[int]:
    """The ids of the enterprises that pass the filters, in display order."""
    if sort not in SORT_KEYS:
        raise QueryError(f"不能按 {sort} 排序")
    base = roster_select(filters).subquery("base")
    query = select(base.c.id).join(Enterprise, Enterprise.id == base.c.id)
    if sort in {"tier", "year", "valid_until"}:
        current = _current_recognition(filters.today)
        query = query.outerjoin(current, current.c.enterprise_id == base.c.id)
        key = {"tier": func.coalesce(current.c.rank, -1),
               "year": func.coalesce(current.c.batch_year, 0),
               "valid_until": current.c.valid_until}[sort]
    elif sort == "support_total":
        support = _support_totals()
        query = query.outerjoin(support, support.c.enterprise_id == base.c.id)
        key = func.coalesce(support.c.total, 0)
    else:
        key = {"name": Enterprise.pinyin_key, "credit_code": Enterprise.credit_code,
               "county": Enterprise.county_name, "town": Enterprise.town,
               "created_at": Enterprise.created_at}[sort]
    ordered = key.desc() if descending else key.asc()
    query = query.order_by(ordered, Enterprise.name, Enterprise.id)
    return list(session.scalars(query))


def count(session: Session, filters: RosterFilter) -> int:
    return session.scalar(select(func.count()).select_from(roster_select(filters).subquery()))


def _chain_names() -> dict[str, str]:
    return {chain.code: chain.name for chain in reference.chains()}


def roster_rows(session: Session, ids: list[int], *, today: dt.date | None = None,
                chunk: int = 500) -> list[dict[str, Any]]:
    """Display rows for the given ids, in the given order."""
    today = today or dt.date.today()
    chain_names = _chain_names()
    by_id: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        current = _current_recognition(today, part)
        support = _support_totals(part)
        query = (
            select(Enterprise, current.c.tier_code, current.c.batch_year, current.c.valid_until,
                   current.c.level, support.c.total)
            .outerjoin(current, current.c.enterprise_id == Enterprise.id)
            .outerjoin(support, support.c.enterprise_id == Enterprise.id)
            .where(Enterprise.id.in_(part))
        )
        chains: dict[int, list[str]] = {}
        for enterprise_id, chain_code, role in session.execute(
                select(ChainRole.enterprise_id, ChainRole.chain_code, ChainRole.role)
                .where(ChainRole.enterprise_id.in_(part)).order_by(ChainRole.id)):
            label = chain_names.get(chain_code, chain_code)
            chains.setdefault(enterprise_id, []).append(
                f"{label}（链主）" if role == "链主" else label)
        for enterprise, tier_code, year, valid_until, level, total in session.execute(query):
            by_id[enterprise.id] = {
                "id": enterprise.id, "credit_code": enterprise.credit_code,
                "name": enterprise.name, "county_code": enterprise.county_code,
                "county": enterprise.county_name, "town": enterprise.town,
                "industry": enterprise.industry, "main_product": enterprise.main_product,
                "contact_person": enterprise.contact_person,
                "contact_phone": enterprise.contact_phone,
                "tier_code": tier_code, "tier": ladder.tier_label(tier_code),
                "level": level or "", "year": year, "valid_until": valid_until,
                "status": ladder.status_of(valid_until=valid_until, revoked_on=None,
                                           today=today) if tier_code else "",
                "chains": "、".join(chains.get(enterprise.id, [])),
                "support_total": Decimal(total) if total is not None else Decimal(0),
                "is_demo": enterprise.is_demo,
            }
    return [by_id[i] for i in ids if i in by_id]


def roster(session: Session, filters: RosterFilter, *, sort: str = "name",
           descending: bool = False) -> list[dict[str, Any]]:
    return roster_rows(session, roster_ids(session, filters, sort=sort, descending=descending),
                       today=filters.today)


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
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
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
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    return [
        {**_recognition_dict(recognition, today), "enterprise_id": enterprise.id,
         "credit_code": enterprise.credit_code, "name": enterprise.name,
         "county": enterprise.county_name, "town": enterprise.town,
         "days_left": (recognition.valid_until - today).days}
        for recognition, enterprise in session.execute(query)
    ]


def _recognition_dict(recognition: Recognition, today: dt.date) -> dict[str, Any]:
    chain_names = _chain_names()
    return {
        "id": recognition.id, "tier_code": recognition.tier_code,
        "tier": ladder.tier_label(recognition.tier_code), "level": recognition.level,
        "issuer": recognition.issuer, "batch_label": recognition.batch_label,
        "batch_year": recognition.batch_year, "is_review": recognition.is_review,
        "review_of_batch": recognition.review_of_batch,
        "document_number": recognition.document_number,
        "recognized_on": recognition.recognized_on, "valid_until": recognition.valid_until,
        "revoked_on": recognition.revoked_on, "revoke_reason": recognition.revoke_reason,
        "chain_code": recognition.chain_code,
        "chain": chain_names.get(recognition.chain_code or "", ""),
        "rule_set": recognition.rule_set, "note": recognition.note,
        "status": ladder.status_of(valid_until=recognition.valid_until,
                                   revoked_on=recognition.revoked_on, today=today),
    }


def _columns(record: Any, exclude: set[str]) -> dict[str, Any]:
    return {c.key: getattr(record, c.key) for c in record.__table__.columns
            if c.key not in exclude}


def profile(session: Session, enterprise_id: int, *,
            today: dt.date | None = None) -> dict[str, Any]:
    """Everything about one enterprise, for the enterprise window, `tiers show` and 企业档案."""
    today = today or dt.date.today()
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise LookupError(f"找不到企业（编号 {enterprise_id}）")
    recognitions = session.scalars(
        select(Recognition).where(Recognition.enterprise_id == enterprise_id)
        .order_by(Recognition.batch_year.desc(), Recognition.recognized_on.desc(),
                  Recognition.id.desc())).all()
    row = roster_rows(session, [enterprise_id], today=today)
    chain_names = {c.code: c for c in reference.chains()}
    base = _columns(enterprise, {"name_key", "pinyin_initials", "pinyin_key"})
    return {
        **base,
        "county": enterprise.county_name,
        "former_names": [f.name for f in enterprise.former_names],
        "tier_code": row[0]["tier_code"] if row else None,
        "tier": row[0]["tier"] if row else "",
        "support_total": row[0]["support_total"] if row else Decimal(0),
        "recognitions": [_recognition_dict(r, today) for r in recognitions],
        "figures": [_columns(f, {"enterprise_id", "import_batch_id"})
                    for f in sorted(enterprise.figures, key=lambda f: f.year, reverse=True)],
        "support_measures": [
            _columns(m, {"enterprise_id", "import_batch_id"})
            for m in sorted(enterprise.support_measures,
                            key=lambda m: (m.year or 0, m.paid_on or dt.date.min),
                            reverse=True)],
        "chains": [
            {"id": c.id, "chain_code": c.chain_code,
             "chain": chain_names[c.chain_code].name if c.chain_code in chain_names else "",
             "cluster": chain_names[c.chain_code].cluster if c.chain_code in chain_names else "",
             "role": c.role, "note": c.note}
            for c in enterprise.chain_roles],
        "cultivation": [
            {**_columns(c, {"enterprise_id"}), "target_tier_name": ladder.tier_label(c.target_tier)}
            for c in enterprise.cultivation_entries],
    }


def history(session: Session, enterprise_id: int, *, limit: int = 1000) -> list[dict[str, Any]]:
    """变更记录 of one enterprise, newest first. Only changes from its own creation on: after
    a purge, SQLite may give the next new enterprise the same id, and the purged firm's
    history must not show under it."""
    born = (select(func.coalesce(func.max(Change.id), 0))
            .where(Change.entity == "enterprise", Change.entity_id == enterprise_id,
                   Change.action == "create").scalar_subquery())
    query = (select(Change, ImportBatch.file_name)
             .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
             .where(Change.enterprise_id == enterprise_id, Change.id >= born)
             .order_by(Change.id.desc()).limit(limit))
    return [
        {"at": change.at, "user": change.user, "entity": change.entity,
         "entity_id": change.entity_id, "action": change.action, "field": change.field,
         "old": change.old_value,
         "new": change.new_value, "import_batch_id": change.import_batch_id,
         "import_file": file_name or ""}
        for change, file_name in session.execute(query)
    ]


def towns(session: Session, county: str | None = None) -> list[str]:
    query = select(Enterprise.town).where(Enterprise.deleted_at.is_(None),
                                          Enterprise.town != "").distinct()
    if county:
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    return sorted(session.scalars(query))


def counties(session: Session) -> list[str]:
    return sorted(session.scalars(select(Enterprise.county_name).where(
        Enterprise.deleted_at.is_(None), Enterprise.county_name != "").distinct()))


def figures_of(session: Session, enterprise_id: int) -> list[AnnualFigures]:
    return list(session.scalars(select(AnnualFigures).where(
        AnnualFigures.enterprise_id == enterprise_id).order_by(AnnualFigures.year)))


def cultivation_entries(session: Session) -> list[dict[str, Any]]:
    query = (select(CultivationEntry, Enterprise)
             .join(Enterprise, Enterprise.id == CultivationEntry.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(CultivationEntry.target_year, Enterprise.name))
    return [{**_columns(entry, set()), "target_tier_name": ladder.tier_label(entry.target_tier),
             "name": enterprise.name, "credit_code": enterprise.credit_code,
             "county": enterprise.county_name, "town": enterprise.town}
            for entry, enterprise in session.execute(query)]
