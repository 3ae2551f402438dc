"""What the CLI prints and the error workbook sent back to whoever filled the sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from importers.plan import ERROR, UNMATCHED, Plan

PROBLEM_COLUMN = "问题说明"


def summary(plan: Plan, *, batch_id: int | None) -> dict[str, Any]:
    """The JSON object of ``tiers import --json``."""
    counts = plan.counts()
    return {
        "file": plan.file_name, "sheet": plan.sheet, "kind": plan.kind,
        "rows": counts["rows"], "created": counts["created"], "updated": counts["updated"],
        "unchanged": counts["unchanged"], "unmatched": counts["unmatched"],
        "errors": counts["errors"], "batch_id": batch_id,
        "problems": [p.to_dict() for p in plan.all_problems()],
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, (int, float, bool)):
        return value
    return str(value)


def write_error_report(plan: Plan, path: str | Path, *, include_unmatched: bool = True) -> int:
    """Write the rows with problems (errors, and unmatched rows unless told otherwise) as
    they were read, with the header and a 问题说明 column. Returns the number of rows written.
    Text is written as text (never as a formula)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wanted = {ERROR, UNMATCHED} if include_unmatched else {ERROR}
    rows = [r for r in plan.rows if r.action in wanted or any(
        p.severity == "error" for p in r.problems)]
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_urls": False,
                                               "strings_to_numbers": False})
    try:
        sheet = workbook.add_worksheet((plan.sheet or "问题行")[:31].translate(
            str.maketrans({c: "_" for c in "[]:*?/\\"})) or "问题行")
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                    "text_wrap": True})
        problem_format = workbook.add_format({"font_color": "#C00000", "text_wrap": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        headers = ["原行号", *plan.headers, PROBLEM_COLUMN]
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 1)
        width = len(plan.headers)
        for out_row, row in enumerate(rows, start=1):
            sheet.write_number(out_row, 0, row.row)
            cells = row.cells or []
            for column in range(width):
                value = _cell(cells[column] if column < len(cells) else None)
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(out_row, column + 1, value, date_format)
                elif isinstance(value, bool):
                    sheet.write_boolean(out_row, column + 1, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(out_row, column + 1, value)
                else:
                    sheet.write_string(out_row, column + 1, value)
            messages = [f"{p.column + '列：' if p.column else ''}{p.message}" for p in row.problems]
            sheet.write_string(out_row, width + 1, "；".join(messages) or row.action_label,
                               problem_format)
        sheet.set_column(1, width, 16)
        sheet.set_column(width + 1, width + 1, 60)
    finally:
        workbook.close()
    return len(rows)
