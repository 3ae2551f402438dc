"""Aggregates for the desktop client's 工作台 and list views: plain SQLAlchemy queries
returning plain data (no Qt). Filtering and sorting happen in SQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tiers.model import credit_code, ladder, reference
from tiers.model.names import name_key
from tiers.model.orm import (
    ChainRole,
    CultivationEntry,
    Enterprise,
    FormerName,
    Recognition,
    SupportMeasure,
)
from tiers.queries.roster import _contains, _current_recognition, search_condition


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


def current_tier_totals(session: Session, *, today: dt.date | None = None) -> dict[str, int]:
    """Enterprises by their current (highest) tier: each enterprise counted once."""
    today = today or dt.date.today()
    current = _current_recognition(today)
    query = (select(current.c.tier_code, func.count())
             .join(Enterprise, Enterprise.id == current.c.enterprise_id)
             .where(Enterprise.deleted_at.is_(None)).group_by(current.c.tier_code))
    found = dict(session.execute(query).all())
    return {t.code: found.get(t.code, 0) for t in reference.tiers()}


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
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    if search.strip():
        words = search.split()
        query = query.where(or_(search_condition(search),
                                *[_contains(SupportMeasure.name, w) for w in words],
                                *[_contains(SupportMeasure.policy_basis, w) for w in words]))
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
    current = _current_recognition(today, list(ids))
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


def cultivation_count(session: Session) -> int:
    return session.scalar(select(func.count(CultivationEntry.id)).join(
        Enterprise, Enterprise.id == CultivationEntry.enterprise_id).where(
        Enterprise.deleted_at.is_(None))) or 0


class SearchIndex:
    """The roster's search-as-you-type in memory: the same rule as
    ``queries.search_condition`` (every word must match the name, a former name, the credit
    code or pinyin initials), answered from one snapshot of the search columns. A keystroke
    then costs one substring test per enterprise (~10 ms for 100k) instead of a LIKE scan
    of five columns and the former names. The snapshot is rebuilt after any write."""

    def __init__(self, entries: list[tuple[int, str, str, str, str]]) -> None:
        # (id, name keys incl. former, lower-cased name, credit code, pinyin incl. former)
        self.entries = entries
        # Joined fields for the common words: a CJK word whose key is itself tests
        # keys+name at once; an ASCII letters-and-digits word tests all four at once.
        self.ids = [entry[0] for entry in entries]
        self.text = [f"{entry[1]}\n{entry[2]}" for entry in entries]
        self.everything = [f"{entry[1]}\n{entry[2]}\n{entry[4]}\n{entry[3].lower()}"
                           for entry in entries]

    @classmethod
    def load(cls, session: Session) -> SearchIndex:
        former_keys: dict[int, list[str]] = {}
        former_pinyin: dict[int, list[str]] = {}
        for enterprise_id, key, pinyin in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key,
                       FormerName.pinyin_initials)):
            former_keys.setdefault(enterprise_id, []).append(key or "")
            former_pinyin.setdefault(enterprise_id, []).append((pinyin or "").lower())
        entries = []
        for enterprise_id, key, name, code, pinyin in session.execute(
                select(Enterprise.id, Enterprise.name_key, Enterprise.name,
                       Enterprise.credit_code, Enterprise.pinyin_initials)):
            keys = "\n".join([key or "", *former_keys.get(enterprise_id, ())])
            pinyins = "\n".join([(pinyin or "").lower(), *former_pinyin.get(enterprise_id, ())])
            entries.append((enterprise_id, keys, (name or "").lower(), code or "", pinyins))
        return cls(entries)

    def matching(self, text: str) -> set[int]:
        """Ids of the enterprises matching every word of ``text``."""
        return {self.ids[n] for n in self.positions(text)}

    def positions(self, text: str, *, within: list[int] | None = None) -> list[int]:
        """Places in ``ids`` of the matches, optionally only among ``within`` (the result
        for the text before the last keystroke: typing on only narrows)."""
        positions = range(len(self.entries)) if within is None else within
        for word in text.split():
            positions = self._narrow(word, positions)
        return list(positions)

    def position_of(self) -> dict[int, int]:
        if not hasattr(self, "_position_of"):
            self._position_of = {enterprise_id: n for n, enterprise_id in enumerate(self.ids)}
        return self._position_of

    def _narrow(self, word: str, positions) -> list[int]:
        key, lower = name_key(word), word.lower()
        code = credit_code.normalise(word)
        by_code = code.isalnum() and code.isascii()
        by_pinyin = word.isascii() and word.isalpha()
        if key == lower and not by_code and not by_pinyin:
            text = self.text
            return [n for n in positions if key in text[n]]
        if key == lower and by_code and by_pinyin and code.lower() == lower:
            everything = self.everything
            return [n for n in positions if key in everything[n]]
        entries = self.entries
        return [n for n in positions
                if key in entries[n][1] or lower in entries[n][2]
                or (by_code and code in entries[n][3])
                or (by_pinyin and lower in entries[n][4])]
