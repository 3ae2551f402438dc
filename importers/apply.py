"""Writing a plan: one transaction (a savepoint inside the caller's), bulk statements
(executemany straight to the SQLite driver), an import batch, and a Change row for every
created record and changed field so that the batch can be undone.

Measured on a 100k-row roster (see benchmarks/import_roster.py), what costs is binding
values and maintaining indexes, so:
- rows are grouped by the set of columns they carry, and each group is inserted with a
  statement naming only those columns; the columns every row of this import shares (the
  batch, the time, the blank text defaults) are written into the statement as literals
  instead of being bound 100k times;
- a created record's Change row says *that* the batch created it (action ``create``, no
  snapshot): the record itself holds the values, and every later change keeps its old
  value, so the snapshot was a third copy. SQLite writes these rows itself, with one
  INSERT … SELECT over the id range the batch allocated;
- when an import adds more rows than a table holds, the table's secondary indexes are
  dropped and built again afterwards (a sort instead of 100k random b-tree inserts), inside
  the same transaction, so a rollback restores them too;
- the INSERTs run on a thread of their own (_Pipeline) with the session's driver
  connection, in order, while the row loop builds the next chunk: SQLite works without
  the GIL, so on a second core the two overlap.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import sqlite3
import sys
import threading
from collections import Counter
from collections.abc import Callable, Generator, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Numeric,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.plan import CREATE, UPDATE, Plan
from tiers.model.names import clean_display, name_key
from tiers.model.orm import (
    AnnualFigures,
    Change,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
    utcnow,
)
from tiers.model.pinyin import initials, sort_key
from tiers.progress import Progress, paused_gc
from tiers.services.audit import current_user, to_json
from tiers.storage.database import checkpoint_afterwards

CHUNK = 5000
FIRST_CHUNK = 500
MODELS = {"enterprise": Enterprise, "recognition": Recognition,
          "annual_figures": AnnualFigures, "support_measure": SupportMeasure,
          "former_name": FormerName}
LARGE_PLAN = 10_000  # rows: a bigger page cache, and the WAL checkpoint afterwards
REBUILD_INDEXES_FROM = 20_000  # rows added to one table before its indexes are rebuilt
_CHANGE_COLUMNS = ('"at", "user", "entity", "entity_id", "enterprise_id", "action", "field", '
                   '"old_value", "new_value", "import_batch_id"')


@dataclass
class ApplyResult:
    batch_id: int | None  # None when the plan changed nothing (no batch is recorded)
    counts: dict[str, int]
    records: dict[str, int]  # created records by table


def _sqlite_value(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite dialect stores a Python value of this column type."""
    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column_type, Numeric):
        return lambda v: None if v is None else float(v)
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return None


def _literal(value: Any) -> str:
    """A constant of this import as SQL text: only numbers and text this module made."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if "'" in text:  # never the case for the constants given; refuse rather than quote
        raise ValueError(f"not a safe literal: {text!r}")
    return f"'{text}'"


class _Table:
    """One table's new rows, grouped by the columns they carry, written with a statement
    per group that binds those columns and fills the rest with this import's constants."""

    def __init__(self, model: Any, constants: dict[str, Any]) -> None:
        table = model.__table__
        self.name = table.name
        self.columns = {column.name for column in table.columns}
        self.convert = {column.name: convert for column in table.columns
                        if (convert := _sqlite_value(column.type)) is not None}
        self.constants = {name: _literal(self.convert[name](value) if name in self.convert
                                         else value)
                          for name, value in constants.items()}
        self.groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.written = 0  # rows handed out by statements()

    def add(self, values: dict[str, Any]) -> None:
        """A new row (its "id" given): the values overlay the constants; keys that are not
        columns are ignored."""
        self.add_with(values, (), (), values["id"])

    def add_with(self, values: dict[str, Any], extra_keys: tuple[str, ...],
                 extra_values: tuple[Any, ...], record_id: int) -> None:
        """add() of the values and the extra columns after them (none of them among the
        values), without merging the two into a new dict first."""
        self.groups.setdefault(tuple(values) + extra_keys, []).append(
            (*values.values(), *extra_values))
        if self.first_id is None:
            self.first_id = record_id
        self.last_id = record_id

    def statements(self) -> Iterable[tuple[str, str, list[tuple[Any, ...]]]]:
        """(INSERT … head, one row's VALUES term, driver rows) per group; the groups are
        emptied."""
        groups, self.groups = self.groups, {}
        for keys, rows in groups.items():
            self.written += len(rows)
            kept = [i for i, key in enumerate(keys) if key in self.columns]
            names = [keys[i] for i in kept]
            if len(kept) < len(keys):
                pick = itemgetter(*kept)
                rows = [pick(row) for row in rows] if len(kept) > 1 else [(r[kept[0]],) for r in rows]
            converters = [(i, self.convert[name]) for i, name in enumerate(names)
                          if name in self.convert]
            if converters:
                table = list(zip(*rows, strict=True))
                for i, convert in converters:
                    table[i] = [convert(v) for v in table[i]]
                rows = list(zip(*table, strict=True))
            literals = {k: v for k, v in self.constants.items() if k not in names}
            quoted = ", ".join(f'"{n}"' for n in (*names, *literals))
            placeholders = ", ".join(("?",) * len(names) + tuple(literals.values()))
            yield f'INSERT INTO "{self.name}" ({quoted})', f"({placeholders})", rows


