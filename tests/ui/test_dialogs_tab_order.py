"""Tab through the city officer's dialogs (the officer's walk by keyboard): 导出报表 went from
报表 straight to 落款 and reached the filters only after 另存为…; 导入数据包 and 报送情况 kept
Tab inside their tables, cell by cell, so 关闭 and 刷新 could not be reached; 导入数据包
opened on 预览, not in the field the path is pasted into."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from ui.export_dialog import ExportDialog
from ui.package_import_dialog import PackageImportDialog
from ui.package_status_dialog import PackageStatusDialog


def tabbed(qtbot, dialog, start, steps: int) -> list:
    """The widgets Tab visits from ``start``, ``start`` first."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    visited = [start]
    for _ in range(steps):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        visited.append(QApplication.focusWidget())
    return visited


def test_the_export_dialog_tabs_down_the_screen(qtbot, demo_database, settings, runner):
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "另存为…")
    expected = [dialog.report, *dialog.filter_widgets.values(), dialog.unit,
                dialog.filled_by, dialog.phone, dialog.path, dialog.format,
                browse, dialog.preview_button, dialog.export_button,
                dialog.footer.close_button]
    assert tabbed(qtbot, dialog, dialog.report, len(expected) - 1) == expected
    # another report makes its own filters: the order holds for them too
    dialog.report.setCurrentIndex(dialog.report.findData("support"))
    qtbot.waitUntil(lambda: all(w.isVisible() for w in dialog.filter_widgets.values()))
    expected = [dialog.report, *dialog.filter_widgets.values(), dialog.unit]
    assert tabbed(qtbot, dialog, dialog.report, len(expected) - 1) == expected


def test_the_package_import_dialog_starts_in_the_path_and_tabs_out_of_its_table(
        qtbot, database, settings, runner):
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.path
    visited = tabbed(qtbot, dialog, dialog.table, 2)
    assert visited[1:] == [dialog.notes, dialog.footer.close_button]


def test_the_status_dialog_tabs_to_its_buttons(qtbot, demo_database, runner):
    dialog = PackageStatusDialog(demo_database, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    visited = tabbed(qtbot, dialog, dialog.table, 2)
    assert [widget.text() for widget in visited[1:]] == ["刷新(&R)", "关闭"]
