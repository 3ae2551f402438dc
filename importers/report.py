"""What the CLI prints and the error workbook sent back to whoever filled the sheet."""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from importers.errors import ImportRefused
from importers.plan import (
    ERROR,
    OTHER_UNIT,
    OUTSIDE,
    SHORT_NAME_TAKEN,
    UNMATCHED,
    Plan,
    PlanRow,
)
from importers.plan.overwrites import counted
from importers.read.sources import file_sha256
from tiers import __version__, outputs
from tiers.reports import marker, output
from tiers.reports.closing import close_workbook, new_workbook
from tiers.reports.writer import display_width
from tiers.text.values import batch_text

PROBLEM_COLUMN = "问题说明"
PROBLEM_WIDTH = 60  # the 问题说明 column, in Excel's character units
LINE_HEIGHT = 15  # points


def summary(plan: Plan, *, batch_id: int | None) -> dict[str, Any]:
    """The JSON object of ``tiers import --json``."""
    counts = plan.counts()
    firms, values = counted(plan.overwrites)
    result = {
        "file": plan.file_name, "sheet": plan.sheet, "kind": plan.kind,
        "rows": counts["rows"], "created": counts["created"], "updated": counts["updated"],
        "unchanged": counts["unchanged"], "unmatched": counts["unmatched"],
        "errors": counts["errors"],
        # rows of firms the login may not write (another county's): left out, each with
        # its reason among the problems
        "outside": counts.get("outside", 0),
        # rows of firms outside the counties the database's unit answers for (本单位负责的
        # 区县): left out unless taken in, each with its reason among the problems
        "other_unit": counts.get("other_unit", 0), "batch_id": batch_id,
        # values firms already had: written over (全部更新) or kept (只补空白)
        "fill_blanks_only": plan.fill_blanks_only,
        "overwrites": {"enterprises": firms, "values": values,
                       "written": 0 if plan.fill_blanks_only else values},
        "problems": [p.to_dict() for p in plan.all_problems()],
        # rows linked by their 简称 (采用简称匹配, --adopt-short-names) and rows only
        # offered so (按简称匹配, not linked): Excel row numbers
        "short_names": short_name_rows(plan),
    }
    if plan.kind == "recognitions":  # 公示名单 or 认定名单, and who a final list left out
        result["taken_as"] = plan.taken_as
        result["not_in_final_list"] = [
            {k: firm[k] for k in ("name", "credit_code", "tier", "batch_label", "batch_year")}
            for firm in plan.not_in_final_list]
    return result


def short_name_rows(plan: Plan) -> dict[str, list[int]]:
    """The rows taken as the one firm their 简称 fits (按简称匹配（已采用）) and the rows
    the plan only offers so (按简称匹配, left for the officer to take or leave)."""
    return {"taken": [row.row for row in plan.rows if row.matched_by == SHORT_NAME_TAKEN],
            "offered": [row.row for row in plan.rows if row.short_match is not None]}


def taken_as_text(plan: Plan) -> str:
    """Which of the two a recognition list was taken as, for the preview (the faces add
    how to change it)."""
    if plan.kind != "recognitions":
        return ""
    if plan.metadata.get("pending"):
        return ("按公示名单导入：名单上的企业记为“公示中”，不算已认定；"
                "认定名单导入（或确认）后生效")
    return "按认定名单导入"


def not_in_final_list_lines(plan: Plan, *, limit: int, todo: str = "") -> list[str]:
    """The firms a final list leaves out of batches they are 公示中 in: a heading, then one
    line each (up to ``limit``), then ``todo``: what the officer does with each of them, in
    the words of the face showing it (“请核实” alone left them 公示中 for good)."""
    missing = plan.not_in_final_list
    if not missing:
        return []
    lines = [f"公示过但不在本认定名单中的企业 {len(missing)} 家（仍为“公示中”，请核实）："]
    for firm in missing[:limit]:
        # 2026年度 once, 第五批（2023年）: as the rosters write a batch
        batch = batch_text(firm["batch_label"], firm["batch_year"],
                           is_review=firm.get("is_review", False))
        lines.append(f"  {firm['name']} {firm['credit_code'] or ''}  {firm['tier']} {batch}")
    if len(missing) > limit:
        lines.append(f"  ……另有 {len(missing) - limit} 家")
    return [*lines, todo] if todo else lines


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


