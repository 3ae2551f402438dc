"""导出报表 on a county's laptop says what tiers export says (review27 #8): with no county
chosen, the report lists the neighbours' firms only the province's lists brought in; the
note (tiers.exchange.scope.listed_neighbours) tells which county to choose, and goes once
one is chosen or for a report without a county filter."""

from __future__ import annotations

from tests.tiers.unit_helpers import county_laptop
from tests.tiers.unit_helpers import zone_firm as _zone_firm
from ui.export_dialog import ExportDialog


def _opened(qtbot, database, settings, runner, report="roster") -> ExportDialog:
    dialog = ExportDialog(database, settings, runner, report=report)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.choices_task is not None and runner.settled, timeout=10_000)
    return dialog


def test_the_note_names_the_neighbours_and_the_own_county_to_choose(qtbot, database,
                                                                    settings, runner):
    county_laptop(database)
    _zone_firm(database)  # (a firm without a county: the own county is still one)
    dialog = _opened(qtbot, database, settings, runner)
    assert dialog.neighbours_note.isVisible()
    assert dialog.neighbours_note.text() == (
        "注意：表中含只从上级名单导入的外县企业（溧阳市 2 家）；只要本县的，请在“县（市、区）”中选金坛区。")
    dialog.set_filter("county", "金坛区")
    assert not dialog.neighbours_note.isVisible()
    dialog.set_filter("county", None)
    assert dialog.neighbours_note.isVisible()
    # 企业档案: no county to choose, no note
    dialog.report.setCurrentIndex(dialog.report.findData("profile"))
    assert not dialog.neighbours_note.isVisible()


def test_no_note_in_a_database_of_its_own_county_only(qtbot, database, settings, runner):
    county_laptop(database, listed=0)
    dialog = _opened(qtbot, database, settings, runner)
    assert not dialog.neighbours_note.isVisible()
