"""The roster: which enterprises pass the officer's filters, in which order, and their display
rows. Filtering and sorting happen in SQL; results are plain data. The search words are
matched by ``tiers.queries.search``; one enterprise's profile is in ``profiles``, its
变更记录 in ``history``, the 工作台's counts in ``dashboard``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from tiers.errors import InvalidInput
from tiers.model import ladder, reference
from tiers.model.orm import Enterprise, Recognition, SupportMeasure
from tiers.model.support_categories import money_condition
from tiers.model.vocabulary import NO_COUNTY_CHOICE, matched_words, means_no_county
from tiers.model.vocabulary import ROSTER_SORT_KEYS as SORT_KEYS
from tiers.queries import binned, firm_chains, roster_columns
from tiers.queries.search import like_escape, search_condition
from tiers.storage import dialect
from tiers.text.sorting import sorted_rows


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
    status: str | None = None  # one of ladder.STATUSES: 有效 / 即将到期 / 待复核 / 已到期 …
    expiring_days: int | None = None
    search: str = ""
    deleted: bool = False  # True: the 回收站 instead of the roster
    columns: tuple[tuple[str, str], ...] = ()  # (column key, typed text): roster_columns
    today: dt.date = field(default_factory=dt.date.today)


class QueryError(InvalidInput):
    """A filter that cannot be understood; the message is for the user."""


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


def county_condition(county: str) -> ColumnElement[bool]:
    """The enterprise is in ``county`` (a name or a division code), or, for none of them
    (none, （未填区县）: means_no_county), has no county code, as a package of
    ``--county none`` sends: a 开发区's firms, and those whose county is blank (tester27b:
    ``tiers enterprises --county none`` listed 0 of 15)."""
    if means_no_county(county):
        return or_(Enterprise.county_code.is_(None), Enterprise.county_code == "")
    code, county_name = reference.resolve_county(county)
    return Enterprise.county_code == code if code else Enterprise.county_name == county_name


def roster_select(filters: RosterFilter) -> Select:
    """SELECT Enterprise.id with every filter applied (no order)."""
    query = select(Enterprise.id)
    query = query.where(Enterprise.deleted_at.isnot(None) if filters.deleted
                        else Enterprise.deleted_at.is_(None))
    if filters.county:
        query = query.where(county_condition(filters.county))
    if filters.town:  # 湖塘 finds 湖塘镇
        query = query.where(dialect.like_ignoring_ascii_case(
            Enterprise.town, f"{like_escape(filters.town.strip())}%"))
    if filters.chain:
        chain_code = reference.resolve_chain(filters.chain)
        if chain_code is None:
            raise QueryError(f"未知的产业链：{filters.chain}")
        # on the chain by a role or a 链主 recognition in force (firm_chains)
        query = query.where(Enterprise.id.in_(
            firm_chains.member_ids(filters.today, [chain_code])))
    condition = _recognition_condition(filters)
    if condition is not None:
        query = query.where(exists().where(Recognition.enterprise_id == Enterprise.id, condition))
    if filters.expiring_days is not None:
        query = query.where(exists().where(
            Recognition.enterprise_id == Enterprise.id,
            ladder.status_condition(ladder.EXPIRING, filters.today, filters.expiring_days)))
    if filters.search.strip():
        query = query.where(search_condition(filters.search))
    for key, text in filters.columns:
        query = query.where(roster_columns.column_condition(key, text, filters.today))
    return query


def current_recognition(today: dt.date, ids: list[int] | None = None) -> Subquery:
    """One row per enterprise: its highest-ranked recognition in force (链主 aside)."""
    rank = ladder.rank_expression()
    numbered = select(
        Recognition.enterprise_id, Recognition.tier_code, Recognition.batch_year,
        Recognition.valid_until, Recognition.level, rank.label("rank"),
        func.row_number().over(
            partition_by=Recognition.enterprise_id,
            order_by=(dialect.descending(rank), dialect.descending(Recognition.valid_until),
                      Recognition.id.desc()),
        ).label("position"),
    ).where(ladder.held_condition(today), Recognition.tier_code != "chain_leader")
    if ids is not None:
        numbered = numbered.where(Recognition.enterprise_id.in_(ids))
    numbered = numbered.subquery()
    return select(numbered).where(numbered.c.position == 1).subquery("current")


def support_totals(ids: list[int] | None = None) -> Subquery:
    """Support money paid (已兑现, 资金奖补 only, 万元) per enterprise: a loan, a guarantee, a
    tax deduction or a service is not money paid (tiers.model.support_categories)."""
    query = select(SupportMeasure.enterprise_id,
                   func.sum(SupportMeasure.amount).label("total")).where(
        SupportMeasure.status == "已兑现", money_condition(SupportMeasure.kind)
    ).group_by(SupportMeasure.enterprise_id)
    if ids is not None:
        query = query.where(SupportMeasure.enterprise_id.in_(ids))
    return query.subquery("support")


def _sort_expression(sort: str, current: Subquery | None, support: Subquery | None):
    """(the key, when a row is blank): blanks go last whichever the direction — sorting by
    有效期至 puts the soonest first and the firms without a date after them, not on top."""
    if sort in {"tier", "year", "valid_until"}:
        key = {"tier": current.c.rank, "year": current.c.batch_year,
               "valid_until": current.c.valid_until}[sort]
        return key, key.is_(None)
    if sort == "support_total":
        key = func.coalesce(support.c.total, 0)
        return key, key == 0  # shown as —
    key = {"name": Enterprise.pinyin_key, "credit_code": Enterprise.credit_code,
           "county": Enterprise.county_name, "town": Enterprise.town,
           "created_at": Enterprise.created_at, "binned_at": Enterprise.deleted_at}[sort]
    return key, (key.is_(None) if sort in {"created_at", "binned_at"}
                 else or_(key.is_(None), key == ""))


def _ordered(query: Select, key, blank, descending: bool) -> Select:
    ordered = dialect.descending(key) if descending else dialect.ascending(key)
    return query.order_by(case((blank, 1), else_=0), ordered, dialect.ascending(Enterprise.name),
                          Enterprise.id)


def _ordered_select(filters: RosterFilter, sort: str, descending: bool,
                    *columns) -> Select:
    """The enterprises that pass the filters, in display order, as ``columns``."""
    if sort not in SORT_KEYS:
        raise QueryError(f"不能按 {sort} 排序")
    base = roster_select(filters).subquery("base")
    query = select(*columns).select_from(base).join(Enterprise, Enterprise.id == base.c.id)
    current = support = None
    if sort in {"tier", "year", "valid_until"}:
        current = current_recognition(filters.today)
        query = query.outerjoin(current, current.c.enterprise_id == base.c.id)
    elif sort == "support_total":
        support = support_totals()
        query = query.outerjoin(support, support.c.enterprise_id == base.c.id)
    return _ordered(query, *_sort_expression(sort, current, support), descending)


def roster_ids(session: Session, filters: RosterFilter, *, sort: str = "name",
               descending: bool = False) -> list[int]:
    """The ids of the enterprises that pass the filters, in display order."""
    if sort in {"county", "town"}:
        base = roster_select(filters).subquery("base")
        query = select(base.c.id).join(Enterprise, Enterprise.id == base.c.id)
        return _ids_by_place(session, query, sort, descending=descending)
    return list(session.scalars(_ordered_select(filters, sort, descending, Enterprise.id)))


def _ids_by_place(session: Session, query: Select, sort: str, *,
                  descending: bool) -> list[int]:
    """县区 and 镇街 by pinyin (湖塘镇 before 牛塘镇), blanks last either way, firms of one
    place by name: the places have no pinyin key column, so this order is made here."""
    place = Enterprise.county_name if sort == "county" else Enterprise.town
    rows = session.execute(query.add_columns(place).order_by(
        dialect.ascending(Enterprise.pinyin_key), dialect.ascending(Enterprise.name),
        Enterprise.id)).all()
    return [row[0] for row in sorted_rows(rows, lambda row: row[1], descending=descending)]


def count(session: Session, filters: RosterFilter) -> int:
    return session.scalar(select(func.count()).select_from(roster_select(filters).subquery()))


chain_names = firm_chains.chain_names  # chain code → chain name, for display


def _pending_tiers(session: Session, ids: list[int] | None,
                   today: dt.date) -> dict[int, list[str]]:
    """The tiers each firm (of ``ids``; None: every firm) is 公示中 for (a 公示 list named
    it; not held yet)."""
    pending: dict[int, list[str]] = {}
    query = select(Recognition.enterprise_id, Recognition.tier_code).where(
        ladder.status_condition(ladder.PENDING, today))
    if ids is not None:
        query = query.where(Recognition.enterprise_id.in_(ids))
    for enterprise_id, tier_code in session.execute(query.order_by(Recognition.id)):
        pending.setdefault(enterprise_id, []).append(reference.tier(tier_code).short)
    return pending


# the statuses of a title run out that are not lost (yet): the roster names the tiers so
# (待复核：小巨人) beside what the firm holds, as the firm's 认定历史 words each title
IN_REVIEW = (ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING)


def _review_tiers(session: Session, ids: list[int] | None,
                  today: dt.date) -> dict[int, list[str]]:
    """Each firm's (of ``ids``; None: every firm's) titles run out in their 复核 round or
    awaiting its list, as 待复核：小巨人 / 复核结果待公布：单项冠军 (ladder.in_review, the
    status filter's own conditions in one query: a title the filter finds by 待复核 reads
    待复核)."""
    condition, status = ladder.in_review(today)
    query = select(Recognition.enterprise_id, Recognition.tier_code, status).where(condition)
    if ids is not None:
        query = query.where(Recognition.enterprise_id.in_(ids))
    found: dict[int, dict[str, list[str]]] = {}
    for enterprise_id, tier_code, said in session.execute(query.order_by(Recognition.id)):
        short = reference.tier(tier_code).short
        shorts = found.setdefault(enterprise_id, {}).setdefault(said, [])
        if short not in shorts:
            shorts.append(short)
    # 待复核 first, as IN_REVIEW
    return {enterprise_id: [f"{said}：{'、'.join(by_status[said])}"
                            for said in IN_REVIEW if said in by_status]
            for enterprise_id, by_status in found.items()}


def _matched_titles(session: Session, ids: list[int] | None,
                    filters: RosterFilter | None) -> dict[int, list[tuple[str, str, str]]]:
    """Under a status filter (即将到期, 待复核, 复核结果待公布, 已到期, 已撤销; not 有效, 全部
    or 公示中, which the row names already) and under ``expiring_days`` (``tiers enterprises
    --expiring``: 即将到期 within those days),
    the titles of each firm (of ``ids``; None: every firm) that the filter found it by,
    with their date, as (即将到期, 创新型, 2026-12-16) (已撤销: the day revoked; else the end of
    validity): the row's own title may be another, in force for years (a 小巨人 held to
    2028 beside the 创新型 about to expire). The filter's own condition (tier, level, year
    and status together; the days alone, as ``roster_select`` asks them), so that what the
    row names is what found it. vocabulary.matched_words writes them."""
    if filters is None:
        return {}
    searches = []
    status = filters.status
    # (公示中: the row names the tiers 公示中 already, with_pending)
    if status and status not in (ANY_STATUS, ladder.VALID, ladder.PENDING):
        searches.append((status, _recognition_condition(filters)))
    if filters.expiring_days is not None:
        searches.append((ladder.EXPIRING, ladder.status_condition(
            ladder.EXPIRING, filters.today, filters.expiring_days)))
    found: dict[int, list[tuple[str, str, str]]] = {}
    for said, condition in searches:
        query = select(Recognition.enterprise_id, Recognition.tier_code,
                       Recognition.valid_until, Recognition.revoked_on).where(condition)
        if ids is not None:
            query = query.where(Recognition.enterprise_id.in_(ids))
        for enterprise_id, tier_code, until, revoked in session.execute(
                query.order_by(Recognition.valid_until, Recognition.id)):
            day = revoked if said == ladder.REVOKED else until
            title = (said, reference.tier(tier_code).short, day.isoformat() if day else "")
            titles = found.setdefault(enterprise_id, [])
            if title not in titles:
                titles.append(title)
    return found


def _status_text(held: str, pending: list[str], review: list[str] = ()) -> str:
    """有效, or 公示中：小巨人 for a firm a 公示 list named, and 待复核：小巨人 for a title
    run out in its 复核 round, beside the status of what it holds."""
    parts = [held] if held else []
    if pending:
        parts.append(f"{ladder.PENDING}：{'、'.join(pending)}")
    return "；".join((*parts, *review))


# the enterprise's own columns of a display row: (key in the row, column)
_ENTERPRISE_COLUMNS = (
    ("id", Enterprise.id), ("credit_code", Enterprise.credit_code),
    ("name", Enterprise.name), ("county_code", Enterprise.county_code),
    ("county", Enterprise.county_name), ("town", Enterprise.town),
    ("industry", Enterprise.industry), ("main_product", Enterprise.main_product),
    ("contact_person", Enterprise.contact_person),
    ("contact_phone", Enterprise.contact_phone), ("is_demo", Enterprise.is_demo),
    ("binned_at", Enterprise.deleted_at))  # (None but in the 回收站: 移入时间)


def _name_who_binned(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 回收站's 操作人 of its rows (binned_by: who moved each firm there, from the
    change log); "" for the roster's own firms, which are not read for it."""
    binned_ids = [row["id"] for row in rows if row.get("binned_at") is not None]
    moved = binned.binned(session, binned_ids) if binned_ids else {}
    for row in rows:
        found = moved.get(row["id"])
        row["binned_by"] = found.by if found is not None else ""
    return rows


