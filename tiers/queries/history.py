"""变更记录: the recorded changes of one enterprise, for the enterprise window and the
change texts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from tiers.model.orm import Change, ImportBatch
from tiers.services.audit import changes_a_value
from tiers.text.changes import HIDDEN


def for_people() -> Any:
    """The change-log lines an officer reads: not the bookkeeping ones (which 数据包 a row
    came from, written by every package import and put back by its undo)."""
    return or_(Change.field.is_(None), Change.field.not_in(sorted(HIDDEN)))


def history(session: Session, enterprise_id: int, *, limit: int = 1000) -> list[dict[str, Any]]:
    """变更记录 of one enterprise, newest first. Only changes from its own creation on: after
    a purge, SQLite may give the next new enterprise the same id, and the purged firm's
    history must not show under it."""
    born = (select(func.coalesce(func.max(Change.id), 0))
            .where(Change.entity == "enterprise", Change.entity_id == enterprise_id,
                   Change.action == "create").scalar_subquery())
    # an undo logs its lines without a batch, at the very time the batch is marked undone
    # (importers.undo.apply): that time says which batch the line took back
    undone = aliased(ImportBatch)
    query = (select(Change, ImportBatch.file_name, undone.id)
             .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
             .outerjoin(undone, and_(Change.import_batch_id.is_(None),
                                     undone.undone_at == Change.at))
             .where(Change.enterprise_id == enterprise_id, Change.id >= born,
                    changes_a_value(), for_people())
             .order_by(Change.id.desc()).limit(limit))
    return [
        {"at": change.at, "user": change.user, "entity": change.entity,
         "entity_id": change.entity_id, "action": change.action, "field": change.field,
         "old": change.old_value,
         "new": change.new_value, "import_batch_id": change.import_batch_id,
         "import_file": file_name or (f"撤销导入（批次 {undone_id}）" if undone_id else ""),
         "undone_batch_id": undone_id}
        for change, file_name, undone_id in session.execute(query)
    ]


def last_change(session: Session, enterprise_id: int) -> int | None:
    """The id of the firm's newest change-log line (what a window read is as of)."""
    return session.scalar(select(func.max(Change.id)).where(
        Change.enterprise_id == enterprise_id))


def changed_by_since(session: Session, enterprise_id: int, after: int | None) -> list[str]:
    """Who changed the firm after change-log line ``after``, each once, oldest first, in the
    words the conflict dialog names them by: the account (wujin02), and the batch its
    change came from (wujin02（导入批次 12）, wujin02（批量操作 5）, wujin02（数据包，导入
    批次 7）). It said 另一位用户 even for a colleague's import (tester22)."""
    if after is None:
        return []
    rows = session.execute(
        select(Change.user, Change.import_batch_id, ImportBatch.kind)
        .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
        .where(Change.enterprise_id == enterprise_id, Change.id > after)
        .order_by(Change.id)).all()
    seen: dict[str, None] = {}
    for user, batch_id, kind in rows:
        what = ""
        if batch_id is not None:
            what = {"bulk": f"批量操作 {batch_id}",
                    "package": f"数据包，导入批次 {batch_id}"}.get(kind, f"导入批次 {batch_id}")
        name = user or "另一位用户"
        seen.setdefault(f"{name}（{what}）" if what else name)
    return list(seen)
