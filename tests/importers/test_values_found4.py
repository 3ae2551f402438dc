"""Tester findings (issue 3): 8号 for 8日, month-only dates, amounts with a currency sign."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from importers import values
from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx
from tiers.services import enterprises


@pytest.mark.parametrize("raw", ["2024年3月8号", "2024年03月08号", "２０２４年３月８号",
                                 " 2024年3月8号 ", "2024年3月8日"])
def test_hao_is_read_like_ri(raw):
    assert values.date(raw) == dt.date(2024, 3, 8)


def test_hao_on_a_day_that_does_not_exist_is_still_refused():
    with pytest.raises(values.ValueProblem, match="日期不存在"):
        values.date("2024年2月30号")


@pytest.mark.parametrize("raw,month", [("2024年3月", 3), ("2024.03", 3), ("2024-03", 3),
                                       ("2024/3", 3), ("２０２４年３月", 3), (2024.03, 3),
                                       (2024.1, 1)])
def test_month_only_is_the_first_day_and_known_as_such(raw, month):
    """A month alone (成立年月) is the month's 1st; is_month_only lets the plan say so."""
    assert values.date(raw) == dt.date(2024, month, 1)
    assert values.is_month_only(raw)


@pytest.mark.parametrize("raw", ["2024年13月", 2024.13])
def test_month_only_with_no_such_month_is_not_called_month_only(raw):
    with pytest.raises(values.ValueProblem) as caught:
        values.date(raw)
    assert "只有年月" not in str(caught.value)
    assert not values.is_month_only(raw)


def test_serial_numbers_and_datetimes_still_read():
    assert values.date(42071.5) == dt.date(2015, 3, 8)
    assert values.date(45359) == dt.date(2024, 3, 8)


@pytest.mark.parametrize("raw,unit,expected", [
    ("￥125,000", Decimal("0.0001"), Decimal("12.5")),
    ("¥125,000", Decimal("0.0001"), Decimal("12.5")),
    ("￥ 125,000.00", Decimal("0.0001"), Decimal("12.5")),
    ("¥125,000元", Decimal(1), Decimal("12.5")),  # the cell's 元 wins over the column's 万元
    ("￥12.5万元", Decimal("0.0001"), Decimal("12.5")),
    ("-¥1,000", Decimal("0.0001"), Decimal("-0.1")),
    ("（￥1,000）", Decimal("0.0001"), Decimal("-0.1")),
    ("￥12.5", Decimal(1), Decimal("12.5")),
])
def test_amount_with_a_currency_sign(raw, unit, expected):
    assert values.money(raw, unit=unit) == expected


@pytest.mark.parametrize("raw", ["¥", "1¥00", "125,000¥¥", "$125"])
def test_a_currency_sign_elsewhere_is_still_refused(raw):
    with pytest.raises(values.ValueProblem):
        values.money(raw)


def test_in_a_support_sheet(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(71), "name": "甲有限公司"})
        enterprises.create(session, {"credit_code": make_code(72), "name": "乙有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（元）", "拨付日期"],
        ["甲有限公司", make_code(71), "认定奖励", "小巨人奖励", "￥125,000", "2024年3月8号"],
        ["乙有限公司", make_code(72), "认定奖励", "小巨人奖励", "¥100,000", "2024年3月"]]})
    rows = by_row(plan_file(database, path))
    measure = rows[2].records[0].values
    assert (measure["amount"], measure["paid_on"]) == (Decimal("12.5"), dt.date(2024, 3, 8))
    # the month alone: imported as the 1st, with one note naming the column and rows
    assert rows[3].records[0].values["paid_on"] == dt.date(2024, 3, 1)
    plan = plan_file(database, path)
    note = next(p for p in plan.problems if "只写了年月" in p.message)
    assert note.column == "F" and "第 3 行" in note.message and note.severity == "warning"
