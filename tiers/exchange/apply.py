"""Importing a package: planned and written under the write lock in one transaction (a
savepoint inside the caller's), recorded as an import batch of kind ``package`` with the
package and its counties, every created record, changed field and deleted record in the
change log, so that ``tiers undo-import`` takes the whole package back.

New rows go through the bulk writer of the database engine (tiers.storage.bulk), as the
importers' do; updates and deletions are grouped executemany statements."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.orm import Session

from tiers.errors import Conflict
from tiers.exchange.deletions import deletion_lines
from tiers.exchange.format import BATCH_KIND, ENTERPRISES, RECORD_TABLES, TableSpec
from tiers.exchange.plan import (
    CHUNK,
    PackagePlan,
    RecordUpdate,
    own_counties,
    plan_package,
    refuse_unless_admin,
)
from tiers.exchange.reader import Package
from tiers.exchange.updates import update_words
from tiers.model.names import name_key, name_keys
from tiers.model.orm import (
    Change,
    Enterprise,
    ExchangePackage,
    ExchangePackageCounty,
    ImportBatch,
    utcnow,
)
from tiers.model.pinyin import initials, initials_of, sort_key, sort_keys
from tiers.progress import Progress, paused_gc
from tiers.services import versions
from tiers.services.audit import current_user, from_json, to_json
from tiers.storage.bulk import BulkWriter, bulk_writer, prepared_for_bulk
from tiers.storage.import_locks import hold_county_locks, others_write_meanwhile
from tiers.storage.locking import MET_ON_SERVER, DatabaseBusy, write_lock

_FIRMS_AT_A_TIME = 10_000  # new firms whose keys are made before the writer gets them
_CHANGE_FIELDS = ("user", "entity", "entity_id", "enterprise_id", "action", "field",
                  "old_value", "new_value")
# what a created record's Change row keeps of it (its line in the history)
_IDENTITY = {"enterprise": ("name", "credit_code"), "annual_figures": ("year",),
             "recognition": ("tier_code", "level", "batch_label", "batch_year"),
             "support_measure": ("kind", "name", "year"), "chain_role": ("chain_code", "role"),
             "cultivation_entry": ("target_tier", "target_year")}


class PackagePreviewOutdated(Conflict):
    """The database changed between the preview and the import: nothing was written."""


@dataclass
class PackageResult:
    file: str
    source_unit: str
    counties: list[dict[str, str]]
    package_date: dt.datetime
    created: dict[str, int]
    updated: dict[str, int]
    deleted: dict[str, int]
    unchanged: dict[str, int]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None
    problems: list[str] = field(default_factory=list)
    deleted_firms: list[str] = field(default_factory=list)  # names, for the preview
    deleted_records: list[str] = field(default_factory=list)  # the preview's, in words
    # the preview's: the values the package changes, in words (the first SHOWN; the city's
    # own edits it overwrites first), how many in all, and how many of them the city's
    updated_values: list[str] = field(default_factory=list)
    values_updated: int = 0
    city_edits_overwritten: int = 0
    previewed: bool = False  # made by preview_package (the three above are its alone)

    @property
    def records_deleted(self) -> int:
        """The records (not firms: those go to the recycle bin) the import deletes."""
        return sum(count for table, count in self.deleted.items() if table != ENTERPRISES.name)

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "source_unit": self.source_unit, "counties": self.counties,
                "package_date": self.package_date.isoformat(), "created": self.created,
                "updated": self.updated, "deleted": self.deleted, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "batch_id": self.batch_id,
                "problems": self.problems,
                # a preview's (an import does not make them: absent, rather than empty)
                **({"updated_values": self.updated_values,
                    "values_updated": self.values_updated,
                    "city_edits_overwritten": self.city_edits_overwritten}
                   if self.previewed else {})}


def result_of(plan: PackagePlan, batch_id: int | None) -> PackageResult:
    package = plan.package
    return PackageResult(
        file=package.file_name, source_unit=package.source_unit, counties=package.counties,
        package_date=package.package_date, created=plan.counts("created"),
        updated=plan.counts("updated"), deleted=plan.counts("deleted"),
        unchanged=plan.counts("unchanged"), conflicts=plan.conflicts, batch_id=batch_id,
        problems=plan.problems, deleted_firms=[name for _, name, _ in plan.firm_deletions])


def preview_package(session: Session, package: Package) -> PackageResult:
    """What importing would do; nothing is written."""
    with paused_gc():
        plan = plan_package(session, package)
        result = result_of(plan, None)
    result.deleted_records = deletion_lines(session, plan.record_deletions)
    words = update_words(session, plan)
    result.updated_values = words.lines
    result.values_updated, result.city_edits_overwritten = words.total, words.city_edited
    result.previewed = True
    return result


def import_package(session: Session, package: Package, *, user: str | None = None,
                   expected: dict[str, Any] | None = None
                   ) -> Generator[Progress, None, PackageResult]:
    """Import the package in the caller's transaction; all or nothing. ``expected``: the
    preview's summary (PackagePlan.summary) the user agreed to; if the plan made now under
    the lock differs, PackagePreviewOutdated and nothing is written."""
    session.flush()
    user = current_user() if user is None else user
    savepoint = session.begin_nested()
    try:
        write_lock(session)
        yield from hold_county_locks(session, {c or None for c in package.county_codes})
        if others_write_meanwhile(session):
            # an officer's save takes no county lock: committed between the plan and the
            # writes, the change log would keep the value the plan read as the one replaced
            # (and an undo would put that back over the officer's); this makes it wait. Only
            # the counties this package replaces, and only for an import that may go on
            refuse_unless_admin(session)
            versions.hold_counties(session, own_counties(session, package, []))
        yield Progress("比对数据包", 0, 1)
        with paused_gc():  # a few objects per row over a heap of the package's values
            plan = plan_package(session, package)
            if others_write_meanwhile(session):
                plan = _planned_holding(session, package, plan)
        if expected is not None and _summary(plan) != expected:
            raise PackagePreviewOutdated("生成预览之后数据库已有变化（可能有人刚修改或导入了数据），"
                                         "请重新预览后再导入。")
        batch_id = None
        if plan.writes:
            rows = sum(sum(plan.counts(what).values()) for what in ("created", "updated"))
            with prepared_for_bulk(session, rows=rows), paused_gc():
                batch_id = yield from _write(session, plan, user=user, now=utcnow())
        savepoint.commit()
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    return result_of(plan, batch_id)


def _planned_holding(session: Session, package: Package, plan: PackagePlan) -> PackagePlan:
    """The plan once every firm it writes is locked. The county locks hold the counties'
    firms, not one entered here under another county (or none) that the package matches by
    its credit code: a save of it committed after the plan read it would be logged with the
    value the plan read, and an undo would put that back. Such firms (few, and rare) are
    locked by id and the plan is made again, until it writes no other."""
    held: set[int] = set()
    for _ in range(5):
        beyond = versions.hold_beyond_counties(session, plan.firms_written() - held, plan.scope)
        if not beyond:
            return plan
        held |= beyond
        plan = plan_package(session, package)
    # each new plan wrote other firms again: colleagues are changing them right now
    raise DatabaseBusy(MET_ON_SERVER)


def _summary(plan: PackagePlan) -> dict[str, Any]:
    return {**plan.summary(), "conflicts": len(plan.conflicts)}


def preview_summary(result: PackageResult) -> dict[str, Any]:
    """The summary of a preview, as import_package's ``expected`` takes it."""
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted,
            "unchanged": result.unchanged, "conflicts": len(result.conflicts)}


