"""The hidden marker of a 采集表 (collection workbook), written by the export and read by
the importer.

A hidden sheet holds the layout version, the year collected, the data sheet's name and
its header row, and one line per column: the field code and the column's role. A hidden
sheet survives a save in Excel, WPS and LibreOffice (custom document properties do not
always: LibreOffice keeps them, older WPS drops them), so the importer maps the columns
by field code and needs no header words and no mapping step.

From F5 on, beside the column lines, a second table keeps what the grey reference columns
printed: a line "printed" and the reference columns' field codes, then one line per firm,
its credit code and the figures as printed (blank where none was). The importer compares
a reference cell with what was printed for that firm, not with the database, which the
city may have corrected since (importers.plan.reference_cells). It lives right of columns
A–D and its lines leave A–C blank, so the layout is still 1: a Tiers that does not know
the table reads the column lines as before. A marker without it (written before it was
kept) compares with the database, as it always did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from tiers.model import credit_code

SHEET_NAME = "TiersCollection"  # ASCII: no encoding can mangle it
MAGIC = "tiers-collection"
VERSION = 1

IDENTITY = "identity"  # name, credit code: how the firm is matched
INPUT = "input"  # this year's figure, to be filled
REFERENCE = "reference"  # last year's figure, not imported
INFO = "info"  # 序号, county, town: shown, not imported
ROLES = (IDENTITY, INPUT, REFERENCE, INFO)
# what a marker may say, as the export writes it: Excel's last column (XFD) and row, and
# the years tiers export collection takes; a forged marker's column 1000000000 had the
# importer make a billion headers and never answer (the break campaign of #26)
LAST_COLUMN, LAST_ROW = 16_384, 1_048_576
YEARS = range(1949, 2101)
# the table of the printed reference figures: its heading line's first cell (F5)
PRINTED = "printed"
PRINTED_ROW, PRINTED_COLUMN = 4, 5  # 0-based: F5, one blank column after the column lines
# a printed figure beyond any the database holds is a forged one (and 1e300 would not
# compare at a field's places)
PRINTED_LIMIT = Decimal(10) ** 15


class MarkerError(ValueError):
    """The marker sheet is present but not one this version can read (the message says
    why, in Chinese)."""


@dataclass(frozen=True)
class MarkedColumn:
    index: int  # 0-based column index in the data sheet
    field: str  # field code (credit_code, revenue, …); "" for 序号
    role: str
    header: str  # the header as written: a moved or changed column is noticed


@dataclass(frozen=True)
class Marker:
    year: int
    data_sheet: str
    header_row: int  # 0-based index of the row with the column headers
    columns: tuple[MarkedColumn, ...]
    # credit code → reference field → the figure printed (None: the cell was blank); None
    # for a marker written before the printed figures were kept
    printed: Mapping[str, Mapping[str, Decimal | None]] | None = field(default=None,
                                                                      hash=False)

    def reference_fields(self) -> list[str]:
        return [column.field for column in self.columns if column.role == REFERENCE]

    def rows(self) -> list[list[Any]]:
        """The marker sheet's cells, row by row (None: a blank cell)."""
        lines: list[list[Any]] = [
            [MAGIC, VERSION],
            ["year", self.year],
            ["sheet", self.data_sheet],
            ["header_row", self.header_row + 1],  # as Excel shows it
            ["column", "field", "role", "header"],
        ]
        lines += [[column.index + 1, column.field, column.role, column.header]
                  for column in self.columns]
        if self.printed is None:
            return lines
        fields = self.reference_fields()
        table = [[PRINTED, *fields]]
        table += [[code, *(figures.get(key) for key in fields)]
                  for code, figures in self.printed.items()]
        lines += [[] for _ in range(PRINTED_ROW + len(table) - len(lines))]
        for offset, line in enumerate(table):
            row = lines[PRINTED_ROW + offset]
            row += [None] * (PRINTED_COLUMN - len(row))
            row += line
        return lines


