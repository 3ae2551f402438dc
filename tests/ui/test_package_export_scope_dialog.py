"""文件 → 导出数据包 on a county's laptop that keeps the neighbours' firms the province's
lists brought in: only its own county is ticked and the unit is its own bureau; with
several own counties (not the city's database) none is ticked and the dialog asks which;
the proposed unit follows the counties ticked (tester26: both were ticked, under
常州市工业和信息化局)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import make_code
from tests.ui.cli.test_package_export_scope import JINTAN, LIYANG, county_laptop
from tiers.services import enterprises
from ui.package_export_dialog import PackageExportDialog


def _opened(qtbot, database, settings, runner) -> PackageExportDialog:
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.counties.count() > 0 and dialog.export_button.isEnabled(),
                    timeout=10_000)
    return dialog


def _ticked(dialog) -> dict[str, bool]:
    return {dialog.counties.item(row).data(Qt.UserRole):
            dialog.counties.item(row).checkState() == Qt.Checked
            for row in range(dialog.counties.count())}


def test_only_the_own_county_is_ticked_under_its_own_bureau(qtbot, database, settings, runner):
    county_laptop(database)
    dialog = _opened(qtbot, database, settings, runner)
    assert _ticked(dialog) == {JINTAN: True, LIYANG: False}
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    assert "只从上级名单导入" in dialog.counties.item(1).text()
    assert "金坛区数据包-" in dialog.path.text()
    assert dialog.chosen_counties() == [JINTAN]
    # ticking the neighbour too: the bureau of both, the city's
    dialog.counties.item(1).setCheckState(Qt.Checked)
    assert dialog.unit.text() == "常州市工业和信息化局"
    dialog.counties.item(1).setCheckState(Qt.Unchecked)
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    # a unit the officer typed stays
    dialog.unit.setText("金坛区经发局")
    dialog.counties.item(1).setCheckState(Qt.Checked)
    assert dialog.unit.text() == "金坛区经发局"


def test_several_own_counties_none_ticked_and_it_asks(qtbot, database, settings, runner):
    with database.session() as session:
        for serial, county in enumerate([JINTAN, LIYANG], start=1):
            enterprises.create(session, {"credit_code": make_code(serial, county),
                                         "county_code": county, "name": f"单位{serial}有限公司"})
    dialog = _opened(qtbot, database, settings, runner)
    assert _ticked(dialog) == {JINTAN: False, LIYANG: False}
    assert dialog.unit.text() == ""
    assert "请勾选要报送的区县" in dialog.status.text()
    assert dialog.export() is None and dialog.status.text() == "请至少勾选一个区县"
    dialog.counties.item(1).setCheckState(Qt.Checked)
    assert dialog.unit.text() == "溧阳市工业和信息化局"
