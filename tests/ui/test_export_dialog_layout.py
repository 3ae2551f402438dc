"""导出报表 keeps its report description right under the report chosen: after switching from
名单 (eight filters) to 拟推荐企业名单 (five), the officer saw the description float down
with a blank band above it (the freed height went to the label)."""

from __future__ import annotations

from ui.export_dialog import ExportDialog


def test_the_description_stays_under_the_report_after_a_switch(qtbot, database, settings,
                                                                 runner):
    dialog = ExportDialog(database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.width(), dialog.height() + 120)  # room to spare, as on a big screen
    for report in ("roster", "candidates", "expiring"):
        dialog.report.setCurrentIndex(dialog.report.findData(report))
        qtbot.wait(50)
        gap = dialog.description.geometry().top() - dialog.report.geometry().bottom()
        text_height = dialog.description.heightForWidth(dialog.description.width())
        assert gap <= 20, report
        assert dialog.description.height() <= text_height + 10, report
