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