class _Log:
    """The batch's Change rows for updates, soft deletions, deletions and former names."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.rows: list[tuple[Any, ...]] = []

    def add(self, entity: str, entity_id: int, enterprise_id: int, action: str,
            field_name: str = "", old: Any = None, new: Any = None) -> None:
        self.rows.append((self.user, entity, entity_id, enterprise_id, action, field_name,
                          to_json(old), to_json(new)))


def _write(session: Session, plan: PackagePlan, *, user: str, now: dt.datetime
           ) -> Generator[Progress, None, int]:
    package = plan.package
    summary = _summary(plan)
    batch_id = session.execute(insert(ImportBatch).values(
        file_name=package.file_name, sha256=package.sha256, sheet="", kind=BATCH_KIND,
        mapping=json.dumps({"source_unit": package.source_unit, "counties": package.counties,
                            "package_date": package.package_date.isoformat()},
                           ensure_ascii=False),
        counts=json.dumps(summary, ensure_ascii=False), created_at=now, user=user,
        undone_by="")).inserted_primary_key[0]
    package_id = session.execute(insert(ExchangePackage).values(
        import_batch_id=batch_id, file_name=package.file_name, sha256=package.sha256,
        source_unit=package.source_unit, package_date=package.package_date,
        tiers_version=package.tiers_version,
        counts=json.dumps(package.row_counts(), ensure_ascii=False))).inserted_primary_key[0]
    firms = package.table(ENTERPRISES)
    firms_per_county = Counter(county or "" for county in firms.values.get("county_code", ()))
    reported = [county for county in package.counties if county["code"] in plan.scope]
    if reported:  # 报送情况: only the counties this package reports (not a neighbour's)
        session.execute(insert(ExchangePackageCounty), [
            {"package_id": package_id, "county_code": county["code"],
             "county_name": county["name"], "firms": firms_per_county[county["code"]]}
            for county in reported])
    log = _Log(user)
    constants = {"import_batch_id": batch_id, "source_package_id": package_id}
    total = 4
    yield Progress("写入数据包", 0, total)
    bulk = bulk_writer(session)
    try:
        # every table's ids and indexes decided before the first row: the writer then
        # runs from the first table to the last without waiting for this thread (dropping
        # a table's indexes waits until the writer is idle)
        ids = _new_ids(bulk, plan)
        _drop_indexes(bulk, plan)
        new_firms = _insert_firms(bulk, plan, ids.get("enterprise", []), constants, now, user)
        yield Progress("写入数据包", 1, total)
        firm_ids = {**plan.firm_ids, **new_firms}
        _insert_records(bulk, plan, ids, firm_ids, constants, log)
        bulk.rebuild_secondary_indexes()
        bulk.wait()
    finally:
        bulk.close()
    yield Progress("写入数据包", 2, total)
    _update(session, Enterprise.__table__, "enterprise", plan.firm_updates, package_id, log,
            now=now)
    for spec in RECORD_TABLES:
        _update(session, spec.model.__table__, spec.entity, plan.record_updates[spec.entity],
                package_id, log)
    _bin_firms(session, plan, log, now)
    _delete_records(session, plan, log)
    yield Progress("写入数据包", 3, total)
    bulk = bulk_writer(session)
    try:
        bulk.insert_rows(Change.__table__, _CHANGE_FIELDS, log.rows,
                         constants={"at": now, "import_batch_id": batch_id})
        bulk.wait()
    finally:
        bulk.close()
    # the firms that existed before and were changed (tiers.services.versions): a window
    # opened on one before the import must not save its older reading over it
    touched = {row[3] for row in log.rows}
    if plan.firm_ids:  # (records added to firms that were here before)
        for spec in RECORD_TABLES:
            codes = package.table(spec).codes
            touched.update(plan.firm_ids[codes[index]] for index in plan.new_records[spec.entity]
                           if codes[index] in plan.firm_ids)
    versions.bump_many(session, touched - set(new_firms.values()))
    yield Progress("写入数据包", total, total)
    return batch_id


def _defaults(spec: TableSpec, given: tuple[str, ...]) -> dict[str, Any]:
    """The model's defaults for the carried columns a package (of an older Tiers) lacks."""
    result = {}
    for column in spec.model.__table__.columns:
        if column.name in given or column.name in ("id",):
            continue
        if column.default is not None and column.default.is_scalar:
            result[column.name] = column.default.arg
    return result


