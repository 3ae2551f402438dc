"""A package's new firms and records, handed to the bulk writer a column at a time (no dict
or tuple per row until the writer's): every table's ids and dropped indexes decided before the
first row, the firms' name and pinyin keys made a slice at a time, the defaults of columns an
older package lacks, and the creations logged by the database from the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import islice
from typing import Any

from tiers.exchange.changed_rows import ChangeLog
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES, TableSpec
from tiers.exchange.plan import PackagePlan
from tiers.exchange.reader import TableRows
from tiers.model.names import name_keys
from tiers.model.orm import Change, Enterprise, utcnow
from tiers.model.pinyin import initials_of, sort_keys
from tiers.storage.bulk import BulkWriter

_FIRMS_AT_A_TIME = 10_000  # new firms whose keys are made before the writer gets them
# what a created record's Change row keeps of it (its line in the history)
_IDENTITY = {"enterprise": ("name", "credit_code"), "annual_figures": ("year",),
             "recognition": ("tier_code", "level", "batch_label", "batch_year"),
             "support_measure": ("kind", "name", "year"), "chain_role": ("chain_code", "role"),
             "cultivation_entry": ("target_tier", "target_year")}


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


TABLE_OF = {"enterprise": Enterprise.__table__,
            **{spec.entity: spec.model.__table__ for spec in RECORD_TABLES}}


def rows_added(plan: PackagePlan) -> dict[str, int]:
    """The new rows of each table the plan writes (by table name)."""
    return {"enterprise": len(plan.new_firms),
            **{spec.entity: len(plan.new_records[spec.entity]) for spec in RECORD_TABLES}}


def allocate_ids(bulk: BulkWriter, adding: dict[str, int]) -> dict[str, list[int]]:
    """The ids of each table's new rows (by table name: how many, rows_added)."""
    return {name: list(islice(bulk.new_ids(TABLE_OF[name], expected=count), count))
            for name, count in adding.items() if count}


def drop_indexes(bulk: BulkWriter, adding: dict[str, int]) -> None:
    """The secondary indexes of the tables that grow more than they hold (a city's first
    package): built once after the rows (rebuild_secondary_indexes) instead of row by row.
    The change log too: a line for every record created."""
    for name, count in adding.items():
        bulk.drop_secondary_indexes(TABLE_OF[name], adding=count)
    bulk.drop_secondary_indexes(Change.__table__, adding=sum(adding.values()))


def insert_firms(bulk: BulkWriter, plan: PackagePlan, ids: list[int],
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


def insert_records(bulk: BulkWriter, plan: PackagePlan, new_ids: dict[str, list[int]],
                   firm_ids: dict[str, int], constants: dict[str, Any], log: ChangeLog) -> None:
    """Each table's new records, a column at a time."""
    for spec in RECORD_TABLES:
        insert_table_records(bulk, plan, spec, new_ids.get(spec.entity, []), firm_ids,
                             constants, log)


def insert_table_records(bulk: BulkWriter, plan: PackagePlan, spec: TableSpec, ids: list[int],
                         firm_ids: dict[str, int], constants: dict[str, Any],
                         log: ChangeLog) -> None:
    """One table's new records (plan.new_records) with their ids, a column at a time, and
    their creations in the change log."""
    new = plan.new_records[spec.entity]
    if not new:
        return
    insert_part_records(bulk, plan, spec, plan.package.table(spec), new, ids, firm_ids,
                        constants, log)
    log_creations(bulk, spec, ids, constants, log)


def insert_part_records(bulk: BulkWriter, plan: PackagePlan, spec: TableSpec,
                        records: TableRows, new: list[int], ids: list[int],
                        firm_ids: dict[str, int], constants: dict[str, Any],
                        log: ChangeLog) -> None:
    """The rows ``new`` of ``records`` (the table, or a slice of it as it is read) with
    their ids, a column at a time; the creations of a former name logged (the other
    tables' by log_creations once their rows are written)."""
    if not new:
        return
    table = spec.model.__table__
    whole = len(new) == records.count
    given = tuple(c for c in records.columns if c != "credit_code")
    codes = _taken(records.codes, new, whole)
    former = spec.entity == "former_name"
    columns = (*given, "id", "enterprise_id", "source_county",
               *(("name_key", "pinyin_initials") if former else ()))
    values = [_taken(records.values[name], new, whole) for name in given]
    owners = list(map(firm_ids.__getitem__, codes))
    values += [ids, owners, list(map(plan.county_of.__getitem__, codes))]
    if former:
        names = _taken(records.values["name"], new, whole)
        values += [name_keys(names), initials_of(names)]
        for record_id, firm_id, name in zip(ids, owners, names, strict=True):
            log.add("former_name", record_id, firm_id, "create", new={"name": name})
    shared = {**_defaults(spec, columns), **constants}
    if former:
        shared.pop("import_batch_id")
    bulk.insert_columns(table, columns, values, constants=shared)


def log_creations(bulk: BulkWriter, spec: TableSpec, ids: list[int],
                  constants: dict[str, Any], log: ChangeLog) -> None:
    """The change log's lines of the table's records created with ``ids`` (consecutive),
    written by the database from the rows (a former name's: as it is inserted)."""
    if ids and spec.entity != "former_name":
        bulk.record_creations(spec.model.__table__, first_id=ids[0], last_id=ids[-1],
                              owner="enterprise_id", identity=_IDENTITY[spec.entity],
                              change={"at": utcnow(), "user": log.user,
                                      "import_batch_id": constants["import_batch_id"]})
