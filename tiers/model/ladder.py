"""Validity, status and the current tier, derived from recognitions (never stored twice)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, exists, extract, func, or_
from sqlalchemy.orm import aliased

from tiers.model import reference
from tiers.model.orm import Recognition
from tiers.model.vocabulary import (
    EXPIRED,
    EXPIRING,
    PENDING,
    REVIEW_DUE,
    REVIEW_RESULTS_PENDING,
    REVOKED,
    VALID,
)
from tiers.model.vocabulary import STATUSES as STATUSES  # (re-exported; light for tiers --help)

EXPIRING_DAYS = 180  # "即将到期" = expires within this many days
# what a title about to expire is shown as once a 复核 (or a new recognition of it) has been
# recorded: in force until its end, and needing no 复核 (not a status one filters by)
RENEWED_EARLY = f"{VALID}（已复核）"
# and a title that lapsed, taken over by a later one of the tier in force (a 复核 recorded
# after its end): over, but needing nothing either (not red, not a status one filters by)
RENEWED_LAPSED = f"{EXPIRED}（已复核）"
# a title entered before its 认定日期: not held until it starts (held_condition), so neither
# 有效 nor any status one filters by
NOT_STARTED = "待生效"
# REVIEW_RESULTS_PENDING (复核结果待公布): a title run out whose 复核 round is over but whose
# 复核 list is not out yet (``review_results_by``): neither lapsed for good nor renewed — the
# list decides. REVIEW_DUE (待复核): a title run out inside its 复核 round
# (``renewable_by_review``): not lost — 对标预审 judges it as that 复核. Neither is 已到期;
# both are statuses one filters by (status_condition asks the same in SQL).
# after a 有效期至 Tiers computed (the list or the officer gave none): not a date to quote
ESTIMATED_MARK = "（推算）"
# a 复核 pass's batch, wherever a recognition is listed (the enterprise window, its
# questions, tiers show, the change log): 第二批（复核）, else it reads as the title itself
REVIEW_MARK = "（复核）"


def batch_shown(batch: str, *, is_review: bool) -> str:
    """A recognition's batch as its lists show it: 第二批（复核） for a 复核 pass (tester27b:
    a 复核 read 第二批 2023, like a 2023 title of 第二批), 复核 alone when it has no batch."""
    if not is_review:
        return batch
    return f"{batch}{REVIEW_MARK}" if batch else "复核"

# 复核 rounds whose list comes out the next year: the day (month, day) of the year after the
# round up to which a title of that round, run out and not renewed, is 复核结果待公布 — not
# 已到期, nor "复核已错过" (domain.md has no date for any of them, so each is an estimate,
# stated in the README). Only 单项冠军: its 2023 round (工信厅政法函〔2023〕263号: 第八批遴选 +
# 第二批、第五批复核) was 公示 2024-03-04 to 03-11 (domain.md §1.6), so a title ending
# 2023-12-31 waited for its list into spring 2024; the final list comes weeks after the 公示,
# hence the end of June, a quarter's margin. 小巨人's rounds are 公示 the same year (第五批 +
# 第二批复核: 2023-07-14; the 2026 round's 省级初核 ends 6.30), 省级专精特新 and 创新型 are
# called in May–September and published within the year (domain.md §1.5, §1.7): no grace.
REVIEW_RESULTS_BY: dict[str, tuple[int, int]] = {"single_champion": (6, 30)}


def default_valid_until(tier_code: str, *, recognized_on: dt.date | None,
                        batch_year: int | None) -> dt.date | None:
    """The end of validity when a roster gives none: the recognition date plus the tier's
    validity, else the end of year (batch year + validity): a 2022年度 title is re-reviewed
    in 2025."""
    years = reference.tier(tier_code).validity_years
    if not years:
        return None
    if recognized_on is not None:
        try:
            end = recognized_on.replace(year=recognized_on.year + years)
        except ValueError:  # 29 February
            end = recognized_on.replace(year=recognized_on.year + years, day=28)
        return end - dt.timedelta(days=1)
    if batch_year is not None:
        return dt.date(batch_year + years, 12, 31)
    return None


def renewed_valid_until(tier_code: str, *, previous_end: dt.date | None) -> dt.date | None:
    """The end of a 复核 pass given without dates: the title is renewed for the tier's
    validity from where the renewed one ended (domain.md §1.5: 3 years, then 复核), so a
    省级专精特新 ending 2026-12-27 renewed in 2026 runs to 2029-12-27 (not to the 31 December
    of batch year + validity, which added up to a year nobody granted). None when the tier
    has no fixed validity or the renewed title no end."""
    years = reference.tier(tier_code).validity_years
    if not years or previous_end is None:
        return None
    try:
        return previous_end.replace(year=previous_end.year + years)
    except ValueError:  # 29 February
        return previous_end.replace(year=previous_end.year + years, day=28)


def review_year(tier_code: str, *, batch_year: int | None,
                valid_until: dt.date | None) -> int | None:
    """The year of the 复核 round that renews a title: its batch year plus the tier's
    validity (domain.md §1.5: the 2022 call reviewed the 2019年度 省级 titles, the 2025 one
    the 2022年度 创新型, 2023 the 小巨人 of 第二批 (2020); 2026 the 第五批 (2023) and the
    第二批复核 (2023) — tiers the 复核 rule sets name by batch, resources/rules), whichever
    day of the next year the title itself ends (a 2022年度 title announced in January 2023
    still has its 复核 in 2025). But a 复核 pass often carries the batch it renewed, not its
    own year ("第二批…“小巨人”复核通过企业名单" reads 第二批, 2020, renewed 2023, ending 2026): when
    batch year + validity falls more than a year before the year the title ends, the batch
    year is not the term's, and the round is the year the term ends. Without a batch year,
    the year its validity ends; None for a title with no fixed validity (nothing to
    renew) or one whose tier has no 复核 (``Tier.review``: 科技型, re-evaluated yearly)."""
    tier = reference.tier(tier_code)
    years = tier.validity_years if tier.review else 0
    if not years:
        return None
    if batch_year is not None and (valid_until is None
                                   or batch_year + years >= valid_until.year - 1):
        return batch_year + years
    return valid_until.year if valid_until is not None else None


def review_of_batch_year(tier_code: str, batch_label: str | None) -> int | None:
    """The year of a 复核 pass that names only the numbered batch it renews, as the lists do
    (“第二批专精特新“小巨人”复核通过企业名单”, no year): the batch's own year plus the tier's
    validity — its 复核 round (``review_year``: 第二批 小巨人 2020 → 2023, domain.md §1.5),
    not the batch's year, which would record a title just renewed as run out three years
    before. None when the batch's year is unknown (the list must say), or the tier has no
    fixed validity or no 复核."""
    year = reference.batch_year(tier_code, batch_label)
    if year is None:
        return None
    return review_year(tier_code, batch_year=year, valid_until=None)


_YEAR_BATCH = re.compile(r"((?:19|20)\d{2})\s*年度?")


def reviewed_batch_own_year(tier_code: str, reviewed: str | None) -> int | None:
    """The year a reviewed batch was itself recognised: a numbered one's from the tier's
    data (第二批 小巨人 → 2020), a yearly one's from its words (2019年度 → 2019); None when
    the words name neither."""
    year = reference.batch_year(tier_code, reviewed)
    if year is None and (match := _YEAR_BATCH.search(reviewed or "")):
        year = int(match.group(1))
    return year


def misdated_review_year(tier_code: str, *, is_review: bool, batch_label: str | None,
                         batch_year: int | None, review_of_batch: str | None,
                         recognized_on: dt.date | str | None,
                         batch_title_held: bool = False) -> int | None:
    """The year a 复核 record recorded at the reviewed batch's own year should have: a 复核
    in the year of the recognition it renews is impossible (domain.md §1.5: 3 years, then
    复核), and is what importing a 复核 list without a year did before the list was read as
    its batch's round (第二批…复核通过名单 recorded 2020, valid to 2023, for a title renewed in
    2023 to 2026). The reviewed batch is the record's 复核批次. Without one, its own batch
    label only when that label is surely the batch reviewed (``label_is_reviewed_batch``:
    the firm holds that batch's own title of that year, ``batch_title_held``, or no round
    of that year renewed any batch of the tier): a 复核 is also listed under the batch of
    its round, with no 复核批次 (Tiers's roster prints 第八批（2026年） 复核 for a 2026 复核 of
    第五批; a county's 汇总 or a “2023年第五批” list with a 复核 column), and read into a
    fresh database that record was named misdated (应为 2029 年) though right. A label in
    words of a year is not the reviewed batch either: a tier that names batches by year
    names its 复核 pass by the round's own year (“2026年度…复核通过企业名单” → 2026年度,
    domain.md §1.6), so a 复核 of 2025年度 recorded in 2025 without 复核批次 is right.
    That batch's round (``review_of_batch_year``: 2020 + 3 = 2023); None for any record that
    is not such an artefact (not a 复核, a year of its own, a tier without 复核), and for
    one with a 认定日期 (``recognized_on``: the date says when it was recognised, so its
    year is the officer's, not the artefact's) — the one place this is decided, for
    数据核查, the firm window, its correction and the import alike (review27b #6)."""
    if not is_review or batch_year is None or recognized_on:
        return None
    if review_of_batch:
        own = reviewed_batch_own_year(tier_code, review_of_batch)
    elif label_is_reviewed_batch(tier_code, batch_label, batch_year,
                                 batch_title_held=batch_title_held):
        own = batch_year
    else:
        return None
    if own is None or own != batch_year:
        return None
    return review_year(tier_code, batch_year=own, valid_until=None)


def label_is_reviewed_batch(tier_code: str, batch_label: str | None, batch_year: int | None,
                            *, batch_title_held: bool) -> bool:
    """Whether a 复核 recorded under ``batch_label`` at ``batch_year``, with no 复核批次, is
    surely of that batch (recorded at its own year) rather than listed under the batch of
    its round: the label is a numbered batch of that very year, and either the firm holds
    that batch's own title of that year (``batch_title_held``: a 复核 and the title it
    renews are never of one year), or no 复核 round of that year renewed anything — no
    batch of the tier was recognised a multiple of its validity before (小巨人 第二批 2020:
    the first batch is 2019; 单项冠军 第三批 2018: its first, 2016; but 第五批 2023 may be
    the 2023 round's, which renewed 第二批)."""
    own = reference.batch_year(tier_code, batch_label)
    if own is None or own != batch_year:
        return False
    if batch_title_held:
        return True
    tier = reference.tier(tier_code)
    years = tier.validity_years if tier.review else 0
    return not years or not any(
        year < own and (own - year) % years == 0 for _label, year in tier.batches)


def holds_batch_title(titles: Iterable[Mapping[str, Any]], record: Mapping[str, Any]) -> bool:
    """Whether the firm's ``titles`` (recognition records as dicts) hold a title, not a 复核,
    of the tier, batch and year of ``record`` (``misdated_review_year``'s
    ``batch_title_held``): the firm window's rows, an import's known records."""
    return any(not title.get("is_review") and title.get("tier_code") == record.get("tier_code")
               and (title.get("batch_label") or "") == (record.get("batch_label") or "")
               and title.get("batch_year") == record.get("batch_year")
               for title in titles)


def renewable_by_review(tier_code: str, *, batch_year: int | None,
                        valid_until: dt.date | None, today: dt.date) -> bool:
    """A title run out (not revoked) can still be renewed by 复核 today: its 复核 round
    (``review_year``) is this year or later — the round of a year runs into its autumn
    (省级: called in September, domain.md §1.7 苏工信中小〔2022〕496号) and its list comes
    later, so the whole year counts; once that year is over the round was missed and the
    title is applied for anew (a yearly 入库编号 is 重新评价入库 either way:
    prerequisites.advice)."""
    year = review_year(tier_code, batch_year=batch_year, valid_until=valid_until)
    return year is not None and today.year <= year


def review_results_by(tier_code: str | None, *, batch_year: int | None,
                      valid_until: dt.date | None, today: dt.date) -> dt.date | None:
    """The day the 复核 list of a title run out is expected by, while it is awaited: its
    tier's 复核 list comes out the next year (``REVIEW_RESULTS_BY``), its round
    (``review_year``) was last year, and that day has not passed; None otherwise (the title
    is in force, its round is still on — ``renewable_by_review`` — or it is over)."""
    by = REVIEW_RESULTS_BY.get(tier_code or "")
    if by is None or valid_until is None or valid_until >= today:
        return None
    year = review_year(tier_code, batch_year=batch_year, valid_until=valid_until)
    if year is None or year != today.year - 1:
        return None
    last = dt.date(today.year, *by)
    return last if today <= last else None


def status_of(*, valid_until: dt.date | None, revoked_on: dt.date | None,
              today: dt.date | None = None, expiring_days: int = EXPIRING_DAYS,
              pending: bool = False, renewed: bool = False,
              recognized_on: dt.date | None = None, tier_code: str | None = None,
              batch_year: int | None = None) -> str:
    """The status of one recognition on ``today``; ``renewed``: ``renewed_condition`` holds
    for it (asked in SQL), so that about to expire it reads RENEWED_EARLY, and lapsed
    RENEWED_LAPSED (a 复核 recorded the day after its end took over from it); one whose
    ``recognized_on`` is after today is NOT_STARTED, as held_condition leaves it out of 有效
    (the dashboard, the status filter, the current tier). Given its ``tier_code`` and
    ``batch_year``, a title run out whose 复核 list is still awaited (``review_results_by``)
    is REVIEW_RESULTS_PENDING, and one run out inside its 复核 round (``renewable_by_review``)
    REVIEW_DUE, not 已到期: a 单项冠军 of the 2023 round ending 2023-11-30 reads 待复核 in
    December, 复核结果待公布 until 2024-06-30, then 已到期."""
    today = today or dt.date.today()
    if revoked_on is not None and revoked_on <= today:
        return REVOKED
    if pending:
        return PENDING
    if recognized_on is not None and recognized_on > today:
        return NOT_STARTED
    if valid_until is None:
        return VALID
    if valid_until < today:
        if renewed:
            return RENEWED_LAPSED
        if review_results_by(tier_code, batch_year=batch_year, valid_until=valid_until,
                             today=today) is not None:
            return REVIEW_RESULTS_PENDING
        if tier_code is not None and renewable_by_review(
                tier_code, batch_year=batch_year, valid_until=valid_until, today=today):
            return REVIEW_DUE
        return EXPIRED
    if valid_until <= today + dt.timedelta(days=expiring_days):
        return RENEWED_EARLY if renewed else EXPIRING
    return VALID


def rank_expression(column=Recognition.tier_code) -> ColumnElement[int]:
    return case({t.code: t.rank for t in reference.tiers()}, value=column, else_=-1)


def held_condition(today: dt.date, recognition=Recognition) -> ColumnElement[bool]:
    """The recognition is in force today (有效 or 即将到期): started (its 认定日期 not after
    today: one entered early is not held until it starts), not revoked, not run out; one
    still 公示中 is not. loading.in_force says the same in Python."""
    return and_(_not_ended(today, recognition),
                or_(recognition.recognized_on.is_(None), recognition.recognized_on <= today))


def _not_ended(today: dt.date, recognition=Recognition) -> ColumnElement[bool]:
    """Not 公示中, not revoked, not run out today: in force, or starting later."""
    return and_(
        recognition.is_pending.is_(False),
        or_(recognition.revoked_on.is_(None), recognition.revoked_on > today),
        or_(recognition.valid_until.is_(None), recognition.valid_until >= today),
    )


def chain_bound_codes() -> tuple[str, ...]:
    """The tiers held of one chain (链主企业): a firm is 链主 of a particular chain."""
    return tuple(t.code for t in reference.tiers() if t.needs_chain)


def title_chain(recognition=Recognition) -> ColumnElement[str | None]:
    """The chain that is part of the title: 链主's (of a particular chain); none for a tier
    of the ladder, even when its row names a chain."""
    return case((recognition.tier_code.in_(chain_bound_codes()), recognition.chain_code),
                else_=None)


def _same_title(other) -> ColumnElement[bool]:
    """``other`` is a recognition of the same title as ``Recognition``: the same firm and
    tier and, for a chain-bound tier (链主 of chain B says nothing of chain A), the same chain;
    a 链主 row naming no chain is taken for any."""
    return and_(other.enterprise_id == Recognition.enterprise_id,
                other.tier_code == Recognition.tier_code,
                or_(Recognition.tier_code.not_in(chain_bound_codes()),
                    Recognition.chain_code.is_(None), other.chain_code.is_(None),
                    other.chain_code == Recognition.chain_code))


def renewed_condition(today: dt.date) -> ColumnElement[bool]:
    """The firm holds another recognition of the same title (``_same_title``) in force today
    that runs past this one's end: a 复核, or a new recognition, that took over from it once
    it lapsed or will take over when it does (recorded early, in force already or starting
    later). Such a title needs no 复核: it is neither 已到期 nor 即将到期. One still 公示中 or
    revoked renews nothing; two titles ending the same day do not renew each other."""
    later = aliased(Recognition)
    return exists().where(_same_title(later), later.id != Recognition.id,
                          _not_ended(today, later),
                          or_(later.valid_until.is_(None),
                              later.valid_until > Recognition.valid_until))


def first_of_tier_condition() -> ColumnElement[bool]:
    """No recognition of the same title (``_same_title``: 链主 of another chain does not
    count) with an earlier batch year was ever held: this one is new, not a 复核 or a
    return (本年新增, and the 工作台's new recognitions per year). An earlier title revoked
    since was held; an earlier row only ever 公示中 (left out of the final list) was not."""
    earlier = aliased(Recognition)
    return ~exists().where(_same_title(earlier), earlier.is_pending.is_(False),
                           earlier.batch_year < Recognition.batch_year)


# how many years a 公示 list is taken for "not yet final": its batch year and the next
# (a 2025年度 list is put up late in 2025 or early in 2026, its final list weeks later)
PENDING_YEARS = 2


# what a query of titles 公示中 selects beside the firm and the tier: the batch, so that
# tiers.queries.held_by.open_publicity can drop those whose final list is in
PENDING_BATCH = (Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
                 Recognition.is_review)


def pending_condition(today: dt.date) -> ColumnElement[bool]:
    """The recognition is 公示中 and its 公示 may still be open: the firm is on the way to
    the tier, not yet holding it, and not a candidate for it. Not once the batch is older
    than last year (a 公示 never confirmed; one without a year too), nor revoked, nor past
    its end of validity. Whether the batch's final list is in (the firms left 公示中 then
    most likely left out of it) is asked of the rows found: held_by.open_publicity."""
    since = today.year - PENDING_YEARS + 1
    return and_(
        Recognition.is_pending.is_(True),
        Recognition.batch_year >= since,  # NULL: lapsed
        or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > today),
        or_(Recognition.valid_until.is_(None), Recognition.valid_until >= today),
    )