class _Pipeline:
    """The import's INSERTs, run in order on a thread of their own with the session's
    driver connection (so inside its transaction), while the row loop builds the next
    chunk. SQLite does its part (binding aside) without the GIL, so on a second core the
    b-tree inserts and index builds overlap the loop's Python work. Nothing else may use
    the connection until wait() has returned; close() ends the thread (before a rollback).

    The rows go in multi-row INSERTs (a statement per ~30k bound values): executemany gives
    the GIL back and takes it again for every row, and while the loop runs each of those
    waits out a switch interval. For the same reason the switch interval is shortened while
    the writer runs. Measured (100k rows, 2 cores): executemany on the thread 1.91 s,
    multi-row on the thread 1.47 s, both in the loop's thread 1.77 s."""

    DEPTH = 8  # statements queued before the loop waits for the writer: bounds the memory
    SWITCH_INTERVAL = 0.001  # s; Python's default is 0.005
    MAX_VALUES = 32766  # bound values per statement: SQLite's limit since 3.32 (the driver's
    # own, if lower, wins)

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.values_per_statement = min(
            driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), self.MAX_VALUES)
        self.tasks: queue.Queue[Callable[[Any], None] | None] = queue.Queue(self.DEPTH)
        self.error: BaseException | None = None
        self.cancelled = False
        self.sql: dict[tuple[str, str, int], str] = {}  # one text per statement shape:
        # the driver's statement cache then prepares it once
        _shorter_switch_interval(self.SWITCH_INTERVAL)
        self.thread: threading.Thread | None = threading.Thread(
            target=self._run, name="tiers-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.driver.cursor()
        try:
            while True:
                task = self.tasks.get()
                try:
                    if task is None:
                        return
                    if self.error is None and not self.cancelled:
                        task(cursor)
                except BaseException as exc:  # handed to the loop's thread, raised there
                    self.error = exc
                finally:
                    self.tasks.task_done()
        finally:
            cursor.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def submit(self, task: Callable[[Any], None]) -> None:
        """Run task(cursor) on the writer after what was submitted before."""
        self._raise()
        self.tasks.put(task)

    def insert(self, head: str, row_values: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        per = max(1, self.values_per_statement // max(1, len(rows[0])))  # a row binds its tuple
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            shape = (head, row_values, len(part))
            sql = self.sql.get(shape)
            if sql is None:
                sql = self.sql[shape] = f"{head} VALUES {', '.join([row_values] * len(part))}"
            values = list(chain.from_iterable(part))  # here: the writer's time is the scarcer
            self.submit(lambda cursor, sql=sql, values=values: cursor.execute(sql, values))

    def wait(self) -> None:
        """Until everything submitted has run; raises what failed."""
        self.tasks.join()
        self._raise()

    def close(self) -> None:
        """Skip what is still queued and end the thread (waits for a statement running)."""
        if self.thread is None:
            return
        self.cancelled = True
        self.tasks.put(None)
        self.thread.join()
        self.thread = None
        _shorter_switch_interval(None)


_switch = {"users": 0, "saved": 0.0}
_switch_lock = threading.Lock()


def _shorter_switch_interval(interval: float | None) -> None:
    """Shorten the interpreter's switch interval while any pipeline runs (interval), and
    put the saved one back when the last one ends (None): two imports at once (two
    windows) must not leave it short."""
    with _switch_lock:
        if interval is not None:
            if _switch["users"] == 0:
                _switch["saved"] = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch["saved"], interval))
            _switch["users"] += 1
        else:
            _switch["users"] -= 1
            if _switch["users"] == 0:
                sys.setswitchinterval(_switch["saved"])


class _Writer:
    """Collects rows per table (as driver tuples) and has the pipeline write them."""

    def __init__(self, session: Session, batch_id: int, user: str, now: dt.datetime) -> None:
        self.session = session
        self.connection = session.connection()
        self.batch_id = batch_id
        self.user = user
        self.now = now
        self.now_text = _sqlite_value(DateTime())(now)
        # ids are given here, so that the loop never asks the database while the
        # pipeline's thread has the connection
        self.next_id: dict[str, int] = {
            entity: (session.scalar(select(func.max(model.id))) or 0) + 1
            for entity, model in MODELS.items()}
        self.pipeline: _Pipeline | None = None  # set by _write while it runs
        self.former_keys: set[tuple[int, str]] = {
            (row[0], row[1]) for row in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key))}
        text_blank = {name: "" for name in (
            "legacy_code", "county_name", "town", "address", "industry", "main_product",
            "legal_representative", "contact_person", "contact_phone", "size",
            "listing_status", "tags", "notes", "pinyin_initials", "pinyin_key")}
        self.tables: dict[str, _Table] = {
            "enterprise": _Table(Enterprise, {**text_blank, "is_demo": False,
                                              "created_at": now, "updated_at": now,
                                              "import_batch_id": batch_id}),
            "former_name": _Table(FormerName, {}),
            **{entity: _Table(MODELS[entity], {**defaults, "import_batch_id": batch_id})
               for entity, defaults in _RECORD_DEFAULTS.items()},
        }
        # update and former-name Change rows, in plan order (ids given by SQLite)
        self.changes: list[tuple[Any, ...]] = []

    def allocate(self, entity: str) -> int:
        value = self.next_id[entity]
        self.next_id[entity] = value + 1
        return value

    def change(self, *, entity: str, entity_id: int, enterprise_id: int | None, action: str,
               field: str = "", old: Any = None, new: Any = None) -> None:
        self.changes.append((entity, entity_id, enterprise_id, action, field, to_json(old),
                             to_json(new)))

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> None:
        """One statement, on the pipeline after the rows given before."""
        assert self.pipeline is not None
        self.pipeline.submit(lambda cursor: cursor.execute(statement, params))

    def insert_rows(self, entity: str) -> None:
        """The table's rows collected so far (each table counts what it hands out)."""
        assert self.pipeline is not None
        for head, row_values, rows in self.tables[entity].statements():
            self.pipeline.insert(head, row_values, rows)

    def insert_created_changes(self, entity: str) -> None:
        """The Change rows saying that this batch created the table's new records (the
        enterprises' first, so that an enterprise's history starts at its creation),
        written by SQLite from the records themselves."""
        table = self.tables[entity]
        if table.first_id is None:
            return
        owner = '"id"' if entity == "enterprise" else '"enterprise_id"'
        members = ", ".join(f"'{name}', \"{name}\"" for name in _IDENTITY[entity])
        self.run(
            f'INSERT INTO "change" ({_CHANGE_COLUMNS}) SELECT ?, ?, \'{entity}\', "id", {owner}, '
            f"'create', '', NULL, json_object({members}), ? "
            f'FROM "{table.name}" WHERE "id" BETWEEN ? AND ? AND "import_batch_id" = ? '
            'ORDER BY "id"',
            (self.now_text, self.user, self.batch_id, table.first_id, table.last_id,
             self.batch_id))

    def insert_changes(self) -> None:
        """The updates' and former names' Change rows, in plan order."""
        assert self.pipeline is not None
        self.pipeline.insert(
            f'INSERT INTO "change" ({_CHANGE_COLUMNS})', "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(self.now_text, self.user, *change, self.batch_id) for change in self.changes])
        self.changes = []

    def update_many(self, model: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Updates grouped by the set of fields they touch: one executemany per group."""
        table = model.__table__
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for record_id, values in rows:
            keys = tuple(sorted(values))
            groups.setdefault(keys, []).append(
                {"b_id": record_id, **{f"b_{k}": v for k, v in values.items()}})
        for keys, params in groups.items():
            statement = update(table).where(table.c.id == bindparam("b_id")).values(
                {k: bindparam(f"b_{k}") for k in keys})
            for start in range(0, len(params), CHUNK):
                self.session.execute(statement, params[start:start + CHUNK])


class _IndexRebuild:
    """Drops a table's secondary indexes before a bulk insert that outnumbers its rows,
    and builds them again after (same transaction: a rollback brings them back)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dropped: list[tuple[str, str]] = []  # (table, CREATE INDEX …)

    def drop(self, table: str, adding: int) -> None:
        if adding < REBUILD_INDEXES_FROM:
            return
        existing = self.connection.exec_driver_sql(
            f'SELECT count(*) FROM "{table}"').scalar() or 0
        if adding < existing:
            return
        for name, sql in self.connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL", (table,)).all():
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
            self.dropped.append((table, sql))

    def rebuild(self, writer: _Writer, table: str | None = None) -> None:
        """Build the dropped indexes again (of one table, or all), on the pipeline."""
        kept = []
        for of_table, sql in self.dropped:
            if table is None or of_table == table:
                writer.run(sql)
            else:
                kept.append((of_table, sql))
        self.dropped = kept


# what a created record's Change row keeps of it: enough to say which record it was (its
# 变更记录 line, also after the record is gone); the values themselves are in the record
_IDENTITY = {"enterprise": ("name", "credit_code"), "annual_figures": ("year",),
             "recognition": ("tier_code", "level", "batch_label", "batch_year"),
             "support_measure": ("kind", "name", "year")}

# the columns apply adds to a planned new enterprise / record (after the planned values)
_NEW_ENTERPRISE = ("id", "pinyin_initials", "pinyin_key")
_NEW_RECORD = ("id", "enterprise_id")

_RECORD_DEFAULTS = {
    "recognition": {"issuer": "", "batch_label": "", "batch_year": None, "is_review": False,
                    "review_of_batch": "", "document_number": "", "recognized_on": None,
                    "valid_until": None, "revoked_on": None, "revoke_reason": "",
                    "chain_code": None, "rule_set": "", "note": ""},
    "annual_figures": {k: None for k in (
        "revenue", "main_revenue", "net_profit", "rd_expense", "employees", "rd_staff",
        "total_assets", "total_liabilities", "ip_class1", "ip_class2", "niche_years",
        "market_share", "equity_financing")} | {"note": ""},
    "support_measure": {"name": "", "amount": None, "paid_on": None, "year": None,
                        "implementer": "", "implementer_level": "", "policy_basis": "",
                        "status": "已兑现", "note": ""},
}


def apply_plan(session: Session, plan: Plan, *, user: str | None = None
               ) -> Generator[Progress, None, ApplyResult]:
    """Write the plan's create and update rows; all or nothing. Yields Progress; returns an
    ApplyResult. Closing the generator before the end (cancel) rolls everything back.
    Raises ImportRefused if the database changed since the plan was built."""
    counts = plan.counts()
    if not plan.writes:
        yield Progress("写入", 1, 1)
        return ApplyResult(batch_id=None, counts=counts, records={})
    session.flush()
    snapshot = (session.scalar(select(func.max(Change.id))) or 0,
                session.scalar(select(func.max(Enterprise.id))) or 0)
    if snapshot != plan.snapshot:
        raise ImportRefused("生成预览之后数据库已有变化（可能有人刚修改或导入了数据），请重新生成预览后再导入。")
    user = current_user() if user is None else user
    now = utcnow()
    connection = session.connection()
    large = len(plan.rows) > LARGE_PLAN
    if large:
        # the default 2 MB page cache thrashes on six indexes of 100k new rows
        connection.exec_driver_sql("PRAGMA cache_size = -131072")
    with checkpoint_afterwards(connection) if large else nullcontext():
        savepoint = session.begin_nested()
        try:
            with paused_gc():
                result = yield from _write(session, plan, user=user, now=now, counts=counts)
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        savepoint.commit()
    return result


def _write(session: Session, plan: Plan, *, user: str, now: dt.datetime,
           counts: dict[str, int]) -> Generator[Progress, None, ApplyResult]:
    batch_id = session.execute(insert(ImportBatch).values(
        file_name=plan.file_name, sha256=plan.sha256, sheet=plan.sheet, kind=plan.kind,
        mapping=json.dumps({"columns": plan.mapping_by_header(), "metadata": _metadata(plan)},
                           ensure_ascii=False, default=str),
        counts=json.dumps(counts), created_at=now, user=user, undone_by="",
    )).inserted_primary_key[0]
    writer = _Writer(session, batch_id, user, now)
    indexes = _IndexRebuild(writer.connection)
    adding = _created_counts(plan)
    for entity, count in adding.items():
        indexes.drop(MODELS[entity].__tablename__, count)
    indexes.drop("change", sum(adding.values()))
    writer.pipeline = _Pipeline(writer.connection.connection.dbapi_connection)
    try:
        # two passes over the rows: the enterprises, then the records hanging off them, so
        # that the enterprises' Change rows and indexes are written while the loop builds
        # the records
        enterprise_ids: list[int | None] = []
        enterprise_updates = yield from _write_enterprises(writer, plan, enterprise_ids)
        writer.insert_created_changes("enterprise")
        indexes.rebuild(writer, "enterprise")
        records_updated = yield from _write_records(writer, plan, enterprise_ids)
        yield Progress("写入", 2 * len(plan.rows), 2 * len(plan.rows))
        for entity in _RECORD_DEFAULTS:
            writer.insert_created_changes(entity)
        writer.pipeline.wait()
        # updates through SQLAlchemy, in this thread: the pipeline is idle meanwhile
        writer.update_many(Enterprise, enterprise_updates)
        for entity, updates in records_updated.items():
            writer.update_many(MODELS[entity], updates)
        writer.insert_changes()
        indexes.rebuild(writer)
        writer.pipeline.wait()
    finally:
        writer.pipeline.close()
    created = {entity: table.written for entity, table in writer.tables.items()}
    ordered = {entity: created[entity] for entity in (*_RECORD_DEFAULTS, "enterprise",
                                                      "former_name")}
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        counts=json.dumps({**counts, "records": ordered}, ensure_ascii=False)))
    return ApplyResult(batch_id=batch_id, counts=counts, records=ordered)


