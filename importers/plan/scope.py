"""Rows of firms the login may not write, or outside the counties the database's own unit
answers for (本单位负责的区县, tiers.services.unit), left out of the import (不导入) with
the reason and the county, before anything is written.

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

from collections.abc import Callable, Iterable
from typing import Any

from importers.plan.overwrites import Overwrite
from importers.plan.types import (
    CREATE,
    ERROR,
    OTHER_UNIT,
    OUTSIDE,
    UNMATCHED,
    UPDATE,
    PlanRow,
    SheetColumns,
)
from tiers.model import reference
from tiers.services.unit import UnitCounties, zone_area
from tiers.storage.write_rights import WriteRights, counties_named

Counties = Iterable[tuple[str | None, str | None]]


def row_counties(row: PlanRow, by_id: dict[int, dict[str, Any]]
                 ) -> list[tuple[str | None, str | None]]:
    """The counties (code, name) a writing row touches: a new firm's, or an existing firm's
    and the one the row would move it to. Nothing for a row of a firm an earlier row
    creates (``created_by``): that row has the firm's county."""
    if row.created_by is not None:
        return []
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
    its values written over are no longer counted. Returns how many rows. A firm without
    a county is the bureau's own editor's as the unit's rule tells it (WriteRights.allows):
    by the existing firm's own credit code, else the row's. A new one the rule cannot
    place is not left out here but by the unit's step (不导入（不属本单位区县）), which the
    officer may take in (--other-counties): the same rule, so the same rows."""
    if rights.counties is None or not rights.may_write:
        return 0

    def refusal(row: PlanRow, counties: Counties) -> str:
        current = by_id.get(row.enterprise_id) if row.enterprise_id is not None else None
        code = ((current.get("credit_code") or "") if row.action == UPDATE and current is not None
                else row.credit_code)
        return rights.import_refusal(counties, credit_code=code, existing=True)

    def binned_refusal(row: PlanRow, counties: Counties) -> str:
        current = by_id[row.binned]  # type: ignore[index]
        return rights.import_refusal(counties, credit_code=current.get("credit_code") or "",
                                     existing=True)

    return (_leave_out(rows, by_id, where, overwrites, refusal, OUTSIDE)
            + _leave_out_binned(rows, by_id, where, binned_refusal, OUTSIDE))


def unit_refusal(unit: UnitCounties, counties: Counties, *, credit_code: str = "",
                 existing: bool = False) -> str:
    """Why a row is not the unit's (本单位负责的区县 recorded in the database): a firm of
    another county, or one whose county cannot be told. "" when every county it touches is
    the unit's, or none is recorded. A county without a code (a 开发区, a blank) is told by
    the firm's credit code, the zone's name, and whether the firm is already in the
    database (``existing``): UnitCounties.covers_firm."""
    if not unit.is_set:
        return ""
    outside = [(code, name) for code, name in dict.fromkeys(counties)
               if not unit.covers_firm(code, name, credit_code, existing=existing)]
    if not outside:
        return ""
    named, said = counties_named(outside)
    # a zone of another place (溧阳经开区 for 金坛区) is that place's, said so
    placed = "、".join(dict.fromkeys(
        f"{name}（{reference.division(area).name}）" for code, name in outside  # type: ignore[union-attr]
        if not code and name and unit.written_elsewhere(None, name)
        and (area := zone_area(name)) is not None and reference.division(area) is not None))
    named = "、".join(part for part in (named, placed) if part)
    if named:
        return f"不属本单位区县（{named}；本单位：{unit.names}），不导入"
    said = f"{said}，" if said else _no_county_why(credit_code)
    return (f"未能确定所属区县{said}不属本单位区县（{unit.names}）的企业不导入"
            "（本单位的企业（如本单位的开发区企业）可一并导入这些行，"
            f"或在名单的县（市、区）一列写明企业所在的区县{_county_example(unit)}）")


def _no_county_why(credit_code: str) -> str:
    """：why the credit code gives no county；(苏州工业园区's 320594, a 设区市's own, another
    province's: reference.registry_not_a_county) for a firm whose county is not written,
    else ，: with 未能确定所属区县 alone the officer could not tell what to fill (tester of
    session 30, 吴中区)."""
    why = reference.registry_not_a_county(credit_code) if credit_code else ""
    return f"：{why}；" if why else "，"


def _county_example(unit: UnitCounties) -> str:
    """，如“新北区”: the unit's own county, a name the rule reads as the unit's. Not a zone's
    name made up from it (新北经开区 does not exist, tester28a; Tiers knows no list of
    zones); a 设区市's database names none (its counties are many)."""
    code, name = unit.divisions[0]
    found = reference.division(code)
    return f"，如“{name}”" if found is not None and found.level == "县级" else ""


def rows_outside_unit(rows: list[PlanRow], by_id: dict[int, dict[str, Any]],
                      unit: UnitCounties, taken: frozenset[int] = frozenset()
                      ) -> list[PlanRow]:
    """The writing rows whose firm is not the unit's (none when nothing is recorded).
    ``taken``: the firms an earlier import took in (tiers.services.unit.taken_in), the
    unit's whatever their county."""
    if not unit.is_set:
        return []
    return [row for row in rows if (row.action in (CREATE, UPDATE)
            and _unit_refusal(unit, row, row_counties(row, by_id), by_id, taken))
            or _unmatched_elsewhere(unit, row) or _binned_refusal(unit, row, by_id, taken)]


def _unmatched_elsewhere(unit: UnitCounties, row: PlanRow) -> bool:
    """A row left unmatched, without a credit code, whose 县区 column writes another place
    than the unit's (a province's list without codes, 所在地区 溧阳市 in 金坛's database):
    another county's firm, as a row with a code of that county would be (tester27b)."""
    return (row.action == UNMATCHED and not row.credit_code and row.written_county is not None
            and unit.written_elsewhere(*row.written_county))


def _unit_refusal(unit: UnitCounties, row: PlanRow, counties: Counties,
                  by_id: dict[int, dict[str, Any]], taken: frozenset[int] = frozenset()
                  ) -> str:
    """unit_refusal for a row: the existing firm's own credit code (a row matched by name
    may have none), else the row's. A firm the officer took in by an earlier import is the
    unit's (``taken``): its 公示 taken in, the final list must confirm it (tester28a) — as
    long as the row does not move it to a county written as another's (溧阳市 in 新北区's
    database): the list says it is elsewhere now."""
    current = by_id.get(row.enterprise_id) if row.enterprise_id is not None else None
    if row.action == UPDATE and current is not None:
        return _existing_refusal(unit, row.enterprise_id, current, counties, taken)
    return unit_refusal(unit, counties, credit_code=row.credit_code)


def _existing_refusal(unit: UnitCounties, firm: int, current: dict[str, Any],
                      counties: Counties, taken: frozenset[int]) -> str:
    """_unit_refusal of a row of a firm in the database (``counties``: its own, then where
    the row moves it)."""
    if firm in taken:
        moved = list(counties)[1:]
        elsewhere = [(code, name) for code, name in moved if unit.written_elsewhere(code, name)]
        return unit_refusal(unit, elsewhere, existing=True) if elsewhere else ""
    return unit_refusal(unit, counties, credit_code=current.get("credit_code") or "",
                        existing=True)


def _binned_counties(row: PlanRow, current: dict[str, Any]
                     ) -> list[tuple[str | None, str | None]]:
    """A binned firm's counties as row_counties gives a live one's: its own, then the one
    the row writes when that is another (the firm moved: 恒华纺织 of 新北区 now 武进区)."""
    found = [(current["county_code"], current["county_name"])]
    if row.written_county is not None:
        code, name = row.written_county
        # a name without a code (a 开发区) keeps the firm's code, as an update's would
        moved = (code or current["county_code"], name)
        if moved != found[0]:
            found.append(moved)
    return found


def _binned_refusal(unit: UnitCounties, row: PlanRow, by_id: dict[int, dict[str, Any]],
                    taken: frozenset[int] = frozenset()) -> str:
    """Why a row naming a firm in the 回收站 (an error: 请先恢复再导入) is not the unit's,
    by the rule a live firm's row is read with (its county, and the one the row moves it
    to): another county's firm is left out as the other rows of that county are, not
    shown as a firm to restore (tester29: 恒华纺织 moved to 武进区, binned on 新北区's
    laptop). "" for the unit's own (restore it first, as before)."""
    if not unit.is_set or row.action != ERROR or row.binned is None:
        return ""
    current = by_id.get(row.binned)
    if current is None:
        return ""
    return _existing_refusal(unit, row.binned, current, _binned_counties(row, current), taken)


def leave_out_of_unit(rows: list[PlanRow], by_id: dict[int, dict[str, Any]],
                      unit: UnitCounties, where: SheetColumns,
                      overwrites: list[Overwrite], taken: frozenset[int] = frozenset(), *,
                      keep: frozenset[int] = frozenset()) -> int:
    """Mark each row that would write a firm outside the unit's counties as 不导入（不属本
    单位区县）, as leave_out_of_scope does for a login's, but for the firms an earlier
    import took in (``taken``) and the rows the officer takes in one by one (``keep``,
    Excel rows). Returns how many rows."""
    if not unit.is_set:
        return 0
    left = _leave_out(rows, by_id, where, overwrites,
                      lambda row, counties: "" if row.row in keep
                      else _unit_refusal(unit, row, counties, by_id, taken),
                      OTHER_UNIT)
    left += _leave_out_binned(rows, by_id, where, lambda row, _counties: "" if row.row in keep
                              else _binned_refusal(unit, row, by_id, taken), OTHER_UNIT)
    for row in rows:  # nothing to write, but counted and said as the others, no firm offered
        if row.row not in keep and _unmatched_elsewhere(unit, row):
            assert row.written_county is not None
            code, name = row.written_county
            row.problems = [where.problem(row.row, "county", name or code,
                                          unit_refusal(unit, [row.written_county]), "warning")]
            row.action = OTHER_UNIT
            row.suggestions = []
            row.short_match = None
            left += 1
    return left


def _leave_out_binned(rows: list[PlanRow], by_id: dict[int, dict[str, Any]],
                      where: SheetColumns, refusal: Callable[[PlanRow, Counties], str],
                      action: str) -> int:
    """Mark each error row of a firm in the 回收站 (请先恢复再导入) that ``refusal`` says is
    not this login's or unit's as ``action``, its reason the one problem: another
    county's firm is left out like that county's other rows, not one to restore here
    (tester29). Returns how many rows."""
    left = 0
    for row in rows:
        if row.action != ERROR or row.binned is None or row.binned not in by_id:
            continue
        counties = _binned_counties(row, by_id[row.binned])
        reason = refusal(row, counties)
        if not reason:
            continue
        row.problems = [_left_out_problem(row, counties, where, reason)]
        row.action = action
        left += 1
    return left


def _left_out_problem(row: PlanRow, counties: Counties, where: SheetColumns, reason: str) -> Any:
    """The one problem of a row left out: ``reason``, at its county cell (else its code),
    naming the county the row is of as the row or the database gives it."""
    key = "county" if "county" in where.columns_of else "credit_code"
    value = next((name or code for code, name in reversed(counties) if name or code),
                 row.credit_code or row.name)
    return where.problem(row.row, key, value, reason, "warning")


def _leave_out(rows: list[PlanRow], by_id: dict[int, dict[str, Any]], where: SheetColumns,
               overwrites: list[Overwrite], refusal: Callable[[PlanRow, Counties], str],
               action: str) -> int:
    left: set[int] = set()
    for row in rows:
        if row.action not in (CREATE, UPDATE):
            continue
        counties = row_counties(row, by_id)
        reason = refusal(row, counties)
        if not reason:
            continue
        # only the reason: the row's own warnings (数据存疑, a 复核 year assumed …) are
        # about values that will not be written, not for this officer to check
        row.problems = [_left_out_problem(row, counties, where, reason)]
        row.action = action
        row.changes = []
        row.records = []
        row.create_values = None
        left.add(row.row)
    if left:
        overwrites[:] = [o for o in overwrites if o.row not in left]
    return len(left)
