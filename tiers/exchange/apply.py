"""Importing a package: planned and written under the write lock in one transaction (a
savepoint inside the caller's), recorded as an import batch of kind ``package`` with the
package and its counties, every created record, changed field and deleted record in the
change log, so that ``tiers undo-import`` takes the whole package back.

New rows go through the bulk writer of the database engine (tiers.storage.bulk), as the
importers' do (new_rows.py); updates and deletions are grouped executemany statements
(changed_rows.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tiers.errors import Conflict
from tiers.exchange.additions import addition_words
from tiers.exchange.batch import close_batch, open_batch
from tiers.exchange.deletions import city_edited_firms, deletion_lines
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES
from tiers.exchange.new_rows import (
    allocate_ids,
    drop_indexes,
    insert_firms,
    insert_records,
    rows_added,
)
from tiers.exchange.plan import (
    PackagePlan,
    firms_here,
    own_counties,
    plan_firms,
    plan_package,
    plan_records,
    refuse_unless_admin,
)
from tiers.exchange.reader import Package, PackageReading, opened_package
from tiers.exchange.streamed import may_write_while_reading, write_while_reading
from tiers.exchange.updates import CITY_MARK, update_words
from tiers.model.orm import utcnow
from tiers.progress import Progress, drain, paused_gc
from tiers.queries.package_owners import county_codes
from tiers.services import versions
from tiers.services.audit import current_user
from tiers.storage.bulk import bulk_writer, prepared_for_bulk
from tiers.storage.import_locks import hold_county_locks, others_write_meanwhile
from tiers.storage.locking import MET_ON_SERVER, DatabaseBusy, write_lock


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
    # the records going to the recycle bin with the firms it bins (the firms are deleted)
    binned: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None
    problems: list[str] = field(default_factory=list)
    # a county taken over from a unit that only carried it (PackagePlan.takeovers): said first
    takeovers: list[str] = field(default_factory=list)
    deleted_firms: list[str] = field(default_factory=list)  # names, for the preview
    deleted_records: list[str] = field(default_factory=list)  # the preview's, in words
    # the preview's: the values the package changes, in words (the first SHOWN; the city's
    # own edits it overwrites first), how many in all, and how many of them the city's
    updated_values: list[str] = field(default_factory=list)
    values_updated: int = 0
    city_edits_overwritten: int = 0
    previewed: bool = False  # made by preview_package (the three above are its alone)
    plan_digest: str = ""  # a preview's: PackagePlan.digest, what the import is to write
    # a newer package that changes nothing here: importing it only records it as sent
    only_sent: bool = False
    # the values the city changed that the county did not (tiers.exchange.merge): left as
    # they are; how many, and (a preview's) the first SHOWN in words
    kept: int = 0
    kept_values: list[str] = field(default_factory=list)  # (in --json: a preview's only)
    # a preview's: of the deleted_firms, those the city changed itself since the county's
    # package (tiers.exchange.deletions.city_edited_firms): listed first, marked CITY_MARK
    binned_city_edited: int = 0
    # the firms the package takes out of the recycle bin (sent again), by name
    unbinned_firms: list[str] = field(default_factory=list)  # (the first 200)
    unbinned_count: int = 0  # how many: all of them
    unbinned_city_binned: int = 0  # of them, those the city had put in the recycle bin
    # the new firms by name and the new records in words (the first SHOWN of each, made
    # before anything else: tiers.exchange.additions); how many: ``created``
    created_firms: list[str] = field(default_factory=list)
    created_records: list[str] = field(default_factory=list)

    def changes(self, *kinds: str) -> bool:
        """Whether it creates, updates or deletes any row (of ``kinds``: all three)."""
        return any(sum(getattr(self, kind).values())
                   for kind in kinds or ("created", "updated", "deleted"))

    @property
    def writes(self) -> bool:
        """Whether importing it writes anything: its changes, or only that it was sent."""
        return self.changes() or self.only_sent

    @property
    def records_deleted(self) -> int:
        """The records (not firms: those go to the recycle bin) the import deletes."""
        return sum(count for table, count in self.deleted.items() if table != ENTERPRISES.name)

    @property
    def records_created(self) -> int:
        """The records (of firms here and of new firms) the import adds."""
        return sum(count for table, count in self.created.items() if table != ENTERPRISES.name)

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "source_unit": self.source_unit, "counties": self.counties,
                "package_date": self.package_date.isoformat(), "created": self.created,
                "updated": self.updated, "deleted": self.deleted, "unchanged": self.unchanged,
                "binned": self.binned,
                "conflicts": self.conflicts, "batch_id": self.batch_id,
                "problems": self.problems, "takeovers": self.takeovers, "kept": self.kept,
                # a preview's (an import does not make them: absent, rather than empty)
                **({"updated_values": self.updated_values,
                    "values_updated": self.values_updated,
                    "city_edits_overwritten": self.city_edits_overwritten,
                    "kept_values": self.kept_values,
                    "deleted_firms": self.deleted_firms,
                    "binned_city_edited": self.binned_city_edited,
                    "unbinned_firms": self.unbinned_firms,  # (the first 200)
                    "unbinned_count": self.unbinned_count,  # (all of them)
                    "unbinned_city_binned": self.unbinned_city_binned,
                    "created_firms": self.created_firms,  # (the first 200)
                    "created_records": self.created_records,  # (the first 200)
                    "records_created": self.records_created}
                   if self.previewed else {})}


def result_of(plan: PackagePlan, batch_id: int | None) -> PackageResult:
    package = plan.package
    return PackageResult(
        file=package.file_name, source_unit=package.source_unit, counties=package.counties,
        package_date=package.package_date, created=plan.counts("created"),
        updated=plan.counts("updated"), deleted=plan.counts("deleted"),
        unchanged=plan.counts("unchanged"), binned=plan.counts("binned"),
        conflicts=plan.conflicts, batch_id=batch_id,
        problems=plan.problems, takeovers=plan.takeovers,
        deleted_firms=[name for _, name, _ in plan.firm_deletions],
        only_sent=plan.writes and not plan.changes, kept=len(plan.kept))


def preview_package(session: Session, package: Package) -> PackageResult:
    """What importing would do; nothing is written."""
    return drain(previewing_package(session, package))


def previewing_package(session: Session, package: Package, step: str = "正在与库中比对"
                       ) -> Generator[Progress, None, PackageResult]:
    """preview_package with a Progress after the firms and after each table of records
    compared (a newer package of a county of 100,000 firms takes seconds: the officer may
    stop between two tables)."""
    total = len(RECORD_TABLES) + 2
    yield Progress(step, 0, total)
    with paused_gc():
        plan = plan_firms(session, package)
    yield Progress(step, 1, total)
    for done, spec in enumerate(RECORD_TABLES, start=2):
        with paused_gc():
            plan_records(session, plan, spec)
        yield Progress(step, done, total)
    with paused_gc():
        result = result_of(plan, None)
    in_words(session, plan, result)
    result.previewed = True
    with paused_gc():  # a tuple and a repr per value over the heap of the package's values
        result.plan_digest = plan.digest()
    return result


def in_words(session: Session, plan: PackagePlan, result: PackageResult) -> None:
    """The plan's lines in words (read before anything is written): the firms to the recycle
    bin (those the city changed first, marked), the records deleted, the values updated (the
    city's own first), kept, the firms out of the bin, and the firms and records added. A preview's, and an import's: the
    command line's result listed none of them, so a city edit the county's value overwrote
    went by unrecorded on screen (tester24)."""
    result.deleted_records = deletion_lines(session, plan.record_deletions)
    edited = city_edited_firms(session, [firm_id for firm_id, _, _ in plan.firm_deletions])
    # 常州甲公司（本市修改过）: after the name, so that in a list it marks that firm alone
    result.deleted_firms = [f"{name}（{CITY_MARK.rstrip('：')}）"
                            for firm_id, name, _ in plan.firm_deletions
                            if firm_id in edited] + [
        name for firm_id, name, _ in plan.firm_deletions if firm_id not in edited]
    result.binned_city_edited = len(edited)
    words = update_words(session, plan)
    result.updated_values = words.lines
    result.values_updated, result.city_edits_overwritten = words.total, words.city_edited
    result.kept_values = words.kept_lines
    result.unbinned_firms = words.unbinned
    result.unbinned_count, result.unbinned_city_binned = (words.unbinned_count,
                                                          words.unbinned_city_binned)
    added = addition_words(session, plan)
    result.created_firms, result.created_records = added.firms, added.records


def import_package(session: Session, package: Package, *, user: str | None = None,
                   expected: dict[str, Any] | None = None, words: bool = True
                   ) -> Generator[Progress, None, PackageResult]:
    """Import the package in the caller's transaction; all or nothing. ``expected``: the
    preview's summary (PackagePlan.summary) the user agreed to; if the plan made now under
    the lock differs, PackagePreviewOutdated and nothing is written. ``words``: whether the
    result carries the plan in words (in_words: the firms binned, the values updated…),
    read inside the write transaction; a caller that shows its own preview's words (the
    client's window, whose preview the import checked it writes) asks for none."""
    return (yield from _import(session, package, None, user=user, expected=expected,
                               words=words))


def import_package_file(session: Session, path: Path | str, *, user: str | None = None,
                        words: bool = True) -> Generator[Progress, None, PackageResult]:
    """Read the package in the file and import it in the caller's transaction; all or
    nothing (PackageRefused for a fault in it, found before the commit wherever it is).
    A county new to a database written by one process at a time (SQLite) has each table
    written while the next is read (tiers.exchange.streamed); otherwise (a server, whose
    locks are not held while a package is read; a county here already, compared whole)
    the package is read whole first."""
    with opened_package(path) as reading:
        return (yield from import_package_reading(session, reading, user=user, words=words))


def import_package_reading(session: Session, reading: PackageReading, *,
                           user: str | None = None, words: bool = True
                           ) -> Generator[Progress, None, PackageResult]:
    """import_package_file of a package already opened (its tables read or not). Read
    whole before the write lock is taken where it will be compared whole (a server; firms
    of the package here already), so that other writers do not wait while it is read."""
    if not others_write_meanwhile(session):
        reading.read_firms()
        if not firms_here(session, reading.package):
            return (yield from _import(session, reading.package, reading, user=user,
                                       words=words))
    reading.read_all()
    return (yield from _import(session, reading.package, None, user=user, words=words))


def _import(session: Session, package: Package, reading: PackageReading | None, *,
            user: str | None, expected: dict[str, Any] | None = None, words: bool = True
            ) -> Generator[Progress, None, PackageResult]:
    session.flush()
    user = current_user() if user is None else user
    savepoint = session.begin_nested()
    try:
        write_lock(session)
        yield from hold_county_locks(session, {c or None for c in package.county_codes},
                                     kind="package")
        if others_write_meanwhile(session):
            # an officer's save takes no county lock: committed between the plan and the
            # writes, the change log would keep the value the plan read as the one replaced
            # (and an undo would put that back over the officer's); this makes it wait. Only
            # the counties this package replaces, and only for an import that may go on
            refuse_unless_admin(session)
            versions.hold_counties(session, own_counties(session, package, []))
        told: dict[str, Any] = {}  # the plan in words (in_words), read before the writes
        if reading is None:
            yield Progress("比对数据包", 0, 1)
            with paused_gc():  # a few objects per row over a heap of the package's values
                plan = plan_package(session, package)
                if others_write_meanwhile(session):
                    plan = _planned_holding(session, package, plan)
            told = _told(session, plan) if words else {}
            batch_id = yield from _write_planned(session, plan, user=user, expected=expected)
        else:  # (SQLite: nobody writes meanwhile)
            yield Progress("读取数据包", 0, 1)
            reading.read_firms()
            with paused_gc():
                plan = plan_firms(session, package)
            if may_write_while_reading(plan):
                batch_id = yield from write_while_reading(session, plan, reading, user=user)
            else:  # (firms here after all: come meanwhile) compared with the database's
                reading.read_all()
                with paused_gc():
                    for spec in RECORD_TABLES:
                        plan_records(session, plan, spec)
                told = _told(session, plan) if words else {}
                batch_id = yield from _write_planned(session, plan, user=user,
                                                     expected=expected)
        result = result_of(plan, batch_id)
        for name, value in told.items():  # said after the import too (the command line's)
            setattr(result, name, value)
        savepoint.commit()
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    return result


# the result's fields in_words fills (a caller that shows a preview's words takes these)
WORD_FIELDS = ("deleted_records", "deleted_firms", "binned_city_edited", "updated_values",
         "values_updated", "city_edits_overwritten", "kept_values", "unbinned_firms",
         "unbinned_count", "unbinned_city_binned", "created_firms", "created_records")


def _told(session: Session, plan: PackagePlan) -> dict[str, Any]:
    """in_words of the plan, read before it is written (the words name what is there now)."""
    if not plan.changes and not plan.kept:
        return {}
    said = result_of(plan, None)
    in_words(session, plan, said)
    return {name: getattr(said, name) for name in WORD_FIELDS}


def _write_planned(session: Session, plan: PackagePlan, *, user: str,
                   expected: dict[str, Any] | None) -> Generator[Progress, None, int | None]:
    """The whole plan written, if it is the one the preview showed (``expected``); the
    import batch's id (None: nothing to write)."""
    if expected is not None and _agreed(plan, expected) != expected:
        raise PackagePreviewOutdated("生成预览之后数据库已有变化（可能有人刚修改或导入了数据），"
                                     "请重新预览后再导入。")
    if not plan.writes:
        return None
    rows = sum(sum(plan.counts(what).values()) for what in ("created", "updated"))
    with prepared_for_bulk(session, rows=rows), paused_gc():
        return (yield from _write(session, plan, user=user, now=utcnow()))


def _agreed(plan: PackagePlan, expected: dict[str, Any]) -> dict[str, Any]:
    """The plan as a preview's summary has it (with its digest, when the preview gave one)."""
    summary = plan.import_summary()
    if "plan" in expected:
        with paused_gc():  # (as previewing_package)
            summary["plan"] = plan.digest()
    return summary


def _planned_holding(session: Session, package: Package, plan: PackagePlan) -> PackagePlan:
    """The plan once every firm it writes is locked. The county locks hold the counties'
    firms, not one entered here under another county (or none) that the package matches by
    its credit code: a save of it committed after the plan read it would be logged with the
    value the plan read, and an undo would put that back. Such firms (few, and rare) are
    locked by id and the plan is made again, until it writes no other."""
    held: set[int] = set()
    for _ in range(5):
        beyond = versions.hold_beyond_counties(session, plan.firms_written() - held,
                                               county_codes(plan.scope))
        if not beyond:
            return plan
        held |= beyond
        plan = plan_package(session, package)
    # each new plan wrote other firms again: colleagues are changing them right now
    raise DatabaseBusy(MET_ON_SERVER)


def preview_summary(result: PackageResult) -> dict[str, Any]:
    """The summary of a preview, as import_package's ``expected`` takes it."""
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted,
            "unchanged": result.unchanged, "conflicts": len(result.conflicts),
            **({"plan": result.plan_digest} if result.plan_digest else {})}


def _write(session: Session, plan: PackagePlan, *, user: str, now: dt.datetime
           ) -> Generator[Progress, None, int]:
    batch = open_batch(session, plan, user=user, now=now, counts=plan.batch_counts())
    total = 4
    yield Progress("写入数据包", 0, total)
    bulk = bulk_writer(session)
    try:
        # every table's ids and indexes decided before the first row: the writer then
        # runs from the first table to the last without waiting for this thread (dropping
        # a table's indexes waits until the writer is idle)
        adding = rows_added(plan)
        ids = allocate_ids(bulk, adding)
        drop_indexes(bulk, adding)
        new_firms = insert_firms(bulk, plan, ids.get("enterprise", []), batch.constants, now,
                                 user)
        yield Progress("写入数据包", 1, total)
        insert_records(bulk, plan, ids, {**plan.firm_ids, **new_firms}, batch.constants,
                       batch.log)
        bulk.rebuild_secondary_indexes()
        bulk.wait()
    finally:
        bulk.close()
    yield Progress("写入数据包", 2, total)
    close_batch(session, plan, batch, new_firms, now=now)
    yield Progress("写入数据包", total, total)
    return batch.batch_id
