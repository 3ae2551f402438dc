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
  filled-in 采集表 for ours);
- a PDF printed from such a workbook (``Tiers`` in its keywords: LibreOffice carries them);
- a data package (its manifest says ``tiers-exchange-package``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

MARK = "Tiers"  # a report's keywords; its description is "Tiers <version>"
PACKAGE_FORMAT = "tiers-exchange-package"  # tiers.exchange.format.FORMAT_NAME
SAVED_WITHIN = dt.timedelta(seconds=2)  # created (set before openpyxl's save) → modified
_WORKBOOKS = {".xlsx", ".xlsm"}
_PDF_KEYWORDS = re.compile(rb"/Keywords\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))")
_MOMENT = {"created": re.compile(r"<dcterms:created[^>]*>([^<]+)</dcterms:created>"),
           "modified": re.compile(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")}
_DESCRIPTION = re.compile(r"<dc:description>([^<]*)</dc:description>")


def replaceable(path: Path) -> bool:
    """Whether ``path`` may be replaced without asking: absent, empty, or Tiers' own
    output unchanged since it was written."""
    path = Path(path)
    try:
        if not path.exists():
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
            return _our_package(path)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, UnicodeDecodeError):
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
    return dt.timedelta(0) <= moments["modified"] - moments["created"] <= SAVED_WITHIN


def _our_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        data = handle.read(64 * 1024 * 1024)  # a report's PDF is far smaller
    for found in _PDF_KEYWORDS.finditer(data):
        value = found[1]
        if value.startswith(b"<"):
            raw = bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode("ascii"))
            text = raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else \
                raw.decode("latin-1")
        else:
            text = value[1:-1].decode("latin-1")
        if MARK in text.split():
            return True
    return False


def _our_package(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return isinstance(manifest, dict) and manifest.get("format") == PACKAGE_FORMAT


def refusal(path: Path) -> str:
    """The Chinese sentence for a file that is not replaceable."""
    return (f"“{path}”已存在，且不是 Tiers 导出后未经改动的文件（别的程序的文件，或导出后"
            "又打开保存、填写过），不会覆盖它：请换一个文件名，或先把它移走")
