"""The firms a county's package left in conflict, by name: 报送情况's 冲突 N said which firm,
which two counties (the window's tooltip and ``tiers package list``), so that the city can
check with both without previewing a package again.

A package import records the credit codes of its firms left unmerged, per county of the
package, in its import batch's counts (CONFLICT_CODES, tiers.exchange.plan_types); the
firms are read here as they are now. A firm is still in conflict while it is here, not in
the recycle bin, and held by another county's package (tiers.exchange.plan's rule): once
the county holding it stops sending it and the firm becomes the package's county's, or it
is binned, it is no longer listed (nor counted).

On a server a county viewer does not see the other county's firm (row-level security): the
server's tiers_package_conflicts (tiers.storage.server.conflicts) says which of his
county's recorded codes are in conflict still and who holds them, and he is told those by
credit code, without the firm's name, rather than a count that fell to 0."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model.orm import Enterprise, ImportBatch
from tiers.model.reference import division
from tiers.queries.package_owners import (
    is_no_county,
    no_county_label,
    owner_unit,
    package_units,
    row_owner,
)

CONFLICT_CODES = "conflict_codes"  # in an import batch's counts: county → credit codes
CHUNK = 500  # credit codes per IN (…)


@dataclass(frozen=True)
class ConflictFirm:
    credit_code: str
    name: str
    county_code: str  # the county whose package sent it too (its line in 报送情况)
    county_name: str
    held_by_code: str  # the county whose package brought it here, which holds it
    held_by_name: str
    # the firm is another county's and this login (a county viewer on a server) does not
    # see it: its name is "" and only its credit code is told, with the county holding it
    # ("" and 其他区县 on a server whose init predates tiers_package_conflicts)
    hidden: bool = False

    @property
    def text(self) -> str:
        """常州甲公司（91320411…）：已由新北区的数据包报送，武进区的数据包也有 — the
        tooltip's and the command line's line, in the import's own words; of a firm the
        login does not see, its credit code and why there is no name."""
        if self.hidden:
            why = (f"企业在{self.held_by_name}，您的账号看不到它的名称与详情" if self.held_by_code
                   else "您的账号看不到这家企业，也无法判断冲突是否已了结")
            return (f"信用代码 {self.credit_code}（{why}）：已由{self.held_by_name}的数据包报送，"
                    f"{self.county_name}的数据包也有")
        return (f"{self.name}（{self.credit_code}）：已由{self.held_by_name}的数据包报送，"
                f"{self.county_name}的数据包也有")


def recorded_codes(batch_counts: str | None, county: str) -> list[str] | None:
    """The credit codes the batch's import left in conflict for ``county``; None when the
    batch recorded none by code (an import made before they were recorded: only counted)."""
    try:
        counts = json.loads(batch_counts or "{}")
    except ValueError:
        return None
    found = counts.get(CONFLICT_CODES) if isinstance(counts, dict) else None
    if not isinstance(found, dict):
        return None
    codes = found.get(county, [])
    return [code for code in codes if isinstance(code, str)] if isinstance(codes, list) else None


def conflict_firms(session: Session, batches: Mapping[str, int]
                   ) -> dict[str, list[ConflictFirm]]:
    """county → the firms its package (the import batch ``batches[county]``, its newest in
    effect) left in conflict that are in conflict still, in the package's order. A county
    whose batch recorded no codes (imported before they were) is absent. The counties are
    owner keys (tiers.queries.package_owners): the firms without a county per unit."""
    wanted = {batch_id for batch_id in batches.values() if batch_id is not None}
    if not wanted:
        return {}
    counts = dict(session.execute(select(ImportBatch.id, ImportBatch.counts)
                                  .where(ImportBatch.id.in_(wanted))).all())
    codes: dict[str, list[str]] = {}
    for key, batch_id in batches.items():
        found = recorded_codes(counts.get(batch_id), _county(key))
        if found is not None:
            codes[key] = found
    firms = _firms(session, {code for listed in codes.values() for code in listed})
    units = package_units(session) if firms else {}
    result: dict[str, list[ConflictFirm]] = {}
    for key, listed in codes.items():
        county = _county(key)
        result[key] = []
        unseen = [code for code in listed if code not in firms]
        hidden = _hidden(session, batches[key], county) if unseen else {}
        for code in listed:
            firm = firms.get(code)
            if firm is None and code in hidden:  # there, behind the server's row rules
                holder = hidden[code]
                result[key].append(ConflictFirm(
                    credit_code=code, name="", county_code=county,
                    county_name=_owner_name(key), held_by_code=holder or "",
                    held_by_name=_county_name(holder) if holder else "其他区县",
                    hidden=True))
                continue
            if firm is None or firm["deleted_at"] is not None:
                continue  # gone, or in the recycle bin: the package's next import takes it
            holder = row_owner(firm["source_county"], firm["source_package_id"], units)
            if firm["source_package_id"] is None or holder == key:
                continue  # entered here since, or the package's county's (unit's) now
            result[key].append(ConflictFirm(
                credit_code=code, name=firm["name"], county_code=county,
                county_name=_owner_name(key), held_by_code=firm["source_county"] or "",
                held_by_name=_owner_name(holder)))
    return result


def _county(key: str) -> str:
    """The county code an owner key's package recorded its conflicts under."""
    return "" if is_no_county(key) else key


def _owner_name(key: str) -> str:
    """A county's name; the firms without a county of one unit: （未填区县，…报送）."""
    return no_county_label(owner_unit(key)) if is_no_county(key) else _county_name(key)


def _hidden(session: Session, batch_id: int, county: str) -> dict[str, str | None]:
    """Of the codes ``batch_id`` recorded for ``county``, those in conflict still that this
    login does not see (a county viewer on a server: the firm is another county's), credit
    code → the county holding it. Only a server hides firms; one whose init predates the
    server's function cannot say whether they are settled, and a county viewer's are kept
    (holder None) rather than dropped: his count must not fall to 0 unsaid. (A file hides
    none: held_elsewhere says so.)"""
    from tiers.storage.server.conflicts import held_elsewhere
    from tiers.storage.write_rights import write_rights

    found = held_elsewhere(session, batch_id, county)
    if found is not None:
        return dict(found)
    if write_rights(session).reads is None:
        return {}  # he sees every firm: one not found is gone
    recorded = recorded_codes(session.scalar(select(ImportBatch.counts).where(
        ImportBatch.id == batch_id)), county) or []
    return dict.fromkeys(recorded)


def _firms(session: Session, codes: set[str]) -> dict[str, dict[str, Any]]:
    table = Enterprise.__table__
    ordered = sorted(codes)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ordered), CHUNK):
        for row in session.execute(select(
                table.c.credit_code, table.c.name, table.c.deleted_at,
                table.c.source_package_id, table.c.source_county).where(
                table.c.credit_code.in_(ordered[start:start + CHUNK]))).mappings():
            found[row["credit_code"]] = dict(row)
    return found


def _county_name(code: str) -> str:
    if not code:
        return "（未填区县）"
    found = division(code)
    return found.name if found else code
