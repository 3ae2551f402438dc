"""打印预览: a report's pages as they will print, in Qt's print preview dialog.

The report is printed to PDF by LibreOffice (``tiers.reports.pdf``) on the background
runner; the pages are then drawn onto the printer from that PDF with QtPdf, so the preview
and the paper show exactly what the .xlsx prints (A4, header rows repeated, page numbers).
Where QtPdf is missing (a trimmed installation) the PDF opens in the system's viewer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QSizeF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QWidget

from ui.screen_fit import resize_to_fit

# beyond this many pages the preview draws for minutes: say so and open the PDF instead
MAX_PREVIEW_PAGES = 300
RENDER_DPI = 150  # sharp on screen and on paper, small enough for a few hundred pages


def page_count(pdf_path: str | Path) -> int | None:
    """The PDF's number of pages, or None when QtPdf cannot read it here."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        return None
    document = QPdfDocument()
    document.load(str(pdf_path))
    count = document.pageCount()
    document.close()
    return count


def open_in_viewer(pdf_path: str | Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf_path)))


class PdfPrintPreview:
    """QPrintPreviewDialog over the pages of a PDF file; ``exec`` shows it modally."""

    def __init__(self, pdf_path: str | Path, parent: QWidget | None = None) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        self.document = QPdfDocument(parent)
        self.document.load(str(pdf_path))
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(Path(pdf_path).stem)
        first = self.document.pagePointSize(0) if self.document.pageCount() else QSizeF()
        landscape = first.width() > first.height()
        self.printer.setPageLayout(QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
            QMarginsF()))
        self.printer.setFullPage(True)  # the PDF's pages carry their own margins
        self.dialog = QPrintPreviewDialog(self.printer, parent)
        self.dialog.setWindowTitle(parent.tr("打印预览") if parent else "打印预览")
        self.dialog.paintRequested.connect(self.paint)
        resize_to_fit(self.dialog, 1000, 720)  # (higher than a 1280 × 720 screen)

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def paint(self, printer) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                image = self.document.render(page, (size * (RENDER_DPI / 72)).toSize())
                # the page fills the paper keeping its proportions; the painter scales while
                # drawing, so no paper-sized image is ever made (A4 at 1200 dpi is 500 MB)
                area = painter.viewport()
                fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.topLeft(), fitted), image)
        finally:
            painter.end()

    def exec(self) -> int:
        return self.dialog.exec()

