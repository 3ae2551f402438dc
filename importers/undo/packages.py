"""The part of an undo that only a package import (数据包, tiers.exchange) needs: a later
package of the same county, still in effect, stands on this one's data. It may change no
row of it (a newer package that changes nothing is recorded as sent only), yet 报送情况
shows the county as having sent it, with its firms: undoing the earlier package under it
removed every firm of the county while the county still read 已报送 with 426 firms.

Nor need a later package of another county write a row of this one to stand on it: a firm
this package carried as a conflict (a firm that moved here) is handed to this package's
county when its old county's next package no longer sends it (tiers.exchange.handover), on
the word of the conflict this batch recorded (its counts' conflict codes), not of a row
it wrote. Undoing this package under that hand-over left the firm this county's with the
old county's 镇街, reported by no county (tester29): the later package goes first.

Nor, the other way round, a later package of another county that sends a firm this one
created, left in conflict (both report it; nothing of the later package written but the
credit code in its batch's counts): undoing this package deleted the firm, and the later
package's conflict pointed at nothing, so the city no longer knew that county reports it
(its data for the firm is in its package only). That package goes first too; imported
again after both undos, it brings the firm as its own (undo29b)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.undo.text import reported_elsewhere_text
from tiers.exchange.status import in_effect
from tiers.model.orm import Change, Enterprise, ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.queries.package_conflicts import CONFLICT_CODES, conflict_firms
from tiers.queries.package_owners import county_codes, no_county_label, owner_key
from tiers.services.audit import from_json

CHUNK = 500  # credit codes per IN (…)


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


def handed_over_blocks(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """What blocks the undo of a package's batch because a later batch still in effect
    handed a firm to one of its counties, which the batch carried as a conflict (UndoPlan.
    blocked items, one per firm, named): that batch is to be undone first (its undo hands
    the firm back, and this package's then leaves it where it was)."""
    try:
        recorded = json.loads(session.scalar(select(ImportBatch.counts)
                                             .where(ImportBatch.id == batch_id)) or "{}")
    except ValueError:
        return []
    conflicts = recorded.get(CONFLICT_CODES) if isinstance(recorded, dict) else None
    if not isinstance(conflicts, dict):
        return []
    county_of = {code: county for county, codes in conflicts.items()
                 if isinstance(codes, list) for code in codes if isinstance(code, str)}
    found: dict[int, dict[str, Any]] = {}
    codes = sorted(county_of)
    for start in range(0, len(codes), CHUNK):
        # a hand-over writes the firm's source_county: to the county whose conflict it was
        for later, firm_id, name, code, county_name, new_value in session.execute(
                select(Change.import_batch_id, Enterprise.id, Enterprise.name,
                       Enterprise.credit_code, Enterprise.county_name, Change.new_value)
                .join(Enterprise, Enterprise.id == Change.entity_id)
                .join(ImportBatch, ImportBatch.id == Change.import_batch_id)
                .where(Change.entity == "enterprise", Change.action == "update",
                       Change.field == "source_county", Change.import_batch_id > batch_id,
                       ImportBatch.undone_at.is_(None),
                       Enterprise.credit_code.in_(codes[start:start + CHUNK]))
                .order_by(Change.id)):
            if (from_json(new_value) or "") != (county_of[code] or "") or firm_id in found:
                continue
            taker = county_name or "本批次的区县"
            found[firm_id] = {
                "entity": "enterprise", "entity_id": firm_id, "enterprise_id": firm_id,
                "field": "", "batches": [later], "name": name, "credit_code": code,
                "reason": f"企业“{name}”（{code}）在本批次的数据包中列为冲突（两地都报了），"
                          f"批次 {later} 据此把它改由{taker}报送；先撤销本批次会使它留在{taker}"
                          "而没有区县报送它"}
    return list(found.values())


def reported_elsewhere_blocks(session: Session, batch_id: int, removed: list[int]
                              ) -> list[dict[str, Any]]:
    """What blocks the undo of a package's batch because another county's later package,
    its newest in effect (as 报送情况 reads them), left in conflict firms this batch created
    that the undo would delete (``removed``): one item per firm, a line per later batch
    (text.reported_elsewhere_text)."""
    newest: dict[str, int] = {}
    for later, code, unit in session.execute(in_effect(
            ImportBatch.id, ExchangePackageCounty.county_code, ExchangePackage.source_unit)
            .order_by(ExchangePackage.package_date, ExchangePackage.id)):
        newest[owner_key(code, unit)] = later  # ordered by date: the last is the newest
    later_batches = {key: later for key, later in newest.items() if later > batch_id}
    if not later_batches or not removed:
        return []
    # the firms in conflict still (here, not binned, another county's): status's reading
    held = {firm.credit_code: (key, firm) for key, firms in
            conflict_firms(session, later_batches).items() for firm in firms}
    if not held:
        return []
    gone = set(removed)
    codes = sorted(held)
    found: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
    for start in range(0, len(codes), CHUNK):
        for firm_id, name, code in session.execute(
                select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                .where(Enterprise.import_batch_id == batch_id,
                       Enterprise.credit_code.in_(codes[start:start + CHUNK]))
                .order_by(Enterprise.id)):
            if firm_id in gone:
                key, firm = held[code]
                found.setdefault((later_batches[key], firm.county_name), []).append(
                    (firm_id, name, code))
    blocks = []
    for (later, county), firms in sorted(found.items()):
        reason = reported_elsewhere_text([(name, code) for _, name, code in firms], county,
                                         later)
        blocks += [{"entity": "enterprise", "entity_id": firm_id, "enterprise_id": firm_id,
                    "field": "", "batches": [later], "name": name, "credit_code": code,
                    "reason": reason} for firm_id, name, code in firms]
    return blocks
