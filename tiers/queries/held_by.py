"""Why a batch's recognitions are held (有效): a final list said so, or the officer confirmed
them by hand when the 公示 ended, or they came some other way (entered by hand, the demo
county, a 数据包). Only a final list says that the firms it does not name were left out:
not Tiers's own 名单 read back (it shows what was held when it was exported), nor a list
whose import was undone (what it left is kept for other reasons: edited by hand since)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, ImportBatch, Recognition
from tiers.services.audit import changes_a_value

LIST_IMPORT = "recognitions"  # the import batch of a 名单 (a 公示 list or a final list)


@dataclass(frozen=True)
class HeldBy:
    """How many recognitions of one batch are held, by what made them held."""

    final_list: int = 0  # created by a final list, or 公示中 until a final list confirmed it
    by_hand: int = 0  # 公示中 until the officer confirmed it (tiers confirm-batch, 确认认定)
    other: int = 0  # entered by hand, the demo county, a 数据包 …


def held_by(session: Session, *, tier_code: str, batch_label: str, batch_year: int | None,
            is_review: bool) -> HeldBy:
    """The batch's held recognitions (not 公示中, not revoked), counted by what made them
    held: the last change of their 公示中 flag (made by a final list's import, or by hand:
    no import batch), else the import that created them held."""
    year = (Recognition.batch_year.is_(None) if batch_year is None
            else Recognition.batch_year == batch_year)
    held = (select(Recognition.id, Recognition.import_batch_id)
            .where(Recognition.tier_code == tier_code, Recognition.batch_label == batch_label,
                   year, Recognition.is_review.is_(bool(is_review)),
                   Recognition.is_pending.is_(False), Recognition.revoked_on.is_(None)))
    rows = session.execute(held).all()
    if not rows:
        return HeldBy()
    last = (select(func.max(Change.id).label("id"))
            .where(Change.entity == "recognition", Change.field == "is_pending",
                   changes_a_value(), Change.entity_id.in_(select(held.subquery().c.id)))
            .group_by(Change.entity_id).subquery())
    confirmed_in = dict(session.execute(select(Change.entity_id, Change.import_batch_id)
                                        .where(Change.id.in_(select(last.c.id)))).all())
    batch_ids = {row.import_batch_id for row in rows} | set(confirmed_in.values())
    final_lists = _final_lists(session, {i for i in batch_ids if i is not None})
    final_list = by_hand = other = 0
    for row in rows:
        if row.id in confirmed_in:  # was 公示中: held since its flag last changed
            batch = confirmed_in[row.id]
            if batch is None:
                by_hand += 1
                continue
        else:
            batch = row.import_batch_id
        if batch in final_lists:
            final_list += 1
        else:
            other += 1
    return HeldBy(final_list=final_list, by_hand=by_hand, other=other)


def open_publicity(session: Session, rows: list[Any]) -> list[Any]:
    """The rows (enterprise id, tier code, then the batch: tier code, label, year, 复核 or
    not — as ladder.PENDING_BATCH selects them beside a pending_condition) whose 公示 is
    still open: its batch's final list not in (a recognition of it held by a final list in
    effect, held_by). One firm confirmed by hand, or held some other way, says nothing of
    the others while the 公示 runs. The database is asked only about the batches found
    (none when nobody is 公示中: a handful otherwise), never per firm."""
    batches = {tuple(row[2:6]) for row in rows}
    closed = {batch for batch in batches
              if held_by(session, tier_code=batch[0], batch_label=batch[1],
                         batch_year=batch[2], is_review=bool(batch[3])).final_list}
    return [row for row in rows if tuple(row[2:6]) not in closed] if closed else rows


def _final_lists(session: Session, batch_ids: set[int]) -> set[int]:
    """The batches that are a final list in effect: a 名单's import, not undone, neither a
    公示 list nor Tiers's own 名单 report (the list's metadata, as the batch recorded it)."""
    rows = session.execute(select(ImportBatch.id, ImportBatch.mapping).where(
        ImportBatch.id.in_(batch_ids), ImportBatch.kind == LIST_IMPORT,
        ImportBatch.undone_at.is_(None))).all()
    final = set()
    for batch_id, mapping in rows:
        try:
            metadata = json.loads(mapping or "{}").get("metadata") or {}
        except (ValueError, AttributeError):
            metadata = {}
        if not isinstance(metadata, dict):
            metadata = {}
        if not metadata.get("own_report") and not metadata.get("pending"):
            final.add(batch_id)
    return final