def _chains_of(session: Session, ids: list[int] | None, today: dt.date) -> dict[int, str]:
    """Each enterprise's chains (of ``ids``; None: of every firm), 链主 marked: its roles,
    then the chains of its 链主 recognitions in force (firm_chains), each chain once."""
    return firm_chains.chain_cells(session, ids, today)


def _display_rows(enterprises, current: dict[int, tuple], support: dict[int, Any],
                  chains: dict[int, str], pending: dict[int, list[str]],
                  review: dict[int, list[str]],
                  matched: dict[int, list[tuple[str, str, str]]],
                  today: dt.date) -> list[dict[str, Any]]:
    keys = [key for key, _ in _ENTERPRISE_COLUMNS]
    rows = []
    for values in enterprises:
        row = dict(zip(keys, values, strict=True))
        enterprise_id = row["id"]
        tier_code, year, valid_until, level = current.get(enterprise_id, _NO_RECOGNITION)
        total = support.get(enterprise_id)
        status = _status_text(
            ladder.status_of(valid_until=valid_until, revoked_on=None, today=today,
                             tier_code=tier_code, batch_year=year)
            if tier_code else "", pending.get(enterprise_id, []),
            review.get(enterprise_id, []))
        found = matched.get(enterprise_id, [])
        in_review = review.get(enterprise_id, [])
        if found:  # said once: 待复核：小巨人 is then named with its date
            said = tuple(f"{status}：" for status, _, _ in found)
            in_review = [part for part in in_review if not part.startswith(said)]
        # the row's own title, as 当前梯度 and 有效期至 show it: named once beside it
        held = ((reference.tier(tier_code).short, valid_until.isoformat() if valid_until
                 else "") if tier_code else None)
        row.update(
            tier_code=tier_code, tier=ladder.tier_label(tier_code), level=level or "",
            year=year, valid_until=valid_until,
            status=status,
            matched=matched_words(found),  # the titles the filter found the firm by, dated
            # the same beside 当前梯度 (vocabulary.tier_words), its own title said once
            matched_beside=matched_words(found, held=held),
            pending="、".join(pending.get(enterprise_id, [])),  # tiers 公示中, short names
            review="；".join(in_review),  # 待复核：小巨人
            chains=chains.get(enterprise_id, ""),
            support_total=Decimal(total) if total is not None else Decimal(0))
        rows.append(row)
    return rows


