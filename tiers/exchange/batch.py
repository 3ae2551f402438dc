"""A package import's batch: its rows opened before the package's rows are written (the
import batch, the package, the counties it reports) and closed after them (the rows it
changes and deletes, the change log, the versions of the firms here it touched)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from tiers.exchange.changed_rows import (
    CHANGE_FIELDS,
    ChangeLog,
    bin_firms,
    delete_records,
    update_rows,
)
from tiers.exchange.format import BATCH_KIND, ENTERPRISES, RECORD_TABLES
from tiers.exchange.handover import hand_over_records
from tiers.exchange.plan import PackagePlan
from tiers.model.orm import Change, Enterprise, ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.queries.package_owners import owner_key
from tiers.services import versions
from tiers.storage.bulk import bulk_writer


@dataclass
class OpenBatch:
    batch_id: int
    package_id: int
    log: ChangeLog
    constants: dict[str, Any]  # what every new row of the package carries


def open_batch(session: Session, plan: PackagePlan, *, user: str, now: dt.datetime,
               counts: dict[str, Any]) -> OpenBatch:
    """The import batch (``counts``: its summary; set_counts when it is known only after
    the rows), the package and the counties it reports (报送情况). Needs only the package's
    firms."""
    package = plan.package
    batch_id = session.execute(insert(ImportBatch).values(
        file_name=package.file_name, sha256=package.sha256, sheet="", kind=BATCH_KIND,
        mapping=json.dumps({"source_unit": package.source_unit, "counties": package.counties,
                            "package_date": package.package_date.isoformat()},
                           ensure_ascii=False),
        counts=json.dumps(counts, ensure_ascii=False), created_at=now, user=user,
        undone_by="")).inserted_primary_key[0]
    package_id = session.execute(insert(ExchangePackage).values(
        import_batch_id=batch_id, file_name=package.file_name, sha256=package.sha256,
        source_unit=package.source_unit, package_date=package.package_date,
        tiers_version=package.tiers_version,
        counts=json.dumps(package.row_counts(), ensure_ascii=False))).inserted_primary_key[0]
    firms = package.table(ENTERPRISES)
    firms_per_county = Counter(county or "" for county in firms.values.get("county_code", ()))
    # 报送情况's 企业数 is what was imported: a firm in conflict (another county's package
    # brought it here) is not (42 said for 新北区 with 41 imported: tester22)
    firms_per_county.subtract(plan.conflicts_by_county())
    reported = [county for county in package.counties
                if owner_key(county["code"], package.source_unit) in plan.scope]
    if reported:  # 报送情况: only the counties this package reports (not a neighbour's)
        session.execute(insert(ExchangePackageCounty), [
            {"package_id": package_id, "county_code": county["code"],
             "county_name": county["name"], "firms": firms_per_county[county["code"]]}
            for county in reported])
    return OpenBatch(batch_id, package_id, ChangeLog(user),
                     {"import_batch_id": batch_id, "source_package_id": package_id})


def set_counts(session: Session, batch: OpenBatch, plan: PackagePlan,
               counts: dict[str, Any]) -> None:
    """The batch's summary and the package's rows, once the whole package has been read."""
    session.execute(update(ImportBatch).where(ImportBatch.id == batch.batch_id).values(
        counts=json.dumps(counts, ensure_ascii=False)))
    session.execute(update(ExchangePackage).where(ExchangePackage.id == batch.package_id)
                    .values(counts=json.dumps(plan.package.row_counts(), ensure_ascii=False)))


def close_batch(session: Session, plan: PackagePlan, batch: OpenBatch,
                new_firms: dict[str, int], *, now: dt.datetime) -> None:
    """After the new rows (and the bulk writer done with the connection): the updates, the
    firms to the recycle bin, the records deleted, the change log, the versions."""
    log, package_id = batch.log, batch.package_id
    update_rows(session, Enterprise.__table__, "enterprise", plan.firm_updates, package_id,
                log, now=now)
    for spec in RECORD_TABLES:
        update_rows(session, spec.model.__table__, spec.entity,
                    plan.record_updates[spec.entity], package_id, log)
    for entity, rows in plan.reowned.items():  # sent unchanged, brought by another unit
        table = Enterprise.__table__ if entity == ENTERPRISES.entity else next(
            spec.model.__table__ for spec in RECORD_TABLES if spec.entity == entity)
        update_rows(session, table, entity, rows, package_id, log)
    bin_firms(session, plan, log, now)
    hand_over_records(session, plan, log)
    delete_records(session, plan, log)
    # touched: the firms the import changed (the marker lines below change nothing)
    touched = {row[3] for row in log.rows}
    for entity, record_id, firm_id, name, value in plan.agreed:  # (tiers.exchange.merge)
        log.rows.append((log.user, entity, record_id, firm_id, "update", name, value, value))
    bulk = bulk_writer(session)
    try:
        bulk.insert_rows(Change.__table__, CHANGE_FIELDS, log.rows,
                         constants={"at": now, "import_batch_id": batch.batch_id})
        bulk.wait()
    finally:
        bulk.close()
    # the firms that existed before and were changed (tiers.services.versions): a window
    # opened on one before the import must not save its older reading over it
    if plan.firm_ids:  # (records added to firms that were here before)
        for spec in RECORD_TABLES:
            codes = plan.package.table(spec).codes
            touched.update(plan.firm_ids[codes[index]] for index in plan.new_records[spec.entity]
                           if codes[index] in plan.firm_ids)
    versions.bump_many(session, touched - set(new_firms.values()))
