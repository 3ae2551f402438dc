"""One 采集表 workbook: the instructions (填表说明), the table the firms fill (采集表) and the
hidden marker the importer recognises it by.

The table: title, a note, a group row (企业信息 | 本年度数据（请填写） | 上年度数据（参考）),
the column headers with units (营业收入（万元）), then one row per firm. Only the white
input cells can be changed (the sheet is protected without a password, so an officer can
lift it); each input column validates what is typed (numbers ≥ 0, percentages 0–100,
whole counts, places from 1) and says so in Chinese when the cell is selected. Panes are
frozen below the header and right of the credit code.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from xlsxwriter.worksheet import Worksheet

from tiers import __version__
from tiers.reports import collection_marker as marker
from tiers.reports.cells import chinese_date, display_width
from tiers.reports.closing import close_workbook, discard_workbook, new_workbook
from tiers.reports.collection_data import Firm, accepts, figure_keys, header_of, unit_of
from tiers.text import fields
from tiers.text.cells import FORMULA_START

DATA_SHEET = "采集表"
GUIDE_SHEET = "填表说明"
FONT = "宋体"
INFO_COLUMNS = (("序号", "", 5), ("县（市、区）", "", 11), ("镇（街道）", "", 12))
IDENTITY_COLUMNS = (("企业名称", "name", 30), ("统一社会信用代码", "credit_code", 21))
FIRST_INPUT = len(INFO_COLUMNS) + len(IDENTITY_COLUMNS)
TITLE_ROW, NOTE_ROW, GROUP_ROW, HEADER_ROW = 0, 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
TITLE_LAST_COL = FIRST_INPUT + 3  # the title and the note span what the first screen shows
INPUT_FILL, REFERENCE_FILL, HEADER_FILL = "#FFFFFF", "#E7E6E6", "#DDEBF7"
NUMBER_FORMATS = {"amount": "#,##0.00", "integer": "0", "percent": '0.00"%"', "decimal": "0.0"}
# Printing. Officers print the table and send it to firms to fill in by hand: A4 landscape
# at a fixed scale, each page the firm's name and credit code (repeated on every page) and
# a run of whole figure columns, the runs cut by manual page breaks (Excel ignores those
# under 适应页宽, so the scale is fixed, not fitted). Only the columns to fill print: last
# year's grey reference columns are for the screen. A firm's row is tall enough to write in.
PRINT_SCALE = 80  # percent
# the width a page holds at PRINT_SCALE between 0.4-inch side margins (10.9 inches), in
# column units as the file stores them (a width of 11 is stored 11.71, the cell padding):
# about 186 where the default font is Calibri (Excel, WPS), about 140 where LibreOffice
# lacks it and measures a wider one; the smaller, so that no run splits anywhere
PAGE_UNITS = 140
PRINT_TITLE_COLUMNS = (3, 4)  # 企业名称, 统一社会信用代码
FIRM_ROW_HEIGHT = 30  # points: a handwritten line (also room for a long name's two lines)


@dataclass(frozen=True)
class Letter:
    """What the officer tells the firms: who sends it, to whom it goes back, by when."""

    year: int
    unit: str = ""  # 填报单位 (the bureau)
    officer: str = ""
    phone: str = ""
    return_to: str = ""  # where the filled file goes back (an e-mail, an office)
    deadline: dt.date | None = None
    area: str = ""  # 武进区 / 湖塘镇 in the title


def column_header(key: str) -> str:
    """营业收入 over （万元）: the unit on a line of its own, so columns stay narrow."""
    label = header_of(key)
    head, bracket, unit = label.partition("（")
    return f"{head}\n{bracket}{unit}" if bracket else label


def requirement(key: str) -> str:
    """The rule of one input column in words (the cell's input message, the guide's table)."""
    kind, minimum, maximum, places = accepts(key)
    spec = fields.fields_of("annual_figures")[key]
    if spec.kind == "percent":
        return f"填百分数的数值，0–100，如 35.5 表示 35.5%；最多 {places} 位小数"
    if kind == "integer" and minimum == 1:
        return f"填名次（整数，1 表示第一名），单位：{spec.unit}；没有请留空"
    if kind == "integer":
        return f"填不小于 0 的整数，单位：{spec.unit}"
    if spec.kind == "amount":
        sign = "可为负数" if minimum is None else "不小于 0"
        return f"填数字，单位：万元（如 1234.56），{sign}，不要带“万元”等字样"
    upper = f"–{maximum}" if maximum is not None else " 以上"
    return f"填数字，{minimum}{upper}，单位：{spec.unit}；最多 {places} 位小数"


@dataclass(frozen=True)
class Column:
    """One figure's column, the same in every workbook of an export (and of every export):
    worked out once, not again for each of 3,000 firms' workbooks."""

    key: str
    label: str  # 营业收入
    unit: str  # 万元
    header: str  # 营业收入 over （万元）
    width: float
    kind: str  # the number format's (NUMBER_FORMATS)
    requirement: str  # the rule in words
    validation: dict[str, Any]  # (XlsxWriter copies it: shared safely)


