"""Undoing an import batch: remove what it created, put back what it updated, but keep
anything edited since (and say so).

    plan = drain(plan_undo(session, batch_id))   # nothing written: a preview
    plan.refusal()                                # None, or the UndoRefused to show
    apply_undo(session, plan)                     # one pass in the caller's transaction
    result = plan.result()

or all of it at once with ``undo_batch``. The texts (why a value is kept, why an undo is
refused) are in importers.undo.text."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.undo.apply import apply_undo
from importers.undo.plan import plan_undo
from importers.undo.text import still_pending_text
from importers.undo.types import BatchNotFound, UndoPlan, UndoRefused, UndoResult
from tiers.model.ladder import tier_label
from tiers.model.orm import Change, Enterprise, Recognition
from tiers.progress import Progress
from tiers.queries.imports import import_batches
from tiers.services import versions
from tiers.storage.bulk import prepared_for_bulk
from tiers.storage.import_locks import hold_county_locks, others_write_meanwhile
from tiers.storage.locking import write_lock

__all__ = ["BatchNotFound", "UndoPlan", "UndoRefused", "UndoResult", "apply_undo",
           "list_batches", "plan_undo", "undo_batch"]


def undo_batch(session: Session, batch_id: int, *, user: str | None = None
               ) -> Generator[Progress, None, UndoResult]:
    """Undo one import batch in the caller's transaction. Yields Progress; returns UndoResult.

    Refused as a whole (UndoRefused, nothing written) when a later import still in effect
    builds on the batch, or when everything it wrote was edited by hand since."""
    write_lock(session)  # planned and written under one lock: no import lands between
    if others_write_meanwhile(session):  # on a server: the import locks of its counties
        yield from hold_county_locks(session, batch_counties(session, batch_id), kind="undo")
        # and its firms' rows: an officer's save (which takes no county lock) would
        # otherwise commit between the plan and the writes and be undone or deleted
        versions.hold_many(session, session.scalars(select(Change.enterprise_id).distinct()
                                                    .where(Change.import_batch_id == batch_id,
                                                           Change.enterprise_id.is_not(None))))
    plan = yield from plan_undo(session, batch_id, user=user)
    refusal = plan.refusal()
    if refusal is not None:
        raise refusal
    yield Progress("撤销", 3, 4)
    # a large undo as a large import: SQLite's page cache, and the copy of the pages into
    # the file after the caller's commit, on a thread (PostgreSQL: fresh statistics)
    with prepared_for_bulk(session, rows=plan.rows_written()):
        apply_undo(session, plan)
    yield Progress("撤销", 4, 4)
    result = plan.result()
    result.still_pending = kept_pending(session, plan)
    result.still_pending_text = still_pending_text(result.still_pending)
    return result


def kept_pending(session: Session, plan: UndoPlan) -> list[str]:
    """The batch's recognitions the undo kept (edited since) that are still 公示中, as
    企业“…”的省级专精特新中小企业认定（2026年度）."""
    kept = plan.spared_records.get("recognition", [])
    if not kept:
        return []
    rows = session.execute(
        select(Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
               Enterprise.name)
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(Recognition.id.in_(kept), Recognition.is_pending.is_(True))
        .order_by(Recognition.id)).all()
    return [f"企业“{name}”的{tier_label(tier)}认定"
            + (f"（{label or f'{year}年度'}）" if label or year else "")
            for tier, label, year, name in rows]


def batch_counties(session: Session, batch_id: int) -> set[str | None]:
    """The counties of the firms a batch created or changed."""
    touched = select(Change.enterprise_id).where(Change.import_batch_id == batch_id)
    return set(session.scalars(select(Enterprise.county_code).distinct().where(
        Enterprise.id.in_(touched))))


def list_batches(session: Session, *, limit: int = 200) -> list[dict[str, Any]]:
    """The newest import batches, as the command line lists them."""
    return import_batches(session, limit=limit)