def _taken(column: Sequence[Any], indexes: list[int], whole: bool) -> Sequence[Any]:
    """The column's values at the rows given (all of them, in order, when whole)."""
    return column if whole else [column[index] for index in indexes]


def _new_ids(bulk: BulkWriter, plan: PackagePlan) -> dict[str, list[int]]:
    """The ids of each table's new rows (by table name)."""
    wanted = {"enterprise": len(plan.new_firms),
              **{spec.entity: len(plan.new_records[spec.entity]) for spec in RECORD_TABLES}}
    tables = {"enterprise": Enterprise.__table__,
              **{spec.entity: spec.model.__table__ for spec in RECORD_TABLES}}
    return {name: list(islice(bulk.new_ids(tables[name], expected=count), count))
            for name, count in wanted.items() if count}


def _drop_indexes(bulk: BulkWriter, plan: PackagePlan) -> None:
    """The secondary indexes of the tables that grow more than they hold (a city's first
    package): built once after the rows (rebuild_secondary_indexes) instead of row by row.
    The change log too: a line for every record created."""
    bulk.drop_secondary_indexes(Enterprise.__table__, adding=len(plan.new_firms))
    for spec in RECORD_TABLES:
        bulk.drop_secondary_indexes(spec.model.__table__,
                                    adding=len(plan.new_records[spec.entity]))
    bulk.drop_secondary_indexes(Change.__table__, adding=sum(plan.counts("created").values()))


