"""Writing a plan: one transaction (a savepoint inside the caller's), an import batch, the
plan's rows handed to the bulk writer of the database engine (tiers.storage.bulk), and a
Change row for every created record and changed field so that the batch can be undone.

This module only turns the plan into rows (collected per table in apply_rows.py); how they
reach the database fast is the bulk writer's business. What it does here for speed (measured on a 100k-row roster, see
benchmarks/import_roster.py):
- new rows are grouped by the set of columns they carry, and the columns every row of this
  import shares (the batch, the time, the blank text defaults) are given as constants, so
  that they need not be bound 100k times;
- a created record's Change row says *that* the batch created it (action ``create``, no
  snapshot): the record itself holds the values, and every later change keeps its old
  value, so the snapshot was a third copy. The database writes these rows itself from the
  records (BulkWriter.record_creations);
- ids are given here, and rows are handed over in chunks while the loop goes on, so that the
  writer (a thread of its own on SQLite) works while the loop builds the next chunk.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from importers.apply_rows import CHUNK, MODELS, RECORD_DEFAULTS, RowWriter
from importers.errors import ImportRefused
from importers.plan import CREATE, UPDATE, Plan, replan
from importers.plan.known import snapshot
from tiers.errors import Conflict, Kind
from tiers.model.names import clean_display, name_key
from tiers.model.orm import Change, Enterprise, FormerName, ImportBatch, utcnow
from tiers.model.pinyin import initials, sort_key
from tiers.progress import Progress, paused_gc
from tiers.services import versions
from tiers.services.audit import current_user
from tiers.services.unit import TAKEN_IN
from tiers.storage.bulk import bulk_writer, prepared_for_bulk
from tiers.storage.import_locks import hold_county_locks, others_write_meanwhile
from tiers.storage.locking import write_lock

FIRST_CHUNK = 500


class PlanOutdated(ImportRefused, Conflict):
    """The database changed between the plan and its writing (another import, an undo, an
    edit in the client): nothing was written; a new preview shows the data as it is now.
    Refused as a whole, like any import refusal, and of the kind Conflict."""

    kind = Kind.CONFLICT


@dataclass
class ApplyResult:
    batch_id: int | None  # None when the plan changed nothing (no batch is recorded)
    counts: dict[str, int]
    records: dict[str, int]  # created records by table


# the columns apply adds to a planned new enterprise / record (after the planned values)
_NEW_ENTERPRISE = ("id", "pinyin_initials", "pinyin_key")
_NEW_RECORD = ("id", "enterprise_id")


def apply_plan(session: Session, plan: Plan, *, user: str | None = None
               ) -> Generator[Progress, None, ApplyResult]:
    """Write the plan's create and update rows; all or nothing. Yields Progress; returns an
    ApplyResult. Closing the generator before the end (cancel) rolls everything back.
    Raises PlanOutdated (nothing written) if the database changed since the plan was built,
    DatabaseBusy if another program kept the write lock beyond the busy timeout."""
    counts = plan.counts()
    if not plan.writes:
        yield Progress("写入", 1, 1)
        return ApplyResult(batch_id=None, counts=counts, records={})
    session.flush()
    user = current_user() if user is None else user
    now = utcnow()
    savepoint = session.begin_nested()
    try:
        # the check and the writes under one lock: a writer landing between them would be
        # overwritten with the plan's stale values (and its batch undone with them). The
        # lock is taken inside the savepoint: started outside a transaction, the savepoint
        # is SQLite's transaction itself; nested in one (BEGIN IMMEDIATE first) every page
        # it touches is copied to a sub-journal (measured: apply of 30k rows 0.42 → 0.50 s)
        write_lock(session)
        # on a server: one import per county at a time (the next one waits here, saying so)
        yield from hold_county_locks(session, plan.counties)
        if snapshot(session) != plan.snapshot:
            raise PlanOutdated(_OUTDATED)
        meanwhile = others_write_meanwhile(session)
        edits_before = _changes_in(session, plan.counties, None) if meanwhile else 0
        with prepared_for_bulk(session, rows=len(plan.rows)):
            with paused_gc():
                result = yield from _write(session, plan, user=user, now=now, counts=counts)
            if meanwhile and _changes_in(session, plan.counties, result.batch_id) != edits_before:
                # an officer's edit of a firm in these counties committed while the rows
                # went in: the plan's values may have been written over it, so none are
                raise PlanOutdated(_OUTDATED)
            savepoint.commit()
    except Conflict as exc:  # the bulk writer met a firm written meanwhile
        if savepoint.is_active:
            savepoint.rollback()
        if isinstance(exc, PlanOutdated):
            raise
        raise PlanOutdated(str(exc)) from exc
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    return result


_OUTDATED = "生成预览之后数据库已有变化（可能有人刚修改或导入了数据），请重新生成预览后再导入。"


def _changes_in(session: Session, counties: frozenset[str | None], batch_id: int | None
                ) -> int:
    """How many changes are logged of the firms in these counties, this batch's left out
    (on a server: other imports into them wait for their locks, officers' edits do not)."""
    in_counties = Enterprise.county_code.in_([c for c in counties if c is not None])
    if None in counties:
        in_counties = or_(in_counties, Enterprise.county_code.is_(None))
    statement = select(func.count(Change.id)).join(
        Enterprise, Enterprise.id == Change.enterprise_id).where(in_counties)
    if batch_id is not None:
        statement = statement.where(Change.import_batch_id.is_distinct_from(batch_id))
    return session.scalar(statement) or 0


def _write(session: Session, plan: Plan, *, user: str, now: dt.datetime,
           counts: dict[str, int]) -> Generator[Progress, None, ApplyResult]:
    batch_id = session.execute(insert(ImportBatch).values(
        file_name=plan.file_name, sha256=plan.sha256, sheet=plan.sheet, kind=plan.kind,
        mapping=json.dumps({"columns": plan.mapping_by_header(), "metadata": _metadata(plan)},
                           ensure_ascii=False, default=str),
        counts=json.dumps(counts), created_at=now, user=user, undone_by="",
    )).inserted_primary_key[0]
    bulk = bulk_writer(session)
    try:
        adding = _created_counts(plan)
        writer = RowWriter(session, bulk, batch_id, user, now, adding=adding)
        for entity, count in adding.items():
            bulk.drop_secondary_indexes(MODELS[entity].__table__, adding=count)
        bulk.drop_secondary_indexes(Change.__table__, adding=sum(adding.values()))
        # two passes over the rows: the enterprises, then the records hanging off them, so
        # that the enterprises' Change rows and indexes are written while the loop builds
        # the records
        enterprise_ids: list[int | None] = []
        enterprise_updates = yield from _write_enterprises(writer, plan, enterprise_ids)
        writer.insert_created_changes("enterprise")
        bulk.rebuild_secondary_indexes(Enterprise.__table__)
        records_updated = yield from _write_records(writer, plan, enterprise_ids)
        yield Progress("写入", 2 * len(plan.rows), 2 * len(plan.rows))
        for entity in RECORD_DEFAULTS:
            writer.insert_created_changes(entity)
        bulk.wait()
        # updates through SQLAlchemy, in this thread: the bulk writer is idle meanwhile
        writer.update_many(Enterprise, enterprise_updates)
        writer.update_many(FormerName, writer.alias_updates)
        for entity, updates in records_updated.items():
            writer.update_many(MODELS[entity], updates)
        writer.insert_changes()
        bulk.rebuild_secondary_indexes()
        bulk.wait()
    finally:
        bulk.close()
    # the firms that existed before and were changed: a window opened on one before the
    # import must not save its older reading over the import (tiers.services.versions);
    # new firms start at version 1 and nobody can have read them before
    versions.bump_many(session, {row.enterprise_id for row in plan.rows
                                 if row.enterprise_id is not None
                                 and (row.changes or row.records)})
    created = {entity: table.written for entity, table in writer.tables.items()}
    ordered = {entity: created[entity] for entity in (*RECORD_DEFAULTS, "enterprise",
                                                      "former_name")}
    # what the next import of this file needs to reuse this plan (None: not certain)
    again = replan.record(session, plan, enterprise_ids, batch_id)
    # the firms the officer took in (一并导入这些行): the unit's for the lists to come
    # (tiers.services.unit.taken_in), until this import is undone
    taken = sorted({enterprise_id for row, enterprise_id in zip(plan.rows, enterprise_ids,
                                                                strict=True)
                    if enterprise_id is not None and row.row in plan.taken_in_rows})
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        counts=json.dumps({**counts, "records": ordered, **({"replan": again} if again else {}),
                           **({TAKEN_IN: taken} if taken else {})},
                          ensure_ascii=False)))
    return ApplyResult(batch_id=batch_id, counts=counts, records=ordered)


