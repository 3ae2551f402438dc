"""What a report cell is: the column kinds, the width of Chinese text, Excel dates, the
formats of one workbook, and the writer of one cell (text never becomes a formula).

Safety: every text goes through ``write_string`` (never ``write``), and the workbook is
opened with ``strings_to_formulas`` off, so a name like ``=HYPERLINK(…)`` stays text. Text that
begins with = + - @ TAB or CR (``tiers.text.cells.FORMULA_START``) also gets Excel's quote
prefix, so editing the cell keeps it text: data cells, and the title, subtitle, unit line and
header cells alike (``write_text``). Numbers are written as numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from tiers.text.cells import FORMULA_START

FONT = "宋体"
BODY_SIZE = 10
DANGEROUS_START = FORMULA_START
EXCEL_EPOCH = dt.date(1899, 12, 30)
SAMPLE_ROWS = 1000  # column widths are measured on the first rows (then fixed)
LINE_HEIGHT = 13.5  # points per line of 10-point 宋体
KINDS = ("seq", "text", "center", "int", "money", "date")


@dataclass(frozen=True)
class Column:
    """One column of a table. ``kind``: seq (序号), text (left, wrapped), center (short
    text), int (counts), money (万元), date. ``group`` puts a label over adjacent columns
    (a second header row)."""

    label: str
    kind: str = "text"
    min_width: float = 4
    max_width: float = 30
    group: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind}")


def display_width(text: str) -> float:
    """Width in Excel character units: a CJK character is about two digits wide."""
    wide = (len(text.encode("utf-8")) - len(text)) // 2
    return len(text) + wide * 0.85


def excel_date(value: dt.date) -> int:
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - EXCEL_EPOCH).days


def chinese_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class Styles:
    """The formats of one workbook, created once (XlsxWriter formats are per workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": FONT, "font_size": BODY_SIZE, "valign": "vcenter"}
        cell = {**base, "border": 1}
        self._book = book
        self._properties: dict[int, dict[str, Any]] = {}  # id(format) → what made it
        self._quoted: dict[int, Format] = {}

        def make(base_properties: dict[str, Any] | None = None, **properties: Any):
            merged = {**(base_properties or {}), **properties}
            made = book.add_format(merged)
            self._properties[id(made)] = merged
            return made

        self.title = make(base, bold=True, font_size=18, align="center")
        self.subtitle = make(base, font_size=10, align="center")
        self.line_left = make(base, font_size=11, align="left")
        self.line_right = make(base, font_size=11, align="right")
        self.note = make(base, align="left", text_wrap=True)
        self.header = make(cell, bold=True, align="center", text_wrap=True,
                           bg_color="#D9E1F2")
        self.section = make(cell, bold=True, font_size=11, align="left", bg_color="#D9E1F2")
        self.label = make(cell, bold=True, align="center", text_wrap=True,
                          bg_color="#F2F2F2")
        self.empty = make(cell, align="center", italic=True, font_color="#595959")
        self.body = self._kind_formats(make, cell, total=False)
        self.total = self._kind_formats(make, {**cell, "bold": True, "bg_color": "#F2F2F2"},
                                        total=True)
        self.body_quoted = {k: make(props, quote_prefix=True)
                            for k, props in self._text_props(cell).items()}
        self.total_quoted = {
            k: make(props, quote_prefix=True)
            for k, props in self._text_props({**cell, "bold": True,
                                              "bg_color": "#F2F2F2"}).items()}

    def quoted(self, fmt: Format) -> Format:
        """``fmt`` with Excel's quote prefix, made when first needed (a title or header
        that begins like a formula is rare: no unused formats in every workbook)."""
        made = self._quoted.get(id(fmt))
        if made is None:
            made = self._book.add_format({**self._properties[id(fmt)], "quote_prefix": True})
            self._quoted[id(fmt)] = made
        return made

    @staticmethod
    def _text_props(cell: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            "text": {**cell, "align": "left", "text_wrap": True, "num_format": "@"},
            "center": {**cell, "align": "center", "text_wrap": True, "num_format": "@"},
        }

    def _kind_formats(self, make, cell: dict[str, Any], *, total: bool) -> dict[str, Any]:
        return {
            **{k: make(props) for k, props in self._text_props(cell).items()},
            "seq": make(cell, align="center", num_format="0"),
            "int": make(cell, align="right", num_format="#,##0"),
            "money": make(cell, align="right", num_format="#,##0.00"),
            "date": make(cell, align="center", num_format="yyyy-mm-dd"),
        }


def as_text(value: Any) -> str:
    """A value as the text a cell shows (是/否 for booleans, ISO dates)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_text(sheet: Worksheet, styles: Styles, row: int, col: int, text: str,
               fmt: Format) -> None:
    """A title, unit line or header cell: a string (never a formula), quote-prefixed when
    it begins like one, as data cells are."""
    if text.startswith(DANGEROUS_START):
        fmt = styles.quoted(fmt)
    sheet.write_string(row, col, text, fmt)


def cell_writer(sheet: Worksheet, styles: Styles, kind: str, *,
                total: bool) -> Callable[[int, int, Any], None]:
    """A function writing one cell of ``kind`` in the table's (or the total row's) style:
    text never as a formula, numbers as numbers, dates as Excel dates."""
    formats = styles.total if total else styles.body
    fmt = formats[kind]
    quoted = (styles.total_quoted if total else styles.body_quoted).get(kind)
    # XlsxWriter's undecorated writers (what write_string etc. call after parsing
    # "A1" arguments): a quarter of the per-cell cost on 100k-row reports
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    write_blank = getattr(sheet, "_write_blank", sheet.write_blank)

    def text(row: int, col: int, value: Any) -> None:
        if not value and value != 0:  # None or ""
            write_blank(row, col, None, fmt)
            return
        text_value = value if type(value) is str else as_text(value)
        write_string(row, col, text_value,
                     quoted if text_value.startswith(DANGEROUS_START) else fmt)

    def number(row: int, col: int, value: Any) -> None:
        if value is None or value == "":
            write_blank(row, col, None, fmt)
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            write_number(row, col, float(value), fmt)
        else:  # a label in a numeric column: text, never a formula
            text(row, col, value)

    def date(row: int, col: int, value: Any) -> None:
        if isinstance(value, dt.date):
            write_number(row, col, excel_date(value), fmt)
        else:
            number(row, col, value)

    if kind in ("text", "center"):
        return text
    if kind == "date":
        return date
    return number
