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


def test_the_folder_of_the_path_is_readable_at_1366(qtbot, database, settings, runner,
                                                     tmp_path):
    """保存到 at the dialog's own width (as at 1366) showed only the end of the path,
    ``科/梯度培育企业名单-20261206.xlsx``, beside the format and 另存为: it has the row to
    itself now and, not being edited, is elided in the middle, the whole path in the tooltip."""
    folder = tmp_path / "张科员" / "文档" / "2026年梯度培育" / "上报市局材料"
    folder.mkdir(parents=True)
    settings.remember_folder("export", str(folder))
    dialog = ExportDialog(database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.export_button.setFocus()
    path = dialog.path.text()
    assert path.startswith(str(folder)) and dialog.path.toolTip() == path
    assert dialog.path.width() >= 0.75 * dialog.width()
    shown = dialog.path.shown_text()
    assert shown != path and "…" in shown  # too long for the field: elided
    start, end = shown.split("…")
    assert path.startswith(start) and path.endswith(end)
    width = dialog.path.fontMetrics().horizontalAdvance
    assert width(start) >= dialog.path.width() / 3  # which folder: its start, at length
    assert end.endswith("梯度培育企业名单-" + path.rsplit("-", 1)[1])  # which file
    dialog.path.setFocus()  # edited: the path itself
    qtbot.waitUntil(dialog.path.hasFocus)
    assert dialog.path.shown_text() == path