def _insert_firms(bulk: BulkWriter, plan: PackagePlan, ids: list[int],
                  constants: dict[str, Any], now: dt.datetime, user: str) -> dict[str, int]:
    """The new firms, a column at a time (no dict or tuple per firm until the writer's)."""
    table = Enterprise.__table__
    if not plan.new_firms:
        return {}
    firms = plan.package.table(ENTERPRISES)
    whole = len(plan.new_firms) == firms.count
    given = firms.columns
    values = [_taken(firms.values[name], plan.new_firms, whole) for name in given]
    names = _taken(firms.values["name"], plan.new_firms, whole)
    counties = [county or "" for county in _taken(
        firms.values.get("county_code", ("",) * firms.count), plan.new_firms, whole)]
    columns = (*given, "id", "name_key", "pinyin_initials", "pinyin_key", "source_county")
    values += [ids]
    shared = {**_defaults(ENTERPRISES, columns), **constants, "created_at": now,
              "updated_at": now}
    # the name and pinyin keys a slice at a time, each slice handed to the writer as soon
    # as it is made: all 100k first (0.8 s) kept the writer waiting for its first row
    for start in range(0, len(ids), _FIRMS_AT_A_TIME):
        part = slice(start, start + _FIRMS_AT_A_TIME)
        some = names[part]
        bulk.insert_columns(table, columns, [
            *(column[part] for column in values), name_keys(some),
            initials_of(some), sort_keys(some), counties[part]],
            constants=shared)
    firm_ids = dict(zip(_taken(firms.codes, plan.new_firms, whole), ids, strict=True))
    bulk.record_creations(table, first_id=ids[0], last_id=ids[-1], owner="id",
                          identity=_IDENTITY["enterprise"],
                          change={"at": now, "user": user,
                                  "import_batch_id": constants["import_batch_id"]})
    return firm_ids


