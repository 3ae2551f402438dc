"""Load what the rules need for many enterprises in a few queries (never one per firm)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.assess import bar
from tiers.assess.firm import DueTitle, FirmData, LostTitle, publicity_words
from tiers.assess.metrics import FIELDS
from tiers.model import ladder, reference
from tiers.model.orm import AnnualFigures, Enterprise, Recognition
from tiers.queries.held_by import open_publicity
from tiers.text.values import show

CHUNK = 500


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def load_firms(session: Session, *, years: range, today: dt.date,
               ids: Iterable[int] | None = None, county: str | None = None,
               include_deleted: bool = False, area: Any = None) -> dict[int, FirmData]:
    """Enterprises (all, or ``ids``; of ``county``, or of ``area``: a condition on the
    firm, tiers.queries.unit_scope's) with their figures for ``years``, the ladder tiers
    they hold today and those they are 公示中 for, by id."""
    ladder_codes = {t.code for t in reference.tiers() if t.ladder}
    figure_columns = [getattr(AnnualFigures, name) for name in FIELDS]
    base = select(Enterprise.id, Enterprise.credit_code, Enterprise.name,
                  Enterprise.county_name, Enterprise.town)
    if not include_deleted:
        base = base.where(Enterprise.deleted_at.is_(None))
    if county:
        code, county_name = reference.resolve_county(county)
        base = base.where(Enterprise.county_code == code if code
                          else Enterprise.county_name == county_name)
    if area is not None:
        base = base.where(area)
    figures_query = select(AnnualFigures.enterprise_id, AnnualFigures.year,
                           *figure_columns).where(AnnualFigures.year.between(years.start,
                                                                             years.stop - 1))
    # every title not 公示中: held today, or held once (run out, revoked: FirmData.lost);
    # the titles off the ladder in force too (FirmData.others)
    held_query = select(Recognition.enterprise_id, *LOST_COLUMNS,
                        Recognition.valid_until_estimated, Recognition.recognized_on,
                        Recognition.revoke_reason).where(
        Recognition.is_pending.is_(False),
        Recognition.tier_code.in_([t.code for t in reference.tiers()]))
    pending_query = select(Recognition.enterprise_id, Recognition.tier_code,
                           *ladder.PENDING_BATCH, Recognition.id).where(
        ladder.pending_condition(today), Recognition.tier_code.in_(sorted(ladder_codes)))

    firms: dict[int, FirmData] = {}
    if ids is None:
        parts = [(base, figures_query, held_query, pending_query)]
    else:
        wanted = sorted(set(ids))
        parts = [(base.where(Enterprise.id.in_(part)),
                  figures_query.where(AnnualFigures.enterprise_id.in_(part)),
                  held_query.where(Recognition.enterprise_id.in_(part)),
                  pending_query.where(Recognition.enterprise_id.in_(part)))
                 for part in _chunks(wanted)]
    for enterprises_q, figures_q, held_q, pending_q in parts:
        for enterprise_id, code, name, county_name, town in session.execute(enterprises_q):
            firms[enterprise_id] = FirmData(enterprise_id=enterprise_id, credit_code=code,
                                            name=name, county=county_name or "",
                                            town=town or "")
        for row in session.execute(figures_q):
            firm = firms.get(row[0])
            if firm is not None:
                firm.figures[row[1]] = dict(zip(FIELDS, row[2:], strict=True))
        held: dict[int, set[str]] = {}
        others: dict[int, set[str]] = {}
        # held through a validity given (or none: no end), and through an estimate only
        given: set[tuple[int, str]] = set()
        guessed: dict[tuple[int, str], tuple[dt.date, str]] = {}
        ended = []
        in_force_rows: dict[int, list] = {}  # the ladder titles held and those yet to start
        for row in session.execute(held_q):
            enterprise_id, tier_code, until, revoked = row[:4]
            firm = firms.get(enterprise_id)
            if firm is None:
                continue
            # the bar's whole decision is the core's (bar.revocation_bar): the dialog that
            # revokes asks the same, with the same row's values (none 公示中 here)
            if revoked is not None:
                firm.bar = bar.later(firm.bar, bar.bar_of(tier_code, revoked, row[-1], today,
                                                          is_pending=False,
                                                          recognized_on=row[-2]))
            if not started(row[-2], today):
                if tier_code in ladder_codes and (revoked is None or revoked > today):
                    in_force_rows.setdefault(enterprise_id, []).append(row[1:7])
                continue  # entered early: neither held nor lost before it starts
            now = in_force(until, revoked, today)
            if tier_code not in ladder_codes:
                if now:
                    others.setdefault(enterprise_id, set()).add(tier_code)
            elif now:
                held.setdefault(enterprise_id, set()).add(tier_code)
                if row[-3] and until is not None:
                    key = (enterprise_id, tier_code)
                    if key not in guessed or until > guessed[key][0]:
                        guessed[key] = (until, _known(row))
                else:
                    given.add((enterprise_id, tier_code))
                in_force_rows.setdefault(enterprise_id, []).append(row[1:7])
                if until is not None and (tier_code not in firm.valid_until
                                          or until > firm.valid_until[tier_code]):
                    firm.valid_until[tier_code] = until
                    year = ladder.review_year(tier_code, batch_year=row[5], valid_until=until)
                    if year is not None:
                        firm.review_years[tier_code] = year
            else:
                ended.append(row[:-3])
        for enterprise_id, codes in held.items():
            firms[enterprise_id].held = frozenset(codes)
        for (enterprise_id, tier_code), (_until, known) in guessed.items():
            if (enterprise_id, tier_code) not in given:
                firms[enterprise_id].estimated[tier_code] = known
        for enterprise_id, codes in others.items():
            firms[enterprise_id].others = frozenset(codes)
        for enterprise_id, rows in in_force_rows.items():
            firms[enterprise_id].due = due_titles(rows, today)
        _add_lost(firms, ended, today)
        pending: dict[int, set[str]] = {}
        # the latest open batch of each tier (two open lists of one tier: the newer one, by
        # year, then batch number, label and id: the one named never depends on rows' order)
        for enterprise_id, tier_code, _tier, label, year, review, _id in sorted(
                open_publicity(session, session.execute(pending_q).all()),
                key=lambda row: (row[4] or 0, reference.batch_number(row[3]) or 0,
                                 row[3] or "", row[6])):
            firm = firms.get(enterprise_id)
            if firm is not None:
                pending.setdefault(enterprise_id, set()).add(tier_code)
                firm.pending_batches[tier_code] = publicity_words(label, year, bool(review))
        for enterprise_id, codes in pending.items():
            firms[enterprise_id].pending = frozenset(codes)
    return firms


def _known(row) -> str:
    """What a title whose validity was estimated is known by: 只知认定日期 2025-09-01, or its
    batch (只知 2025年度); a row of ``held_query``."""
    if row[-2] is not None:
        return f"只知认定日期 {show(row[-2])}"
    label, year = row[4], row[5]
    batch = publicity_words(label or (f"{year}年度" if year else None), year, bool(row[6]))
    return f"只知 {batch}" if batch else ""


def in_force(until: dt.date | None, revoked: dt.date | None, today: dt.date) -> bool:
    """A recognition not 公示中 that has started (``started``) is in force today, as
    ladder.held_condition says in SQL."""
    return (revoked is None or revoked > today) and (until is None or until >= today)


def started(recognized_on: dt.date | None, today: dt.date) -> bool:
    """A recognition has started: its 认定日期 is not after today (none known: it has). One
    entered early is neither held nor lost before then (ladder.held_condition)."""
    return recognized_on is None or recognized_on <= today


def due_titles(rows, today: dt.date) -> dict[str, DueTitle]:
    """The ladder titles whose 复核 round (``ladder.review_year``) is this year, by tier, from
    the recognitions in force or yet to start, as rows of (tier_code, valid_until,
    revoked_on, batch_label, batch_year, is_review) (``LOST_COLUMNS``): of each tier the
    one that ends last — a tier with a later title (a 复核 recorded already, one entered
    before its 认定日期 too) or one without an end is not due."""
    latest: dict[str, tuple] = {}
    for row in rows:
        known = latest.get(row[0])
        if known is None or (known[1] is not None
                             and (row[1] is None or row[1] > known[1])):
            latest[row[0]] = row
    out: dict[str, DueTitle] = {}
    for tier_code, until, _revoked, label, year, review in latest.values():
        if until is None:
            continue
        round_year = ladder.review_year(tier_code, batch_year=year, valid_until=until)
        if round_year == today.year:
            out[tier_code] = DueTitle(batch=publicity_words(label, year, bool(review)),
                                      valid_until=until, review_year=round_year)
    return out


def _add_lost(firms: dict[int, FirmData], rows, today: dt.date) -> None:
    """Each firm's latest lost title of each ladder tier it does not hold now (a 复核 or a
    new recognition in force renews it: then it is held, and nothing is lost)."""
    by_firm: dict[int, list] = {}
    for row in rows:
        firm = firms.get(row[0])
        if firm is not None and row[1] not in firm.held:
            by_firm.setdefault(row[0], []).append(row)
    for enterprise_id, found in by_firm.items():
        firms[enterprise_id].lost = latest_lost(found, today)


def latest_lost(rows, today: dt.date) -> dict[str, LostTitle]:
    """The latest of each tier among recognitions run out or revoked, as rows of
    (enterprise_id, tier_code, valid_until, revoked_on, batch_label, batch_year, is_review)
    (``LOST_COLUMNS``)."""
    out: dict[str, LostTitle] = {}
    for _id, tier_code, until, revoked, label, year, review in rows:
        revoked_on = revoked if revoked is not None and revoked <= today else None
        lapsed = revoked_on is None and until is not None
        lost = LostTitle(batch=publicity_words(label, year, bool(review)), valid_until=until,
                         revoked_on=revoked_on,
                         review_due=lapsed and ladder.renewable_by_review(
                             tier_code, batch_year=year, valid_until=until, today=today),
                         review_year=ladder.review_year(tier_code, batch_year=year,
                                                        valid_until=until),
                         results_by=ladder.review_results_by(
                             tier_code, batch_year=year, valid_until=until, today=today)
                         if lapsed else None)
        known = out.get(tier_code)
        if known is None or (lost.ended, lost.batch) > (known.ended, known.batch):
            out[tier_code] = lost
    return out


# what latest_lost reads of a recognition, after the firm
LOST_COLUMNS = (Recognition.tier_code, Recognition.valid_until, Recognition.revoked_on,
                *ladder.PENDING_BATCH[1:])
