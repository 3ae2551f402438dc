"""How far each table of an .ods reaches, found before calamine reads the file.

calamine parses every table of an .ods when the workbook is opened, expanding
table:number-rows-repeated × table:number-columns-repeated into one dense array per table:
an 824-byte file with one valued cell repeated over 1048576 rows × 90 columns asked for
1.5 GB and aborted the process (SIGABRT: the desktop client gone) before any check of ours
could run. So content.xml is streamed first and each table's valued extent measured the way
calamine spans it; a table whose area is beyond what the file can hold is refused by name.

What calamine spans, found on small files: repeated cells and rows count only up to the last
cell holding a value (a cell with office:value-type, or with text); empty cells repeated to
the sheet's edge, as LibreOffice writes them after the data, or styled empty cells, cost
nothing. Header rows and row groups hold rows like the table itself.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO, Any

from defusedxml import DefusedXmlException, ElementTree

from importers.errors import ImportRefused
from importers.read.extent import allowed_area, far_cell_refused, size_text

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = f"{{{_TABLE_NS}}}table"
_ROW = f"{{{_TABLE_NS}}}table-row"
_CELLS = {f"{{{_TABLE_NS}}}table-cell", f"{{{_TABLE_NS}}}covered-table-cell"}
_NAME = f"{{{_TABLE_NS}}}name"
_ROWS_REPEATED = f"{{{_TABLE_NS}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{_TABLE_NS}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE_NS}}}value-type"


def check_ods_extent(path: str, file_name: str) -> None:
    """Refuse an .ods one of whose tables spans far more than its content.xml could fill,
    or whose content.xml cannot be measured (not well-formed, or declaring entities):
    calamine's parser is more lenient, and what is not measured is not read."""
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return  # calamine reports the file broken in its own words
        size = archive.getinfo("content.xml").file_size  # declared; bounded at open
        budget = allowed_area(size)
        with archive.open("content.xml") as stream:  # a chunk at a time, never whole
            try:
                for table, rows, columns in _table_extents(stream):
                    if rows * columns > budget:
                        raise far_cell_refused(table, rows, columns,
                                               f"表格数据仅 {size_text(size)}")
            except (ElementTree.ParseError, DefusedXmlException) as exc:
                raise ImportRefused(
                    f"“{file_name}”的表格内容无法解析，文件可能已损坏或不是正常的 .ods 文件，"
                    "已拒绝读取。请用 WPS 或 LibreOffice 打开它，另存为 Excel 工作簿（.xlsx）"
                    "后再导入。") from exc


def _table_extents(stream: IO[bytes]) -> Iterator[tuple[str, int, int]]:
    """(name, rows, columns) of each table as calamine will span it; each row is dropped
    once counted, so memory stays near one row whatever the table's size."""
    name = ""
    rows = columns = position = row_width = column = 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE:
                name = element.get(_NAME) or ""
                rows = columns = position = 0
            elif tag == _ROW:
                row_width = column = 0
            continue
        if tag in _CELLS:
            column += _repeats(element, _COLUMNS_REPEATED)
            if element.get(_VALUE_TYPE) is not None or _has_text(element):
                row_width = column
        elif tag == _ROW:
            repeated = _repeats(element, _ROWS_REPEATED)
            if row_width:
                rows, columns = position + repeated, max(columns, row_width)
            position += repeated
            element.clear()
        elif tag == _TABLE:
            yield name, rows, columns
            element.clear()


def _repeats(element: Any, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute) or 1))
    except ValueError:  # calamine would fail on it too; count it once
        return 1


def _has_text(element: Any) -> bool:
    return any(element.itertext())  # whitespace too: calamine keeps " " as a value
