"""How far each table of an .ods reaches, found before calamine reads the file.

calamine parses every table of an .ods when the workbook is opened, expanding
table:number-rows-repeated × table:number-columns-repeated into one dense array per table:
an 824-byte file with one valued cell repeated over 1048576 rows × 90 columns asked for
1.5 GB and aborted the process (SIGABRT: the desktop client gone) before any check of ours
could run. So content.xml is streamed first and each table's extent measured the way calamine
spans it; a table whose area is beyond what the file can hold is refused by name.

calamine matches elements and attributes by their literal names ("table:table-row"), not by
namespace, so this scan does too: rebinding the prefix cannot hide a table from it. What
calamine spans, found on small files and in its reader: repeated cells and rows count only
up to the last cell with a value or a formula; empty cells repeated to the sheet's edge, as
LibreOffice writes them after the data, and styled empty cells cost nothing. A cell that is
not self-closing is counted as holding text (LibreOffice closes empty ones), which can only
overstate. Header rows and row groups hold rows like the table itself.

Cost: one regex pass over the inflated content.xml and a Python step per row and cell tag:
~1.1 s for the 30,000-row benchmark roster saved as .ods by LibreOffice (62 MB of XML;
calamine opens it in 0.25 s). .ods is rare; an .xlsx never takes this path.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import unescape

from importers.errors import ImportRefused
from importers.read.extent import (
    allowed_area,
    column_letters,
    far_cell_refused,
    size_text,
    xml_chunks,
)

# a table, row or cell tag (start or end) as calamine names them, with its attributes (a
# quoted value may hold ">"), ending in "/" if it closes itself. Written as an unrolled loop:
# 0.48 s over the benchmark's 62 MB, where an alternation per character took 1.5 s
_TAG = re.compile(rb'<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])'
                  rb'([^>"\']*(?:(?:"[^"]*"|\'[^\']*\')[^>"\']*)*)>')
_NAME = re.compile(rb'(?<![\w:.-])table:name\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ROWS_REPEATED = re.compile(rb'(?<![\w:.-])table:number-rows-repeated\s*=\s*["\']\s*([0-9]+)')
_COLUMNS_REPEATED = re.compile(
    rb'(?<![\w:.-])table:number-columns-repeated\s*=\s*["\']\s*([0-9]+)')
_CELLS = {b"table-cell", b"covered-table-cell"}
# what calamine does not read as tags: comments, CDATA, a DTD, instructions after the prolog
_UNSCANNABLE = re.compile(rb"<!|<\?")
_VALUED = re.compile(rb'(?<![\w:.-])(?:office:value-type|table:formula)\s*=')
# a formula, and a saved result of it: a program that does not calculate (odfpy, pyexcel)
# writes <table:table-cell table:formula="of:=2000+25"/>, which calamine reads as empty
_FORMULA = re.compile(rb'(?<![\w:.-])table:formula\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_RESULT = re.compile(
    rb'(?<![\w:.-])office:(?:value|date-value|time-value|boolean-value|string-value)\s*=')


def check_ods_extent(path: str, file_name: str) -> dict[str, dict[str, str]]:
    """Refuse an .ods one of whose tables spans far more than its content.xml could fill.
    Returns each table's formula cells that hold no saved result (reference → formula),
    found in the same pass.

    Silent without content.xml: calamine then reports the file broken in its own words."""
    unvalued: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return unvalued
        size = archive.getinfo("content.xml").file_size  # declared; bounded at open
        budget = allowed_area(size)
        for table, rows, columns in table_extents(xml_chunks(archive, "content.xml"),
                                                  unvalued):
            if rows * columns > budget:
                raise far_cell_refused(table, rows, columns, f"表格数据仅 {size_text(size)}")
            if table is None:
                raise ImportRefused(
                    f"“{file_name}”的表格内容中有注释、CDATA 段或文档类型声明，无法核对其大小，"
                    "已拒绝读取。请用 WPS 或 LibreOffice 打开它，另存为 Excel 工作簿（.xlsx）"
                    "后再导入。")
    return unvalued


def table_extents(chunks: Iterable[bytes], unvalued: dict[str, dict[str, str]] | None = None
                  ) -> Iterator[tuple[str | None, int, int]]:
    """(name, rows, columns) of a table as calamine will span it, after each row: a table
    is refused as soon as it reaches too far. Tags inside a cell are skipped, as calamine
    skips them; a comment, CDATA section or DTD, which calamine does not read as tags but a
    scan would, ends the scan with (None, 0, 0): never in what spreadsheet programs write."""
    name = ""
    rows = columns = position = row_width = column = row_repeats = inside_cell = 0
    for number, chunk in enumerate(chunks):
        if _UNSCANNABLE.search(chunk, 0 if number else _prolog_end(chunk)):
            yield None, 0, 0
            return
        for closing, element, attributes in _TAG.findall(chunk):
            closed = attributes.endswith(b"/")
            if element in _CELLS:
                if closing:
                    inside_cell = max(0, inside_cell - 1)
                elif not inside_cell:
                    first = column + 1
                    column += _repeats(_COLUMNS_REPEATED, attributes)
                    if not closed or _VALUED.search(attributes):
                        row_width = column
                    if closed and unvalued is not None:
                        _note_unvalued(attributes, f"{column_letters(first)}{position + 1}",
                                       unvalued.setdefault(name, {}))
                if not closing and not closed:
                    inside_cell += 1
                continue
            if inside_cell:
                continue
            if element == b"table":
                if not closing and not closed:
                    name, rows, columns, position = _table_name(attributes), 0, 0, 0
                continue
            if not closing:
                row_repeats, row_width, column = _repeats(_ROWS_REPEATED, attributes), 0, 0
                if not closed:
                    continue
            if row_width:  # the row ends: it spans as far as its last valued cell
                rows, columns = position + row_repeats, max(columns, row_width)
                yield name, rows, columns
            position += row_repeats


def _note_unvalued(attributes: bytes, where: str, unvalued: dict[str, str]) -> None:
    """Note a self-closing cell with a formula and no saved result (it holds no text
    either): read, it is empty."""
    formula = _FORMULA.search(attributes)
    if formula and not _RESULT.search(attributes):
        raw = formula[1] if formula[1] is not None else formula[2]
        text = unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
        unvalued[where] = re.sub(r"^(?:of:)?=", "", text)


def _prolog_end(chunk: bytes) -> int:
    """Where the XML declaration ends, if the part starts with one."""
    return chunk.find(b"?>") + 2 if chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") else 0


def _table_name(attributes: bytes) -> str:
    found = _NAME.search(attributes)
    raw = (found[1] if found[1] is not None else found[2]) if found else b""
    return unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})


def _repeats(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(1, int(found[1])) if found else 1
