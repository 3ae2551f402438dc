"""Exchange packages (数据包): a county's data carried losslessly to the city (and on), in
an open format (a zip of CSV files and a manifest, docs/exchange_package.md).

    drain(export_package(session, "武进区.zip", counties=["320412"]))
    package = read_package("武进区.zip")          # checked whole; PackageRefused
    package = yield from reading_package(path)    # the same, a Progress after each table
    preview = preview_package(session, package)  # nothing written
    result = drain(import_package(session, package, expected=preview_summary(preview)))
    result = drain(import_package_file(session, "武进区.zip"))  # read and written at once
    package_status(session, city_code="320400")   # 报送情况

An import is an import batch (kind ``package``), undone with importers.undo like any."""

from tiers.exchange.apply import (
    PackagePreviewOutdated,
    PackageResult,
    import_package,
    import_package_file,
    preview_package,
    preview_summary,
    previewing_package,
)
from tiers.exchange.format import BATCH_KIND
from tiers.exchange.plan import PackageOutdated
from tiers.exchange.reader import Package, PackageRefused, read_package, reading_package
from tiers.exchange.status import CountyStatus, city_counties, package_status
from tiers.exchange.writer import ExportResult, export_package

__all__ = ["BATCH_KIND", "CountyStatus", "ExportResult", "Package", "PackageOutdated",
           "PackagePreviewOutdated", "PackageRefused", "PackageResult", "city_counties",
           "export_package", "import_package", "import_package_file", "package_status", "preview_package",
           "preview_summary", "previewing_package", "read_package", "reading_package"]
