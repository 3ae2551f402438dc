"""导出数据包's result says what the package carries and what it left out, as the command
line does (its counts per table, the counties not exported), in the core's words: the
client said only 已导出：路径, in place of the note on the counties left out (tester29)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.tiers.unit_helpers import JINTAN, LIYANG, county_laptop
from ui.package_export_dialog import PackageExportDialog


def _exported(qtbot, dialog, target):
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    return dialog.status.text().splitlines()


def test_the_counts_and_the_counties_left_out_are_said(qtbot, database, settings, runner,
                                                       tmp_path):
    county_laptop(database)  # 金坛区's 3 firms, 溧阳's 2 from a province list
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=10_000)
    target = tmp_path / "金坛区.zip"
    lines = _exported(qtbot, dialog, target)
    assert lines[0] == f"已导出：{target}"
    assert lines[1] == "区县：金坛区；企业 3"
    assert lines[2] == "报送单位：常州市金坛区工业和信息化局"
    # the note on what was not exported stays, said of the package written
    assert lines[3] == "未导出本县（金坛区）以外的企业：溧阳市 2 家（只从上级名单导入）。"
    # ticked since: what is said is the package's, not the ticks'
    dialog.counties.item(1).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.chosen_codes() == [JINTAN, LIYANG]
    lines = _exported(qtbot, dialog, tmp_path / "两县.zip")
    assert lines[1] == "区县：金坛区、溧阳市；企业 5"
    assert not any(line.startswith("未导出") for line in lines)
    assert any(line.startswith("溧阳市不是本县（金坛区）") for line in lines)
