"""变更记录: the recorded changes of one enterprise, for the enterprise window and the
change texts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, ImportBatch
from tiers.services.audit import changes_a_value


def history(session: Session, enterprise_id: int, *, limit: int = 1000) -> list[dict[str, Any]]:
    """变更记录 of one enterprise, newest first. Only changes from its own creation on: after
    a purge, SQLite may give the next new enterprise the same id, and the purged firm's
    history must not show under it."""
    born = (select(func.coalesce(func.max(Change.id), 0))
            .where(Change.entity == "enterprise", Change.entity_id == enterprise_id,
                   Change.action == "create").scalar_subquery())
    query = (select(Change, ImportBatch.file_name)
             .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
             .where(Change.enterprise_id == enterprise_id, Change.id >= born,
                    changes_a_value())
             .order_by(Change.id.desc()).limit(limit))
    return [
        {"at": change.at, "user": change.user, "entity": change.entity,
         "entity_id": change.entity_id, "action": change.action, "field": change.field,
         "old": change.old_value,
         "new": change.new_value, "import_batch_id": change.import_batch_id,
         "import_file": file_name or ""}
        for change, file_name in session.execute(query)
    ]
