"""文件 → 导出数据包 on a county's laptop that keeps the neighbours' firms the province's
lists brought in: only its own county is ticked and the unit is its own bureau; with
several own counties (not the city's database) none is ticked and the dialog asks which;
the proposed unit is whoever sends the package, not the bureau of the counties ticked
(tester26: both were ticked, under 常州市工业和信息化局; review27: a neighbour ticked alone
went under the neighbour's own bureau and counted as its report at the city)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.tiers.unit_helpers import (
    JINTAN,
    LIYANG,
    county_laptop,
    firms_in,
    manifest,
    two_own_counties,
    zone_firm,
)
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
    assert dialog.status.text() == ("未导出本县（金坛区）以外的企业：溧阳市 2 家（只从上级名单导入）。"
                                    "如也要报送，请勾选。")
    # ticking the neighbour too, or it alone: still 金坛's bureau, which sends it (review27:
    # the city's, or 溧阳's own, made it 溧阳's report at the city)
    dialog.counties.item(1).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    dialog.counties.item(0).setCheckState(Qt.Unchecked)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.chosen_codes() == [LIYANG]
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    dialog.counties.item(0).setCheckState(Qt.Checked)
    dialog.counties.item(1).setCheckState(Qt.Unchecked)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    # a unit the officer typed stays
    dialog.unit.setText("金坛区经发局")
    dialog.counties.item(1).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "金坛区经发局"


def test_several_own_counties_none_ticked_and_it_asks(qtbot, database, settings, runner):
    firms_in(database, JINTAN, LIYANG)
    dialog = _opened(qtbot, database, settings, runner)
    assert _ticked(dialog) == {JINTAN: False, LIYANG: False}
    assert dialog.unit.text() == ""
    assert "请勾选要报送的区县" in dialog.status.text()
    assert dialog.export() is None and dialog.status.text() == "请至少勾选一个区县"
    dialog.counties.item(1).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: dialog.unit.text() == "溧阳市工业和信息化局", timeout=10_000)


def test_the_firms_without_a_county_are_ticked_and_sent(qtbot, database, settings, runner,
                                                        tmp_path):
    """A county's laptop: its 开发区 firm (no county code) is ticked with its county and the
    package carries it (review26 #4)."""
    county_laptop(database)
    zone_firm(database)
    dialog = _opened(qtbot, database, settings, runner)
    assert _ticked(dialog) == {JINTAN: True, LIYANG: False, "": True}
    assert dialog.counties.item(2).text() == "（未填区县）（1 家企业）"
    assert "金坛区数据包-" in dialog.path.text()  # not named after （未填区县）
    target = tmp_path / "金坛.zip"
    dialog.path.setText(str(target))
    dialog.export()
    qtbot.waitUntil(lambda: target.exists() and runner.settled, timeout=10_000)
    assert [c["code"] for c in manifest(target)["counties"]] == ["", JINTAN]
    # only the firms without a county: a package of those alone, not refused
    dialog.counties.item(0).setCheckState(Qt.Unchecked)
    assert dialog.chosen_counties() == [""]


def test_the_unit_follows_the_recorded_unit(qtbot, database, settings, runner):
    """A city's database (本单位负责的区县 常州市) sending 溧阳 alone sends it as the city's
    bureau: the proposal is the core's, which knows the unit (review26 #9: 溧阳市工业和信息化局,
    worked out in the window from the county ticked)."""
    from tiers.services import unit as unit_service

    two_own_counties(database)
    with database.session() as session:
        unit_service.set_unit_counties(session, ["常州市"])
    dialog = _opened(qtbot, database, settings, runner)
    assert dialog.unit.text() == "常州市工业和信息化局"
    dialog.counties.item(0).setCheckState(Qt.Unchecked)  # 金坛区 off: 溧阳 alone
    assert dialog.chosen_codes() == [LIYANG]
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "常州市工业和信息化局"


def test_a_unit_without_firms_is_said_so(qtbot, database, settings, runner):
    """本单位负责的区县 recorded, none with firms: the dialog says that (review26 #10)."""
    from tiers.services import unit as unit_service

    county_laptop(database)
    with database.session() as session:
        unit_service.set_unit_counties(session, ["武进区"])
    dialog = _opened(qtbot, database, settings, runner)
    assert "本单位负责的区县（武进区）在库中没有企业" in dialog.status.text()


def _manifest(path) -> dict:
    import json
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_a_neighbour_ticked_alone_goes_under_the_recorded_units_bureau(
        qtbot, database, settings, runner, tmp_path):
    """review27 #2: unit recorded 武进区, 新北区 ticked alone proposed 常州市新北区工业和信息化局."""
    from tiers.services import unit as unit_service

    county_laptop(database, own="320412", from_lists="320411")
    with database.session() as session:
        unit_service.set_unit_counties(session, ["武进区"])
    dialog = _opened(qtbot, database, settings, runner)
    assert dialog.unit.text() == "常州市武进区工业和信息化局"
    assert "未导出本单位负责的区县（武进区）以外的企业：新北区 2 家（只从上级名单导入）" \
        in dialog.status.text()
    assert _ticked(dialog) == {"320411": False, "320412": True}
    dialog.counties.item(0).setCheckState(Qt.Checked)  # 新北区 alone
    dialog.counties.item(1).setCheckState(Qt.Unchecked)
    assert dialog.chosen_codes() == ["320411"]
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "常州市武进区工业和信息化局"
    # the line follows the ticks: 新北 carried under this unit, 武进 now left out
    assert dialog.status.text() == (
        "新北区不是本单位负责的区县（武进区）：数据包以本单位的名义带上，市里记为“他单位带来”，"
        "不替换新北区自己报送的数据。未导出本单位负责的区县（武进区）的企业：武进区 3 家。如也要报送，请勾选。")
    target = tmp_path / "新北.zip"
    dialog.path.setText(str(target))
    dialog.export()
    qtbot.waitUntil(lambda: target.exists() and runner.settled, timeout=10_000)
    manifest = _manifest(target)
    assert [c["code"] for c in manifest["counties"]] == ["320411"]
    assert manifest["source_unit"] == "常州市武进区工业和信息化局"


def test_no_sender_known_and_none_typed_it_asks_for_the_unit(qtbot, database, settings,
                                                             runner, tmp_path):
    """Several own counties (not the city's) and only a county from lists ticked: nobody's
    bureau is proposed, and 导出 asks for the unit rather than writing the county's name
    (which, at the city, says the package is that county's own)."""
    firms_in(database, JINTAN, LIYANG)
    county_laptop(database, own=JINTAN, from_lists="320412", own_firms=0, listed=2)
    dialog = _opened(qtbot, database, settings, runner)
    codes = [dialog.counties.item(row).data(Qt.UserRole) for row in range(dialog.counties.count())]
    assert codes == ["320412", JINTAN, LIYANG]
    dialog.counties.item(0).setCheckState(Qt.Checked)  # 武进区 (from lists) alone
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == ""
    target = tmp_path / "武进.zip"
    dialog.path.setText(str(target))
    assert dialog.export() is None
    assert "请填写报送单位" in dialog.status.text()
    assert not target.exists()
    dialog.counties.item(1).setCheckState(Qt.Checked)  # and 金坛区, one of its own
    qtbot.waitUntil(lambda: dialog.unit.text() == "常州市金坛区工业和信息化局", timeout=10_000)
