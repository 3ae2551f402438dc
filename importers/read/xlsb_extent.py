"""How far an .xlsb sheet really reaches, found before calamine reads it densely.

calamine reads an .xlsb sheet's cell records and then spans one dense array from A1 to the
farthest cell: a hand-built 500-byte .xlsb with a value at row 1048576, column 16384 aborts
the process (SIGABRT, the desktop client gone) inside get_sheet_by_name, before sheet.end can
be checked. So the sheet's binary part is walked first: records are a 1–2 byte type and a
1–4 byte size, both 7 bits a byte (MS-XLSB 2.1.4); BrtRowHdr (type 0) sets the row, and the
cell records calamine keeps (types 2–11: RK, error, bool, real, string, shared string and the
formula cells) start with their column. Blank cells (type 1) are left out of the array, as
calamine leaves them; it stops at BrtEndSheetData (0x92) or at a row past Excel's grid.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator

from importers.read.extent import allowed_area, far_cell_refused, related_part, size_text

_ROW_HEADER, _END_SHEET_DATA, _SHEET_ENTRY = 0x0000, 0x0092, 0x009C
_FIRST_CELL, _LAST_CELL = 0x0002, 0x000B
_LAST_ROW = 0x0010_0000  # calamine stops reading at a row index beyond this
_U32 = struct.Struct("<I")


def check_xlsb_extent(path: str, sheet: str) -> None:
    """Refuse an .xlsb sheet whose cells span far more than its records could fill.

    Silent when the sheet's part cannot be found or its records are cut short: calamine then
    reports the file broken."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None:
            return
        size = archive.getinfo(part).file_size
        data = archive.read(part)  # no larger than declared, and that was bounded at open
    rows, columns = valued_extent(data)
    if rows * columns > allowed_area(size):
        raise far_cell_refused(sheet, rows, columns, f"工作表数据仅 {size_text(size)}")


def valued_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell record calamine keeps."""
    rows = columns = row = 0
    unpack = _U32.unpack_from
    try:
        for kind, position in _records(data):
            if kind == _ROW_HEADER:
                row = unpack(data, position)[0]
                if row > _LAST_ROW:
                    break
            elif _FIRST_CELL <= kind <= _LAST_CELL:
                rows, columns = max(rows, row + 1), max(columns, unpack(data, position)[0] + 1)
            elif kind == _END_SHEET_DATA:
                break
    except (IndexError, struct.error):  # cut short: what was read so far is what counts
        pass
    return rows, columns


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of the named sheet: its BrtBundleSh in workbook.bin gives the
    relationship id (after hsState and iTabID, a length-prefixed UTF-16 string), then
    its name."""
    if "xl/workbook.bin" not in archive.namelist():
        return None
    data = archive.read("xl/workbook.bin")
    try:
        for kind, position in _records(data):
            if kind == _SHEET_ENTRY:
                relation, after = _wide_string(data, position + 8)
                name, _ = _wide_string(data, after)
                if name == sheet:
                    return related_part(archive, "xl/_rels/workbook.bin.rels", relation)
    except (IndexError, struct.error, UnicodeDecodeError):
        return None
    return None


def _records(data: bytes) -> Iterator[tuple[int, int]]:
    """Each record's type and where its data starts; IndexError when the data is cut
    short inside a record's header."""
    position, end = 0, len(data)
    while position < end:
        kind = data[position]
        position += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | (data[position] & 0x7F) << 7
            position += 1
        size = shift = 0
        for _ in range(4):
            byte = data[position]
            position += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, position
        position += size


def _wide_string(data: bytes, offset: int) -> tuple[str, int]:
    """An XLWideString at offset (a UTF-16 unit count, then the units) and where it ends."""
    length = _U32.unpack_from(data, offset)[0]
    start = offset + 4
    return data[start:start + 2 * length].decode("utf-16-le"), start + 2 * length
