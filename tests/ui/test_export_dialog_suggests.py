"""导出报表 as an officer opens it (the desk testers: it offered the home folder and a name
that said only the report, and opened with the focus on 导出): the file is offered in the
folder of the last export, else in 文档, named after the report and its filters; the
report list has the focus, and Enter there exports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.export_dialog import ExportDialog

# one day for the whole run: read twice (the test's expectation when the module was
# collected, the dialog's name when it opened), a run that crossed midnight failed
TODAY = dt.date(2026, 12, 5)
STAMP = "20261205"


@pytest.fixture(autouse=True)
def frozen_day(monkeypatch):
    monkeypatch.setattr(ExportDialog, "today", staticmethod(lambda: TODAY))


def opened(qtbot, *args, **kwargs) -> ExportDialog:
    dialog = ExportDialog(*args, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_first_offered_in_documents_then_where_the_last_export_went(
        qtbot, demo_database, settings, runner, tmp_path):
    documents = Path(os.environ["HOME"]) / "Documents"
    documents.mkdir()
    dialog = opened(qtbot, demo_database, settings, runner, report="roster")
    assert Path(dialog.path.text()) == documents / f"梯度培育企业名单-{STAMP}.xlsx"
    folder = tmp_path / "报表"
    folder.mkdir()
    dialog.path.setText(str(folder / "小巨人.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    again = opened(qtbot, demo_database, settings, runner, report="summary")
    assert Path(again.path.text()) == folder / f"梯度培育情况汇总表-{STAMP}.xlsx"


def test_the_name_says_the_filters_and_follows_them_until_the_officer_types_one(
        qtbot, demo_database, settings, runner, tmp_path):
    dialog = opened(qtbot, demo_database, settings, runner, report="roster",
                    filters={"county": "武进区", "tier": "little_giant"})
    assert Path(dialog.path.text()).name == \
        f"武进区梯度培育企业名单（专精特新“小巨人”企业）-{STAMP}.xlsx"
    qtbot.waitUntil(lambda: dialog.filter_widgets["county"].findData("新北区") > 0,
                    timeout=10_000)  # (the other counties, read on the runner)
    dialog.set_filter("year", 2024)
    assert Path(dialog.path.text()).name.startswith("武进区2024年度梯度培育企业名单")
    dialog.format.setCurrentIndex(dialog.format.findData(".pdf"))
    dialog.set_filter("county", "新北区")
    assert Path(dialog.path.text()).name == \
        f"新北区2024年度梯度培育企业名单（专精特新“小巨人”企业）-{STAMP}.pdf"
    own = tmp_path / "给局长.pdf"
    dialog.path.setText(str(own))
    dialog.set_filter("county", "武进区")
    assert dialog.path.text() == str(own)  # the officer's own name stays
    dialog.report.setCurrentIndex(dialog.report.findData("expiring"))
    assert Path(dialog.path.text()).parent == tmp_path  # in the folder they chose
    assert Path(dialog.path.text()).name.startswith("武进区复核到期提醒表")


def test_a_firms_archive_is_named_after_the_firm(qtbot, firm_window, database, settings, runner,
                                                 enterprise_factory, session):
    firm = enterprise_factory("常州恒立液压有限公司")
    session.commit()
    window = firm_window(firm.id)
    dialog = window.export_profile()
    qtbot.addWidget(dialog)
    assert Path(dialog.path.text()).name == f"常州恒立液压有限公司企业档案-{STAMP}.xlsx"


def test_the_report_list_has_the_focus_and_enter_exports(qtbot, demo_database, settings,
                                                         runner, tmp_path):
    dialog = opened(qtbot, demo_database, settings, runner)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is dialog.report
    qtbot.keyClick(dialog.report, Qt.Key_Down)  # the arrow keys choose the report
    assert dialog.report.currentData() == "summary"
    dialog.path.setText(str(tmp_path / "汇总.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        qtbot.keyClick(dialog.report, Qt.Key_Return)
    assert (tmp_path / "汇总.xlsx").exists()


def test_the_choices_fill_in_without_moving_the_choice_or_the_focus(
        qtbot, demo_database, settings, runner):
    """The counties and towns are read on the runner (two scans of every firm): the dialog
    opens with the county on screen chosen already, and the rest are offered once read."""
    dialog = opened(qtbot, demo_database, settings, runner, report="roster",
                    filters={"county": "武进区"})
    filled: list[bool] = []
    dialog.choices_filled.connect(lambda: filled.append(True))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    county, town = dialog.filter_widgets["county"], dialog.filter_widgets["town"]
    assert county.currentData() == "武进区"
    path = dialog.path.text()
    qtbot.waitUntil(lambda: bool(filled), timeout=10_000)
    assert county.currentData() == "武进区" and county.count() > 2
    assert town.count() > 1 and town.currentData() is None
    assert dialog.path.text() == path
    assert QApplication.focusWidget() is dialog.report


def test_the_figures_report_is_named_with_the_year_it_will_use(qtbot, demo_database, settings,
                                                               runner):
    """专精特新企业发展情况统计表 with no year chosen uses the latest year with figures: the
    offered name says it once looked up on the runner (small29 #2), and a year chosen names
    that one; a name the officer typed meanwhile stays his."""
    from tiers.reports import ReportRequest
    from tiers.reports.figures import figures_year

    with demo_database.session() as session:
        year = figures_year(session, ReportRequest())
    dialog = opened(qtbot, demo_database, settings, runner, report="figures")
    qtbot.waitUntil(lambda: f"{year}年度" in Path(dialog.path.text()).name, timeout=10_000)
    assert Path(dialog.path.text()).name == \
        f"{year}年度专精特新企业发展情况统计表-{STAMP}.xlsx"
    dialog.set_filter("year", year - 1)
    assert Path(dialog.path.text()).name.startswith(f"{year - 1}年度专精特新")
    dialog.set_filter("year", 0)  # blank again: the year looked up, kept for these filters
    assert Path(dialog.path.text()).name.startswith(f"{year}年度专精特新")
