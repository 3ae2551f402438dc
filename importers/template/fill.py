"""Filling a 报送模板 with openpyxl: the rows go below the header in the template's own
formats; the footer (合计, 填表说明, 落款) moves down with its merged cells, row heights and
formulas (a 合计 over the template's empty rows grows to cover the filled ones); the title,
the header, column widths, print setup and every other sheet stay as the template has them.
The template itself is never written: the result is saved under another name, through a
temporary file moved into place at the end.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.template.layout import TemplateLayout
from tiers import __version__, outputs
from tiers.progress import Job, Progress
from tiers.reports import output, template_rows
from tiers.reports.base import ReportRequest
from tiers.reports.closing import release_zip_files

PROGRESS_EVERY = 500
# a cell reference or a range (F5, $F$5, F5:F24), not part of a name such as LOG10(
_REFERENCE = re.compile(r"(?<![A-Za-z0-9_.])(\$?[A-Z]{1,3}\$?)(\d+)"
                        r"(?::(\$?[A-Z]{1,3}\$?)(\d+))?(?![A-Za-z0-9_(])")


def fill_steps(session: Session, layout: TemplateLayout, mapping: dict[int, str],
               target: str | Path, request: ReportRequest, *, year: int | None = None,
               only_ours: bool = False, agreed: outputs.FileIdentity | None = None
               ) -> Job[Path]:
    """Fill the template of ``layout`` with the roster's firms (the report's filters in
    ``request``), columns as ``mapping`` says (column index → template field key), and
    save it as ``target``. Yields progress; closing the job early leaves nothing behind.
    ``only_ours`` (the command line, the desktop): a target that is not Tiers' own untouched
    output when the filled template is moved into place is refused and kept, unless it is
    still the file the officer agreed to replace (``agreed``: output.move_into_place)."""
    target = output.check_target(Path(target))
    if target.suffix.lower() != ".xlsx":
        raise ImportRefused("填好的模板应保存为 .xlsx 文件")
    if target.resolve() == layout.path.resolve():
        raise ImportRefused("不能覆盖上级发来的模板本身，请另存为一个新文件")
    used = {index: key for index, key in mapping.items() if key}
    if not used:
        raise ImportRefused("没有任何一列对应到 Tiers 的字段，请先指定各列填写什么")
    yield Progress("正在读取模板", 0, 0)
    total = template_rows.count(session, request)
    with warnings.catch_warnings():  # its English on stderr: the losses were said before
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(layout.path)
    sheet = book[layout.sheet]
    first = layout.first_data_row
    room = layout.empty_rows if layout.footer_row else total
    if layout.footer_row and total > room:
        _move_footer(sheet, layout.footer_row, total - room, first)
    sample = _sample(sheet, first)
    done = 0
    for done, values in enumerate(template_rows.rows(session, request, year=year), start=1):
        row = first + done - 1
        if row != first:
            _copy_row_format(sheet, sample, row)
        for index, key in used.items():
            _put(sheet.cell(row=row, column=index + 1), values.get(key))
        if done % PROGRESS_EVERY == 0:
            yield Progress(f"已填写 {done} / {total} 家", done, total)
    for row in range(first + done, first + room):  # rows the template left and we did not use
        for index in used:
            sheet.cell(row=row, column=index + 1).value = None
    yield Progress("正在保存", total, total)
    temporary = output.temporary_beside(target)
    # marked as Tiers' own output, saved just now (tiers.outputs: the command line replaces
    # it next time, but not once the officer saved it again in Excel)
    book.properties.description = f"Tiers {__version__}"
    book.properties.created = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    try:
        try:
            book.save(temporary)
        except OSError as exc:  # a full disk: no zip left for the collector to close again
            release_zip_files(exc)
            raise
        output.move_into_place(temporary, target, only_ours=only_ours, agreed=agreed)
    finally:
        output.discard(temporary)
    return target


def _put(cell, value: Any) -> None:
    if isinstance(value, Decimal):
        value = float(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=…" from a firm's name is not a formula
    elif isinstance(value, dt.date) and cell.number_format == "General":
        cell.number_format = "yyyy-mm-dd"


class _Sample:
    """The template's first data row: its formats, height and formulas, copied to every
    row that is filled."""

    def __init__(self, sheet: Worksheet, row: int) -> None:
        self.row = row
        self.height = sheet.row_dimensions[row].height
        self.cells = {}
        for column in range(1, sheet.max_column + 1):
            cell = sheet.cell(row=row, column=column)
            formula = cell.value if isinstance(cell.value, str) and cell.value.startswith("=") \
                else None
            self.cells[column] = (cell._style, formula)


def _sample(sheet: Worksheet, row: int) -> _Sample:
    return _Sample(sheet, row)


def _copy_row_format(sheet: Worksheet, sample: _Sample, row: int) -> None:
    for column, (style, formula) in sample.cells.items():
        cell = sheet.cell(row=row, column=column)
        cell._style = copy(style)
        if formula:  # a computed column (占比 = B5/C5): the same formula on this row
            origin = f"{get_column_letter(column)}{sample.row}"
            cell.value = Translator(formula, origin=origin).translate_formula(
                f"{get_column_letter(column)}{row}")
    if sample.height is not None:
        sheet.row_dimensions[row].height = sample.height


def _move_footer(sheet: Worksheet, footer: int, shift: int, first: int) -> None:
    """Move the rows from ``footer`` down by ``shift``: cells, merged ranges, heights, and
    the references in formulas (a range ending on the last empty row now ends on the last
    filled one)."""
    last_row, last_column = sheet.max_row, sheet.max_column
    merged = [r for r in list(sheet.merged_cells.ranges) if r.min_row >= footer]
    for item in merged:
        sheet.unmerge_cells(str(item))
    heights = {row: sheet.row_dimensions[row].height for row in range(footer, last_row + 1)}
    sheet.move_range(f"A{footer}:{get_column_letter(last_column)}{last_row}", rows=shift)
    for row in range(footer, footer + shift):
        sheet.row_dimensions[row].height = None
    for row, height in heights.items():
        sheet.row_dimensions[row + shift].height = height
    for item in merged:
        item.shift(0, shift)
        sheet.merge_cells(str(item))
    for row in sheet.iter_rows(min_row=1, max_row=last_row + shift):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = _moved_references(cell.value, footer, shift, first)
    if sheet.print_area:
        sheet.print_area = _moved_references(sheet.print_area.replace("'", "")
                                              .split("!")[-1], footer, shift, first)


def _moved_references(formula: str, footer: int, shift: int, first: int) -> str:
    """References at or below the footer move down; a range that starts in the data rows
    and ends on the last empty row grows to end on the last filled row."""
    def moved(match: re.Match) -> str:
        column, row = match.group(1), int(match.group(2))
        if match.group(3) is None:
            return f"{column}{row + shift if row >= footer else row}"
        end_column, end = match.group(3), int(match.group(4))
        # SUM(F5:F24) over the empty rows grows; a range ending in the footer moves with it
        if (first <= row < footer and end == footer - 1) or end >= footer:
            end += shift
        return f"{column}{row + shift if row >= footer else row}:{end_column}{end}"

    return _REFERENCE.sub(moved, formula)
