"""Read-only queries behind the reports (what ``tiers.queries.roster`` does not already give).

The enterprise filters (county, town, chain) reuse ``roster.roster_select`` so a report and
the roster window agree on who is in; the recognition filters (tier, level, year, status)
apply together to one recognition, as in the roster window. Rows are streamed from SQL in
display order, so a 100,000-row report never holds all rows at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from tiers.model import ladder, pinyin, reference
from tiers.model.orm import ChainRole, Enterprise, Recognition, SupportMeasure
from tiers.queries import firm_chains, roster, unit_scope
from tiers.reports.base import ReportError, ReportRequest
from tiers.reports.list_cells import batch_text, chain_label
from tiers.storage.dialect import ascending, descending, joined_strings

ALL = "全部"
ROSTER_STATUSES = (*ladder.STATUSES, ALL)
MEASURE_STATUSES = (*reference.pick_lists()["statuses"], ALL)
STREAM_CHUNK = 2000


def tier_code(text: str | None) -> str | None:
    if not text:
        return None
    code = reference.resolve_tier(text)
    if code is None:
        raise ReportError(f"未知的梯度层级：{text}")
    return code


def chain_code(text: str | None) -> str | None:
    if not text:
        return None
    code = reference.resolve_chain(text)
    if code is None:
        raise ReportError(f"未知的产业链：{text}")
    return code


def enterprise_ids(session: Session, request: ReportRequest, *, chain: bool = True):
    """SELECT of the ids of the enterprises in the area (and on the chain) asked for: the
    county as tiers.queries.unit_scope reads it (none: the unit's firms when the database
    records its unit), the town and chain as the roster's filters."""
    try:
        query = roster.roster_select(roster.RosterFilter(
            town=request.town, chain=request.chain if chain else None, today=request.today))
        area = unit_scope.condition(session, request.county)
    except roster.QueryError as exc:
        raise ReportError(str(exc)) from exc
    return query if area is None else query.where(area)


def firms_area(session: Session) -> str:
    """The area the firms in the database are in, for a title without a county filter:
    the county when they are all of one, the 设区市 when their counties are all of one city
    (a city's database of its counties: 常州市), else nothing (firms of several cities, or
    none with a known county)."""
    codes = {code for (code,) in session.execute(
        select(Enterprise.county_code).distinct().where(Enterprise.deleted_at.is_(None)))
        if code}
    counties = {found for code in codes if (found := reference.division(code)) is not None
                and found.level == "县级"}
    if len(counties) == 1:
        return next(iter(counties)).name
    cities = {county.parent_code for county in counties}
    if len(cities) == 1 and (city := reference.division(cities.pop())) is not None:
        return city.name
    return ""


def expiring_days(request: ReportRequest) -> int:
    """The window of 即将到期 the request asks for (``days``; the ladder's 180 by default)."""
    days = ladder.EXPIRING_DAYS if request.days is None else request.days
    if days < 0:
        raise ReportError("天数不能为负数")
    return days


def recognition_conditions(request: ReportRequest) -> list:
    """tier, level, year and status of one recognition (the roster's own rule, see
    ``roster.recognition_conditions``): without a status it must be in force; 全部 takes
    every recognition."""
    try:
        conditions = roster.recognition_conditions(
            tier=request.tier, level=request.level, year=request.year, status=request.status,
            today=request.today, expiring_days=expiring_days(request))
    except roster.QueryError as exc:
        raise ReportError(str(exc)) from exc
    if request.status != ladder.PENDING:  # a 公示 list's firms are not recognised yet
        conditions.append(Recognition.is_pending.is_(False))
    return conditions


def _chains_columns(today: dt.date):
    role = aliased(ChainRole)
    leader = aliased(Recognition)
    roles = (select(joined_strings(role.chain_code + literal(":") + role.role, ",", role.id))
             .where(role.enterprise_id == Enterprise.id).scalar_subquery())
    # the chains of its 链主 recognitions in force, as every face lists them (firm_chains)
    leaders = (firm_chains.leader_titles(today, leader)
               .with_only_columns(joined_strings(leader.chain_code, ",", leader.id))
               .where(leader.enterprise_id == Enterprise.id)
               .scalar_subquery())
    return roles.label("chain_roles"), leaders.label("chain_leaders")


