"""导出报表 from what is on screen, as PDF, and 打印预览 (#19)."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter

from tiers.reports import pdf
from ui.enterprise_dialog import EnterpriseDialog
from ui.export_dialog import ExportDialog
from ui.main_window import MainWindow

needs_office = pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")


def test_the_dialog_starts_from_the_filters_on_screen(qtbot, demo_database, settings, runner):
    dialog = ExportDialog(demo_database, settings, runner, report="roster",
                          filters={"tier": "little_giant", "county": None, "code": "x"})
    qtbot.addWidget(dialog)
    assert dialog.request().tier == "little_giant"
    assert "已按当前页面的筛选预填" in dialog.status.text() and "小巨人" in dialog.status.text()
    dialog.report.setCurrentIndex(dialog.report.findData("summary"))  # 汇总表 takes tier too
    assert dialog.request().tier == "little_giant"
    dialog.report.setCurrentIndex(dialog.report.findData("profile"))  # only a code
    assert set(dialog.filter_widgets) == {"code"} and dialog.request().code == "x"


def test_main_window_export_takes_the_roster_filters_and_selection(
        qtbot, demo_database, settings, runner):
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show_page(1)
    county = window.roster.filters.county
    qtbot.waitUntil(lambda: county.count() > 1, timeout=10_000)  # read on the runner
    county.setCurrentIndex(1)
    assert county.currentData()
    window.roster.apply_filters()
    # the county's firms, read on the runner: the rows selected are of that list (an
    # export asked before it is shown waits for it: test_roster_actions_wait_for_the_filter)
    qtbot.waitUntil(lambda: runner.settled and not window.roster.model.listing_pending,
                    timeout=10_000)
    table = window.roster.table
    table.selectRow(0)
    table.selectionModel().select(table.model().index(1, 0),
                                  table.selectionModel().SelectionFlag.Select
                                  | table.selectionModel().SelectionFlag.Rows)
    codes = window.roster.selected_codes()
    assert len(codes) == 2
    dialog = window.open_export_dialog()
    assert dialog.request().county == county.currentData()
    dialog.report.setCurrentIndex(dialog.report.findData("profile"))
    assert dialog.request().code == "，".join(codes)  # 企业档案 of the selected firms


@needs_office
def test_pdf_export_and_print_preview(qtbot, demo_database, settings, runner, tmp_path):
    dialog = ExportDialog(demo_database, settings, runner, report="summary")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "汇总表.xlsx"))
    dialog.format.setCurrentIndex(dialog.format.findData(".pdf"))
    assert dialog.path.text().endswith("汇总表.pdf")
    with qtbot.waitSignal(dialog.exported, timeout=120_000):
        dialog.export_button.click()
    assert (tmp_path / "汇总表.pdf").read_bytes().startswith(b"%PDF")

    task = dialog.preview()
    qtbot.waitUntil(lambda: task.done.is_set(), timeout=120_000)
    qtbot.waitUntil(lambda: hasattr(dialog, "preview_dialog"), timeout=10_000)
    preview = dialog.preview_dialog
    assert preview.pages >= 1
    assert preview.printer.pageLayout().orientation().name == "Landscape"
    # what the preview draws goes to paper as well: print it to a PDF file here
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    preview.paint(printer)
    assert printed.stat().st_size > 1000
    folder = dialog.preview_folder
    preview.dialog.close()
    dialog.close()
    assert folder and not __import__("os").path.exists(folder)  # the temporary PDF is gone


@needs_office
def test_the_enterprise_window_exports_its_archive_page(qtbot, demo_database, settings,
                                                         runner, tmp_path):
    from sqlalchemy import select

    from tiers.model.orm import Enterprise

    with demo_database.session() as session:
        firm_id = session.scalar(select(Enterprise.id).order_by(Enterprise.id).limit(1))
    window = EnterpriseDialog(demo_database, settings, firm_id, runner=runner)
    qtbot.addWidget(window)
    dialog = window.export_profile()
    qtbot.addWidget(dialog)
    assert dialog.definition().name == "profile"
    assert dialog.request().code == window.profile["credit_code"]
    target = tmp_path / "档案.pdf"
    dialog.format.setCurrentIndex(dialog.format.findData(".pdf"))
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=120_000):
        dialog.export_button.click()
    assert target.read_bytes().startswith(b"%PDF")