@functools.cache
def columns() -> tuple[Column, ...]:
    """The figure columns in the catalogue's order (the catalogue is loaded once)."""
    specs = fields.fields_of("annual_figures")
    made = []
    for key in figure_keys():
        header = column_header(key)
        kind = specs[key].kind
        made.append(Column(
            key=key, label=specs[key].label, unit=unit_of(key), header=header,
            width=max(11.0, *(display_width(line) + 2 for line in header.split("\n"))),
            kind=kind if kind in NUMBER_FORMATS else "decimal", requirement=requirement(key),
            validation=_validation(key)))
    return tuple(made)


def _validation(key: str) -> dict[str, Any]:
    kind, minimum, maximum, _ = accepts(key)
    low = float(minimum) if minimum is not None else -1e12
    rule: dict[str, Any] = {"validate": "integer" if kind == "integer" else "decimal"}
    if maximum is None:
        rule.update(criteria=">=", value=low)
    else:
        rule.update(criteria="between", minimum=low, maximum=float(maximum))
    label = fields.fields_of("annual_figures")[key].label
    words = requirement(key)
    rule.update(input_title=label[:32], input_message=words[:255],
                error_title="数值不符合要求", error_type="stop",
                error_message=f"“{label}”{words}。"[:255])
    return rule


def page_breaks(figures: Sequence[Column], first: int) -> list[int]:
    """The columns (0-based) that start a new printed page: as many whole figure columns
    as fit beside the firm's columns (all five on the first page, the repeated name and
    code on the others)."""
    widths = [_stored(width) for _, _, width in INFO_COLUMNS + IDENTITY_COLUMNS]
    repeated = sum(widths[PRINT_TITLE_COLUMNS[0]:PRINT_TITLE_COLUMNS[1] + 1])
    breaks, used = [], sum(widths)
    for col, column in enumerate(figures, start=first):
        width = _stored(column.width)
        if used + width > PAGE_UNITS and col > first:
            breaks.append(col)
            used = repeated
        used += width
    return breaks


def _stored(width: float) -> float:
    """A column's width as the file stores it: with the 5 pixels of padding (of 7 a unit)."""
    return width + 5 / 7


