"""The wizard numbered its steps 第 1 步, then 第 3 步 when a file had one sheet and the sheet
step was skipped (tester28a #4, shots/06_import_step2.png): the steps shown are numbered one
after another."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import INSTRUCTIONS, open_wizard, roster_rows, wait_idle
from ui.import_wizard import MAPPING, PREVIEW, RESULT, SHEET


def _steps(qtbot, wizard) -> list[str]:
    seen = [wizard.step_label.text()]
    for step in (PREVIEW, RESULT):
        wizard.next_button.click()
        wait_idle(qtbot, wizard, step)
        seen.append(wizard.step_label.text())
    return seen


def test_one_sheet_numbers_the_steps_it_shows(qtbot, database, settings, runner, tmp_path,
                                               code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert _steps(qtbot, wizard) == ["第 2 步：核对列和名单信息", "第 3 步：预览（尚未写入）",
                                     "第 4 步：完成"]
    wizard.close()


def test_several_sheets_keep_the_sheet_step(qtbot, database, settings, runner, tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"填报说明": INSTRUCTIONS,
                                             "武进区": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    assert wizard.step_label.text() == "第 2 步：选择工作表"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, MAPPING)
    assert _steps(qtbot, wizard)[0] == "第 3 步：核对列和名单信息"
    wizard.close()
