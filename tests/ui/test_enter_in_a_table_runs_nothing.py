"""Enter in a table that opens nothing does not run its dialog's operation. In 批量操作's
preview, 填写上级模板, 导出数据包's county list and the import wizard's column table an
officer moving with the arrows, or choosing in a cell's combo box, and pressing Enter there
confirmed the whole operation (the default button). Enter with the focus on that button
still presses it (ui.enter_key.EnterStaysInViews)."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QVBoxLayout,
)

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, roster_rows, wait_idle
from tiers.services.bulk import BulkItem, BulkPreview
from ui.bulk_dialogs import BulkPreviewDialog
from ui.enter_key import EnterStaysInViews, RowEnter
from ui.import_wizard import MAPPING, PREVIEW
from ui.package_export_dialog import PackageExportDialog
from ui.template_dialog import TemplateDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importers"))
from test_template_fill import make_template  # noqa: E402


@pytest.fixture(autouse=True)
def own_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))


def _pressed(button) -> list[int]:
    pressed: list[int] = []
    button.clicked.connect(lambda *_: pressed.append(1))
    return pressed


def _enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key_Return)
    qtbot.keyClick(widget, Qt.Key_Enter, Qt.KeypadModifier)


def test_enter_in_the_bulk_preview_does_not_apply(qtbot):
    draft = BulkPreview("officer", "设置包挂责任人", "包挂责任人 王明", [
        BulkItem(1, "常州甲科技有限公司", "91320412MA1XXXXXX1", change="包挂责任人：王明"),
        BulkItem(2, "常州乙科技有限公司", "91320412MA1XXXXXX2", skip="已是王明")])
    dialog = BulkPreviewDialog(draft)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    pressed = _pressed(ok)
    dialog.table.setFocus()
    dialog.table.setCurrentCell(0, 0)
    _enter(qtbot, dialog.table)
    qtbot.keyClick(dialog.table, Qt.Key_Down)
    _enter(qtbot, dialog.table)
    assert pressed == [] and dialog.isVisible() and dialog.result() == 0
    ok.setFocus()
    qtbot.keyClick(ok, Qt.Key_Return)  # on 确定修改 itself: it applies
    assert pressed == [1] and not dialog.isVisible() and dialog.result() == 1


def test_enter_in_the_template_columns_does_not_fill(qtbot, database, settings, runner,
                                                     tmp_path):
    dialog = TemplateDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.read, timeout=20_000):
        dialog.open_template(str(make_template(tmp_path / "省厅模板.xlsx")))
    assert dialog.fill_button.isEnabled()
    pressed = _pressed(dialog.fill_button)
    dialog.table.setFocus()
    dialog.table.setCurrentCell(1, 0)
    _enter(qtbot, dialog.table)
    combo = dialog.table.cellWidget(2, 1)  # a column's 填写 Tiers 的, chosen with the arrows
    combo.setFocus()
    chosen = combo.currentIndex()
    qtbot.keyClick(combo, Qt.Key_Down)
    _enter(qtbot, combo)
    assert combo.currentIndex() == chosen + 1
    assert pressed == [] and dialog.footer.task is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.filled, timeout=30_000):  # on 填写并保存 itself: it fills
        dialog.fill_button.setFocus()
        qtbot.keyClick(dialog.fill_button, Qt.Key_Return)
    assert pressed == [1]


def test_enter_in_the_package_counties_does_not_export(qtbot, demo_database, settings,
                                                       runner, tmp_path):
    dialog = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.counties.count() > 0 and dialog.export_button.isEnabled(),
                    timeout=10_000)
    dialog.path.setText(str(tmp_path / "数据包.zip"))
    pressed = _pressed(dialog.export_button)
    dialog.counties.setFocus()
    dialog.counties.setCurrentRow(0)
    qtbot.keyClick(dialog.counties, Qt.Key_Space)  # a county left out, then Enter
    _enter(qtbot, dialog.counties)
    qtbot.keyClick(dialog.counties, Qt.Key_Down)
    _enter(qtbot, dialog.counties)
    assert pressed == [] and not (tmp_path / "数据包.zip").exists()
    with qtbot.waitSignal(dialog.exported, timeout=30_000):  # on 导出 itself: it exports
        dialog.export_button.setFocus()
        qtbot.keyClick(dialog.export_button, Qt.Key_Return)
    assert pressed == [1] and (tmp_path / "数据包.zip").exists()


def test_enter_in_the_wizard_columns_does_not_go_on(qtbot, database, settings, runner,
                                                    tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    table = wizard.mapping_table
    pressed = _pressed(wizard.next_button)
    table.setFocus()
    table.setCurrentCell(0, 1)
    _enter(qtbot, table)
    qtbot.keyClick(table, Qt.Key_Down)
    _enter(qtbot, table)
    # a 对应字段 chosen in the cell's combo box with the arrows, Enter to take it
    wizard.mapping_page.chooser.open_list = False  # (its list would wait for a click)
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "县区")
    table.setCurrentCell(row, 3)
    table.edit(table.currentIndex())
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.EditingState)
    editor = table.viewport().findChild(QComboBox)
    assert editor is not None
    editor.setFocus()
    before = table.item(row, 3).text()
    qtbot.keyClick(editor, Qt.Key_Down)
    _enter(qtbot, editor)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)
    assert table.item(row, 3).text() != before  # the choice was taken
    qtbot.wait(50)
    assert pressed == [] and wizard.current_step() == MAPPING
    wizard.next_button.setFocus()  # on 下一步 itself: it goes on
    qtbot.keyClick(wizard.next_button, Qt.Key_Return)
    wait_idle(qtbot, wizard, PREVIEW)
    assert pressed == [1]


def test_a_dialog_kept_after_exec_is_released_quietly(qtbot):
    """A dialog kept after exec() and released later (a local, an attribute) is torn down
    by its last reference going while its Enter filter is still installed: Qt sends the
    dying dialog events, and the filter, whose Python side was already cleared, raised
    AttributeError on each (批量操作's preview, 导出数据包 and 填写上级模板 attach it so;
    数据核查 deleted its dialog to avoid it). RowEnter on a table is released the same way."""
    dialog = QDialog()
    table = QTableWidget(2, 2, dialog)
    QVBoxLayout(dialog).addWidget(table)
    EnterStaysInViews(dialog)
    RowEnter(table)
    table.activated.connect(lambda *_: None)  # (a table that opens its rows)
    QTimer.singleShot(0, dialog.accept)
    assert dialog.exec() == QDialog.Accepted
    watched = weakref.ref(dialog)
    del dialog, table
    gc.collect()
    assert watched() is None  # (released here, inside the test, where an error counts)
    QApplication.processEvents()


def test_enter_filters_still_work_after_a_first_dialog_is_freed(qtbot):
    test_a_dialog_kept_after_exec_is_released_quietly(qtbot)
    test_enter_in_the_bulk_preview_does_not_apply(qtbot)