# the rows a plan leaves out of the import: an error, no firm found (未匹配), another
# county's firm on an editor's login, a firm outside 本单位负责的区县 not taken in
NOT_IMPORTED = frozenset((ERROR, UNMATCHED, OUTSIDE, OTHER_UNIT))


def rows_to_note(plan: Plan) -> list[PlanRow]:
    """The rows to tell of again once the preview is gone (the wizard's 完成 page): each
    with problems (a warning's row is imported all the same), and each not imported even
    without one, in the file's order."""
    return [row for row in plan.rows if row.problems or row.action in NOT_IMPORTED]


def _rows_to_send_back(plan: Plan, *, include_unmatched: bool) -> list[PlanRow]:
    wanted = {ERROR, UNMATCHED} if include_unmatched else {ERROR}
    return [r for r in plan.rows if r.action in wanted or any(
        p.severity == "error" for p in r.problems)]


def _sheet_name(plan: Plan) -> str:
    """The plan's sheet name as Excel allows it (31 characters, none of []:*?/\\)."""
    return (plan.sheet or "问题行")[:31].translate(
        str.maketrans({c: "_" for c in "[]:*?/\\"})) or "问题行"


def _problem_text(row: PlanRow) -> str:
    messages = [f"{p.column + '列：' if p.column else ''}{p.message}" for p in row.problems]
    return "\n".join(messages) or row.action_label


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, date_format: Format) -> None:
    """One cell as the type it was read as; text as text, never as a formula."""
    value = _cell(value)
    if isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(row, column, value, date_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, value)