def review_year_expression(recognition=Recognition) -> ColumnElement[int | None]:
    """``review_year`` in SQL: the year of the 复核 round that renews the recognition, from
    its tier's validity, batch year and end of validity; NULL for a tier with no fixed
    validity or no 复核 (科技型), or with neither a batch year nor an end."""
    years = case({t.code: t.validity_years for t in reference.tiers()
                  if t.validity_years and t.review},
                 value=recognition.tier_code, else_=None)
    end_year = cast(extract("year", recognition.valid_until), Integer)
    by_batch = recognition.batch_year + years
    return case(
        (years.is_(None), None),
        (and_(recognition.batch_year.isnot(None),
              or_(recognition.valid_until.is_(None), by_batch >= end_year - 1)), by_batch),
        else_=end_year)


def results_awaited_tiers(today: dt.date) -> tuple[str, ...]:
    """The tiers whose 复核 list of last year's round may still come out ``today``
    (``REVIEW_RESULTS_BY``: its day this year not passed)."""
    return tuple(code for code, by in REVIEW_RESULTS_BY.items()
                 if today <= dt.date(today.year, *by))


def _lapsed_phase(status: str, today: dt.date) -> ColumnElement[bool]:
    """Of a title run out (and not renewed), which of 待复核, 复核结果待公布 and 已到期 it is
    today, as ``status_of`` decides it: its 复核 round (``review_year``) this year or later
    is 待复核; last year's, of a tier whose list is still awaited, 复核结果待公布; else
    已到期 (no round: a tier without fixed validity or without 复核, 科技型)."""
    year = func.coalesce(review_year_expression(), -1)
    awaited = and_(Recognition.tier_code.in_(results_awaited_tiers(today)),
                   year == today.year - 1)
    if status == REVIEW_DUE:
        return year >= today.year
    if status == REVIEW_RESULTS_PENDING:
        return awaited
    return and_(year < today.year, ~awaited)


