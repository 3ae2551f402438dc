"""Whether a file that is in the way of an export is one Tiers wrote and nobody changed
since: the only kind of existing file a face may replace without asking.

The command line replaced whatever had the name it was given: ``tiers export roster
名单.xlsx`` over the officer's own 名单.xlsx, and ``tiers export collection 采集表 --per
firm`` into a folder where the firms' filled-in 采集表 had come back under the names they
were sent with (the break campaign of #26). The desktop client asks before it replaces a
file; the command line asks nobody, so it replaces only:

- an empty file (nothing to lose);
- a workbook Tiers wrote (``Tiers <version>`` in its description) that nobody saved since:
  XlsxWriter writes the same moment as created and modified, a filled template (openpyxl)
  is given its created moment just before it is saved; Excel, WPS and LibreOffice set
  the modified moment on every save (the description is kept, so it alone would take a
  filled-in 采集表 for ours). A 采集表 (its hidden marker) is Tiers' own only while every
  cell the firm fills is blank, whatever its moments say: a program that keeps both
  moments on save would otherwise have a firm's return replaced (review26);
- a PDF printed from such a workbook as LibreOffice wrote it: ``Tiers`` in its keywords,
  LibreOffice its producer, no modification date and no later revision appended
  (LibreOffice writes a creation date only and one cross-reference; a tool that stamps,
  signs or annotates it appends a revision or sets /ModDate, and keeps the keywords);
- a data package this database's unit wrote: its manifest says
  ``tiers-exchange-package`` and names as 报送单位 one of ``package_units`` (the unit of
  the export about to replace it, and the one this database proposes for itself); a
  package received from another unit is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tiers.reports import collection_marker

MARK = "Tiers"  # a report's keywords; its description is "Tiers <version>"
PACKAGE_FORMAT = "tiers-exchange-package"  # tiers.exchange.format.FORMAT_NAME
SAVED_WITHIN = dt.timedelta(seconds=2)  # created (set before openpyxl's save) → modified
_WORKBOOKS = {".xlsx", ".xlsm"}
_PDF_KEYWORDS = re.compile(rb"/Keywords\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))")
_MOMENT = {"created": re.compile(r"<dcterms:created[^>]*>([^<]+)</dcterms:created>"),
           "modified": re.compile(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")}
_DESCRIPTION = re.compile(r"<dc:description>([^<]*)</dc:description>")
_PDF_PRODUCER = re.compile(rb"/Producer\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))")
_PDF_MODIFIED = re.compile(rb"/ModDate\b")
_PDF_REVISION_END = re.compile(rb"%%EOF")
PDF_PRODUCER = "LibreOffice"  # tiers.reports.pdf prints with it


FileIdentity = tuple[int, int, int, int]  # device, inode (file index), size, mtime (ns)


def file_identity(path: Path | str) -> FileIdentity | None:
    """Which file is under ``path`` now, as far as replacing it goes: the one the officer
    agreed to replace is this file, unchanged (the same inode, size and modification
    moment); another saved under the name since, or this one saved over, is not. None when
    nothing (or no regular file) is there."""
    try:
        found = Path(path).stat()
    except OSError:
        return None
    if not Path(path).is_file():
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def replaceable(path: Path, *, package_units: Iterable[str] = (),
                agreed: FileIdentity | None = None) -> bool:
    """Whether ``path`` may be replaced without asking: absent, empty, or Tiers' own
    output unchanged since it was written. ``package_units``: the 报送单位 this database
    sends its packages under (a package is replaced only when its manifest names one;
    none given: no package is). ``agreed``: the file the officer agreed to replace
    (file_identity when asked), replaced while it is still that file unchanged; a
    different one saved under the name meanwhile is judged as any other (review27b #10)."""
    path = Path(path)
    try:
        if not path.exists():
            return True
        if agreed is not None and file_identity(path) == agreed:
            return True
        if not path.is_file():
            return False
        if path.stat().st_size == 0:
            return True
        suffix = path.suffix.lower()
        if suffix in _WORKBOOKS:
            return _our_workbook(path)
        if suffix == ".pdf":
            return _our_pdf(path)
        if suffix == ".zip":
            unit = _package_unit(path)
            return unit is not None and unit in set(package_units)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, UnicodeDecodeError,
            TypeError):  # (TypeError: one moment with a zone, the other without)
        return False  # unreadable, not what its name says: not ours
    return False