def by_name() -> tuple:
    """Firms in the order the client shows them: Chinese names by pinyin (the stored key),
    the name itself breaking ties, then the id so that the order is total."""
    return (ascending(Enterprise.pinyin_key), ascending(Enterprise.name), Enterprise.id)


def area_then_name() -> tuple:
    """Counties in the order of their division codes (the order of the province's own
    tables), a firm without a county last, towns as written, then firms by pinyin."""
    return (Enterprise.county_code.is_(None), ascending(Enterprise.county_code),
            ascending(Enterprise.county_name), ascending(Enterprise.town), *by_name())


# --- 1 梯度培育企业名单 -------------------------------------------------------------------------

def roster_statement(session: Session, request: ReportRequest):
    """One row per enterprise with a recognition that passes the filters; the recognition
    shown is the highest-ranked of those, then the latest."""
    rank = ladder.rank_expression()
    conditions = recognition_conditions(request)
    # 链主 ranks lowest, so it is shown only for an enterprise holding no ladder tier
    numbered = (
        select(Recognition.id.label("recognition_id"), rank.label("rank"),
               func.row_number().over(
                   partition_by=Recognition.enterprise_id,
                   order_by=(descending(rank), descending(Recognition.valid_until),
                             Recognition.id.desc())).label("position"))
        .where(Recognition.enterprise_id.in_(enterprise_ids(session, request)), *conditions)
        .subquery("numbered"))
    chain_roles, chain_leaders = _chains_columns(request.today)
    return (
        select(Enterprise.county_name, Enterprise.town, Enterprise.name, Enterprise.credit_code,
               Enterprise.industry, Enterprise.main_product, Recognition.tier_code,
               Recognition.level, Recognition.batch_label, Recognition.batch_year,
               Recognition.document_number, Recognition.valid_until, Recognition.is_review,
               Enterprise.contact_person, Enterprise.contact_phone, Enterprise.id,
               chain_roles, chain_leaders)
        .select_from(numbered)
        .join(Recognition, Recognition.id == numbered.c.recognition_id)
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(numbered.c.position == 1)
        .order_by(descending(numbered.c.rank), *area_then_name()))


def roster_count(session: Session, request: ReportRequest) -> int:
    """The number of rows ``roster_rows`` gives: enterprises with a matching recognition."""
    return session.scalar(
        select(func.count(distinct(Recognition.enterprise_id)))
        .where(Recognition.enterprise_id.in_(enterprise_ids(session, request)),
               *recognition_conditions(request)))


ROSTER_KEYS = ("county", "town", "name", "credit_code", "industry", "main_product", "tier",
               "level", "batch", "document_number", "valid_until", "is_review", "chains",
               "contact_person", "contact_phone")


def roster_records(session: Session, request: ReportRequest) -> Iterator[tuple]:
    """The roster as tuples in ``ROSTER_KEYS`` order, streamed (the fast path for 100k
    rows: Core rows, no dicts)."""
    tier_names = {t.code: t.name for t in reference.tiers()}
    result = session.connection().execute(roster_statement(session, request)).yield_per(STREAM_CHUNK)
    for (county, town, name, code, industry, product, tier, level, batch_label, batch_year,
         document, valid_until, is_review, person, phone, _id, roles, leaders) in result:
        yield (county, town, name, code, industry, product, tier_names.get(tier, tier), level,
               batch_text(batch_label, batch_year), document, valid_until,
               "是" if is_review else "否",
               chain_label(roles, leaders) if roles or leaders else "", person, phone)


def roster_rows(session: Session, request: ReportRequest) -> Iterator[dict[str, Any]]:
    for record in roster_records(session, request):
        yield dict(zip(ROSTER_KEYS, record, strict=True))


# --- 2 梯度培育情况汇总表 -----------------------------------------------------------------------

