"""A Tiers report of several sheets chosen in the import wizard: what it is (no list) is
said as soon as the file is opened, not only after 下一步 on the sheet's step."""

from __future__ import annotations

from tiers import reports
from tiers.progress import drain
from tiers.reports.base import ReportRequest
from ui.import_wizard import ImportWizard
from ui.import_wizard.steps import SHEET


def test_a_report_is_named_when_its_sheets_are_offered(qtbot, demo_database, settings, runner,
                                                       tmp_path):
    path = tmp_path / "拟推荐企业名单.xlsx"
    with demo_database.session() as session:
        drain(reports.export_steps(session, "candidates", path,
                                   ReportRequest(tier="省级专精特新")))
    wizard = ImportWizard(demo_database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next_button.click()
    # (the job's end reached the wizard: its task done is set before its result is shown)
    qtbot.waitUntil(lambda: wizard.current_step() == SHEET and wizard.runner.settled,
                    timeout=15_000)
    qtbot.waitUntil(lambda: "这是 Tiers 导出的拟推荐企业名单" in wizard.error.text(),
                    timeout=5_000)
    assert "数据包" in wizard.error.text()


def test_every_sheet_of_a_report_without_its_marker_is_refused(qtbot, demo_database, settings,
                                                               runner, tmp_path):
    """The 拟推荐企业名单 re-saved without its marker (LibreOffice's .xls): its second sheet,
    已满足条件明细, chosen in the wizard was read as a 公示 认定名单 of all its firms
    (tester29). It is refused like the first, and what the file is is said when it is
    opened, from its sheets' layout."""
    from tests.importers.test_own_reports import _without_marker

    path = tmp_path / "拟推荐企业名单.xlsx"
    with demo_database.session() as session:
        drain(reports.export_steps(session, "candidates", path,
                                   ReportRequest(tier="省级专精特新")))
    wizard = ImportWizard(demo_database, settings, runner, path=str(_without_marker(path)))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == SHEET and wizard.runner.settled,
                    timeout=15_000)
    qtbot.waitUntil(lambda: "这是 Tiers 导出的拟推荐企业名单" in wizard.error.text(),
                    timeout=5_000)
    wizard.sheet_page.sheets.setCurrentRow(1)
    assert wizard.sheet_page.chosen() == "已满足条件明细"
    # 下一步 greyed on it (session 30), the reason still said; a double-click on the
    # sheet (ImportWizard.next) says it again and goes no further
    assert not wizard.next_button.isEnabled()
    assert "这是 Tiers 导出的拟推荐企业名单" in wizard.error.text()
    wizard.error.setText("")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.runner.settled and "这是 Tiers 导出的拟推荐企业名单"
                    in wizard.error.text(), timeout=15_000)
    assert wizard.current_step() == SHEET
