"""Reading back the marker Tiers puts in every workbook it writes (``tiers.reports.marker``):
the custom document properties in ``docProps/custom.xml`` of an .xlsx. calamine does not
expose them, so the zip member is read directly: only that one small member, parsed only
when it is small and declares no DTD (no entity expansion), so that a hostile file costs
nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tiers.reports import marker

CUSTOM_MEMBER = "docProps/custom.xml"
MAX_MEMBER_BYTES = 64 * 1024  # a few properties take well under 2 KB
_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def custom_properties(path: Path) -> dict[str, str]:
    """The text custom properties of the workbook at ``path``; empty for a file that is not
    a zip (.xls, .csv), has none, or whose member is too big or malformed."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(CUSTOM_MEMBER)
            if info.file_size > MAX_MEMBER_BYTES:
                return {}
            with archive.open(info) as member:
                content = member.read(MAX_MEMBER_BYTES + 1)
    except (OSError, KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError):
        return {}  # not an .xlsx, no such member, an encrypted or broken zip
    if len(content) > MAX_MEMBER_BYTES or b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        return {}
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return {}
    found: dict[str, str] = {}
    for item in root.iter(f"{_NAMESPACE}property"):
        name = item.get("name")
        value = next((child.text for child in item), None)
        if name and value is not None:
            found[name] = value
    return found


def tiers_report(path: Path) -> str | None:
    """The code of the workbook Tiers wrote at ``path`` (``roster``, ``summary`` …), or
    None for a file Tiers did not write (or whose marker was lost)."""
    properties = custom_properties(path)
    if properties.get(marker.GENERATOR_PROPERTY) != marker.GENERATOR:
        return None
    return properties.get(marker.REPORT_PROPERTY) or None