@dataclass
class TierCounts:
    cumulative: int = 0  # 累计: ever recognised (whatever the status now)
    new: int = 0  # 本年新增: first recognised in the year (a 复核 is not new)
    held: int = 0  # 有效: in force today (including 即将到期)
    expiring: int = 0  # 即将到期: in force, expires within the days asked for

    def add(self, other: TierCounts) -> None:
        self.cumulative += other.cumulative
        self.new += other.new
        self.held += other.held
        self.expiring += other.expiring


def summary_counts(session: Session, request: ReportRequest, *, by_town: bool
                   ) -> tuple[list[tuple[str, str]], dict[tuple[str, str], dict[str, TierCounts]]]:
    """(areas in order, {area: {tier_code: counts}}); an area is (county, town) with town
    "" when counting per county. Each enterprise lies in one area, so area rows add up."""
    today, days = request.today, expiring_days(request)
    year = request.year or today.year
    is_new = and_(Recognition.batch_year == year, Recognition.is_review.is_(False),
                  ladder.first_of_tier_condition())
    held = ladder.held_condition(today)
    expiring = ladder.status_condition(ladder.EXPIRING, today, days)

    def counted(condition):
        return func.count(distinct(case((condition, Enterprise.id))))

    county = func.coalesce(Enterprise.county_name, "")
    town = Enterprise.town if by_town else literal("")
    ids = enterprise_ids(session, request)
    query = (
        select(county.label("county"), town.label("town"), Recognition.tier_code,
               func.count(distinct(Enterprise.id)), counted(is_new), counted(held),
               counted(expiring))
        .join(Recognition, Recognition.enterprise_id == Enterprise.id)
        .where(Enterprise.id.in_(ids), Recognition.is_pending.is_(False))
        .group_by(county, town, Recognition.tier_code))
    if (code := tier_code(request.tier)) is not None:
        query = query.where(Recognition.tier_code == code)
    table: dict[tuple[str, str], dict[str, TierCounts]] = {}
    for county_name, town_name, code, total, new, held_n, expiring_n in session.execute(query):
        table.setdefault((county_name or "", town_name or ""), {})[code] = TierCounts(
            total, new, held_n, expiring_n)
    area_query = (select(county, town).where(Enterprise.id.in_(ids)).distinct())
    found = {(c or "", t or "") for c, t in session.execute(area_query)} | set(table)
    # firms without a county are a row of their own only when they hold something to
    # count (an all-zero 未填 line only puzzles whoever stamps the table)
    areas = sorted((area for area in found if area[0] or area in table), key=_area_order)
    return areas, table


def with_unit_counties(session: Session, request: ReportRequest,
                       areas: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], set[str]]:
    """summary_counts' areas and, for a unit of several counties (a 设区市), each of its
    counties without a firm (unit_scope.listed_counties; not when a town is chosen) as an
    area (county, "") of its own, in order; and the names of those counties. A city's
    汇总表 listed only the counties with firms (tester29)."""
    listed = [] if request.town else unit_scope.listed_counties(session, request.county)
    shown = {reference.resolve_county(county)[0] for county, _ in areas if county}
    empty = {name for code, name in listed if code not in shown}
    if not empty:
        return areas, empty
    return sorted([*areas, *((name, "") for name in empty)], key=_area_order), empty


def _area_order(area: tuple[str, str]) -> tuple:
    """Counties in the order of their division codes (the province's own tables), a county
    not in the list after them, the row without a county last; towns by pinyin."""
    county, town = area
    code = reference.resolve_county(county)[0] if county else None
    return (not county, code is None, code or "", pinyin.sort_key(county), county,
            not town, pinyin.sort_key(town), town)


# --- 3 扶持措施兑现情况表 -----------------------------------------------------------------------

