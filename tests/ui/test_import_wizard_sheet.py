"""The wizard's sheet page: it preselects the sheet the command line would import, falls
back to the first when none is recognisable, and says what is wrong with a sheet picked."""

from __future__ import annotations

from importers import detect, open_source
from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import (
    INSTRUCTIONS,
    open_wizard,
    roster_rows,
    wait_idle,
)
from ui.import_wizard import MAPPING, SHEET


def test_wizard_preselects_the_sheet_the_cli_would_import(qtbot, database, settings, runner,
                                                          tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"填报说明": INSTRUCTIONS,
                                             "武进区": roster_rows(code)})
    assert detect(open_source(path)).sheet == "武进区"  # what `tiers import` picks
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    assert [wizard.sheets.item(i).text() for i in range(wizard.sheets.count())] == [
        "填报说明", "武进区"]
    assert wizard.sheets.currentItem().text() == "武进区"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, MAPPING)
    assert wizard.detection.sheet == "武进区"
    assert wizard.current_mapping()[1] == "name"
    # the officer may still pick the other sheet, and is told what is wrong with it
    wizard.back_button.click()
    wizard.sheets.setCurrentRow(0)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: bool(wizard.error.text()) and wizard.runner.settled, timeout=15_000)
    assert "填报说明" in wizard.error.text() and wizard.current_step() == SHEET
    wizard.close()


def test_no_recognisable_sheet_falls_back_to_the_first(qtbot, database, settings, runner,
                                                       tmp_path):
    path = write_xlsx(tmp_path / "杂表.xlsx", {"甲": [["随便写写"], ["a", "b"]],
                                              "乙": [["x", "y"], [1, 2]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    assert wizard.sheets.currentRow() == 0
    wizard.next_button.click()
    qtbot.waitUntil(lambda: bool(wizard.error.text()) and wizard.runner.settled, timeout=15_000)
    assert "未能识别表头" in wizard.error.text()
    wizard.close()
