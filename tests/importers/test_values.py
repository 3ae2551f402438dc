import datetime as dt
from decimal import Decimal

import pytest

from importers import values


@pytest.mark.parametrize("raw", [dt.date(2015, 3, 8), dt.datetime(2015, 3, 8, 0, 0), 42071,
                                 42071.0, "42071", "2015/3/8", "2015-03-08", "2015年3月8日",
                                 "20150308", 20150308, "2015.3.8", "２０１５年３月８日",
                                 " 2015-3-8 ", "2015-03-08 00:00:00"])
def test_dates_in_every_form(raw):
    assert values.date(raw) == dt.date(2015, 3, 8)


@pytest.mark.parametrize("raw", ["2015/2/30", "明年", "3月8日", True, 99999999999])
def test_bad_dates_are_problems(raw):
    with pytest.raises(values.ValueProblem):
        values.date(raw)


def test_month_only_is_its_first_day():
    # a 成立年月 column: the firm is imported, the plan notes the cells (test_plan_cells)
    assert values.date("2015年3月") == dt.date(2015, 3, 1)
    assert values.is_month_only("2015年3月") and not values.is_month_only("2015年3月8日")


@pytest.mark.parametrize("raw,unit,expected", [
    ("1,234.50", Decimal(1), Decimal("1234.5")),
    ("１，２３４．５０", Decimal(1), Decimal("1234.5")),
    ("12.5万元", Decimal(1), Decimal("12.5")),
    ("12.5万", Decimal(1), Decimal("12.5")),
    ("1.2亿", Decimal(1), Decimal("12000")),
    ("1.2亿元", Decimal(1), Decimal("12000")),
    ("30000元", Decimal(1), Decimal("3")),
    (30000, Decimal("0.0001"), Decimal("3")),
    (12.5, Decimal(1), Decimal("12.5")),
    (0.1 + 0.2, Decimal(1), Decimal("0.3")),
    ("(12.5)", Decimal(1), Decimal("-12.5")),
    ("-3", Decimal(1), Decimal("-3")),
])
def test_amounts(raw, unit, expected):
    assert values.money(raw, unit=unit) == expected


@pytest.mark.parametrize("raw", ["十二万", "12..5", "1,2,3a", "NaN万元"])
def test_bad_amounts(raw):
    with pytest.raises(values.ValueProblem):
        values.money(raw)


@pytest.mark.parametrize("raw,expected", [("12%", Decimal(12)), ("12.5%", Decimal("12.5")),
                                          (0.12, Decimal(12)), ("0.12", Decimal(12)),
                                          (12, Decimal(12)), ("１２％", Decimal(12))])
def test_percentages(raw, expected):
    assert values.percent(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000", "-", "—", "/", "无", "待定", "暂无",
                                 "N/A"])
def test_blanks(raw):
    assert values.is_blank(raw)
    assert values.text(raw) is None
    assert values.money(raw) is None
    assert values.date(raw) is None


def test_text_keeps_formula_looking_text_and_numbers_as_written():
    assert values.text("=HYPERLINK(\"http://x\",\"y\")") == "=HYPERLINK(\"http://x\",\"y\")"
    assert values.text("+86-519-88888888") == "+86-519-88888888"
    assert values.text("@SUM(A1:A2)") == "@SUM(A1:A2)"
    assert values.text(13812345678.0) == "13812345678"
    assert values.text("  常州\u3000") == "常州"


def test_years_integers_booleans():
    assert values.year("2023年度") == 2023
    assert values.year(2023.0) == 2023
    assert values.integer("120人") == 120
    assert values.boolean("复核") is True
    assert values.boolean("否") is False
    with pytest.raises(values.ValueProblem):
        values.integer("1.5")
    with pytest.raises(values.ValueProblem):
        values.year("去年")


def test_unit_of_header():
    assert values.unit_of_header("营业收入（万元）") == Decimal(1)
    assert values.unit_of_header("营业收入（元）") == Decimal("0.0001")
    assert values.unit_of_header("营业收入(亿元)") == Decimal(10000)


def test_money_of_float_is_money_of_a_number_cell():
    import math
    from decimal import Decimal

    from importers import values

    for number in (0.0, 1.0, 3.25, 1234.5, 89372.99, 0.00005, 0.00015, 1e-9, 123456789.12345,
                   -2.5, 999999999999.99, math.nan):
        for unit in (Decimal(1), Decimal("0.0001"), Decimal(10000)):
            try:
                expected = values.money(number, unit=unit)
            except values.ValueProblem as exc:
                expected = type(exc)
            try:
                got = values.money_of_float(number, unit)
            except values.ValueProblem as exc:
                got = type(exc)
            assert got == expected and str(got) == str(expected), (number, unit)


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
