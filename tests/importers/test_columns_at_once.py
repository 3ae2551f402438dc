"""Columns parsed and checked at once (for speed) give what cell by cell gives: amounts
in number cells, and the figures service's bounds with its messages, on the right row and
column."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from importers import values
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import AnnualFigures


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e13, max_value=1e13),
    st.integers(min_value=-10**12, max_value=10**12).map(float),
    st.decimals(min_value=-10**6, max_value=10**6, places=2).map(float),
    st.sampled_from([0.0, -0.0, 0.1, 1e-05, 1234.5, 999999999999.9999, 1e12, 5e-324]),
), max_size=6))
def test_a_number_column_at_once_is_each_cell_as_money(cells):
    at_once = values.money_of_floats(cells, Decimal(1))
    if at_once is None:  # not all plain: the caller goes cell by cell
        return
    assert [str(v) for v in at_once] == [str(values.money_of_float(c, Decimal(1)))
                                         for c in cells]


def test_a_column_in_yuan_goes_cell_by_cell():
    assert values.money_of_floats([12500.0], Decimal("0.0001")) is None


HEADER = ["企业名称", "统一社会信用代码", "营业收入（万元）", "从业人员", "净利润（万元）", "年度"]


def test_figures_out_of_bounds_are_row_errors_naming_the_column(database, tmp_path):
    rows = [
        ["常州甲机械有限公司", make_code(501), 1200.5, 30, -20, 2024],
        ["常州乙机械有限公司", make_code(502), -5, 30, 10, 2024],
        ["常州丙机械有限公司", make_code(503), 800, -3, 10.25, 2024],
        ["常州丁机械有限公司", make_code(504), "12.5万元", 8, None, 2024],
    ]
    path = write_xlsx(tmp_path / "figures.xlsx", {"年度数据": [HEADER, *rows]})
    plan, batch = import_file(database, path, kind="roster")
    found = by_row(plan)
    assert [found[r].action for r in (2, 3, 4, 5)] == ["create", "error", "error", "create"]
    assert [(p.column, p.value, p.message) for p in found[3].problems] == [
        ("C", -5, "营业收入不能小于 0：-5")]
    assert [(p.column, p.value, p.message) for p in found[4].problems] == [
        ("D", -3, "从业人员不能小于 0：-3")]
    figures = found[2].records[0].values
    assert figures == {"year": 2024, "revenue": Decimal("1200.5"), "employees": 30,
                       "net_profit": Decimal("-20")}
    assert found[5].records[0].values["revenue"] == Decimal("12.5")
    with database.session() as session:
        stored = {row.enterprise_id: row for row in session.query(AnnualFigures)}
    assert sorted(float(f.revenue) for f in stored.values()) == [12.5, 1200.5]
    assert batch is not None


def test_an_error_in_one_year_group_is_on_that_column(database, tmp_path):
    firm = [["企业名称", "统一社会信用代码"], ["常州戊机械有限公司", make_code(505)]]
    import_file(database, write_xlsx(tmp_path / "firm.xlsx", {"企业名录": firm}))
    header = ["企业名称", "统一社会信用代码", "2023年营业收入（万元）", "2024年营业收入（万元）",
              "细分市场占有率（%）", "年度"]
    rows = [["常州戊机械有限公司", make_code(505), 100, -1, 150, 2024]]
    path = write_xlsx(tmp_path / "years.xlsx", {"年度数据": [header, *rows]})
    plan = plan_file(database, path, kind="figures")
    row = by_row(plan)[2]
    assert row.action == "error"
    assert [(p.column, p.message) for p in row.problems] == [
        ("D", "营业收入不能小于 0：-1"), ("E", "细分市场占有率（%）不能大于 100：150")]
