"""Opening a file: refuse what is hostile or hopeless before any parser sees it, then read
sheets as rows of cells (Excel row n is ``rows[n - 1]``) with merged cells filled
(merged.py, within a budget).

.xlsx/.xlsm/.xlsb/.ods/.xls go through python-calamine (fast, and it reports merged ranges
for .xls too), each sheet's real extent checked first (extent.py) and its formulas without
a saved value noted (an .xls's by xls_formulas.py, which says what it cannot tell: xlwt's);
.csv/.txt/.tsv are decoded and split by text.py. Only regular files are opened: a FIFO would block, a link to
/dev/zero never end.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import python_calamine

from importers.errors import ImportRefused
from importers.read.extent import allowed_area, check_xlsx_extent, far_cell_refused, size_text
from importers.read.merged import check_merged, fill_merged
from importers.read.ods_extent import check_ods_extent
from importers.read.text import read_text
from importers.read.xls_formulas import unvalued_formulas
from importers.read.xlsb_extent import check_xlsb_extent
from tiers.progress import paused_gc

# an exchange package's (tiers.exchange.format.MANIFEST: importing it would bring the ORM)
PACKAGE_MANIFEST = "manifest.json"

MAX_FILE_BYTES = 200 * 1024 * 1024  # a roster of 100k rows is ~15 MB as .xlsx, ~20 MB as .csv
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # all members of an .xlsx, as the zip declares
MAX_COMPRESSION_RATIO = 200  # with more than 10 MB declared: a zip bomb, not a spreadsheet

SAVE_AS_XLSX = "请用 Excel 或 WPS 打开它，点“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”，再导入另存的文件。"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xla", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
OLE2_SUFFIXES = {".xls", ".xla"}  # what a legacy (OLE2) workbook is named
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# (path, sheet): raises ImportRefused if too far; may return the formula cells without a
# saved value (reference → formula)
SheetExtent = Callable[[str, str], dict[str, str] | None]
_CALAMINE_ERRORS = (python_calamine.CalamineError, ValueError, OSError, UnicodeError,
                    OverflowError, TypeError)


@dataclass
class Sheet:
    """One sheet's cells: ``rows[i][j]`` is Excel row i+1, column j+1 (ragged; "" or None
    where empty). Merged ranges are filled with their top-left value."""

    name: str
    rows: list[list[Any]]
    visible: bool = True
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # formula cells the file holds no value of (read as empty): "E2" → "2000+25"
    unvalued: dict[str, str] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> Any:
        """0-based row and column; None beyond the data."""
        if row >= len(self.rows):
            return None
        line = self.rows[row]
        return line[column] if column < len(line) else None


class Source:
    """An opened file: its sheet names, and each sheet read on demand (and kept)."""

    def __init__(self, path: Path, *, kind: str, sha256: str, size: int,
                 workbook: Any = None, text_rows: list[list[Any]] | None = None,
                 encoding: str = "", delimiter: str = "", content_bytes: int = 0,
                 sheet_extent: SheetExtent | None = None, unvalued_read_as: str = "空白") -> None:
        self.path = path
        self.file_name = path.name
        self.format = kind  # "excel" or "csv"
        self.sha256 = sha256
        self.size = size
        self.encoding = encoding
        self.delimiter = delimiter
        self._workbook = workbook
        self._content_bytes = content_bytes or size  # what the sheets' extent must follow
        # .xlsx/.xlsm/.xlsb: each sheet's extent is measured before calamine reads it (and
        # with .ods and .xls, its formulas without a saved value noted)
        self._sheet_extent = sheet_extent
        self.unvalued_read_as = unvalued_read_as  # a formula without its value, read
        self._sheets: dict[str, Sheet] = {}
        if workbook is not None:
            metadata = list(workbook.sheets_metadata)
            self._visible = {m.name: str(m.visible).endswith("Visible") for m in metadata}
            self._worksheets = [m.name for m in metadata if str(m.typ).endswith("WorkSheet")]
        else:
            name = path.stem or "Sheet1"
            self._visible = {name: True}
            self._worksheets = [name]
            self._sheets[name] = Sheet(name=name, rows=text_rows or [])

    @property
    def sheet_names(self) -> list[str]:
        """Worksheets in workbook order (chart sheets left out)."""
        return list(self._worksheets)

    def is_visible(self, name: str) -> bool:
        return self._visible.get(name, True)

    def sheet(self, name: str) -> Sheet:
        if name in self._sheets:
            return self._sheets[name]
        if name not in self._worksheets:
            raise ImportRefused(f"工作表“{name}”不存在。本文件的工作表有：{'、'.join(self._worksheets)}")
        unvalued = None
        try:
            if self._sheet_extent:  # before calamine allocates the sheet's whole area
                unvalued = self._sheet_extent(str(self.path), name)
            sheet = self._workbook.get_sheet_by_name(name)
            # rows are built from A1 (skip_empty_area=False): the far corner, not the
            # height and width of the used range, says what they cost
            last_row, last_column = sheet.end or (0, 0)
            if (last_row + 1) * (last_column + 1) > allowed_area(self._content_bytes):
                raise far_cell_refused(name, last_row + 1, last_column + 1,
                                       f"文件内容仅 {size_text(self._content_bytes)}")
            with paused_gc():  # a list per row: no collections walking them meanwhile
                rows = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        except ImportRefused:
            raise
        except python_calamine.PasswordError as exc:
            raise ImportRefused(_encrypted_message(self.file_name)) from exc
        except (*_CALAMINE_ERRORS, zipfile.BadZipFile, ParseError) as exc:
            raise ImportRefused(
                f"工作表“{name}”无法读取，文件可能已损坏或不完整。"
                f"{SAVE_AS_XLSX}") from exc
        # to_python gives a new list per row already: no copy (measured 0.2 s and ~100 MB
        # on 100k rows)
        check_merged(rows, merged, sheet=name)
        fill_merged(rows, merged)
        result = Sheet(name=name, rows=rows, visible=self.is_visible(name), merged=merged,
                       unvalued=unvalued or {})
        self._sheets[name] = result
        return result

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def _beside(size: int, other: int) -> str:
    """A size in MB with as many decimals as it takes to differ from the other one: never
    "有 200 MB，超过导入上限 200 MB"; in bytes when even three decimals are equal."""
    for decimals in (0, 1, 3):
        if f"{size / 1048576:.{decimals}f}" != f"{other / 1048576:.{decimals}f}":
            return f"{size / 1048576:.{decimals}f} MB"
    return f"{size:,} 字节"


def _encrypted_message(file_name: str) -> str:
    return (f"“{file_name}”设有打开密码（已加密），无法读取。请用 Excel 或 WPS 输入密码打开，"
            "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码后保存，再导入。")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_source(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Open a roster file, or raise ImportRefused saying (in Chinese) why not and what to do."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ImportRefused(f"“{path}”是一个文件夹，不是文件：请选择文件夹中要导入的"
                            " .xlsx、.xls 或 .csv 文件。")
    try:
        status = path.stat()  # follows a link: what would be read is what is checked
    except OSError as exc:
        raise ImportRefused(f"找不到文件：{path}") from exc
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block the read, /dev/zero never end
        raise ImportRefused(f"“{name}”不是普通文件（可能是管道、设备或特殊文件），无法导入。"
                            "请选择保存在磁盘上的 .xlsx、.xls 或 .csv 文件。")
    size = status.st_size
    if size == 0:
        raise ImportRefused(f"“{name}”是空文件（0 字节），没有可导入的内容。")
    if size > max_bytes:
        raise ImportRefused(f"“{name}”有 {_beside(size, max_bytes)}，超过导入上限 "
                            f"{_beside(max_bytes, size)}。请确认选对了文件，或把名单分成几个文件导入。")
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in {".et", ".ett", ".dps", ".wps"}:
        raise ImportRefused(f"“{name}”是 WPS 表格专用格式（{suffix}），无法直接导入。{SAVE_AS_XLSX}")
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        raise ImportRefused(
            f"“{name}”是 PDF 文件，其中的表格无法可靠读取。请向发文单位索取 Excel 版名单；"
            "或用 WPS/Adobe 的“PDF 转 Excel”转换并核对后，另存为 .xlsx 再导入。")
    if head.startswith(ZIP_MAGIC):
        workbook, declared, sheet_extent = _open_zip_workbook(path, name)
        return Source(path, kind="excel", sha256=file_sha256(path), size=size, workbook=workbook,
                      content_bytes=declared, sheet_extent=sheet_extent)
    if head.startswith(OLE2_MAGIC):
        workbook = _open_ole_workbook(path, name)
        return Source(path, kind="excel", sha256=file_sha256(path), size=size, workbook=workbook,
                      sheet_extent=unvalued_formulas,  # (BIFF8's grid is bounded: no extent)
                      unvalued_read_as=" 0")
    if suffix in EXCEL_SUFFIXES:
        if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
            raise ImportRefused(
                f"“{name}”扩展名是 {suffix}，但实际是网页（HTML/XML）格式，常见于网上系统导出的表格。"
                f"{SAVE_AS_XLSX}")
        if head.startswith(b"PK"):
            raise ImportRefused(f"“{name}”已损坏或不完整（压缩包结构无效）。请重新下载或向发送方索取。")
        raise ImportRefused(
            f"“{name}”扩展名是 {suffix}，但内容不是 Excel 工作簿（可能是改了扩展名的文本文件，或文件已损坏）。"
            "如果它其实是 CSV 文本，请把扩展名改为 .csv 再导入。")
    if suffix in TEXT_SUFFIXES or not suffix:
        rows, encoding, delimiter = read_text(path.read_bytes(), name)
        return Source(path, kind="csv", sha256=file_sha256(path), size=size, text_rows=rows,
                      encoding=encoding, delimiter=delimiter)
    raise ImportRefused(f"不支持的文件类型“{suffix}”。可导入 .xlsx、.xlsm、.xls、.csv、.txt。")


def _open_zip_workbook(path: Path, name: str) -> tuple[Any, int, SheetExtent | None]:
    """calamine's workbook, the bytes its members declare, and what measures a sheet before
    calamine reads it (.xlsx/.xlsm, .xlsb); an .ods is measured here, as calamine reads all
    its tables on opening."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            declared = sum(m.file_size for m in members)
            compressed = sum(m.compress_size for m in members)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(
            f"“{name}”已损坏或不完整（无法解开工作簿的压缩结构），可能是下载或拷贝中断。"
            "请重新下载，或请发送方重新发送。") from exc
    if any(n.startswith("word/") for n in names):
        raise ImportRefused(f"“{name}”是 Word 文档，不是 Excel 工作簿。请把其中的表格复制到 Excel，另存为 .xlsx 再导入。")
    if any(n.startswith("ppt/") for n in names):
        raise ImportRefused(f"“{name}”是 PowerPoint 文件，不是 Excel 工作簿。")
    is_excel = any(n in names for n in ("xl/workbook.xml", "xl/workbook.bin")) or \
        "content.xml" in names
    if not is_excel and PACKAGE_MANIFEST in names:  # (unpacked, no CSV of it is a list)
        raise ImportRefused(f"“{name}”是 Tiers 数据包（报送单位的全部数据），不是名单。",
                            hint_field="package")
    if not is_excel:
        raise ImportRefused(f"“{name}”是压缩包，但不是 Excel 工作簿。请解压后选择其中的表格文件。")
    if declared > MAX_UNCOMPRESSED_BYTES or (
            declared > 10 * 1024 * 1024 and declared > MAX_COMPRESSION_RATIO * max(compressed, 1)):
        raise ImportRefused(
            f"“{name}”解压后将有 {declared / 1048576:.0f} MB（压缩前仅 {path.stat().st_size / 1048576:.1f} MB），"
            "远超正常名单，可能是恶意构造的文件，已拒绝读取。")
    sheet_extent = _sheet_extent_check(path, name, names)
    # the reader of what the zip holds (an .ods renamed .xlsx is read as the .ods it is)
    holds = ({".xlsx", ".xlsm"} if "xl/workbook.xml" in names
             else {".xlsb"} if "xl/workbook.bin" in names else {".ods"})
    try:
        workbook = _calamine_workbook(path, holds)
    except python_calamine.PasswordError as exc:
        raise ImportRefused(_encrypted_message(name)) from exc
    except _CALAMINE_ERRORS as exc:
        raise ImportRefused(f"“{name}”已损坏，无法作为 Excel 工作簿（.xlsx）读取。"
                            f"{SAVE_AS_XLSX}") from exc
    return workbook, declared, sheet_extent