def _write_enterprises(writer: RowWriter, plan: Plan, enterprise_ids: list[int | None]
                       ) -> Generator[Progress, None, list[tuple[int, dict[str, Any]]]]:
    """The first pass: new enterprises, enterprise updates (returned) and former names.
    Appends each row's enterprise id (None: the row writes nothing) to enterprise_ids."""
    enterprises = writer.tables["enterprise"]
    total = 2 * len(plan.rows)
    updates: list[tuple[int, dict[str, Any]]] = []
    created: dict[int, int] = {}  # Excel row → the firm it created (for later rows of it)
    for done, row in enumerate(plan.rows):
        if done % CHUNK == 0 or done == FIRST_CHUNK:
            # written as we go, so the rows built here never pile up for the whole file
            # (and a small chunk first, so that the writer starts soon)
            writer.insert_rows("enterprise")
            writer.insert_rows("former_name")
            yield Progress("写入", done, total)
        enterprise_id = row.enterprise_id if row.action in (CREATE, UPDATE) else None
        if row.created_by is not None and row.action == UPDATE:
            enterprise_id = created[row.created_by]  # a new firm an earlier row creates
        if row.action == CREATE and row.create_values is not None:
            enterprise_id = created[row.row] = writer.allocate("enterprise")
            values = row.create_values
            name = values["name"]
            key = values.get("name_key")
            if key is None:  # the plan keys every name it matches: rare
                key = name_key(name)
                values = {**values, "name_key": key}
            enterprises.add_with(values, _NEW_ENTERPRISE,
                                 (enterprise_id, initials(name), sort_key(name)), enterprise_id)
            former = values.get("former_name")
            if former and name_key(former) != key:
                _former(writer, enterprise_id, former)
        enterprise_ids.append(enterprise_id)
        if enterprise_id is None or not row.changes:
            continue
        values = {c.field: c.new for c in row.changes}
        if "name" in values:
            values["name_key"] = name_key(values["name"])
            values["pinyin_initials"] = initials(values["name"])
            values["pinyin_key"] = sort_key(values["name"])
            old_name = next(c.old for c in row.changes if c.field == "name")
            _former(writer, enterprise_id, old_name)
        values["updated_at"] = writer.now
        updates.append((enterprise_id, values))
        for change in row.changes:
            writer.change(entity="enterprise", entity_id=enterprise_id,
                          enterprise_id=enterprise_id, action="update",
                          field=change.field, old=change.old, new=change.new)
    writer.insert_rows("enterprise")
    writer.insert_rows("former_name")
    return updates


