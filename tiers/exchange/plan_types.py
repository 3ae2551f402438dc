"""What a package import's plan holds (tiers.exchange.plan makes it): the package's new,
changed, deleted and unchanged firms and records, its conflicts, and what it replaces."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tiers.exchange.format import ENTERPRISES, RECORD_TABLES
from tiers.exchange.reader import Package
from tiers.queries.package_conflicts import CONFLICT_CODES
from tiers.queries.package_owners import sender

CHUNK = 900  # bound parameters per IN (…)


@dataclass
class RecordUpdate:
    record_id: int
    enterprise_id: int
    changes: dict[str, tuple[Any, Any]]  # field: (old, new)
    old_source: int | None  # the package it came from (set to the new one)
    # a firm handed to the county that still reports it (tiers.exchange.handover): not sent
    # by this package, so its provenance stays the package its data came from
    keeps_source: bool = False


@dataclass(frozen=True)
class Kept:
    """A value the city changed since the county's previous package and the county did not
    (its package still sends what the previous one did): the package leaves it
    (tiers.exchange.merge)."""

    entity: str
    record_id: int
    enterprise_id: int
    field: str
    city: Any  # the value here, kept
    county: Any  # the package's, not written


@dataclass
class PackagePlan:
    package: Package
    # new firms: their rows in the package's table of firms
    new_firms: list[int] = field(default_factory=list)
    firm_updates: list[RecordUpdate] = field(default_factory=list)
    firm_deletions: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, code
    # firms the county no longer sends that another county's package in effect carries (left
    # there as a conflict: a firm that moved): handed to that county, not binned
    # (tiers.exchange.handover); firm id → (county it came from, county it goes to)
    handed: dict[int, tuple[str, str]] = field(default_factory=dict)
    # of those, the ones handed to a unit's firms without a county: firm id → that unit's
    # package, their provenance from now on (tiers.queries.package_owners)
    handed_packages: dict[int, int] = field(default_factory=dict)
    # per table: new records (their rows in the package's table) / updates / deleted rows whole
    new_records: dict[str, list[int]] = field(default_factory=dict)
    record_updates: dict[str, list[RecordUpdate]] = field(default_factory=dict)
    record_deletions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unchanged: Counter[str] = field(default_factory=Counter)
    # per table: the records of the firms this import moves to the recycle bin, which go
    # there with them (neither deleted nor unchanged: the preview's columns left them out
    # and did not add up to the rows of the package or of the database)
    binned_records: Counter[str] = field(default_factory=Counter)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # the counties a county's own package takes over from a unit that only carried them,
    # in words (tiers.exchange.plan.own_counties): said first, above the counts' details
    takeovers: list[str] = field(default_factory=list)
    firm_ids: dict[str, int] = field(default_factory=dict)  # credit code → id, existing
    # the counties this package reports and may replace: those of its manifest less those
    # another unit reports (a county office's whole database lists its neighbours' firms too);
    # owner keys (tiers.queries.package_owners): its firms without a county as its unit's
    scope: set[str] = field(default_factory=set)
    # every package applied here → its unit as compared, its sender (tiers.queries
    # .package_owners: a county's bureau under any spelling is one): the
    # owner of a row without a county is the unit of the package it came from
    units: dict[int, str] = field(default_factory=dict)
    # firms in the recycle bin and not in this package: their records stay with them
    binned: set[int] = field(default_factory=set)
    # the firms here whose records the package sets (credit code → id): none for a county
    # new to the database, whose records are then planned without reading the database
    taken: dict[str, int] = field(default_factory=dict)
    county_of: dict[str, str] = field(default_factory=dict)  # credit code → its county
    # a newer package of counties that have all sent one before: recorded as sent (报送情况)
    # even when its rows change nothing here (a county sending again in January what it
    # sent in December was shown as not having sent this year)
    newer: bool = False
    # the three-way merge with the city's own edits (tiers.exchange.merge): the values kept,
    # and the (entity, record id, field) of those the county changed too, which it overwrites
    kept: list[Kept] = field(default_factory=list)
    overwritten: set[tuple[str, int, str]] = field(default_factory=set)
    # a newer package's records here it does not change (per entity, each with no changes):
    # merge reads them for the values the package agrees on with the city's edits, and
    # (entity, record id, firm id, field, value as the change log writes it) of those:
    # written as marker lines (old == new) that start the field's window
    same: dict[str, list[RecordUpdate]] = field(default_factory=dict)
    # per entity, the rows it sends unchanged that another unit's package brought here (the
    # county's own package taking its county over from a unit that only carried it): their
    # provenance becomes this package, though they count as unchanged (tiers.exchange.batch)
    reowned: dict[str, list[RecordUpdate]] = field(default_factory=dict)
    agreed: list[tuple[str, int, int, str, str | None]] = field(default_factory=list)
    _new_codes: set[str] | None = field(default=None, repr=False)

    def sent_same(self, entity: str, record_id: int, enterprise_id: int,
                  source: int | None) -> None:
        """A record here the package sends unchanged (one that came from a package)."""
        if self.newer and source is not None:
            self.same.setdefault(entity, []).append(RecordUpdate(record_id, enterprise_id, {},
                                                                 source))
        self.reown(entity, record_id, enterprise_id, source)

    def reown(self, entity: str, record_id: int, enterprise_id: int, source: int | None
              ) -> None:
        """A row the package sends unchanged: when another unit's package brought it (a
        county taken over from the unit that only carried it), it is this package's from
        now on, as what the package changes is."""
        if source is not None and self.units.get(source, self.unit) != self.unit:
            self.reowned.setdefault(entity, []).append(RecordUpdate(
                record_id, enterprise_id, {}, source))

    @property
    def unit(self) -> str:
        """The package's unit as compared: its sender (tiers.queries.package_owners)."""
        return sender(self.package.source_unit)

    @property
    def new_codes(self) -> set[str]:
        if self._new_codes is None or len(self._new_codes) != len(self.new_firms):
            codes = self.package.table(ENTERPRISES).codes
            self._new_codes = {codes[index] for index in self.new_firms}
        return self._new_codes

    def counts(self, what: str) -> dict[str, int]:
        """Rows per table (created / updated / deleted / unchanged, or binned: the records
        going to the recycle bin with their firm, told apart from summary()'s four)."""
        names = [ENTERPRISES.name, *(spec.name for spec in RECORD_TABLES)]
        if what in ("unchanged", "binned"):
            counted = self.unchanged if what == "unchanged" else self.binned_records
            return {name: counted[name] for name in names}
        firm = {"created": len(self.new_firms), "updated": len(self.firm_updates),
                "deleted": len(self.firm_deletions)}[what]
        per_table = {"created": self.new_records, "updated": self.record_updates,
                     "deleted": self.record_deletions}[what]
        return {ENTERPRISES.name: firm,
                **{spec.name: len(per_table.get(spec.entity, [])) for spec in RECORD_TABLES}}

    def firms_written(self) -> set[int]:
        """The existing firms whose row or records the import changes, deletes or adds."""
        ids = {update.enterprise_id for update in self.firm_updates}
        for spec in RECORD_TABLES:
            codes = self.package.table(spec).codes
            ids.update(self.firm_ids[code] for index in self.new_records.get(spec.entity, ())
                       if (code := codes[index]) in self.firm_ids)
        ids.update(firm_id for firm_id, _, _ in self.firm_deletions)
        ids.update(self.handed)
        for updates in self.record_updates.values():
            ids.update(update.enterprise_id for update in updates)
        for rows in self.record_deletions.values():
            ids.update(row["enterprise_id"] for row in rows)
        # the marker lines: held too, or an officer's edit saved between the plan and the
        # writes lands before the marker, and the next package overwrites it
        ids.update(firm_id for _, _, firm_id, _, _ in self.agreed)
        for rows in self.reowned.values():
            ids.update(row.enterprise_id for row in rows)
        return ids

    @property
    def changes(self) -> bool:
        """Whether it creates, updates or deletes any row."""
        return any(sum(self.counts(what).values()) for what in ("created", "updated", "deleted"))

    @property
    def writes(self) -> bool:
        """Whether importing it writes anything: its changes, or only that it was sent
        (and where the rows it sends unchanged come from, when that changes)."""
        return self.changes or self.newer or any(self.reowned.values())

    def summary(self) -> dict[str, Any]:
        return {what: self.counts(what) for what in ("created", "updated", "deleted", "unchanged")}

    def import_summary(self) -> dict[str, Any]:
        """summary with the number of conflicts: the import batch's counts, and what a
        preview agreed to (import_package's ``expected``)."""
        return {**self.summary(), "conflicts": len(self.conflicts)}

    def batch_counts(self) -> dict[str, Any]:
        """import_summary with the city's values the package left as they were, if any:
        导入记录's 结果 says 保留本市修改 N 项 (not part of what a preview agrees to)."""
        return {**self.import_summary(), **({"kept": len(self.kept)} if self.kept else {}),
                **({"conflicts_by_county": self.conflicts_by_county(),
                    CONFLICT_CODES: self.conflict_codes()} if self.conflicts else {})}

    def conflicts_by_county(self) -> dict[str, int]:
        """county → the package's firms of that county left unmerged (in another county's
        package here): 报送情况 counts them apart from the firms imported."""
        found: dict[str, int] = {}
        for conflict in self.conflicts:
            county = conflict["counties"][1]["code"]  # (the package's: tiers.exchange.plan)
            found[county] = found.get(county, 0) + 1
        return found

    def conflict_codes(self) -> dict[str, list[str]]:
        """county → the credit codes of those firms, in the package's order: 报送情况 names
        them after the import (tiers.queries.package_conflicts)."""
        found: dict[str, list[str]] = {}
        for conflict in self.conflicts:
            found.setdefault(conflict["counties"][1]["code"], []).append(conflict["credit_code"])
        return found

    def digest(self) -> str:
        """What the import writes, row by row: the firms and records it adds, each value it
        changes with the value it replaces, each row it deletes whole. An import agreed to
        on a preview goes on only if the plan made under the write lock has the preview's
        digest: counts alone let a colleague's edit of a firm the package updates, saved
        between the preview and 导入, be overwritten unseen (one firm updated either way)."""
        hashed = hashlib.sha256()

        def add(*parts: Any) -> None:
            hashed.update(repr(parts).encode())

        # one repr per row: a dict's items sorted by field name (each name once, so no two
        # values are ever compared) and the values' own reprs (Decimal('1.50') is not
        # Decimal('1.5'), None is not '')
        def updates(entity: str, rows: list[RecordUpdate]) -> None:
            add(entity)
            for update in sorted(rows, key=lambda row: row.record_id):
                add(update.record_id, update.old_source, sorted(update.changes.items()))

        add("new firms", self.new_firms)
        updates(ENTERPRISES.name, self.firm_updates)
        add("binned", sorted(firm_id for firm_id, _, _ in self.firm_deletions))
        add("handed", sorted(self.handed.items()))
        for entity in sorted(self.new_records):
            add("new", entity, self.new_records[entity])
        for entity in sorted(self.record_updates):
            updates(entity, self.record_updates[entity])
        for entity in sorted(self.record_deletions):
            add("deleted", entity)
            for row in sorted(self.record_deletions[entity], key=lambda row: row["id"]):
                add(sorted(row.items()))
        add("conflicts", sorted(conflict["credit_code"] for conflict in self.conflicts))
        for entity in sorted(self.reowned):
            add("reowned", entity, sorted((row.record_id, row.old_source)
                                          for row in self.reowned[entity]))
        # the values it leaves to the city (a colleague's edit saved after the preview is
        # kept, not overwritten, but the preview did not say so)
        add("kept", sorted((kept.entity, kept.record_id, kept.field, repr(kept.city))
                           for kept in self.kept))
        return hashed.hexdigest()