def _sheet_extent_check(path: Path, name: str, names: set[str]) -> SheetExtent | None:
    """What measures each sheet before calamine reads it; an .ods is measured now, since
    calamine spans all its tables while opening it."""
    if "xl/workbook.xml" in names:
        return check_xlsx_extent
    if "xl/workbook.bin" in names:
        return check_xlsb_extent
    unvalued = check_ods_extent(str(path), name)
    return lambda _path, table: unvalued.get(table, {})


def _open_ole_workbook(path: Path, name: str) -> Any:
    streams = ole_stream_names(path)
    if streams is None:
        raise ImportRefused(f"“{name}”已损坏或不完整（旧版 Office 文件结构无效）。请重新下载或向发送方索取。")
    if {"encryptioninfo", "encryptedpackage"} & streams:
        raise ImportRefused(_encrypted_message(name))
    if "workbook" not in streams and "book" not in streams:
        if "worddocument" in streams:
            raise ImportRefused(f"“{name}”是 Word 文档，不是 Excel 工作簿。")
        raise ImportRefused(f"“{name}”不是 Excel 工作簿（旧版 Office 文件中没有工作簿）。{SAVE_AS_XLSX}")
    try:
        return _calamine_workbook(path, OLE2_SUFFIXES)
    except python_calamine.PasswordError as exc:
        raise ImportRefused(_encrypted_message(name)) from exc
    except _CALAMINE_ERRORS as exc:
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise ImportRefused(_encrypted_message(name)) from exc
        raise ImportRefused(f"“{name}”已损坏，无法作为旧版 Excel 工作簿（.xls）读取。"
                            f"{SAVE_AS_XLSX}") from exc


