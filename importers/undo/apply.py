"""Applying an undo plan: one pass of deletes and updates in the caller's transaction, the
undo's own Change rows, and the batch marked undone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from importers.undo.history import chunks
from importers.undo.plan import MODELS, UndoPlan
from tiers.model.names import name_key
from tiers.model.orm import Change, Enterprise, FormerName, ImportBatch
from tiers.model.pinyin import initials, sort_key
from tiers.services import versions
from tiers.storage.bulk import bulk_writer
from tiers.storage.locking import write_lock

# the undo's Change rows, through the bulk writer (COPY on a server: 100k rows of log took
# 3 s as multi-row INSERTs there); "at" and the batch are the same for all of them
_LOG_COLUMNS = ("user", "entity", "entity_id", "enterprise_id", "action", "field",
                "old_value", "new_value")


def apply_undo(session: Session, plan: UndoPlan) -> None:
    """Write the plan (refused plans raise their UndoRefused and write nothing): records,
    former names, fields put back, then the created enterprises last (their children go
    with them: ON DELETE CASCADE). The plan must be as new as the database: made in this
    transaction after it took the write lock (as undo_batch does), so that no import landed
    in between."""
    refusal = plan.refusal()
    if refusal is not None:
        raise refusal
    write_lock(session)
    for entity, ids in plan.records.items():
        model = MODELS[entity]
        for chunk in chunks(ids):
            session.execute(delete(model).where(model.id.in_(chunk)))
    for chunk in chunks(plan.former_names):
        session.execute(delete(FormerName).where(FormerName.id.in_(chunk)))
    for entity_id, value in plan.renames:
        session.execute(update(Enterprise).where(Enterprise.id == entity_id).values(
            name_key=name_key(value), pinyin_initials=initials(value),
            pinyin_key=sort_key(value)))
    for model, field_name, params in plan.restores:
        table = model.__table__
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {field_name: bindparam("b_value")})
        session.execute(statement, params)
    _reinsert(session, plan)
    for chunk in chunks(plan.enterprises):
        session.execute(delete(Enterprise).where(Enterprise.id.in_(chunk)))
    # the firms that stay were changed: a window opened on one before the undo must not
    # save its older reading over what the undo put back (tiers.services.versions)
    removed = set(plan.enterprises)
    versions.bump_many(session, {entry["enterprise_id"] for entry in plan.log
                                 if entry["enterprise_id"] is not None
                                 and entry["enterprise_id"] not in removed})
    _write_log(session, plan)
    session.execute(update(ImportBatch).where(ImportBatch.id == plan.batch_id)
                    .values(undone_at=plan.now, undone_by=plan.user))
    session.expire_all()


def _reinsert(session: Session, plan: UndoPlan) -> None:
    """Put back the records the batch deleted, under their own ids where still free."""
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for entity, values in plan.reinserts:
        by_entity.setdefault(entity, []).append(values)
    for entity, rows in by_entity.items():
        table = MODELS[entity].__table__
        taken: set[int] = set()
        for chunk in chunks([row["id"] for row in rows]):
            taken.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        for row in rows:
            values = {k: v for k, v in row.items() if not (k == "id" and v in taken)}
            session.execute(insert(table).values(values))


def _write_log(session: Session, plan: UndoPlan) -> None:
    if not plan.log:
        return
    rows = [tuple(entry[column] for column in _LOG_COLUMNS) for entry in plan.log]
    bulk = bulk_writer(session)
    try:
        bulk.insert_rows(Change.__table__, _LOG_COLUMNS, rows,
                         constants={"at": plan.now, "import_batch_id": None})
        bulk.wait()
    finally:
        bulk.close()
