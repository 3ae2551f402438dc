"""导出当前列表: the rows as given, under a title and the filter described (#19)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from tiers.reports.current_list import ListColumn, write_current_list
from tiers.reports.output import TargetError


def test_rows_title_and_filter_line(tmp_path):
    target = write_current_list(
        tmp_path / "list.xlsx", title="扶持措施", description="筛选条件：县区：武进区",
        columns=[ListColumn("企业名称"), ListColumn("金额（万元）", money=True)],
        rows=[["常州甲", Decimal("12.5")], ["=HYPERLINK(1)", None]])
    sheet = openpyxl.load_workbook(target).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "扶持措施"
    assert values[1][0] == "筛选条件：县区：武进区"
    # (a label whose ） would start a line in its column is written with the bracketed
    # part on a new line: 金额\n（万元）)
    header = [[str(v or "").replace("\n", "") for v in row] for row in values].index(
        ["企业名称", "金额（万元）"])
    assert values[header + 1] == ["常州甲", 12.5]
    assert values[header + 2][0] == "=HYPERLINK(1)"  # text, never a formula
    assert sheet.cell(header + 3, 1).data_type == "s"


def test_a_bad_target_leaves_nothing(tmp_path):
    with pytest.raises(TargetError):
        write_current_list(tmp_path / "list.csv", title="t", description="",
                           columns=[ListColumn("a")], rows=[["x"]])
    assert list(tmp_path.iterdir()) == []