def status_condition(status: str, today: dt.date,
                     expiring_days: int = EXPIRING_DAYS) -> ColumnElement[bool]:
    """The recognitions whose status (``status_of``) is ``status`` on ``today``, in SQL:
    every status one filters by (STATUSES); 有效 takes those about to expire too."""
    not_revoked = or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > today)
    if status == PENDING:
        return and_(Recognition.is_pending.is_(True), not_revoked)
    lapsed = (EXPIRED, REVIEW_DUE, REVIEW_RESULTS_PENDING)
    if status == EXPIRING or status in lapsed:  # of a recognition held, not one 公示中
        not_revoked = and_(not_revoked, Recognition.is_pending.is_(False))
    horizon = today + dt.timedelta(days=expiring_days)
    if status == VALID:  # in force, including those about to expire
        return held_condition(today)
    if status == EXPIRING:  # and not renewed already: it needs no 复核
        return and_(not_revoked, Recognition.valid_until >= today,
                    Recognition.valid_until <= horizon, ~renewed_condition(today))
    if status in lapsed:
        return _lapsed(today, _lapsed_phase(status, today))
    if status == REVOKED:
        return Recognition.revoked_on <= today
    raise ValueError(f"未知的状态：{status}")


def _lapsed(today: dt.date, phase: ColumnElement[bool]) -> ColumnElement[bool]:
    """Run out (held: not 公示中, not revoked, started), not renewed by a later title of the
    tier, in the ``phase`` of its 复核 (``_lapsed_phase``)."""
    return and_(Recognition.is_pending.is_(False),
                or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > today),
                Recognition.valid_until < today,
                or_(Recognition.recognized_on.is_(None), Recognition.recognized_on <= today),
                phase, ~renewed_condition(today))


def in_review(today: dt.date) -> tuple[ColumnElement[bool], ColumnElement[str]]:
    """The recognitions that are 待复核 or 复核结果待公布 today, and which of the two each
    is: one query where two ``status_condition`` would ask the renewal twice."""
    due = _lapsed_phase(REVIEW_DUE, today)
    awaited = _lapsed_phase(REVIEW_RESULTS_PENDING, today)
    return (_lapsed(today, or_(due, awaited)),
            case((due, REVIEW_DUE), else_=REVIEW_RESULTS_PENDING))


def tier_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return reference.tier(code).name
    except KeyError:
        return code
