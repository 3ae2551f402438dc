"""A header names its field: a ratio or growth rate of a figure (研发费用占比, 营业收入增长率)
is not the figure, and 所在镇（区） is the town."""

from __future__ import annotations

import pytest

from importers.columns import match_header


@pytest.mark.parametrize("header,expected", [
    ("研发费用占比", None), ("研发费用占营业收入比重", None), ("营业收入增长率", None),
    ("研发人员占比", None), ("人均营业收入", None),
    ("研发费用", "rd_expense"), ("研发费用（万元）", "rd_expense"), ("市场占有率", "market_share"),
    ("2023年研发费用", "rd_expense"), ("所在镇（区）", "town"), ("镇区", "town"),
])
def test_a_derived_quantity_is_not_its_field(header, expected):
    assert match_header(header)[0] == expected


# domain.md §2.7 (issue #17): headers that look like a field but are another quantity
@pytest.mark.parametrize("header,expected", [
    ("利润总额", ""), ("2024年利润总额（万元）", ""), ("净利润", "net_profit"),
    ("科技人员", ""), ("科技人员数", ""), ("研发人员", "rd_staff"),
    ("发明专利", ""), ("有效发明专利数量", ""), ("Ⅰ类知识产权（含发明专利）", "ip_class1"),
])
def test_a_header_that_only_looks_like_a_field_is_not_stored_as_it(header, expected):
    assert match_header(header)[0] == expected


def test_the_preview_says_why_such_a_column_was_left_out(database, tmp_path):
    from tests.conftest import make_code
    from tests.importers.helpers import add_enterprise, plan_file, write_xlsx

    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "年度数据.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "年度", "营业收入", "利润总额", "科技人员", "发明专利"],
        ["甲科技有限公司", make_code(1), 2025, 3000, 400, 30, 5],
    ]})
    plan = plan_file(database, path, kind="figures")
    notes = [p.message for p in plan.problems if "未导入：" in p.message]
    assert notes == ["E 列“利润总额”未导入：利润总额是税前利润，不是净利润",
                     "F 列“科技人员”未导入：科技人员不等于研发人员",
                     "G 列“发明专利”未导入：发明专利只是Ⅰ类知识产权的一部分"
                     "（Ⅰ类还包括集成电路布图设计、植物新品种、新药等）"]
    row = plan.rows[0]
    written = str([record.values for record in row.records])
    assert "revenue" in written
    assert not any(key in written for key in ("net_profit", "rd_staff", "ip_class1"))
