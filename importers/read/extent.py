"""How far a sheet really reaches, found before calamine reads it densely.

calamine turns a sheet into one dense array spanning its cells with a value: a 5.6 KB .xlsx
with a value at A1 and one at XFD1048576 asks for 17 billion cells (512 GB, SIGABRT, the
whole client gone) before any limit of ours is checked. So an .xlsx sheet's XML is streamed
first and the cells it names are measured; a sheet whose area is far beyond what its XML can
hold is refused, naming the far cell as Excel shows it. Formats calamine reads without such
a pre-scan (.xls, whose BIFF8 grid is at most 65536 × 256; .xlsb; .ods) are checked on the
dimensions calamine reports, before the Python rows are built.

The scan costs what the file costs: on the 30,000-row benchmark roster (25 MB of sheet XML)
inflating it is ~43 ms and its two regex passes ~40 ms; only the rare sheet with refs beyond
column Z or row 99999 gets the more exact (and slower) passes.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator

from defusedxml import ElementTree

from importers.errors import ImportRefused

MAX_CELLS = 40_000_000  # the dense area never read, whatever the file holds
MIN_AREA = 4_000_000  # always allowed: 99999 rows × 26 columns fits; ~130 MB at worst
BYTES_PER_CELL = 4  # beyond MIN_AREA, a sheet may span one cell per 4 bytes of its XML
CHUNK = 1 << 20
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's grid

# any cell but one whose r="…" comes first and lies within A1:Z99999: none in most rosters,
# so one C-speed search per chunk settles the sheet (a row's own r="…" only places cells
# that lack theirs, and those are not ordinary). re finds its literal prefix "<c" fast:
# ~25 ms on the 25 MB benchmark sheet, where an alternation like [<:]c took 120 ms
_NOT_ORDINARY = re.compile(rb'<c(?! r="[A-Z][0-9]{1,5}")[\s>/]')
# a cell tag with a namespace prefix (<x:c …>), which calamine reads as a cell too
_PREFIXED = re.compile(rb':c[\s>/]')
# a cell whose r="…" is missing or not its first attribute (Excel, WPS, openpyxl and
# xlsxwriter all write it first), or written r = '…': only the exact pass can tell where it
# lands. calamine takes what Excel never writes: lower-case letters, columns past XFD, rows
# past 1048576 (r="A99999999" asked for 3.2 GB); the patterns below take them too
_UNPLACED = re.compile(rb'<c[\s>/](?!r=")')
_LONG_ROWS = re.compile(rb'r="[A-Za-z]*([0-9]{6,})"')
_THREE_LETTERS = re.compile(rb'r="([A-Za-z]{3,})[0-9]')
_TWO_LETTERS = re.compile(rb'r="([A-Za-z]{2})[0-9]')
# a row or cell start tag: its name, attributes and "/" if it closes itself (a cell with only
# a style, as formatting writes them: calamine leaves it out of the array); a quoted value
# may hold ">"
_TAG = re.compile(rb'<(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"\']|"[^"]*"|\'[^\']*\')*?)(/?)>')
_REFERENCE = re.compile(rb'(?<![\w:.-])r\s*=\s*["\']([A-Za-z]*)([0-9]+)["\']')
# a formula, and a cell holding one with no value saved (no <v>, openpyxl's <v/>, or the
# <v></v> openpyxl writes with lxml; an empty <v></v> in a cell of type t="str" is an
# empty text result, as Excel writes one): written by programs that do not calculate
# (openpyxl, Apache POI behind many web systems), calamine reads it as an empty cell
# every formula ends so (a shared one's master too): one bytes search per chunk, ~1 ms a
# MB, settles a sheet without formulas; a shared formula's later cells (<f t="shared"
# si="0"/>) end otherwise, so once a master is seen, later chunks are searched for "<f"
# (~1.5 ms a MB). A sheet that binds the spreadsheetml namespace to a prefix
# (<x:worksheet xmlns:x="…">, as the .NET OpenXML SDK writes) is searched for </x:f> (and
# <x:f) as well: calamine reads its <x:c> cells as any others
_NAMESPACE = re.compile(
    rb'xmlns:([\w.-]+)\s*=\s*["\'](?:http://schemas\.openxmlformats\.org/spreadsheetml/2006/main'
    rb'|http://purl\.oclc\.org/ooxml/spreadsheetml/main)["\']')
_UNVALUED = re.compile(
    rb'<(?:[\w.-]+:)?c\b([^>]*)>\s*<(?:[\w.-]+:)?f\b(?:[^>]*/>|[^>]*>([^<]*)</(?:[\w.-]+:)?f>)'
    rb'\s*(<(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v>\s*</(?:[\w.-]+:)?v>)?\s*</(?:[\w.-]+:)?c>')
# a formula cell is at most ~50 KB of XML (8192 characters, escaped): the last cell of a
# chunk is carried into the next (where its </c> is) when it starts no further back
_CARRIED = 1 << 16
_TEXT_TYPE = re.compile(rb'(?<![\w:.-])t\s*=\s*["\']str["\']')
UNPLACED = "?"  # the reference of a formula cell written without r="…" (its key gets a number)


def column_number(letters: str | bytes) -> int:
    """A1-style column letters as a 1-based number: A → 1, Z → 26, XFD → 16384."""
    number = 0
    for letter in (letters.decode() if isinstance(letters, bytes) else letters).upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """The inverse of column_number: 16384 → XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def allowed_area(content_bytes: int) -> int:
    """The dense area a sheet may span, growing with what its file holds."""
    return min(MAX_CELLS, max(MIN_AREA, content_bytes // BYTES_PER_CELL))


def size_text(size: int) -> str:
    """A size as people read it: 356 字节, 5.6 KB, 12.3 MB."""
    if size < 1024:
        return f"{size} 字节"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def far_cell_refused(sheet: str, rows: int, columns: int, content: str) -> ImportRefused:
    far = f"{column_letters(columns)}{rows}"
    return ImportRefused(
        f"工作表“{sheet}”的单元格 {far} 远超实际内容（{content}），读取它要按 {rows} 行 × "
        f"{columns} 列展开，已拒绝读取。请在 Excel 或 WPS 中删除 {far} 及其附近多余的内容"
        "（选中多余的行列后“删除”，而非仅清除内容），保存后再导入。")


def check_xlsx_extent(path: str, sheet: str) -> dict[str, str]:
    """Refuse an .xlsx/.xlsm sheet whose cells span far more than its XML could fill.
    Returns the formula cells that hold no saved value (reference → formula; read, they
    are empty cells), found in the same pass over the XML.

    Silent when the sheet's part cannot be found (calamine then reports the file broken)."""
    unvalued: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None:
            return unvalued
        size = archive.getinfo(part).file_size
        budget = allowed_area(size)
        rows, columns = _bounds(_noting_unvalued(xml_chunks(archive, part), unvalued))
        if rows * columns <= budget:
            return unvalued
        # (_bounds may have stopped early: this pass reads the part whole, and notes anew)
        unvalued.clear()
        rows, columns = _valued_extent(_noting_unvalued(xml_chunks(archive, part), unvalued))
    if rows * columns > budget:
        raise far_cell_refused(sheet, rows, columns, f"工作表数据仅 {size_text(size)}")
    return unvalued


def _noting_unvalued(chunks: Iterator[bytes], unvalued: dict[str, str]) -> Iterator[bytes]:
    """The chunks, noting each formula cell without a saved value (reference → formula).

    A chunk ends before a tag, not after a cell: the last cell of each chunk is searched
    with the next one, so that a formula cell the boundary cuts is seen whole, once."""
    marks = starts = cells = ()  # how formula and cell tags end and start in this sheet
    carried = b""  # the last cell of the chunk before, from its "<c"
    for chunk in chunks:
        if not cells:  # the root element, and its namespaces, are in the first chunk
            prefixes = [b""] + [prefix + b":" for prefix in sorted(set(_NAMESPACE.findall(chunk)))]
            marks = tuple(b"</" + prefix + b"f>" for prefix in prefixes)
            starts = tuple(b"<" + prefix + b"f" for prefix in prefixes)
            cells = tuple(b"<" + prefix + b"c" for prefix in prefixes)
        if any(mark in chunk or mark in carried for mark in marks):
            text = carried + chunk  # rare: a roster seldom holds a formula at all
            last = _last_cell(text, cells)
            _note_unvalued(text, last, unvalued)
            carried = text[last:]
            if marks is not starts and b"shared" in text:
                marks = starts  # its later cells may lack an end tag
        else:
            carried = chunk[_last_cell(chunk, cells):]
        yield chunk
    if carried and any(mark in carried for mark in marks):
        _note_unvalued(carried, len(carried), unvalued)


def _last_cell(text: bytes, cells: tuple[bytes, ...]) -> int:
    """Where the last cell tag near the end of ``text`` starts (its end, when none does)."""
    last = max(text.rfind(cell) for cell in cells)
    return last if last >= 0 and last >= len(text) - _CARRIED else len(text)


def _note_unvalued(text: bytes, end: int, unvalued: dict[str, str]) -> None:
    """Note the formula cells without a saved value in ``text[:end]``."""
    for attributes, formula, empty_value in _UNVALUED.findall(text, 0, end):
        if empty_value and _TEXT_TYPE.search(attributes):
            continue  # an empty text result, saved as such
        reference = _REFERENCE.search(attributes)
        where = ((reference[1] + reference[2]).decode().upper() if reference
                 else f"{UNPLACED}{len(unvalued) + 1}")
        unvalued[where] = html.unescape(formula.decode("utf-8", "replace"))


def unvalued_in_data(unvalued: dict[str, str], first_row: int) -> dict[str, str]:
    """The formula cells without a saved value from Excel row ``first_row`` on (the data):
    a title's formula (="截至"&TEXT(…)) above the header reads nothing the import takes.
    A cell written without its place is counted in, as it may be anywhere."""
    return {where: formula for where, formula in unvalued.items()
            if where.startswith(UNPLACED) or int(where.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            >= first_row}


def unvalued_refused(sheet: str, unvalued: dict[str, str], *, read_as: str = "空白"
                     ) -> ImportRefused:
    """The import of a sheet with formulas whose values the file does not hold: read, a
    year, an amount or a name would be silently missing (``read_as``: what they read as,
    blank, or 0 in an .xls)."""
    shown = "、".join(
        (("未标位置的单元格" if where.startswith(UNPLACED) else where)
         + (f"（={formula}）" if formula else ""))
        for where, formula in list(unvalued.items())[:3])
    more = f"等 {len(unvalued)} 个单元格" if len(unvalued) > 3 else ""
    return ImportRefused(
        f"工作表“{sheet}”的 {shown}{more}是公式，但文件中没有保存公式的计算结果（网上系统或程序"
        f"生成的表格常见），读出来将是{read_as}，已拒绝导入。请用 Excel 或 WPS 打开该文件，保存后再导入。")


def xml_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part inflated a chunk at a time, each cut before its last "<" and the rest
    carried to the next (XML attribute values hold no "<"), so every tag is seen whole
    exactly once: memory stays near a chunk whatever the part's size."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:  # no tag starts here, or only at the very start: carry it all
                tail = buffer
                continue
            yield buffer[:cut]
            tail = buffer[cut:]
    if tail:
        yield tail


def _bounds(chunks: Iterator[bytes]) -> tuple[int, int]:
    """An upper bound on (rows, columns) from every ref in the sheet, empty cells included:
    C-speed passes only; an exact count is needed only when this bound is too large."""
    rows, columns = 99_999, 26
    for chunk in chunks:
        if _PREFIXED.search(chunk):
            return MAX_ROWS, MAX_COLUMNS
        if not _NOT_ORDINARY.search(chunk):
            continue
        if _UNPLACED.search(chunk):
            return MAX_ROWS, MAX_COLUMNS
        if long_rows := _LONG_ROWS.findall(chunk):
            rows = max(rows, *map(int, long_rows))
        if three := _THREE_LETTERS.findall(chunk):  # rare: a Python key for each is fine
            columns = max(columns, *map(column_number, three))
        elif two := _TWO_LETTERS.findall(chunk):  # same length: the largest sorts last
            columns = max(columns, column_number(max(map(bytes.upper, two))))
    return rows, columns


def _valued_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """The (rows, columns) calamine will span: only cells holding a value count, and a row
    or cell without its r="…" takes the place after the one before, as calamine places it."""
    rows = columns = row = column = 0
    for chunk in chunks:
        for name, attributes, closed in _TAG.findall(chunk):
            reference = _REFERENCE.search(attributes)
            if name == b"row":
                row, column = (int(reference[2]) if reference else row + 1), 0
                continue
            if reference and reference[1]:
                row, column = int(reference[2]), column_number(reference[1])
            else:
                column += 1
            if not closed:
                rows, columns = max(rows, row), max(columns, column)
    return rows, columns


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the named worksheet, via workbook.xml and its relationships.

    Namespaces are not looked at, as calamine does not look at them: a Strict Open XML
    workbook (purl.oclc.org namespaces) was not found by the transitional names, so its
    sheets were read unchecked (a far cell aborted the client)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = next((_relation_id(element) for element in workbook.iter()
                     if _local(element.tag) == "sheet" and element.get("name") == sheet), None)
    return related_part(archive, "xl/_rels/workbook.xml.rels", relation)


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace: {…}sheet → sheet."""
    return name.rpartition("}")[2]


def _relation_id(element) -> str | None:
    """A <sheet>'s r:id, in whichever relationships namespace (transitional or strict)."""
    return next((value for name, value in element.attrib.items()
                 if name.startswith("{") and _local(name) == "id"), None)


def related_part(archive: zipfile.ZipFile, relations_part: str, relation: str | None) -> str | None:
    """The zip member a workbook's relationship names (xl/… unless absolute), if present."""
    names = set(archive.namelist())
    if relation is None or relations_part not in names:
        return None
    for element in ElementTree.fromstring(archive.read(relations_part)):
        if element.get("Id") == relation:
            target = element.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
            return part if part in names else None
    return None
