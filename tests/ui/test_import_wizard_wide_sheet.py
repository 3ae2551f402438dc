"""A sheet of 1,000 columns (an annual statistics export): the mapping page once built a
combo box of 64 fields for every column on the GUI thread (0.8–1.2 s before it showed).
Its 对应字段 cells are texts now, a chooser only while one is chosen; choosing still works,
by the keyboard too."""

from __future__ import annotations

import time

import xlsxwriter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.ui.wizard_helpers import open_wizard
from ui.import_wizard import MAPPING

COLUMNS = 1000


def wide_sheet(path, code):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("统计")
    sheet.write_row(0, 0, ["企业名称", "统一社会信用代码", "县区",
                           *(f"指标{n}" for n in range(COLUMNS - 3))])
    for row in range(1, 4):
        sheet.write_row(row, 0, [f"常州宽表{row}号科技有限公司", code(600 + row), "武进区",
                                 *(row * n for n in range(COLUMNS - 3))])
    book.close()
    return path


def test_a_sheet_of_a_thousand_columns_builds_no_chooser_per_column(
        qtbot, database, settings, runner, tmp_path, code):
    path = wide_sheet(tmp_path / "统计年报.xlsx", code)
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    page, table = wizard.mapping_page, wizard.mapping_table
    assert table.rowCount() == COLUMNS
    assert table.findChildren(QComboBox) == []  # texts, not 1,000 combo boxes
    started = time.perf_counter()
    page.show_detection(page.detection)  # as the wizard shows the page
    qtbot.wait(1)  # and paints it
    assert time.perf_counter() - started < 0.5  # 0.8–1.2 s with a combo box per column
    mapping = wizard.current_mapping()
    assert mapping[0] == "name" and mapping[1] == "credit_code" and mapping[2] == "county"
    assert table.item(0, 3).text() == "企业名称"


def test_choosing_a_field_by_the_keyboard(qtbot, database, settings, runner, tmp_path, code):
    path = wide_sheet(tmp_path / "统计年报.xlsx", code)
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    table = wizard.mapping_table
    row = 900  # far below the rows first shown
    assert wizard.current_mapping()[row] is None
    table.setFocus()
    table.setCurrentCell(row, 3)
    qtbot.keyClick(table, Qt.Key_F2)  # the chooser opens, its list shown
    combos = table.findChildren(QComboBox)
    assert len(combos) == 1
    combo = combos[0]
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=5_000)
    assert combo.currentData() is None  # （不导入）, as the cell said
    town = combo.findData("town")
    for _ in range(town):
        qtbot.keyClick(combo.view(), Qt.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key_Return)
    qtbot.waitUntil(lambda: not table.findChildren(QComboBox)
                    or not combo.isVisible(), timeout=5_000)
    assert wizard.current_mapping()[row] == "town"
    assert table.item(row, 3).text() == "镇街/园区"
    assert wizard.mapping_page.corrected_detection().mapping[row] == "town"
    # and as a test (or the wizard's own code) chooses: the column is not imported
    wizard.mapping_combo(0).setCurrentIndex(0)
    assert wizard.current_mapping()[0] is None and wizard.current_mapping()[row] == "town"