def _our_workbook(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    description = _DESCRIPTION.search(core)
    if description is None or not description[1].startswith(f"{MARK} "):
        return False
    moments = {}
    for name, pattern in _MOMENT.items():
        found = pattern.search(core)
        if found is None:
            return False
        moments[name] = dt.datetime.fromisoformat(found[1].strip().replace("Z", "+00:00"))
    if not dt.timedelta(0) <= moments["modified"] - moments["created"] <= SAVED_WITHIN:
        return False
    return not _filled_in_return(path)


def _filled_in_return(path: Path) -> bool:
    """Whether a workbook is a 采集表 (its hidden marker) with any cell the firm fills not
    blank: a return, not Tiers' output, whatever its moments and description say. A
    marker that cannot be read counts as filled in (kept)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    if collection_marker.SHEET_NAME not in book.sheet_names:
        return False
    marker = collection_marker.read(
        book.get_sheet_by_name(collection_marker.SHEET_NAME).to_python())
    if marker is None:
        return False
    if marker.data_sheet not in book.sheet_names:
        return True
    inputs = [column.index for column in marker.columns
              if column.role == collection_marker.INPUT]
    rows = book.get_sheet_by_name(marker.data_sheet).to_python()
    return any(_filled(row[index]) for row in rows[marker.header_row + 1:]
               for index in inputs if index < len(row))


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _pdf_text(value: bytes) -> str:
    """A PDF string, (literal) or <hex> (UTF-16 with its mark, or PDFDocEncoding)."""
    if value.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else \
            raw.decode("latin-1")
    return value[1:-1].decode("latin-1")


def _our_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        data = handle.read(64 * 1024 * 1024)  # a report's PDF is far smaller
    if len(_PDF_REVISION_END.findall(data)) != 1 or _PDF_MODIFIED.search(data):
        return False  # a revision appended (signed, stamped, annotated) or modified since
    producers = [_pdf_text(found[1]) for found in _PDF_PRODUCER.finditer(data)]
    if not producers or not all(text.startswith(PDF_PRODUCER) for text in producers):
        return False
    return any(MARK in _pdf_text(found[1]).split() for found in _PDF_KEYWORDS.finditer(data))


def _package_unit(path: Path) -> str | None:
    """The 报送单位 a Tiers data package's manifest names; None for any other zip."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        return None
    unit = manifest.get("source_unit")
    return unit if isinstance(unit, str) else None


def refusal(path: Path, *, agreed: FileIdentity | None = None) -> str:
    """The Chinese sentence for a file that is not replaceable. ``agreed``: the file the
    officer agreed to replace (replaceable's), so no longer under the name: he is told that
    his 覆盖 was for another file."""
    unit = None
    # (only a regular file is read: a named pipe blocks the reading until someone writes)
    if Path(path).suffix.lower() == ".zip" and Path(path).is_file():
        try:
            unit = _package_unit(Path(path))
        except (OSError, zipfile.BadZipFile, ValueError, KeyError, UnicodeDecodeError):
            unit = None
    if unit is not None:
        return (f"“{path}”已存在，是“{unit}”的数据包，不是本库以本单位导出的"
                "（可能是收到的别的单位的数据包），不会覆盖它：请换一个文件名，或先把它移走")
    if agreed is not None:
        return (f"“{path}”在您同意覆盖之后被换成了另一个文件或又保存过（如同事交回的文件、"
                "在 WPS 或 Excel 中的修改），且不是 Tiers 导出后未经改动的文件，不会覆盖它："
                "请先看一看它，再换一个文件名或把它移走后重新导出")
    return (f"“{path}”已存在，且不是 Tiers 导出后未经改动的文件（别的程序的文件，或导出后"
            "又打开保存、填写过），不会覆盖它：请换一个文件名，或先把它移走")
