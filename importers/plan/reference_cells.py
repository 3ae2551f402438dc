"""Figures typed into a 采集表's grey reference columns (上一年度, 参考，不需填写).

The reference columns are not imported: they show what the database held for last year
when the form was made. A firm that lifts the sheet's protection (WPS and LibreOffice let
it, the protection has no password) may type this year's figures there instead of into
the white columns; read silently, its submission would be lost behind 无变化 (tester27's
finding 3). So a reference cell whose value is not what the form printed in it (the
marker keeps that per credit code: tiers.reports.collection_marker) is a warning on its
row, naming each such column, what it holds, what was printed (and what the database
holds now, when the city has corrected it since) and the column the figure belongs in;
the file gets one line that counts them. Compared with the database instead, every form
sent before a correction of last year's figures came back warned though the firm had
typed nothing there (#16's review). A form whose marker kept nothing (written before it
did), or a row whose firm it did not print, is compared with the database, as before.
The values are still not imported: whether 12000 in 2024's column is 2025's revenue or a
correction of 2024's is for the firm to say, not for the import to guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from importers import values as parse
from importers.errors import Problem, column_letter
from importers.plan.known import Known
from importers.plan.types import ERROR, PlanRow
from importers.read.detection import Detection
from tiers.services import figures as figures_service
from tiers.text.values import show


def _number(value: Any) -> Decimal | None:
    """The cell as a number; None for text that is none (约一千万: differs from any figure)."""
    try:
        return parse.decimal(value)
    except parse.ValueProblem:
        return None


def _at_places(value: Any, key: str) -> Decimal:
    """A figure at the field's places: the sheet wrote it as a float, read back with float
    noise."""
    return Decimal(value).quantize(Decimal(1).scaleb(-figures_service.bounds(key)[3]))


def _differs(cell: Any, recorded: Any, key: str) -> bool:
    """Whether the cell is not the figure ``recorded`` (printed, or in the database)."""
    if recorded is None:
        return True
    number = _number(cell)
    return number is None or _at_places(number, key) != _at_places(recorded, key)


def _printed_for(row: PlanRow, known: Known, printed: Mapping[str, Mapping[str, Any]]
                 ) -> Mapping[str, Any] | None:
    """What the form printed in the row's reference cells: found by the code in the row,
    else by the matched firm's (not by the row's place: firms re-sort the table)."""
    found = printed.get(row.credit_code) if row.credit_code else None
    if found is None and row.enterprise_id in known.by_id:
        found = printed.get(known.by_id[row.enterprise_id]["credit_code"])
    return found


def _held(key: str, recorded: Mapping[str, Any], printed: Mapping[str, Any] | None) -> str:
    """What the cell is compared with, in words: 库中为 900, or 发出时为 900（，库中现为 950）."""
    now = recorded.get(key)
    if printed is None:
        return f"库中为 {show(now)}" if now is not None else "库中没有"
    was = printed.get(key)
    said = f"发出时为 {show(was)}" if was is not None else "发出时为空"
    if (now is None) == (was is None) and (now is None or _at_places(now, key)
                                           == _at_places(was, key)):
        return said
    return said + (f"，库中现为 {show(now)}" if now is not None else "，库中现已没有")


def reference_warnings(detection: Detection, rows: list[PlanRow], known: Known) -> list[Problem]:
    """Warn on each row whose reference columns hold values other than the database's
    (see the module); returns the file's line counting them (empty when none)."""
    references = detection.reference_columns
    if not references or detection.collection_year is None:
        return []
    year = detection.collection_year
    last_year = year - 1
    input_column = {key: index for index, key in detection.mapping.items()
                    if detection.header_years.get(index) == year}
    flagged: list[int] = []
    for row in rows:
        if row.enterprise_id is None or row.action == ERROR or row.cells is None:
            continue
        cells = row.cells
        recorded = known.figures.get((row.enterprise_id, last_year)) or {}
        printed = (_printed_for(row, known, detection.printed_references)
                   if detection.printed_references is not None else None)
        basis = printed if printed is not None else recorded
        typed = [(index, key, cells[index]) for index, key in sorted(references.items())
                 if index < len(cells) and not parse.is_blank(cells[index])
                 and _differs(cells[index], basis.get(key), key)]
        if not typed:
            continue
        parts = []
        for index, key, cell in typed:
            label = figures_service.LABELS[key]
            number = _number(cell)
            shown = show(number) if number is not None else str(cell).strip()
            held_text = _held(key, recorded, printed)
            target = input_column.get(key)
            goes = f"，{year} 年度的应填在 {column_letter(target)} 列" if target is not None else ""
            parts.append(f"{column_letter(index)} 列 {label} {shown}（{held_text}{goes}）")
        filled = any(not parse.is_blank(cells[index]) for index in input_column.values()
                     if index < len(cells))
        tail = "" if filled else f"；这一行 {year} 年度各项都未填，可能整行填错了列"
        row.problems.append(Problem(
            detection.sheet, row.row, column_letter(typed[0][0]), typed[0][2],
            f"灰色的 {last_year} 年度参考列中填了与{'发出时' if printed is not None else '库中'}"
            "不同的数，未导入："
            f"{'；'.join(parts)}{tail}。请退回企业核实，改填在白色的 {year} 年度列中后再导入",
            "warning"))
        flagged.append(row.row)
    if not flagged:
        return []
    against = "发出时" if detection.printed_references is not None else "库中"
    shown_rows = "、".join(map(str, flagged[:10])) + ("……" if len(flagged) > 10 else "")
    return [Problem(detection.sheet, None, "", None,
                    f"有 {len(flagged)} 家企业在灰色的 {last_year} 年度参考列（不需填写，不导入）中"
                    f"填了与{against}不同的数（第 {shown_rows} 行），这些数没有导入：可能是把 {year} 年度的"
                    "数据填错了列，请退回企业核实", "warning")]
