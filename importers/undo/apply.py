"""Applying an undo plan: one pass of deletes and updates in the caller's transaction, the
undo's own Change rows, and the batch marked undone.

The batch's rows go by batch, one DELETE per table (``import_batch_id = ?``, less what
stays), and the log of the removed firms is one INSERT … SELECT from the firms themselves:
deleting 100k firms by 900-id chunks and a JSON row built in Python for each took 1.8 s of
a 4.5 s undo (100k-row roster)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, literal, null, select, update
from sqlalchemy.orm import Session

from importers.undo.history import chunks, id_list
from importers.undo.types import MODELS, UndoPlan
from tiers.model.names import name_key
from tiers.model.orm import Change, Enterprise, FormerName, ImportBatch
from tiers.services import versions
from tiers.storage.bulk import bulk_writer
from tiers.storage.dialect import json_quoted
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
    _log_removed_firms(session, plan)  # read from the firms before they go
    for entity in plan.records:
        table = MODELS[entity].__table__
        session.execute(delete(table).where(
            table.c.import_batch_id == plan.batch_id,
            table.c.id.not_in(id_list(plan.spared_records.get(entity, [])))))
    for chunk in chunks([former for former, _firm in plan.former_names]):
        session.execute(delete(FormerName).where(FormerName.id.in_(chunk)))
    _put_names_back(session, plan.renames)
    for model, field_name, params in plan.restores:
        table = model.__table__
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {field_name: bindparam("b_value")})
        session.execute(statement, params)
    for chunk in chunks(plan.untrash):
        session.execute(update(Enterprise).where(Enterprise.id.in_(chunk))
                        .values(deleted_at=None))
    _reinsert(session, plan)
    if plan.enterprises:
        session.execute(delete(Enterprise.__table__).where(*_removed_firms(plan)))
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


def _put_names_back(session: Session, renames: list[tuple[int, str]]) -> None:
    """The keys of the names put back (their values are among the restores)."""
    if not renames:
        return
    # pypinyin's dictionaries take a second to load: only for an undo that renames
    from tiers.model.pinyin import initials, sort_key

    for entity_id, value in renames:
        session.execute(update(Enterprise).where(Enterprise.id == entity_id).values(
            name_key=name_key(value), pinyin_initials=initials(value),
            pinyin_key=sort_key(value)))


def _removed_firms(plan: UndoPlan) -> tuple:
    """The WHERE of the firms the plan removes: the batch's, less those that stay."""
    table = Enterprise.__table__
    return (table.c.import_batch_id == plan.batch_id,
            table.c.id.not_in(id_list(plan.spared_firms)))


def _log_removed_firms(session: Session, plan: UndoPlan) -> None:
    """One Change row per removed firm, its name and code in the old value as
    ``tiers.services.audit.to_json`` writes such a dict."""
    if not plan.enterprises:
        return
    table = Enterprise.__table__
    old_value = (literal('{"name": ') + json_quoted(table.c.name) + ', "credit_code": '
                 + json_quoted(table.c.credit_code) + f', "undo_of_batch": {plan.batch_id}}}')
    rows = (select(literal(plan.now), literal(plan.user), literal("enterprise"), table.c.id,
                   table.c.id, literal("delete"), literal(""), old_value, null(), null())
            .where(*_removed_firms(plan)).order_by(table.c.id))
    log = Change.__table__
    session.execute(insert(log).from_select(
        ["at", "user", "entity", "entity_id", "enterprise_id", "action", "field",
         "old_value", "new_value", "import_batch_id"], rows))


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