def _insert_records(bulk: BulkWriter, plan: PackagePlan, new_ids: dict[str, list[int]],
                    firm_ids: dict[str, int], constants: dict[str, Any], log: _Log) -> None:
    """Each table's new records, a column at a time."""
    firms = plan.package.table(ENTERPRISES)
    county_of = dict(zip(firms.codes, (county or "" for county in firms.values.get(
        "county_code", ("",) * firms.count)), strict=True))
    for spec in RECORD_TABLES:
        new = plan.new_records[spec.entity]
        if not new:
            continue
        table = spec.model.__table__
        records = plan.package.table(spec)
        whole = len(new) == records.count
        given = tuple(c for c in records.columns if c != "credit_code")
        codes = _taken(records.codes, new, whole)
        ids = new_ids[spec.entity]
        former = spec.entity == "former_name"
        columns = (*given, "id", "enterprise_id", "source_county",
                   *(("name_key", "pinyin_initials") if former else ()))
        values = [_taken(records.values[name], new, whole) for name in given]
        owners = list(map(firm_ids.__getitem__, codes))
        values += [ids, owners, list(map(county_of.__getitem__, codes))]
        if former:
            names = _taken(records.values["name"], new, whole)
            values += [name_keys(names), initials_of(names)]
            for record_id, firm_id, name in zip(ids, owners, names, strict=True):
                log.add("former_name", record_id, firm_id, "create", new={"name": name})
        shared = {**_defaults(spec, columns), **constants}
        if former:
            shared.pop("import_batch_id")
        bulk.insert_columns(table, columns, values, constants=shared)
        if not former:
            bulk.record_creations(table, first_id=ids[0], last_id=ids[-1],
                                  owner="enterprise_id", identity=_IDENTITY[spec.entity],
                                  change={"at": utcnow(), "user": log.user,
                                          "import_batch_id": constants["import_batch_id"]})


def _update(session: Session, table: Any, entity: str, updates: list[RecordUpdate],
            package_id: int, log: _Log, *, now: dt.datetime | None = None) -> None:
    """Updates grouped by the fields they set, each with its provenance."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for item in updates:
        values = {name: new for name, (_, new) in item.changes.items()}
        if entity == "enterprise" and "name" in values:
            values.update(name_key=name_key(values["name"]),
                          pinyin_initials=initials(values["name"]),
                          pinyin_key=sort_key(values["name"]))
        values["source_package_id"] = package_id
        keys = tuple(sorted(values))
        groups.setdefault(keys, []).append({"b_id": item.record_id,
                                            **{f"b_{k}": v for k, v in values.items()}})
        for name, (old, new) in item.changes.items():
            log.add(entity, item.record_id, item.enterprise_id, "update", name, old, new)
        if item.old_source != package_id:
            log.add(entity, item.record_id, item.enterprise_id, "update", "source_package_id",
                    item.old_source, package_id)
    for keys, params in groups.items():
        extra = {"updated_at": now} if now is not None else {}
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {**{k: bindparam(f"b_{k}") for k in keys}, **extra})
        for start in range(0, len(params), CHUNK):
            session.execute(statement, params[start:start + CHUNK])


def _bin_firms(session: Session, plan: PackagePlan, log: _Log, now: dt.datetime) -> None:
    """The firms the county sent before and not now: to the recycle bin, restorable (and
    put back by undoing the batch: the change is logged as the field it is)."""
    ids = [firm_id for firm_id, _, _ in plan.firm_deletions]
    for start in range(0, len(ids), CHUNK):
        session.execute(update(Enterprise).where(Enterprise.id.in_(ids[start:start + CHUNK]))
                        .values(deleted_at=now, updated_at=now))
    for firm_id in ids:
        log.add("enterprise", firm_id, firm_id, "update", "deleted_at", None, now)


def _delete_records(session: Session, plan: PackagePlan, log: _Log) -> None:
    """Records the county sent before and not now: deleted, each whole in the change log
    (undoing the batch puts them back from there)."""
    for spec in RECORD_TABLES:
        rows = plan.record_deletions[spec.entity]
        if not rows:
            continue
        for values in rows:
            log.add(spec.entity, values["id"], values["enterprise_id"], "delete",
                    old={name: from_json(to_json(value)) for name, value in values.items()})
        table = spec.model.__table__
        ids = [values["id"] for values in rows]
        for start in range(0, len(ids), CHUNK):
            session.execute(delete(table).where(table.c.id.in_(ids[start:start + CHUNK])))