def _calamine_workbook(path: Path, suffixes: set[str]) -> Any:
    """The workbook read by its content. calamine's from_path picks its reader by the
    file's extension, so an .xls renamed .xlsx (officers do) would fail as a broken zip;
    from a file object it looks at the bytes. The name is trusted only when it agrees
    with the content (the common case, read straight from the path)."""
    if path.suffix.lower() in suffixes:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    with path.open("rb") as handle:
        return python_calamine.CalamineWorkbook.from_filelike(handle)


def ole_stream_names(path: Path) -> set[str] | None:
    """The (lower-cased) names in an OLE2 compound file's directory, or None if the
    structure is broken. Enough of MS-CFB to tell an encrypted .xlsx (EncryptionInfo +
    EncryptedPackage streams) from an .xls (Workbook stream) from a corrupt file."""
    data = path.read_bytes() if path.stat().st_size <= 64 * 1024 * 1024 else None
    if data is None or len(data) < 512:
        return None
    sector_size = 1 << int.from_bytes(data[30:32], "little")
    if sector_size not in (512, 4096):
        return None
    first_directory = int.from_bytes(data[48:52], "little")
    fat_sectors = [int.from_bytes(data[76 + 4 * i: 80 + 4 * i], "little") for i in range(109)]
    fat: list[int] = []
    for sector in fat_sectors:
        if sector >= 0xFFFFFFFA:
            continue
        start = (sector + 1) * sector_size
        chunk = data[start:start + sector_size]
        if len(chunk) < sector_size:
            return None
        fat.extend(int.from_bytes(chunk[i:i + 4], "little") for i in range(0, sector_size, 4))
    names: set[str] = set()
    sector, seen = first_directory, set()
    while sector < 0xFFFFFFFA:
        if sector in seen:
            return None
        seen.add(sector)
        start = (sector + 1) * sector_size
        chunk = data[start:start + sector_size]
        if len(chunk) < sector_size:
            return None
        for offset in range(0, sector_size, 128):
            entry = chunk[offset:offset + 128]
            length = int.from_bytes(entry[64:66], "little")
            if 2 <= length <= 64:
                names.add(entry[:length - 2].decode("utf-16-le", "replace").lower())
        if sector >= len(fat):
            return None
        sector = fat[sector]
    return names
