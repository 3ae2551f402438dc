"""导入数据包 by keyboard (the officer's walk): a path pasted into the field and Enter
previews it. Enter went to the footer's hidden 取消导入 (Qt's first auto-default button)
and nothing happened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui.package_import_dialog import PackageImportDialog


def test_enter_in_the_path_previews(qtbot, database, settings, runner, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_text("不是数据包", encoding="utf-8")
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.path.setFocus()
    dialog.path.setText(str(bad))
    QTest.keyClick(dialog.path, Qt.Key_Return)
    qtbot.waitUntil(lambda: "不是数据包" in dialog.status.text(), timeout=10_000)
    assert dialog.isVisible()  # Enter previews; it neither imports nor closes
    assert not dialog.import_button.isEnabled()
