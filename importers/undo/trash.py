"""The part of an undo that only a bulk action (tiers.services.bulk) writes: the firms it
moved to the 回收站, which the undo takes back out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.undo.history import chunks
from tiers.model.orm import Enterprise


def trashed_by_batch(session: Session, own: list[Any]) -> tuple[list[int], list[int]]:
    """The firms the batch moved to the 回收站: (still there: to take out; restored by hand
    since: left as they are). Firms deleted for good since are in neither."""
    ids = [c.entity_id for c in own if c.entity == "enterprise" and c.action == "delete"]
    deleted_at: dict[int, Any] = {}
    for chunk in chunks(ids):
        deleted_at.update(session.execute(select(Enterprise.id, Enterprise.deleted_at)
                                          .where(Enterprise.id.in_(chunk))).all())
    still = [i for i in ids if i in deleted_at and deleted_at[i] is not None]
    restored = [i for i in ids if i in deleted_at and deleted_at[i] is None]
    return still, restored
