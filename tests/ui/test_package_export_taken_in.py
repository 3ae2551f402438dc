"""文件 → 导出数据包 in 武进区's database that took in other units' firms with 一并导入这些行:
those without a county code go with the unit's counties (未填区县 is ticked with them) and
the city takes them as the unit's own, so the dialog says so before exporting — how many,
which, and what to do if they are not the unit's (county officer, session 30: no hint)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.tiers.unit_helpers import LISTED_ZONE, LISTED_ZONE2, taken_in_from_a_list
from ui.package_export_dialog import PackageExportDialog

NOTE = ("所导出的企业中有 2 家是导入名单时“一并导入”的，当时不能认定属于本单位的区县"
        f"（未填区县 2 家，如{LISTED_ZONE[0]}、{LISTED_ZONE2[0]}）：数据包以本单位的名义报送，"
        "市里会把它们当作本单位负责的区县（武进区）的企业。如它们不是本单位的，请先在企业档案中"
        "填写它们所属的区县，或取消勾选它们所在的区县，再导出。")


def test_the_dialog_says_the_firms_taken_in_go_as_the_units_own(
        qtbot, database, settings, runner, tmp_path):
    taken_in_from_a_list(database, tmp_path)
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.counties.count() > 0 and dialog.export_button.isEnabled(),
                    timeout=10_000)
    items = {dialog.counties.item(row).data(Qt.UserRole): dialog.counties.item(row)
             for row in range(dialog.counties.count())}
    assert [code for code, item in items.items() if item.checkState() == Qt.Checked] == [
        "320412", ""]
    assert NOTE in dialog.status.text(), dialog.status.text()
    items[""].setCheckState(Qt.Unchecked)  # the firms without a county not sent: no note
    assert "一并导入" not in dialog.status.text()
    items[""].setCheckState(Qt.Checked)
    assert NOTE in dialog.status.text()
    # said with the result too (the package was written with them)
    dialog.path.setText(str(tmp_path / "武进区数据包.zip"))
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    dialog.export()
    qtbot.waitUntil(lambda: "已导出" in dialog.status.text(), timeout=15_000)
    assert "所导出的企业中有 2 家是导入名单时“一并导入”的" in dialog.status.text()