def _write_records(writer: RowWriter, plan: Plan, enterprise_ids: list[int | None]
                   ) -> Generator[Progress, None, dict[str, list[tuple[int, dict[str, Any]]]]]:
    """The second pass: each row's records (created, or their updates returned)."""
    total = 2 * len(plan.rows)
    updated: dict[str, list[tuple[int, dict[str, Any]]]] = {k: [] for k in RECORD_DEFAULTS}
    for done, (row, enterprise_id) in enumerate(zip(plan.rows, enterprise_ids, strict=True)):
        if done % CHUNK == 0:
            for entity in ("former_name", *RECORD_DEFAULTS):
                writer.insert_rows(entity)
            yield Progress("写入", len(plan.rows) + done, total)
        if enterprise_id is None:
            continue
        for record in row.records:
            if record.entity == "former_name":
                _former(writer, enterprise_id, record.values["name"],
                        alias=record.values.get("is_alias", False))
                continue
            if record.action == CREATE:
                record_id = writer.allocate(record.entity)
                writer.tables[record.entity].add_with(
                    record.values, _NEW_RECORD, (record_id, enterprise_id), record_id)
            else:
                updated[record.entity].append((record.record_id, dict(record.values)))
                for change in record.changes:
                    writer.change(entity=record.entity, entity_id=record.record_id,
                                  enterprise_id=enterprise_id, action="update",
                                  field=change.field, old=change.old, new=change.new)
    for entity in ("former_name", *RECORD_DEFAULTS):
        writer.insert_rows(entity)
    return updated


def _metadata(plan: Plan) -> dict[str, Any]:
    """The list's metadata as the batch records it, with the user's links (指定关联)."""
    if not plan.links:
        return plan.metadata
    return {**plan.metadata, "links": {
        str(row): {"enterprise_id": link.enterprise_id, "remember_name": link.remember_name,
                   "name": link.name,
                   # taken from the plan's 按简称匹配 (采用简称匹配), not picked by hand
                   **({"short_name": True} if link.short_name else {})}
        for row, link in sorted(plan.links.items())}}


def _created_counts(plan: Plan) -> dict[str, int]:
    """How many rows the plan adds to each table (to decide on rebuilding indexes)."""
    writing = [row for row in plan.rows if row.action in _WRITES]
    counts = dict.fromkeys(MODELS, 0)
    counts["enterprise"] = sum(1 for row in writing
                               if row.action == CREATE and row.create_values is not None)
    counts.update(Counter(record.entity for row in writing for record in row.records
                          if record.action == CREATE))
    return counts


_WRITES = frozenset((CREATE, UPDATE))


def _former(writer: RowWriter, enterprise_id: int, name: str, *, alias: bool = False) -> None:
    """Add the former-name row (none if the enterprise already has that name); ``alias``:
    a name kept for matching only (FormerName.is_alias)."""
    display = clean_display(name)
    key = (enterprise_id, name_key(display))
    if not key[1]:
        return
    if key in writer.former_keys:
        former_id = None if alias else writer.aliases.pop(key, None)
        if former_id is not None:  # remembered for matching only, now really borne
            writer.alias_updates.append((former_id, {"is_alias": False}))
            writer.change(entity="former_name", entity_id=former_id,
                          enterprise_id=enterprise_id, action="update", field="is_alias",
                          old=True, new=False)
        return
    writer.former_keys.add(key)
    former_id = writer.allocate("former_name")
    writer.change(entity="former_name", entity_id=former_id, enterprise_id=enterprise_id,
                  action="create",
                  new={"name": display, **({"is_alias": True} if alias else {})})
    writer.tables["former_name"].add({"id": former_id, "enterprise_id": enterprise_id,
                                      "name": display, "name_key": key[1],
                                      "pinyin_initials": initials(display),
                                      "is_alias": alias})

