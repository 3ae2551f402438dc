"""导入数据包's preview of a package that only adds (a county's first): said in words below
the counts, rather than blank lines that left the officer to wonder what else it touches."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.tiers.exchange_helpers import county_package
from ui.package_import_dialog import PackageImportDialog


def _paste(qtbot, field, text: str) -> None:
    """The officer selects the path and pastes another one over it (Ctrl+A, Ctrl+V)."""
    QApplication.clipboard().setText(text)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(field, Qt.Key_V, Qt.ControlModifier)
    assert field.text() == text


def test_a_countys_first_package_says_it_only_adds(qtbot, database, settings, runner, tmp_path):
    package = county_package(tmp_path)
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    said = dialog.notes.toPlainText()
    assert "将只新增上表所列的企业与记录" in said and "不更改、不删除" in said, said
    assert "撤销" in said


def test_another_file_typed_after_the_preview_puts_the_preview_away(
        qtbot, database, settings, runner, tmp_path):
    """导入 imported the file previewed while the field showed another one typed or pasted
    since (the path elided in the middle, the change is easy to miss): the preview is put
    away and 导入 waits for the new file's preview (review of #17's merged change)."""
    package = county_package(tmp_path)
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    _paste(qtbot, dialog.path, str(tmp_path / "另一个数据包.zip"))
    assert not dialog.import_button.isEnabled()
    assert dialog.preview is None and dialog.package is None
    assert dialog.heading.text() == "" and "请先预览" in dialog.status.text()
    # the same file typed again: previewed again before it can be imported
    _paste(qtbot, dialog.path, str(package))
    assert not dialog.import_button.isEnabled()
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