def _measure_query(session: Session, request: ReportRequest, group: str):
    status = request.status or "已兑现"
    if status not in MEASURE_STATUSES:
        raise ReportError(f"兑现状态应为{'、'.join(MEASURE_STATUSES)}之一：{status}")
    query = (select(SupportMeasure, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town)
             .join(Enterprise, Enterprise.id == SupportMeasure.enterprise_id)
             .where(Enterprise.id.in_(enterprise_ids(session, request))))
    if status != ALL:
        query = query.where(SupportMeasure.status == status)
    if request.year:
        query = query.where(SupportMeasure.year == request.year)
    if request.kind:
        query = query.where(SupportMeasure.kind == request.kind.strip())
    if request.tier:
        holders = select(Recognition.enterprise_id).where(
            Recognition.tier_code == tier_code(request.tier),
            ladder.held_condition(request.today))
        query = query.where(Enterprise.id.in_(holders))
    return query


def _measure_order(session: Session, query, group: str):
    """In display order: by firm (pinyin), or by kind — the pick list's order
    (support_kinds.toml), a kind typed by hand after them by pinyin (the order a reader
    looks them up in: 专精特新贷 came before 认定奖励 in character-code order) — then the
    date paid, an undated one last."""
    by_date = (SupportMeasure.paid_on.is_(None), ascending(SupportMeasure.paid_on),
               SupportMeasure.id)
    if group != "kind":
        return query.order_by(*by_name(), *by_date)
    return query.order_by(kind_position(_listed_kinds(session, query)),
                          ascending(SupportMeasure.kind), *by_date)


def _listed_kinds(session: Session, query) -> set[str]:
    listed = query.order_by(None).subquery()
    return set(session.scalars(select(listed.c.kind).distinct()))


def kind_position(present: set[str]):
    """SQL: a measure kind's place, the pick list's first, then the other ``present`` kinds
    by pinyin (a few dozen kinds at most: a CASE of the kinds listed)."""
    picked = reference.pick_lists()["kinds"]
    others = sorted((k for k in present if k is not None and k not in picked),
                    key=lambda kind: (pinyin.sort_key(kind), kind))
    places = {kind: place for place, kind in enumerate((*picked, *others))}
    return case(places, value=SupportMeasure.kind, else_=len(places))


def measure_count(session: Session, request: ReportRequest, group: str) -> int:
    return session.scalar(select(func.count()).select_from(
        _measure_query(session, request, group).subquery()))


def measure_kinds(session: Session, request: ReportRequest, group: str) -> set[str]:
    """The kinds of the measures listed (which amount columns to show): a category's column
    is there when any measure listed is of it, with or without an amount (a blank cell),
    so that every row has its column (fixr29a: a 专精特新贷 without amount, alone, had none)."""
    return _listed_kinds(session, _measure_query(session, request, group))


def measure_rows(session: Session, request: ReportRequest, group: str
                 ) -> Iterator[dict[str, Any]]:
    query = _measure_order(session, _measure_query(session, request, group), group)
    result = session.execute(query,
                             execution_options={"yield_per": STREAM_CHUNK})
    for measure, name, code, county, town in result:
        yield {"enterprise_id": measure.enterprise_id, "name": name, "credit_code": code,
               "county": county, "town": town, "kind": measure.kind,
               "project": measure.name, "policy_basis": measure.policy_basis,
               "amount": Decimal(measure.amount) if measure.amount is not None else None,
               "paid_on": measure.paid_on, "year": measure.year,
               "implementer": measure.implementer, "status": measure.status}
        session.expunge(measure)  # keep memory flat while streaming


# --- 4 复核到期提醒表 -------------------------------------------------------------------------

def expiring_statement(session: Session, request: ReportRequest):
    """The titles to renew: in force and expiring within the days asked for, and those run
    out inside their 复核 round (待复核: the 复核 is on), soonest end first."""
    days = expiring_days(request)
    query = (
        select(Recognition, Enterprise.name, Enterprise.credit_code, Enterprise.county_name,
               Enterprise.town, Enterprise.contact_person, Enterprise.contact_phone)
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(Enterprise.id.in_(enterprise_ids(session, request)),
               or_(ladder.status_condition(ladder.EXPIRING, request.today, days),
                   ladder.status_condition(ladder.REVIEW_DUE, request.today)))
        .order_by(ascending(Recognition.valid_until), *by_name(), Recognition.id))
    if (code := tier_code(request.tier)) is not None:
        query = query.where(Recognition.tier_code == code)
    if request.level:
        if request.level not in reference.LEVELS:
            raise ReportError(f"认定级别应为{'、'.join(reference.LEVELS)}之一：{request.level}")
        query = query.where(Recognition.level == request.level)
    return query


