"""Tiers's own 梯度培育企业名单 in the import wizard: the 核对列 step says what the file
was taken as and that each row gives its own tier, batch and year — the blank 梯度层级,
批次 and 年度（未知） above read as fields the officer still had to fill (found by the
new-officer pass). The CLI says the same."""

from __future__ import annotations

from importers.read.own_reports import ROSTER_NOTE
from tiers import reports
from tiers.progress import drain
from tiers.reports.base import ReportRequest
from ui.cli.main import main
from ui.import_wizard import MAPPING, ImportWizard


def _roster(database, tmp_path):
    with database.session() as session:
        return drain(reports.export_steps(session, "roster", tmp_path / "名单.xlsx",
                                          ReportRequest()))


def test_the_wizard_says_the_roster_is_read_row_by_row(qtbot, demo_database, settings,
                                                       runner, tmp_path):
    wizard = ImportWizard(demo_database, settings, runner, path=str(_roster(demo_database,
                                                                            tmp_path)))
    qtbot.addWidget(wizard)
    wizard.show()
    if wizard.current_step() != MAPPING:
        wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and wizard.runner.settled,
                    timeout=15_000)
    text = wizard.mapping_page.detected.text()
    assert "这是 Tiers 导出的梯度培育企业名单：\n按每行自己的梯度、批次与年度读取，\n不必填写" in text, text
    # (in lines: the column stays narrow)
    assert "Tiers 导出的梯度培育企业名单" in ROSTER_NOTE and "每行" in ROSTER_NOTE
    wizard.close()


def test_the_cli_says_the_roster_is_read_row_by_row(demo_database, db_target, tmp_path,
                                                    capsys):
    path = _roster(demo_database, tmp_path)
    assert main(["--db", str(db_target), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ROSTER_NOTE in out and "（按行）" not in out