def _set_page(sheet: Worksheet) -> None:
    """Printed as a list to send back: landscape, as wide as one page, header on each."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def check_report_target(path: str | Path, source: str | Path | None = None) -> None:
    """Refuse, before anything is imported, a place the error workbook could not be
    written to: a folder, a read-only file, or a folder (or the nearest existing one above
    a folder still to be made) where nothing may be written; and the file being imported
    (``source``) itself, or a name not ending in .xlsx."""
    path = Path(path).absolute()
    if path.is_dir():
        raise ImportRefused(f"问题行文件“{path}”是一个文件夹：请给出文件名，例如 {path / '问题行.xlsx'}。")
    _refuse_the_source(path, _same_file(path, source))
    if output.open_elsewhere(path):  # (Excel on Windows would refuse the replace at the end)
        raise ImportRefused(f"问题行文件“{path.name}”正被其他程序（如 Excel、WPS）打开："
                            "请先关闭它，或换一个文件名。")
    if path.exists() and not os.access(path, os.W_OK):
        raise ImportRefused(f"问题行文件“{path}”是只读的，无法写入：请换一个文件名或位置。")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # write_error_report makes the missing folders
    if not folder.is_dir():
        raise ImportRefused(f"问题行文件无法写到“{folder}”下：它不是文件夹。请换一个位置。")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ImportRefused(f"文件夹“{folder}”不可写入（无权限或只读），问题行文件无法保存在那里："
                            "请换一个位置，例如桌面或“文档”文件夹。")


def _refuse_the_source(path: Path, is_the_source: bool) -> None:
    """The problem rows never replace the list they came from (``--errors 名单.xlsx`` with
    名单.xlsx imported wrote over it, even with --dry-run), nor go to a name that is no
    workbook's (名单.csv got the workbook's bytes)."""
    if is_the_source:
        raise ImportRefused(f"问题行文件不能保存为正在导入的文件“{path.name}”本身，"
                            "否则原名单将被覆盖：请换一个文件名，例如 问题行.xlsx。")
    if path.suffix.lower() != ".xlsx":
        raise ImportRefused(f"问题行文件应以 .xlsx 结尾（它是一个 Excel 工作簿）：{path.name}")


def _same_file(path: Path, source: str | Path | None) -> bool:
    if source is None:
        return False
    try:
        return os.path.samefile(path, source)
    except OSError:  # the list is gone: compare the names
        return path.resolve() == Path(source).resolve()


def write_error_report(plan: Plan, path: str | Path, *, include_unmatched: bool = True,
                       source: str | Path | None = None, only_ours: bool = False,
                       agreed: outputs.FileIdentity | None = None) -> int:
    """Write the rows with problems (errors, and unmatched rows unless told otherwise) as
    they were read, with the header and a 问题说明 column. Returns the number of rows written.
    Text is written as text (never as a formula). Written beside the target and moved into
    place: a full disk or a kill never leaves a broken file under the target's name, and an
    earlier report of the same name stays whole until the new one is. ``source``, the list
    imported: refused by its path (a list edited in Excel since the preview has another
    digest), and any copy of its bytes by the plan's digest. ``only_ours`` (the command
    line, the desktop): a file that is not Tiers' own untouched output when the report is
    moved into place is refused and kept, unless it is still the file the officer agreed
    to replace (``agreed``: its outputs.file_identity when asked; output.move_into_place)."""
    path = Path(path)
    _refuse_the_source(path, path.is_file() and (
        _same_file(path, source) or file_sha256(path) == plan.sha256))
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = _rows_to_send_back(plan, include_unmatched=include_unmatched)
    temporary = output.temporary_beside(path)
    try:
        workbook = new_workbook(str(temporary), {"strings_to_formulas": False,
                                                  "strings_to_urls": False,
                                                  "strings_to_numbers": False})
        marker.mark(workbook, marker.IMPORT_PROBLEMS)
        # Tiers' own (tiers.outputs): the next --errors of the same name may replace it
        workbook.set_properties({"comments": f"Tiers {__version__}"})
        try:
            _write_rows(workbook, plan, rows)
        finally:
            close_workbook(workbook)
        output.move_into_place(temporary, path, only_ours=only_ours, agreed=agreed)
    finally:
        output.discard(temporary)
    return len(rows)


def _write_rows(workbook: xlsxwriter.Workbook, plan: Plan, rows: list[PlanRow]) -> None:
    sheet = workbook.add_worksheet(_sheet_name(plan))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                "text_wrap": True})
    problem_format = workbook.add_format({"font_color": "#C00000", "text_wrap": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    headers = ["原行号", *(h.replace("/", "\n") for h in plan.headers), PROBLEM_COLUMN]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 1)
    width = len(plan.headers)
    # a two-row header's group (企业基本信息/…) wraps above the name that sizes the column
    widths = [display_width(header.split("/")[-1]) for header in plan.headers]
    if any("/" in header for header in plan.headers):
        sheet.set_row(0, LINE_HEIGHT * 2 + 3)
    for out_row, row in enumerate(rows, start=1):
        sheet.write_number(out_row, 0, row.row)
        cells = row.cells or []
        for column in range(width):
            value = cells[column] if column < len(cells) else None
            _write_cell(sheet, out_row, column + 1, value, date_format)
            widths[column] = max(widths[column], display_width(_shown(value)))
        text = _problem_text(row)
        sheet.write_string(out_row, width + 1, text, problem_format)
        # LibreOffice and WPS do not grow a row for wrapped text written without a
        # height: give it one (one line per PROBLEM_WIDTH display units)
        lines = sum(max(1, math.ceil(display_width(line) / PROBLEM_WIDTH))
                    for line in text.split("\n"))
        sheet.set_row(out_row, LINE_HEIGHT * lines + 3)
    for column, measured in enumerate(widths):
        sheet.set_column(column + 1, column + 1, min(max(measured + 2, 8), 40))
    sheet.set_column(width + 1, width + 1, PROBLEM_WIDTH + 2)
    _set_page(sheet)


def _shown(value: Any) -> str:
    """The cell as Excel shows it, for its width (a date in yyyy-mm-dd)."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "yyyy-mm-dd"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