class CollectionBook:
    """Writes one workbook for ``firms`` into ``target`` (a path or a binary file).

    ``in_memory``: assemble the workbook's parts in memory, not in temporary files (for a
    workbook of a few firms; a large one would hold its whole sheet twice in memory)."""

    def __init__(self, target: str | IO[bytes], letter: Letter, *, in_memory: bool = False
                 ) -> None:
        self.letter = letter
        self.columns = columns()
        self.keys = tuple(column.key for column in self.columns)
        self.workbook = new_workbook(target, {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "in_memory": in_memory})
        self.workbook.set_properties({"title": f"{letter.year}年度企业数据采集表",
                                      "company": letter.unit, "author": letter.officer,
                                      "comments": f"Tiers {__version__}"})
        self.workbook.set_custom_property(marker.SHEET_NAME, f"{marker.VERSION};{letter.year}")
        self._formats()

    def _format(self, **options: Any) -> Any:
        return self.workbook.add_format({"font_name": FONT, "font_size": 10, **options})

    def _formats(self) -> None:
        edge = {"border": 1, "valign": "vcenter"}
        self.title = self._format(bold=True, font_size=16, align="center", valign="vcenter")
        self.note = self._format(text_wrap=True, valign="vcenter", font_color="#C00000")
        self.header = self._format(bold=True, text_wrap=True, align="center", bg_color=HEADER_FILL,
                                   **edge)
        # left, not centred over all 28 columns: it prints on the first page of them
        self.input_group = self._format(bold=True, align="left", indent=1, bg_color="#E2EFDA",
                                        **edge)
        self.reference_group = self._format(bold=True, align="center", bg_color=REFERENCE_FILL,
                                            **edge)
        self.text = self._format(text_wrap=True, **edge)
        self.centered = self._format(align="center", **edge)
        self.quoted = self._format(text_wrap=True, quote_prefix=True, **edge)
        self.inputs = {kind: self._format(num_format=number, locked=False, bg_color=INPUT_FILL,
                                          **edge) for kind, number in NUMBER_FORMATS.items()}
        self.references = {kind: self._format(num_format=number, bg_color=REFERENCE_FILL,
                                              font_color="#595959", **edge)
                           for kind, number in NUMBER_FORMATS.items()}
        self.guide_title = self._format(bold=True, font_size=14)
        self.guide_text = self._format(text_wrap=True, valign="top")
        self.guide_header = self._format(bold=True, bg_color=HEADER_FILL, border=1, text_wrap=True)
        self.guide_cell = self._format(border=1, text_wrap=True, valign="top")

    # --- the table ----------------------------------------------------------------------

    def _string(self, sheet: Worksheet, row: int, col: int, value: str, fmt: Any) -> None:
        """Text is never a formula; one that starts like one keeps a quote prefix."""
        sheet.write_string(row, col, value, self.quoted if value[:1] in FORMULA_START else fmt)

    def write(self, firms: Sequence[Firm]) -> None:
        self._guide()
        sheet = self.workbook.add_worksheet(DATA_SHEET)
        sheet.activate()
        year = self.letter.year
        inputs = range(FIRST_INPUT, FIRST_INPUT + len(self.keys))
        references = range(inputs.stop, inputs.stop + len(self.keys))
        sheet.set_row(TITLE_ROW, 30)
        # the title and note span what the first screen shows, not all columns
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, TITLE_LAST_COL, "", self.title)
        self._string(sheet, TITLE_ROW, 0, f"{self.letter.area}{year}年度企业数据采集表", self.title)
        sheet.set_row(NOTE_ROW, 40)
        sheet.merge_range(NOTE_ROW, 0, NOTE_ROW, TITLE_LAST_COL, "", self.note)
        self._string(sheet, NOTE_ROW, 0, f"请在白色单元格中填写 {year} 年度数据（金额单位：万元），"
                     f"灰色为 {year - 1} 年度已有数据，仅供参考；填写要求见“{GUIDE_SHEET}”。"
                     "没有的项目请留空。", self.note)
        self._headers(sheet, inputs, references)
        # (column, key, its format) of the cells to fill, and of last year's
        blanks = [(col, self.inputs[column.kind])
                  for col, column in zip(inputs, self.columns, strict=True)]
        figures = [(col, column.key, self.references[column.kind])
                   for col, column in zip(references, self.columns, strict=True)]
        printed: dict[str, dict[str, Decimal | None]] = {}  # the marker keeps them
        for offset, firm in enumerate(firms):
            printed[firm.credit_code] = self._firm_row(
                sheet, FIRST_DATA_ROW + offset, offset + 1, firm, blanks, figures)
        last_row = FIRST_DATA_ROW + max(len(firms), 1) - 1
        for col, column in zip(inputs, self.columns, strict=True):
            sheet.data_validation(FIRST_DATA_ROW, col, last_row, col, column.validation)
        sheet.freeze_panes(FIRST_DATA_ROW, FIRST_INPUT)
        sheet.protect("", {"format_columns": True, "format_rows": True,
                           "select_locked_cells": True, "select_unlocked_cells": True})
        self._page_setup(sheet, last_row, inputs)
        self._marker(inputs, references, printed)

    def _page_setup(self, sheet: Worksheet, last_row: int, inputs: range) -> None:
        """How the table prints (see PRINT_SCALE): a firm's form on a few pages, not one
        figure column a page."""
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_print_scale(PRINT_SCALE)
        sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        sheet.center_horizontally()
        # the title in the page header, on every page; the sheet's title and note rows do
        # not print (their merged cells, cut by the repeated columns, printed as fragments)
        title = f"{self.letter.area}{self.letter.year}年度企业数据采集表".replace("&", "&&")
        # (a space after the size: "&142025" would be a font size of 142025)
        sheet.set_header(f'&C&"{FONT},Bold"&14 {title}', {"margin": 0.3})
        sheet.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
        sheet.repeat_rows(GROUP_ROW, HEADER_ROW)
        sheet.repeat_columns(*PRINT_TITLE_COLUMNS)
        sheet.print_area(GROUP_ROW, 0, last_row, inputs.stop - 1)
        sheet.set_v_pagebreaks(page_breaks(self.columns, inputs.start))
        sheet.print_across()  # a few firms' every page, then the next few firms'


    def _headers(self, sheet: Worksheet, inputs: range, references: range) -> None:
        year = self.letter.year
        groups = ((0, FIRST_INPUT - 1, "企业信息", self.header),
                  (inputs.start, inputs.stop - 1, f"{year} 年度数据（请填写）", self.input_group),
                  (references.start, references.stop - 1, f"{year - 1} 年度数据（参考，不需填写）",
                   self.reference_group))
        for first, last, text, fmt in groups:
            sheet.merge_range(GROUP_ROW, first, GROUP_ROW, last, "", fmt)
            self._string(sheet, GROUP_ROW, first, text, fmt)
        sheet.set_row(HEADER_ROW, 44)
        for col, (label, _, width) in enumerate(INFO_COLUMNS + IDENTITY_COLUMNS):
            sheet.set_column(col, col, width)
            self._string(sheet, HEADER_ROW, col, label, self.header)
        for first in (inputs.start, references.start):
            for offset, column in enumerate(self.columns):
                sheet.set_column(first + offset, first + offset, column.width)
                self._string(sheet, HEADER_ROW, first + offset, column.header, self.header)

    def _firm_row(self, sheet: Worksheet, row: int, number: int, firm: Firm,
                  blanks: list[tuple[int, Any]], figures: list[tuple[int, str, Any]]
                  ) -> dict[str, Decimal | None]:
        """Writes the firm's row; returns the reference figures it printed (None: blank)."""
        sheet.write_number(row, 0, number, self.centered)
        self._string(sheet, row, 1, firm.county, self.centered)
        self._string(sheet, row, 2, firm.town, self.centered)
        self._string(sheet, row, 3, firm.name, self.text)
        self._string(sheet, row, 4, firm.credit_code, self.centered)
        for col, fmt in blanks:
            sheet.write_blank(row, col, None, fmt)
        printed: dict[str, Decimal | None] = {}
        for col, key, fmt in figures:
            value = firm.last_year.get(key)
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(row, col, float(value), fmt)
                printed[key] = Decimal(value)
            else:
                sheet.write_blank(row, col, None, fmt)
                printed[key] = None
        sheet.set_row(row, FIRM_ROW_HEIGHT)
        return printed

    def _marker(self, inputs: range, references: range,
                printed: dict[str, dict[str, Decimal | None]]) -> None:
        columns = [marker.MarkedColumn(col, key, marker.INFO, label)
                   for col, (label, key, _) in enumerate(INFO_COLUMNS)]
        columns += [marker.MarkedColumn(len(INFO_COLUMNS) + i, key, marker.IDENTITY, label)
                    for i, (label, key, _) in enumerate(IDENTITY_COLUMNS)]
        columns += [marker.MarkedColumn(col, column.key, marker.INPUT, column.header)
                    for col, column in zip(inputs, self.columns, strict=True)]
        columns += [marker.MarkedColumn(col, column.key, marker.REFERENCE, column.header)
                    for col, column in zip(references, self.columns, strict=True)]
        mark = marker.Marker(year=self.letter.year, data_sheet=DATA_SHEET, header_row=HEADER_ROW,
                             columns=tuple(columns), printed=printed)
        sheet = self.workbook.add_worksheet(marker.SHEET_NAME)
        for row, values in enumerate(mark.rows()):
            for col, value in enumerate(values):
                if isinstance(value, (int, Decimal)):
                    sheet.write_number(row, col, float(value))  # as the grey cell has it
                elif value is not None:
                    sheet.write_string(row, col, value)
        sheet.hide()

    # --- the instructions ---------------------------------------------------------------

    def _guide(self) -> None:
        letter, year = self.letter, self.letter.year
        sheet = self.workbook.add_worksheet(GUIDE_SHEET)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 8)
        sheet.set_column(2, 2, 62)
        sheet.hide_gridlines(2)
        sheet.merge_range(0, 0, 0, 2, "", self.guide_title)
        self._string(sheet, 0, 0, f"{letter.area}{year}年度企业数据采集表 填表说明", self.guide_title)
        sheet.set_row(0, 26)
        sender = letter.unit or "工业和信息化主管部门"
        deadline = f"于 {chinese_date(letter.deadline)} 前" if letter.deadline else "按通知要求"
        back_to = letter.return_to or letter.unit or "发出本表的部门"
        contact = "；".join(part for part in (
            f"联系人：{letter.officer}" if letter.officer else "",
            f"联系电话：{letter.phone}" if letter.phone else "") if part)
        paragraphs = [
            f"一、本表由{sender}发出，用于更新梯度培育企业库中企业的 {year} 年度数据。",
            f"二、请在“{DATA_SHEET}”工作表本企业所在行的白色单元格中填写 {year} 年度数据；"
            f"灰色单元格是库中已有的 {year - 1} 年度数据，仅供对照，不需填写，也不能修改。",
            "三、金额一律以万元为单位，只填数字（如 1234.56），不要带“万元”“元”等字样；"
            "百分比填数值（如 35.5 表示 35.5%）；人数、个数、项数填整数；名次填 1 表示第一名。"
            "没有的项目请留空，不要填“无”“/”等文字。",
            "四、请不要增删行列、改动表头、重命名或删除工作表：Tiers 据此自动识别本表。"
            "可以用 Excel、WPS 或 LibreOffice 填写，保存为 .xlsx 文件。",
            f"五、请{deadline}将填好的文件报送至：{back_to}。" + (f"{contact}。" if contact else ""),
        ]
        row = 2
        for text in paragraphs:
            sheet.merge_range(row, 0, row, 2, "", self.guide_text)
            self._string(sheet, row, 0, text, self.guide_text)
            sheet.set_row(row, 15 * max(1, -(-int(display_width(text)) // 88)) + 6)
            row += 1
        row += 1
        for col, label in enumerate(("指标", "单位", "填写要求")):
            sheet.write_string(row, col, label, self.guide_header)
        for column in self.columns:
            row += 1
            self._string(sheet, row, 0, column.label, self.guide_cell)
            self._string(sheet, row, 1, column.unit, self.guide_cell)
            self._string(sheet, row, 2, column.requirement, self.guide_cell)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 1)

    def close(self) -> None:
        close_workbook(self.workbook)

    def abandon(self) -> None:
        """Give up without writing the file: its temporary folder removed."""
        discard_workbook(self.workbook)