_NO_RECOGNITION = (None, None, None, None)


def _details(session: Session, ids: list[int] | None, today: dt.date,
             filters: RosterFilter | None = None) -> tuple[dict, ...]:
    """Current recognition, paid support, chains, the tiers 公示中 and in 复核 of ``ids`` (None: of
    every firm), each by one query keyed by enterprise: joined to the rows instead, SQLite
    scanned the current recognitions once per firm (1.4 s for a search finding 6,000 of
    100k)."""
    current_rows = current_recognition(today, ids)
    current = {row[0]: tuple(row[1:]) for row in session.execute(select(
        current_rows.c.enterprise_id, current_rows.c.tier_code, current_rows.c.batch_year,
        current_rows.c.valid_until, current_rows.c.level))}
    totals = support_totals(ids)
    support = {enterprise_id: total for enterprise_id, total in session.execute(
        select(totals.c.enterprise_id, totals.c.total))}
    return (current, support, _chains_of(session, ids, today), _pending_tiers(session, ids, today),
            _review_tiers(session, ids, today), _matched_titles(session, ids, filters))


def roster_rows(session: Session, ids: list[int], *, today: dt.date | None = None,
                chunk: int = 500, filters: RosterFilter | None = None) -> list[dict[str, Any]]:
    """Display rows for the given ids, in the given order (the desktop's blocks of rows;
    a whole filtered roster is ``roster``); ``filters``: those the ids were found by, whose
    status the rows name the titles of (``_matched_titles``)."""
    today = filters.today if filters is not None else today or dt.date.today()
    by_id: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        enterprises = session.execute(select(*(column for _, column in _ENTERPRISE_COLUMNS))
                                      .where(Enterprise.id.in_(part)))
        for row in _name_who_binned(session, _display_rows(
                enterprises, *_details(session, part, today, filters), today)):
            by_id[row["id"]] = row
    return [by_id[i] for i in ids if i in by_id]


