"""Applying an undo plan: one pass of deletes and updates in the caller's transaction, the
undo's own Change rows, and the batch marked undone."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session

from importers.undo.history import chunks
from importers.undo.plan import MODELS, UndoPlan
from tiers.model.names import name_key
from tiers.model.orm import Change, Enterprise, FormerName, ImportBatch
from tiers.model.pinyin import initials, sort_key
from tiers.storage.locking import write_lock

LOG_ROWS_PER_STATEMENT = 5000


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
    for chunk in chunks(plan.enterprises):
        session.execute(delete(Enterprise).where(Enterprise.id.in_(chunk)))
    for start in range(0, len(plan.log), LOG_ROWS_PER_STATEMENT):
        session.execute(Change.__table__.insert(), plan.log[start:start + LOG_ROWS_PER_STATEMENT])
    session.execute(update(ImportBatch).where(ImportBatch.id == plan.batch_id)
                    .values(undone_at=plan.now, undone_by=plan.user))
    session.expire_all()