def expiring_rows(session: Session, request: ReportRequest) -> Iterator[dict[str, Any]]:
    tier_names = {t.code: t.name for t in reference.tiers()}
    chains = {c.code: c.name for c in reference.chains()}
    result = session.execute(expiring_statement(session, request),
                             execution_options={"yield_per": STREAM_CHUNK})
    for recognition, name, code, county, town, person, phone in result:
        tier = tier_names.get(recognition.tier_code, recognition.tier_code)
        if recognition.chain_code:
            tier = f"{tier}（{chains.get(recognition.chain_code, recognition.chain_code)}）"
        yield {"county": county, "town": town, "name": name, "credit_code": code,
               "tier": tier, "tier_code": recognition.tier_code, "level": recognition.level,
               # a 复核 says so, and of which year (第二批（复核）（2023年）)
               "batch": batch_text(recognition.batch_label, recognition.batch_year,
                                   is_review=recognition.is_review),
               "document_number": recognition.document_number,
               "recognized_on": recognition.recognized_on,
               "valid_until": recognition.valid_until,
               # the core's word (not renewed: the statement leaves renewed titles out)
               "status": ladder.status_of(
                   valid_until=recognition.valid_until, revoked_on=recognition.revoked_on,
                   today=request.today, expiring_days=expiring_days(request),
                   recognized_on=recognition.recognized_on,
                   tier_code=recognition.tier_code, batch_year=recognition.batch_year),
               # none for a title run out: its status says 待复核
               "days_left": (recognition.valid_until - request.today).days
               if recognition.valid_until >= request.today else None,
               "contact_person": person, "contact_phone": phone}
        session.expunge(recognition)


# --- 5 产业链企业分布表 -------------------------------------------------------------------------

@dataclass
class ChainGroup:
    members: set[int]
    leaders: list[str]


def chain_distribution(session: Session, request: ReportRequest
                       ) -> tuple[dict[str, ChainGroup], dict[int, set[str]], dict[int, str]]:
    """({chain code: members and 链主 names}, {enterprise id: tiers held}, {id: name}).
    An enterprise is on a chain when it has a role there or holds a 链主 recognition for it
    (the roster's chain filter says the same)."""
    today = request.today
    ids = enterprise_ids(session, request, chain=False)
    wanted = chain_code(request.chain)
    roles = select(ChainRole.enterprise_id, ChainRole.chain_code,
                   (ChainRole.role == "链主").label("leads")).where(ChainRole.enterprise_id.in_(ids))
    leader_recognitions = firm_chains.leader_titles(today).add_columns(
        literal(True).label("leads")).where(Recognition.enterprise_id.in_(ids))
    groups: dict[str, ChainGroup] = {}
    leaders: dict[str, set[int]] = {}
    for source in (roles, leader_recognitions):
        for enterprise_id, code, leads in session.execute(source):
            if wanted and code != wanted:
                continue
            groups.setdefault(code, ChainGroup(set(), [])).members.add(enterprise_id)
            if leads:
                leaders.setdefault(code, set()).add(enterprise_id)
    member_ids = set().union(*(g.members for g in groups.values())) if groups else set()
    names: dict[int, str] = {}
    held: dict[int, set[str]] = {}
    id_list = sorted(member_ids)
    for start in range(0, len(id_list), 900):
        part = id_list[start:start + 900]
        names.update(session.execute(select(Enterprise.id, Enterprise.name)
                                     .where(Enterprise.id.in_(part))).all())
        for enterprise_id, code in session.execute(
                select(Recognition.enterprise_id, Recognition.tier_code).where(
                    Recognition.enterprise_id.in_(part), ladder.held_condition(today))):
            held.setdefault(enterprise_id, set()).add(code)
    for code, group in groups.items():
        group.leaders = sorted((names[i] for i in leaders.get(code, ())),
                               key=lambda name: (pinyin.sort_key(name), name))
    return groups, held, names