def _write_enterprises(writer: _Writer, plan: Plan, enterprise_ids: list[int | None]
                       ) -> Generator[Progress, None, list[tuple[int, dict[str, Any]]]]:
    """The first pass: new enterprises, enterprise updates (returned) and former names.
    Appends each row's enterprise id (None: the row writes nothing) to enterprise_ids."""
    enterprises = writer.tables["enterprise"]
    total = 2 * len(plan.rows)
    updates: list[tuple[int, dict[str, Any]]] = []
    for done, row in enumerate(plan.rows):
        if done % CHUNK == 0 or done == FIRST_CHUNK:
            # written as we go, so the rows built here never pile up for the whole file
            # (and a small chunk first, so that the writer starts soon)
            writer.insert_rows("enterprise")
            writer.insert_rows("former_name")
            yield Progress("写入", done, total)
        enterprise_id = row.enterprise_id if row.action in (CREATE, UPDATE) else None
        if row.action == CREATE and row.create_values is not None:
            enterprise_id = writer.allocate("enterprise")
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


def _write_records(writer: _Writer, plan: Plan, enterprise_ids: list[int | None]
                   ) -> Generator[Progress, None, dict[str, list[tuple[int, dict[str, Any]]]]]:
    """The second pass: each row's records (created, or their updates returned)."""
    total = 2 * len(plan.rows)
    updated: dict[str, list[tuple[int, dict[str, Any]]]] = {k: [] for k in _RECORD_DEFAULTS}
    for done, (row, enterprise_id) in enumerate(zip(plan.rows, enterprise_ids, strict=True)):
        if done % CHUNK == 0:
            for entity in ("former_name", *_RECORD_DEFAULTS):
                writer.insert_rows(entity)
            yield Progress("写入", len(plan.rows) + done, total)
        if enterprise_id is None:
            continue
        for record in row.records:
            if record.entity == "former_name":
                _former(writer, enterprise_id, record.values["name"])
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
    for entity in ("former_name", *_RECORD_DEFAULTS):
        writer.insert_rows(entity)
    return updated


def _metadata(plan: Plan) -> dict[str, Any]:
    """The list's metadata as the batch records it, with the user's links (指定关联)."""
    if not plan.links:
        return plan.metadata
    return {**plan.metadata, "links": {
        str(row): {"enterprise_id": link.enterprise_id, "remember_name": link.remember_name,
                   "name": link.name}
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


def _former(writer: _Writer, enterprise_id: int, name: str) -> None:
    """Add the former-name row (none if the enterprise already has that name)."""
    display = clean_display(name)
    key = (enterprise_id, name_key(display))
    if not key[1] or key in writer.former_keys:
        return
    writer.former_keys.add(key)
    former_id = writer.allocate("former_name")
    writer.change(entity="former_name", entity_id=former_id, enterprise_id=enterprise_id,
                  action="create", new={"name": display})
    writer.tables["former_name"].add({"id": former_id, "enterprise_id": enterprise_id,
                                      "name": display, "name_key": key[1],
                                      "pinyin_initials": initials(display)})


def ids_of(rows: Iterable[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]