def roster(session: Session, filters: RosterFilter, *, sort: str = "name",
           descending: bool = False) -> list[dict[str, Any]]:
    """The filtered roster's display rows in display order, as plain columns (SQLAlchemy
    Core; ORM objects in chunks of 500 ids were half the time of ``tiers enterprises``):
    the same as ``roster_rows(roster_ids(…), filters=…)``, held to it by a test."""
    if sort in {"county", "town"}:  # places by pinyin: ordered in Python (roster_ids)
        return roster_rows(session, roster_ids(session, filters, sort=sort,
                                               descending=descending), filters=filters)
    enterprises = session.execute(_ordered_select(
        filters, sort, descending, *(column for _, column in _ENTERPRISE_COLUMNS))).all()
    # the details of the firms found by their ids (the filters run once); of every firm
    # when most are found (SQLite takes at most 32,766 parameters)
    ids = [row[0] for row in enterprises]
    details = _details(session, ids if len(ids) <= _MOST_IDS else None, filters.today,
                       filters)
    return _name_who_binned(session, _display_rows(enterprises, *details, filters.today))


_MOST_IDS = 20_000


def towns(session: Session, county: str | None = None) -> list[str]:
    query = select(Enterprise.town).where(Enterprise.deleted_at.is_(None),
                                          Enterprise.town != "").distinct()
    if county:
        query = query.where(county_condition(county))
    return sorted(session.scalars(query))


def any_without_county(session: Session) -> bool:
    """Whether a live firm has no county code (the 企业库 then offers （未填区县）)."""
    return bool(session.scalar(select(exists().where(
        Enterprise.deleted_at.is_(None), county_condition(NO_COUNTY_CHOICE)))))


def counties(session: Session) -> list[str]:
    return sorted(session.scalars(select(Enterprise.county_name).where(
        Enterprise.deleted_at.is_(None), Enterprise.county_name != "").distinct()))


def recognition_years(session: Session) -> list[int]:
    return sorted(session.scalars(select(Recognition.batch_year).where(
        Recognition.batch_year.isnot(None)).distinct()), reverse=True)
