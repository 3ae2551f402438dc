"""The marker every workbook Tiers writes carries: custom document properties naming the
generator, the workbook's kind (a stable code such as ``roster``), the Tiers version and
the export time. An import reads them back (``importers/read/marker.py``) to know a file
Tiers wrote itself. Excel, WPS and LibreOffice keep custom properties when they re-save an
.xlsx; a sheet re-saved as .xls or .csv loses them, so the importer also knows the reports
by their layout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiers import __version__

GENERATOR = "Tiers"
# property names: ASCII, so that every office suite keeps and shows them alike
GENERATOR_PROPERTY = "TiersGenerator"
REPORT_PROPERTY = "TiersReport"
VERSION_PROPERTY = "TiersVersion"
EXPORTED_PROPERTY = "TiersExportedAt"

# workbooks Tiers writes that are not reports (the reports' codes are their names)
IMPORT_PROBLEMS = "import_problems"


def properties(report: str, *, now: dt.datetime | None = None) -> dict[str, str]:
    """The marker of a workbook of kind ``report``, as property name → text."""
    moment = (now or dt.datetime.now().astimezone()).replace(microsecond=0)
    return {GENERATOR_PROPERTY: GENERATOR, REPORT_PROPERTY: report,
            VERSION_PROPERTY: __version__, EXPORTED_PROPERTY: moment.isoformat()}


def mark(workbook: Any, report: str, *, now: dt.datetime | None = None) -> None:
    """Set the marker on an XlsxWriter ``Workbook`` (before it is closed)."""
    for name, value in properties(report, now=now).items():
        workbook.set_custom_property(name, value)
