"""导出数据包's 保存为 and 导入数据包's 数据包 show which folder as well as which file: as
QLineEdits they scrolled to the end at the dialogs' own width (as at 1366), showing
``育/区县报送数据包/天宁区、新北区、武进区数据包-20261206.zip`` and never where. Not being
edited, a path too long is drawn elided in the middle (ui/path_field.py), whole in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.package_export_dialog import PackageExportDialog
from ui.package_import_dialog import PackageImportDialog


def _shows_folder_and_file(qtbot, dialog, leave_to) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    leave_to.setFocus()
    qtbot.waitUntil(lambda: not dialog.path.hasFocus())
    path = dialog.path.text()
    assert dialog.path.toolTip() == path
    shown = dialog.path.shown_text()
    assert shown != path and "…" in shown, shown  # too long for the field: elided
    start, end = shown.split("…")
    assert path.startswith(start) and path.endswith(end)
    width = dialog.path.fontMetrics().horizontalAdvance
    assert width(start) >= dialog.path.width() / 4, start  # which folder: its start
    assert end.endswith("数据包-" + path.rsplit("-", 1)[1]), end  # which file
    dialog.path.setFocus()  # being edited: the path itself
    qtbot.waitUntil(dialog.path.hasFocus)
    assert dialog.path.shown_text() == path


def test_the_package_paths_show_their_folder(qtbot, demo_database, settings, runner,
                                             tmp_path):
    folder = tmp_path / "张科员" / "文档" / "2026年梯度培育" / "区县报送数据包"
    folder.mkdir(parents=True)
    settings.remember_folder("package", str(folder))
    export = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(export)
    # the demo's three counties: none ticked until the officer says which
    qtbot.waitUntil(lambda: export.counties.count() == 3, timeout=10_000)
    export.counties.item(0).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: export.path.text().endswith("区数据包-" +
                                                        export.path.text().rsplit("-", 1)[1]))
    _shows_folder_and_file(qtbot, export, export.export_button)

    package = PackageImportDialog(demo_database, settings, runner,
                                  path=str(folder / "武进区数据包-20261206.zip"))
    qtbot.addWidget(package)
    _shows_folder_and_file(qtbot, package, package.preview_button)
