"""Rows of firms the login may not write, left out of the import (不导入) with the reason
and the county, before anything is written.

A province's or city's list carries every county's firms; a county editor on a server may
write only his own counties' (tiers.storage.write_rights decides which, and what the row
is told). Without this, the preview showed those rows as 新增/更新 and the whole import
then failed on the server's row-level security with one line naming no row (tester25).
Now the rest of the list goes in, in one transaction; the server still refuses anything
that slips past (its policies are the final guard).

A row's counties are its firm's: the county the new firm would get (the row's 县区 column,
else its credit code's registering division), or the existing firm's county and, when the
row moves it, the county it would move to."""

from __future__ import annotations

from typing import Any

from importers.plan.overwrites import Overwrite
from importers.plan.types import CREATE, OUTSIDE, UPDATE, PlanRow, SheetColumns
from tiers.storage.write_rights import WriteRights


def row_counties(row: PlanRow, by_id: dict[int, dict[str, Any]]
                 ) -> list[tuple[str | None, str | None]]:
    """The counties (code, name) a writing row touches: a new firm's, or an existing firm's
    and the one the row would move it to."""
    if row.action == CREATE and row.create_values is not None:
        values = row.create_values
        return [(values.get("county_code"), values.get("county_name"))]
    current = by_id.get(row.enterprise_id) if row.enterprise_id is not None else None
    found = [(current["county_code"], current["county_name"]) if current is not None
             else (None, None)]
    moved = {change.field: change.new for change in row.changes
             if change.field in ("county_code", "county_name")}
    if moved:
        # only the name changed (武进 written 武进区): the firm keeps its code, and so its
        # county; a blank county filled with a unit without a code (开发区) stays uncoded
        code = moved["county_code"] if "county_code" in moved else found[0][0]
        found.append((code, moved.get("county_name")))
    return found


def leave_out_of_scope(rows: list[PlanRow], by_id: dict[int, dict[str, Any]],
                       rights: WriteRights, where: SheetColumns,
                       overwrites: list[Overwrite]) -> int:
    """Mark each row that would write a firm the login may not write as 不导入 (its changes
    and records dropped, the reason a warning at the 县区 column, else the credit code's);
    its values written over are no longer counted. Returns how many rows."""
    if rights.counties is None or not rights.may_write:
        return 0
    left: set[int] = set()
    for row in rows:
        if row.action not in (CREATE, UPDATE):
            continue
        counties = row_counties(row, by_id)
        reason = rights.import_refusal(counties)
        if not reason:
            continue
        key = "county" if "county" in where.columns_of else "credit_code"
        value = next((name or code for code, name in reversed(counties) if name or code),
                     row.credit_code or row.name)
        # only the reason: the row's own warnings (数据存疑, a 复核 year assumed …) are
        # about values that will not be written, not for this officer to check
        row.problems = [where.problem(row.row, key, value, reason, "warning")]
        row.action = OUTSIDE
        row.changes = []
        row.records = []
        row.create_values = None
        left.add(row.row)
    if left:
        overwrites[:] = [o for o in overwrites if o.row not in left]
    return len(left)
