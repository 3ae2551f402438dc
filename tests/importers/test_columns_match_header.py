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
