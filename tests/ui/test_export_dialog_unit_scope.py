"""导出报表 with 本单位负责的区县 recorded (tester28a): the county choice's blank is the unit's
(本单位（新北区）), （未填区县） and every county are offered, and the note says what the unit's
default leaves out and how to take it in — the core's (tiers.queries.unit_scope), as tiers
export says it."""

from __future__ import annotations

from tests.conftest import make_code
from tiers.model.vocabulary import ALL_COUNTIES_CHOICE, NO_COUNTY_CHOICE
from tiers.services import enterprises
from tiers.services.unit import set_unit_counties
from ui.cli.main import main
from ui.export_dialog import ExportDialog


def _xinbei(database) -> None:
    with database.session() as session:
        for serial, where in ((1, {"county_code": "320411"}), (3, {"county_code": "320481"})):
            enterprises.create(session, {"credit_code": make_code(serial, where["county_code"]),
                                         "name": f"企业{serial}有限公司", **where})
        enterprises.create(session, {"credit_code": make_code(2, "320400"),
                                     "name": "新北高新区材料有限公司", "county": "新北高新区"})
        set_unit_counties(session, ["新北区"])


NOTE = "本单位负责的区县为新北区：报表默认只含新北区的企业及按规则属于本单位的未填区县企业，未含溧阳市 1 家"


def test_the_dialog_offers_the_unit_and_says_what_it_leaves_out(qtbot, database, settings,
                                                                 runner):
    _xinbei(database)
    dialog = ExportDialog(database, settings, runner, report="summary")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.choices_task is not None and runner.settled, timeout=10_000)
    county = dialog.filter_widgets["county"]
    assert county.itemText(0) == "本单位（新北区）" and county.itemData(0) is None
    offered = [county.itemText(n) for n in range(county.count())]
    assert offered[-2:] == [NO_COUNTY_CHOICE, ALL_COUNTIES_CHOICE]
    assert dialog.neighbours_note.isVisible()
    assert dialog.neighbours_note.text() == (
        f"注意：{NOTE}；要包含它们，请在“县（市、区）”中选“{ALL_COUNTIES_CHOICE}”或该县（市、区）。")
    assert "外县企业" not in dialog.neighbours_note.text()  # not the lists' note as well
    dialog.set_filter("county", ALL_COUNTIES_CHOICE)
    assert not dialog.neighbours_note.isVisible()
    assert dialog.request().county == ALL_COUNTIES_CHOICE
    # another report rebuilds the choice: still the unit's blank
    dialog.report.setCurrentIndex(dialog.report.findData("roster"))
    assert dialog.filter_widgets["county"].itemText(0) == "本单位（新北区）"


def test_tiers_export_says_it_too(database, db_target, tmp_path, capsys):
    _xinbei(database)
    capsys.readouterr()
    assert main(["--db", str(db_target), "export", "summary", str(tmp_path / "汇总.xlsx"),
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"注意：{NOTE}；要包含它们，请加 --county all（全部区县），或 --county 该县（市、区）" in out
    assert main(["--db", str(db_target), "export", "summary", str(tmp_path / "全部.xlsx"),
                 "--quiet", "--county", "all"]) == 0
    assert "注意" not in capsys.readouterr().out


def test_the_dashboard_counts_the_unit_and_every_county_on_asking(qtbot, database, runner):
    from ui.dashboard_view import DashboardView

    _xinbei(database)
    view = DashboardView(database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    assert view.county.itemText(0) == "本单位（新北区）"
    assert [row["area"] for row in view.data["areas"]] == []  # no titles held: no bars
    assert view.county.itemText(view.county.count() - 1) == ALL_COUNTIES_CHOICE
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.count() - 1)
    assert view.data["county"] == ALL_COUNTIES_CHOICE  # counted, not taken as gone
    assert view.by.currentData() == "county" and view.county_counts() is None
    # with the unit recorded, every county is said: a title saying nothing was the unit's
    assert view.title.text() == "梯度培育概况（全部区县，有效认定）"


def test_the_dashboard_offers_the_dialogs_counties(qtbot, database, settings, runner):
    """One helper fills both (export_filters.offer_areas, tidy29): the same choices in the
    same order, the same blank (本单位（新北区）)."""
    from ui.dashboard_view import DashboardView

    _xinbei(database)
    dialog = ExportDialog(database, settings, runner, report="summary")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.choices_task is not None and runner.settled, timeout=10_000)
    view = DashboardView(database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    county = dialog.filter_widgets["county"]

    def listed(combo):
        return [(combo.itemText(n), combo.itemData(n)) for n in range(combo.count())]

    assert listed(view.county) == listed(county)
