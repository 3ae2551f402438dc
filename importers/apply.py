"""Writing a plan: one transaction (a savepoint inside the caller's), bulk Core statements
(executemany), an import batch, and a Change row for every created record and changed field
so that the batch can be undone."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Numeric, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.plan import CREATE, UPDATE, Plan
from importers.progress import Progress, paused_gc
from tiers.models import (
    AnnualFigures,
    Change,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
    utcnow,
)
from tiers.names import clean_display, name_key
from tiers.pinyin import initials
from tiers.services.audit import current_user, to_json

CHUNK = 5000
MODELS = {"enterprise": Enterprise, "recognition": Recognition,
          "annual_figures": AnnualFigures, "support_measure": SupportMeasure,
          "former_name": FormerName}


@dataclass
class ApplyResult:
    batch_id: int | None  # None when the plan changed nothing (no batch is recorded)
    counts: dict[str, int]
    records: dict[str, int]  # created records by table


def _plain(value: Any) -> Any:
    """As audit.to_json renders it, without a JSON round trip per value."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _snapshot(values: dict[str, Any]) -> str | None:
    kept = {k: _plain(v) for k, v in values.items() if k != "id" and v not in (None, "", False)}
    return json.dumps(kept, ensure_ascii=False)


class _Writer:
    """Collects rows per table and writes them with executemany in chunks."""

    def __init__(self, session: Session, batch_id: int, user: str, now: dt.datetime) -> None:
        self.session = session
        self.batch_id = batch_id
        self.user = user
        self.now = now
        self.changes: list[dict[str, Any]] = []
        self.next_id: dict[str, int] = {}
        self.former_keys: set[tuple[int, str]] = {
            (row[0], row[1]) for row in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key))}

    def allocate(self, entity: str) -> int:
        if entity not in self.next_id:
            model = MODELS[entity]
            self.next_id[entity] = (self.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self.next_id[entity]
        self.next_id[entity] = value + 1
        return value

    def change(self, *, entity: str, entity_id: int, enterprise_id: int | None, action: str,
               field: str = "", old: Any = None, new: Any = None, snapshot: str | None = None
               ) -> None:
        self.changes.append({
            "at": self.now, "user": self.user, "entity": entity, "entity_id": entity_id,
            "enterprise_id": enterprise_id, "action": action, "field": field,
            "old_value": to_json(old), "new_value": snapshot if snapshot is not None else to_json(new),
            "import_batch_id": self.batch_id,
        })

    def insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            _sqlite_insert(connection, model.__table__, rows)
            return
        for start in range(0, len(rows), CHUNK):
            self.session.execute(insert(model.__table__), rows[start:start + CHUNK])

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

    def flush_changes(self) -> None:
        self.insert(Change, self.changes)
        self.changes = []


def _sqlite_value(column_type: Any) -> Any:
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


def _sqlite_insert(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """executemany straight to the driver, inside the session's transaction: SQLAlchemy's
    per-row parameter processing was a third of the apply. Values are converted exactly as
    the dialect would (tested against rows read back through the ORM)."""
    names = list(rows[0])
    converters = [_sqlite_value(table.c[name].type) for name in names]
    quoted = ", ".join(f'"{name}"' for name in names)
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    pairs = list(zip(names, converters, strict=True))
    for start in range(0, len(rows), CHUNK):
        params = [tuple(row[name] if convert is None else convert(row[name])
                        for name, convert in pairs) for row in rows[start:start + CHUNK]]
        connection.exec_driver_sql(statement, params)


def _enterprise_row(values: dict[str, Any], *, enterprise_id: int, batch_id: int,
                    now: dt.datetime) -> dict[str, Any]:
    name = values["name"]
    return {
        "id": enterprise_id, "credit_code": values["credit_code"], "name": name,
        "name_key": name_key(name), "pinyin_initials": initials(name),
        "legacy_code": values.get("legacy_code", ""), "county_code": values.get("county_code"),
        "county_name": values.get("county_name", ""), "town": values.get("town", ""),
        "address": values.get("address", ""), "industry": values.get("industry", ""),
        "main_product": values.get("main_product", ""), "founded_on": values.get("founded_on"),
        "legal_representative": values.get("legal_representative", ""),
        "contact_person": values.get("contact_person", ""),
        "contact_phone": values.get("contact_phone", ""), "size": values.get("size", ""),
        "listing_status": values.get("listing_status", ""), "tags": values.get("tags", ""),
        "notes": values.get("notes", ""), "is_demo": False, "deleted_at": None,
        "created_at": now, "updated_at": now, "import_batch_id": batch_id,
    }


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
    if connection.dialect.name == "sqlite" and len(plan.rows) > 10_000:
        # the default 2 MB page cache thrashes on six indexes of 100k new rows
        connection.exec_driver_sql("PRAGMA cache_size = -131072")
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
        mapping=json.dumps({"columns": plan.mapping_by_header(), "metadata": plan.metadata},
                           ensure_ascii=False, default=str),
        counts=json.dumps(counts), created_at=now, user=user, undone_by="",
    )).inserted_primary_key[0]
    writer = _Writer(session, batch_id, user, now)
    total = len(plan.rows)
    new_enterprises: list[dict[str, Any]] = []
    enterprise_updates: list[tuple[int, dict[str, Any]]] = []
    former_names: list[dict[str, Any]] = []
    records_new: dict[str, list[dict[str, Any]]] = {k: [] for k in _RECORD_DEFAULTS}
    records_updated: dict[str, list[tuple[int, dict[str, Any]]]] = {k: [] for k in _RECORD_DEFAULTS}
    created_count: dict[str, int] = {}

    for done, row in enumerate(plan.rows):
        if done % CHUNK == 0:
            yield Progress("写入", done, total)
        if row.action not in (CREATE, UPDATE):
            continue
        enterprise_id = row.enterprise_id
        if row.action == CREATE and row.create_values is not None:
            enterprise_id = writer.allocate("enterprise")
            record = _enterprise_row(row.create_values, enterprise_id=enterprise_id,
                                     batch_id=batch_id, now=now)
            new_enterprises.append(record)
            writer.change(entity="enterprise", entity_id=enterprise_id,
                          enterprise_id=enterprise_id, action="create",
                          snapshot=_snapshot({k: v for k, v in record.items() if k not in (
                              "created_at", "updated_at", "import_batch_id", "is_demo")}))
            former = row.create_values.get("former_name")
            if former and name_key(former) != record["name_key"]:
                former_names.extend(_former(writer, enterprise_id, former))
        if enterprise_id is None:
            continue
        if row.changes:
            values = {c.field: c.new for c in row.changes}
            if "name" in values:
                values["name_key"] = name_key(values["name"])
                values["pinyin_initials"] = initials(values["name"])
                old_name = next(c.old for c in row.changes if c.field == "name")
                former_names.extend(_former(writer, enterprise_id, old_name))
            values["updated_at"] = now
            enterprise_updates.append((enterprise_id, values))
            for change in row.changes:
                writer.change(entity="enterprise", entity_id=enterprise_id,
                              enterprise_id=enterprise_id, action="update",
                              field=change.field, old=change.old, new=change.new)
        for record in row.records:
            if record.entity == "former_name":
                former_names.extend(_former(writer, enterprise_id, record.values["name"]))
                continue
            if record.action == CREATE:
                record_id = writer.allocate(record.entity)
                full = {**_RECORD_DEFAULTS[record.entity], **record.values,
                        "id": record_id, "enterprise_id": enterprise_id}
                full["import_batch_id"] = batch_id
                records_new[record.entity].append(full)
                writer.change(entity=record.entity, entity_id=record_id,
                              enterprise_id=enterprise_id, action="create",
                              snapshot=_snapshot({k: v for k, v in full.items()
                                                  if k != "import_batch_id"}))
            else:
                records_updated[record.entity].append((record.record_id, dict(record.values)))
                for change in record.changes:
                    writer.change(entity=record.entity, entity_id=record.record_id,
                                  enterprise_id=enterprise_id, action="update",
                                  field=change.field, old=change.old, new=change.new)
    yield Progress("写入", total, total)
    writer.insert(Enterprise, new_enterprises)
    writer.update_many(Enterprise, enterprise_updates)
    unique_former = former_names
    writer.insert(FormerName, unique_former)
    for entity, rows in records_new.items():
        writer.insert(MODELS[entity], rows)
        created_count[entity] = len(rows)
    for entity, updates in records_updated.items():
        writer.update_many(MODELS[entity], updates)
    created_count["enterprise"] = len(new_enterprises)
    created_count["former_name"] = len(unique_former)
    writer.flush_changes()
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        counts=json.dumps({**counts, "records": created_count}, ensure_ascii=False)))
    return ApplyResult(batch_id=batch_id, counts=counts, records=created_count)


def _former(writer: _Writer, enterprise_id: int, name: str) -> list[dict[str, Any]]:
    """The former-name row to insert (none if the enterprise already has that name)."""
    display = clean_display(name)
    key = (enterprise_id, name_key(display))
    if not key[1] or key in writer.former_keys:
        return []
    writer.former_keys.add(key)
    former_id = writer.allocate("former_name")
    writer.change(entity="former_name", entity_id=former_id, enterprise_id=enterprise_id,
                  action="create", new={"name": display})
    return [{"id": former_id, "enterprise_id": enterprise_id, "name": display,
             "name_key": key[1], "pinyin_initials": initials(display)}]


def ids_of(rows: Iterable[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]
