"""A firm that moved between counties: county A's package sends it while county B's, applied
earlier, brought it here, so A's import lists it as a conflict and leaves it B's. When B's
next package no longer sends it, binning it (as for any firm a county drops) lost a live firm
A still reports, unsaid (tester24): the officer's only way back was to import A's package
again, which the README says changes nothing.

So the firm is handed to A instead: the conflict resolves in the favour of the county that
still reports it. Its 县（市、区） becomes A's, it and its records are A's from then on (their
``source_county``), so that A's package, imported again or its next one, sets them with A's
data like any of A's firms. Only when A's package in effect (A's newest, its import not
undone) carried it as a conflict: its batch keeps the credit codes of its conflicts
(PackagePlan.batch_counts, ``CONFLICT_CODES``: tiers.queries.package_conflicts). A package imported twice hands nothing over
the second time (the firm is no longer B's); every change is in the batch's change log,
undone with it; the records the city entered itself (no provenance) are not touched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from tiers.exchange.format import RECORD_TABLES
from tiers.exchange.plan_types import CHUNK, PackagePlan, RecordUpdate
from tiers.exchange.status import in_effect
from tiers.model.orm import Enterprise, ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.queries.package_conflicts import recorded_codes
from tiers.queries.package_owners import is_no_county, no_county_label, owner_key


def carried_elsewhere(session: Session, scope: set[str]) -> dict[str, dict[str, Any]]:
    """credit code → the county (code, name) and import batch of the newest package in effect
    of a county outside ``scope`` that left the firm in conflict."""
    newest: dict[str, Any] = {}
    for row in session.execute(in_effect(
            ExchangePackageCounty.county_code, ExchangePackageCounty.county_name,
            ExchangePackage.source_unit, ExchangePackage.id.label("package_id"),
            ImportBatch.id.label("batch_id"), ImportBatch.counts)
            .order_by(ExchangePackage.package_date, ExchangePackage.id)):
        key = owner_key(row.county_code, row.source_unit)  # (per unit without a county)
        if key not in scope:
            newest[key] = row  # ordered by date: the last is the newest
    found: dict[str, dict[str, Any]] = {}
    for key, row in newest.items():
        for code in recorded_codes(row.counts, row.county_code) or ():
            found[code] = {"county": row.county_code, "county_name": row.county_name,
                           # as the notes name it: whose firms without a county
                           "label": no_county_label(row.source_unit)
                           if is_no_county(key) else row.county_name,
                           "batch_id": row.batch_id,
                           # a unit's firms without a county are told by their package
                           "package_id": row.package_id if is_no_county(key) else None}
    return found


def hand_over(session: Session, plan: PackagePlan, dropped: list[tuple[int, str, str]]
              ) -> list[tuple[int, str, str]]:
    """Of the firms the package's counties no longer send (id, name, credit code), those
    another county's package carries are handed to it (a firm update and plan.handed, with
    a note in plan.problems); the others are returned, to go to the recycle bin."""
    if not dropped:
        return dropped
    carried = carried_elsewhere(session, plan.scope)
    if not carried:
        return dropped
    names = {county["code"]: county["name"] for county in plan.package.counties}
    left = []
    for firm_id, name, code in dropped:
        taker = carried.get(code)
        if taker is None:
            left.append((firm_id, name, code))
            continue
        row = session.execute(select(
            Enterprise.county_code, Enterprise.county_name, Enterprise.source_county,
            Enterprise.source_package_id).where(Enterprise.id == firm_id)).one()
        changes: dict[str, tuple[Any, Any]] = {}
        if row.county_code != taker["county"]:
            changes["county_code"] = (row.county_code, taker["county"])
        if row.county_name != taker["county_name"]:
            changes["county_name"] = (row.county_name, taker["county_name"])
        changes["source_county"] = (row.source_county, taker["county"])
        if taker["package_id"] is not None:  # the firms without a county of the taker's
            # unit: whose they are is told by the package they came from (package_owners)
            changes["source_package_id"] = (row.source_package_id, taker["package_id"])
        # (this package does not send it: the firm keeps the package its data came from,
        # whose time is where the city's own edits of it are looked for, and no value of it
        # is said to agree with this package)
        plan.firm_updates.append(RecordUpdate(firm_id, firm_id, changes, row.source_package_id,
                                              keeps_source=True))
        plan.handed[firm_id] = (row.source_county, taker["county"])
        if taker["package_id"] is not None:
            plan.handed_packages[firm_id] = taker["package_id"]
        here = names.get(row.source_county, row.county_name or row.source_county) \
            if row.source_county else no_county_label(plan.package.source_unit)
        there = taker["label"]
        plan.problems.append(
            f"{name}（{code}）：{here}本次未再报送，{there}的数据包（导入批次 {taker['batch_id']}）"
            f"报送了这家企业（当时列为冲突）。这家企业不移入回收站，改由{there}报送，"
            f"县（市、区）为{taker['county_name'] if taker['county'] else '（未填区县）'}；"
            f"其余信息与记录仍是{here}上次报送的，"
            f"再导入一次{there}的这个数据包（或{there}下次报送时）即按{there}的数据更新")
    return left


def hand_over_records(session: Session, plan: PackagePlan, log: Any) -> None:
    """The records of the handed firms that came from the county that dropped them: the
    taking county's from now on (its package sets or deletes them), logged for the undo."""
    for firm_id, (was, taker) in sorted(plan.handed.items()):
        package = plan.handed_packages.get(firm_id)  # (to a unit's firms without a county)
        for spec in RECORD_TABLES:
            table = spec.model.__table__
            rows = session.execute(select(table.c.id, table.c.source_package_id).where(
                table.c.enterprise_id == firm_id, table.c.source_county == was,
                table.c.source_package_id.is_not(None)).order_by(table.c.id)).all()
            for record_id, source in rows:
                log.add(spec.entity, record_id, firm_id, "update", "source_county", was, taker)
                if package is not None and source != package:
                    log.add(spec.entity, record_id, firm_id, "update", "source_package_id",
                            source, package)
            values = {"source_county": taker}
            if package is not None:
                values["source_package_id"] = package
            statement = update(table).where(table.c.id == bindparam("b_id")).values(values)
            ids = [record_id for record_id, _ in rows]
            for start in range(0, len(ids), CHUNK):
                session.execute(statement, [{"b_id": record_id}
                                            for record_id in ids[start:start + CHUNK]])