def _integer(value: Any) -> int | None:
    """A number cell as read back (calamine gives floats, a re-save may give text)."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def read(rows: Sequence[Sequence[Any]]) -> Marker | None:
    """The marker in these cells, or None when they are not a marker. Raises MarkerError
    for a marker of a newer layout or a damaged one."""
    def cell(row: int, column: int) -> Any:
        if row >= len(rows) or column >= len(rows[row]):
            return None
        return rows[row][column]

    if str(cell(0, 0) or "").strip() != MAGIC:
        return None
    version = _integer(cell(0, 1))
    if version is None or version > VERSION:
        raise MarkerError("这份采集表由更新版本的 Tiers 生成，请先升级 Tiers 再导入。")
    year = _integer(cell(1, 1))
    sheet = str(cell(2, 1) or "").strip()
    header_row = _integer(cell(3, 1))
    damaged = [where for where, bad in (
        ("B2（年度）", year is None or year not in YEARS),
        ("B3（工作表名）", not sheet),
        ("B4（表头行）", header_row is None or not 1 <= header_row < LAST_ROW)) if bad]
    if damaged:
        raise MarkerError(_damaged("、".join(damaged) + "缺失或不对"))
    columns = []
    for row in range(5, len(rows)):
        index = _integer(cell(row, 0))
        field, role, header = (str(cell(row, col) or "").strip() for col in (1, 2, 3))
        if index is None and not field and not role:
            continue
        damaged = [where for where, bad in (
            (f"A{row + 1}（列号）", index is None or not 1 <= index <= LAST_COLUMN),
            (f"C{row + 1}（用途）", role not in ROLES)) if bad]
        if damaged:
            raise MarkerError(_damaged("、".join(damaged) + "不对"))
        columns.append(MarkedColumn(index - 1, field, role, header))
    found = Marker(year=year, data_sheet=sheet, header_row=header_row - 1,
                   columns=tuple(columns))
    if str(cell(PRINTED_ROW, PRINTED_COLUMN) or "").strip() != PRINTED:
        return found  # written before the printed figures were kept
    return Marker(year=found.year, data_sheet=found.data_sheet, header_row=found.header_row,
                  columns=found.columns, printed=_printed(rows, found.reference_fields()))


def _printed(rows: Sequence[Sequence[Any]], references: list[str]
             ) -> dict[str, dict[str, Decimal | None]]:
    """The table of printed figures (see the module). Raises MarkerError where it is
    damaged: a field that is not one reference column's or is named twice, a firm line
    without a credit code or with one named before, a figure that is not a number."""
    def cell(row: int, column: int) -> Any:
        if row >= len(rows) or column >= len(rows[row]):
            return None
        value = rows[row][column]
        return None if value is None or str(value).strip() == "" else value

    def where(row: int, column: int) -> str:
        return f"{xl_col_to_name(column)}{row + 1}"

    first = PRINTED_COLUMN + 1
    fields: list[str] = []
    for column in range(first, first + len(references)):
        key = str(cell(PRINTED_ROW, column) or "").strip()
        if key not in references or key in fields:
            raise MarkerError(_damaged(f"{where(PRINTED_ROW, column)}（字段）不对"))
        fields.append(key)
    printed: dict[str, dict[str, Decimal | None]] = {}
    for row in range(PRINTED_ROW + 1, len(rows)):
        values = [cell(row, column) for column in range(first, first + len(fields))]
        code = credit_code.normalise(str(cell(row, PRINTED_COLUMN) or ""))
        if not code and all(value is None for value in values):
            continue
        if not code or code in printed:
            what = "缺失" if not code else "重复"
            raise MarkerError(_damaged(f"{where(row, PRINTED_COLUMN)}（信用代码）{what}"))
        figures: dict[str, Decimal | None] = {}
        for offset, (key, value) in enumerate(zip(fields, values, strict=True)):
            try:
                figures[key] = _figure(value)
            except ValueError:
                raise MarkerError(_damaged(f"{where(row, first + offset)}（印出的数）不对")) from None
        printed[code] = figures
    return printed


def _figure(value: Any) -> Decimal | None:
    """A printed figure as read back (a float, or text after a re-save); None for a blank
    cell. Raises ValueError for one that is no figure the export writes."""
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if isinstance(value, bool) or not number.is_finite() or abs(number) >= PRINTED_LIMIT:
        raise ValueError(value)
    return number


def _damaged(what: str) -> str:
    """Where the marker is damaged, as Excel shows it (unhide the sheet to see it)."""
    return (f"采集表的隐藏标记已损坏：隐藏工作表“{SHEET_NAME}”的 {what}。"
            "请用 Tiers 重新导出采集表。")
