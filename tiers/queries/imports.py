"""导入记录: the list of past imports (and the demo data), newest first, as the imports view
and the command line show it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model.orm import ImportBatch


def import_batches(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` import batches: id, file, sheet, kind, when and by whom, the
    counts recorded at the import (a dict; {} when unreadable) and whether it was undone."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    rows = []
    for batch in session.scalars(query):
        try:
            counts = json.loads(batch.counts or "{}")
        except ValueError:
            counts = {}
        if isinstance(counts, dict):
            counts.pop("replan", None)  # what a re-import of the file reuses: not for people
        rows.append({"id": batch.id, "file_name": batch.file_name, "sheet": batch.sheet,
                     "kind": batch.kind, "created_at": batch.created_at, "user": batch.user,
                     "counts": counts if isinstance(counts, dict) else {},
                     "undone_at": batch.undone_at, "undone_by": batch.undone_by})
    return rows
