"""The part of an undo that only a package import (数据包, tiers.exchange) needs: a later
package of the same county, still in effect, stands on this one's data. It may change no
row of it (a newer package that changes nothing is recorded as sent only), yet 报送情况
shows the county as having sent it, with its firms: undoing the earlier package under it
removed every firm of the county while the county still read 已报送 with 426 firms."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.exchange.status import in_effect
from tiers.model.orm import ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.queries.package_owners import county_codes, no_county_label, owner_key


def later_packages(session: Session, batch_id: int) -> list[tuple[int, int, str, Any]]:
    """(batch, package, county name, package date) of each package imported after the
    batch's package, still in effect, for one of the counties it reported; newest first.
    (A county's packages are imported one at a time, an older one refused: the later
    batch is the newer package.)"""
    mine = {owner_key(code, unit) for code, unit in session.execute(
        select(ExchangePackageCounty.county_code, ExchangePackage.source_unit)
        .join(ExchangePackage, ExchangePackage.id == ExchangePackageCounty.package_id)
        .where(ExchangePackage.import_batch_id == batch_id))}
    # (by owner key: another unit's firms without a county are not this package's)
    return [(later, package_id, no_county_label(unit) if not code else name, date)
            for later, package_id, name, date, code, unit in session.execute(
                in_effect(ImportBatch.id, ExchangePackage.id, ExchangePackageCounty.county_name,
                          ExchangePackage.package_date, ExchangePackageCounty.county_code,
                          ExchangePackage.source_unit)
                .where(ImportBatch.id > batch_id,
                       ExchangePackageCounty.county_code.in_(county_codes(mine)))
                .order_by(ImportBatch.id.desc(), ExchangePackageCounty.county_code))
            if owner_key(code, unit) in mine]


def package_blocks(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """What blocks the undo of a package's batch (UndoPlan.blocked items): each later
    package of its counties, to be undone first."""
    return [{"entity": "exchange_package", "entity_id": package_id, "enterprise_id": None,
             "field": "", "batches": [later], "county": county,
             "package": f"批次 {later}，报送时间 {date:%Y-%m-%d %H:%M}",
             "reason": f"{county}之后又报送了数据包（批次 {later}，报送时间 {date:%Y-%m-%d %H:%M}），"
                       "报送情况以它为准"}
            for later, package_id, county, date in later_packages(session, batch_id)]


def only_receipts(session: Session, blocks: list[dict[str, Any]]) -> bool:
    """Whether the later packages of ``blocks`` (package_blocks) only recorded that they
    were sent: their batches created, updated and deleted nothing (their counts say so;
    counts that do not are taken as having written rows)."""
    batches = {batch for block in blocks for batch in block["batches"]}
    for counts in session.scalars(select(ImportBatch.counts)
                                  .where(ImportBatch.id.in_(batches))):
        try:
            summary = json.loads(counts or "{}")
            if any(sum(summary[what].values()) for what in ("created", "updated", "deleted")):
                return False
        except (ValueError, KeyError, AttributeError, TypeError):
            return False
    return True
