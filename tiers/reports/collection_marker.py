"""The hidden marker of a 采集表 (collection workbook), written by the export and read by
the importer.

A hidden sheet holds the layout version, the year collected, the data sheet's name and
its header row, and one line per column: the field code and the column's role. A hidden
sheet survives a save in Excel, WPS and LibreOffice (custom document properties do not
always: LibreOffice keeps them, older WPS drops them), so the importer maps the columns
by field code and needs no header words and no mapping step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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

    def rows(self) -> list[list[Any]]:
        """The marker sheet's cells, row by row."""
        lines: list[list[Any]] = [
            [MAGIC, VERSION],
            ["year", self.year],
            ["sheet", self.data_sheet],
            ["header_row", self.header_row + 1],  # as Excel shows it
            ["column", "field", "role", "header"],
        ]
        lines += [[column.index + 1, column.field, column.role, column.header]
                  for column in self.columns]
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
    return Marker(year=year, data_sheet=sheet, header_row=header_row - 1, columns=tuple(columns))


def _damaged(what: str) -> str:
    """Where the marker is damaged, as Excel shows it (unhide the sheet to see it)."""
    return (f"采集表的隐藏标记已损坏：隐藏工作表“{SHEET_NAME}”的 {what}。"
            "请用 Tiers 重新导出采集表。")
