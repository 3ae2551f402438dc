"""The wizard's 列的对应 table shows a header written on two lines (县\n（市、区）, the
bracketed unit on a line of its own in Tiers's reports) on one line: the row is one line
high and the second line was cut off."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard
from ui.import_wizard import MAPPING


def test_a_two_line_header_is_shown_on_one_line(qtbot, database, settings, runner, tmp_path,
                                                code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县\n（市、区）", "营业收入\n（万元）"],
        ["常州甲科技有限公司", code(1), "武进区", 3000]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    table = wizard.mapping_table
    assert [table.item(row, 1).text() for row in range(table.rowCount())] == [
        "企业名称", "统一社会信用代码", "县（市、区）", "营业收入（万元）"]
    wizard.close()
