"""A package whose firms are all new to the database, written while it is read: the firms
first, then each table of records a slice of rows at a time, each slice as soon as it has
been read and checked, while the next is read.

The bulk writer's thread spends its time in SQLite, without the GIL, and the reading is
Python: on two cores they overlap, and the import of a 100k-firm county takes about as long
as its writing instead of its reading and then its writing. Nothing is committed before the
whole package has been read: a fault found in its last table (a cell, a checksum) rolls back
everything written before it, in the caller's transaction.

Only for a plan that reads nothing more from the database once the firms are planned: none
of the firms it sets is here yet (plan.taken: a county new to the database, or one whose
firms it sent before are all absent now; a firm here under another county is a conflict
and is left alone), so its records are all new, and the records it replaces (those its
counties sent before) are known without it. Measured (README 性能, the fifteenth session):
the GIL, which the reading held in long C calls and the writer needs to bind each
statement's values, kept the two from overlapping more than about 15%; since the thirtieth,
the reader cuts each table a slice of rows at a time (csv_columns.column_slices), and the
writer, which no longer waits out a whole table's split for the GIL, is the longest path.
Since the thirty-first, the writer also has each slice as soon as it is read
(PackageReading.table_parts, plan.NewRecordsByPart): given whole tables, it sat idle about a
second while the largest one (the annual figures, read last) was read."""

from __future__ import annotations

from collections.abc import Generator
from itertools import islice

from sqlalchemy.orm import Session

from tiers.exchange.batch import OpenBatch, close_batch, open_batch, set_counts
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES, TableSpec
from tiers.exchange.new_rows import (
    TABLE_OF,
    drop_indexes,
    insert_firms,
    insert_part_records,
    log_creations,
)
from tiers.exchange.plan import NewRecordsByPart, PackagePlan, count_binned, deleted_records
from tiers.exchange.reader import READ_ORDER, PackageReading
from tiers.model.orm import Enterprise, utcnow
from tiers.progress import Progress, paused_gc
from tiers.storage.bulk import BulkWriter, bulk_writer, prepared_for_bulk

STEP = "读取并写入数据包"


def may_write_while_reading(plan: PackagePlan) -> bool:
    """Whether the plan of the package's firms lets its records be written as they are
    read: none of its firms is here, and it writes something (a package of firms all
    reported by other units is planned whole, and writes nothing)."""
    return not plan.taken and bool(plan.new_firms)


def write_while_reading(session: Session, plan: PackagePlan, reading: PackageReading, *,
                        user: str) -> Generator[Progress, None, int]:
    """Write the planned firms, then each table of records a slice at a time: each slice
    read, planned and handed to the writer while the next is read; the import batch's id.
    The caller holds the write lock and rolls back on any error."""
    if not may_write_while_reading(plan) or READ_ORDER[0] is not ENTERPRISES:
        raise ValueError("the package's firms are here already: plan it whole")
    now = utcnow()
    for spec in RECORD_TABLES:  # (none of these is a record the package has: all are new)
        plan.record_deletions[spec.entity] = deleted_records(session, plan, spec, set())
        count_binned(session, plan, spec)
    declared = {spec.entity: reading.rows_declared(spec) for spec in RECORD_TABLES}
    rows = len(plan.new_firms) + sum(declared.values())
    total = len(READ_ORDER) + 1
    with prepared_for_bulk(session, rows=rows), paused_gc():
        batch = open_batch(session, plan, user=user, now=now, counts={})
        # (the reading goes on while the writer is a table or two behind)
        bulk = bulk_writer(session, deep_queue=True)
        try:
            # each table's ids and dropped indexes before the first row (the driver's
            # connection is the writer's from then on); a table's rows as the manifest
            # declares them, which the table read has
            adding = {"enterprise": len(plan.new_firms), **declared}
            ids = {name: bulk.new_ids(TABLE_OF[name], expected=count)
                   for name, count in adding.items()}
            drop_indexes(bulk, adding)
            new_firms = insert_firms(bulk, plan, list(islice(ids["enterprise"],
                                                             len(plan.new_firms))),
                                     batch.constants, now, user)
            bulk.rebuild_secondary_indexes(Enterprise.__table__)  # (while the rest is read)
            firm_ids = {**plan.firm_ids, **new_firms}
            yield Progress(STEP, 1, total)
            for step, spec in enumerate(READ_ORDER[1:], start=2):
                # a slice of rows at a time: each written while the next is read
                new = NewRecordsByPart(plan, spec)  # (no firm here: no database read)
                written: list[int] = []  # the first and the last id written
                for part in reading.table_parts(spec):
                    rows = new.of(part)
                    part_ids = list(islice(ids[spec.entity], len(rows)))
                    insert_part_records(bulk, plan, spec, part, rows, part_ids, firm_ids,
                                        batch.constants, batch.log)
                    if part_ids:
                        written = [written[0] if written else part_ids[0], part_ids[-1]]
                    if new.read == declared[spec.entity]:  # the last part (the rows were
                        # counted before the first; an empty table is one empty part): the
                        # table's log and indexes go to the writer now, not after the reader
                        # has joined the table's parts
                        _close_table(bulk, spec, written, batch)
                new.done()
                yield Progress(STEP, step, total)
            bulk.rebuild_secondary_indexes()  # (the change log's)
            bulk.wait()
        finally:
            bulk.close()
        set_counts(session, batch, plan, plan.batch_counts())
        close_batch(session, plan, batch, new_firms, now=now)
    yield Progress(STEP, total, total)
    return batch.batch_id


def _close_table(bulk: BulkWriter, spec: TableSpec, written: list[int], batch: OpenBatch) -> None:
    """After the last of a table's rows: the change log's lines of its new records and its
    secondary indexes built again (on the writer, behind the rows)."""
    log_creations(bulk, spec, written, batch.constants, batch.log)
    bulk.rebuild_secondary_indexes(spec.model.__table__)
