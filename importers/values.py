"""Cell values as rosters write them, parsed into Python values.

Each parser takes the raw cell (str, float, int, bool, date, datetime from python-calamine or
csv) and returns the value, or raises ValueProblem with a Chinese message. Blank-looking
cells (“-”, “/”, “无”, “待定” …) are None: they never overwrite anything.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from itertools import repeat
from typing import Any

from tiers.errors import InvalidInput
from tiers.text.dates import day_of_folded, fold

BLANKS = frozenset({"", "-", "--", "—", "——", "－", "/", "／", "\\", "无", "暂无", "待定", "空",
                    "n/a", "na", "null", "none", "#n/a", "不详", "未知", "/ ", "…", "..."})
_SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's leap-year bug


class ValueProblem(InvalidInput):
    """A cell that cannot be read as the column's type; the message is Chinese."""


_STRIP = " \t\r\n\u3000\u00a0\ufeff"
STRIP = _STRIP  # what text() strips, for callers with a fast path


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is str:
        stripped = value.strip(_STRIP)
        if not stripped:
            return True
        if len(stripped) > 6:  # every blank marker is short: the common case stops here
            return False
        return _SPACES.sub("", stripped).lower() in BLANKS
    return isinstance(value, float) and value != value  # NaN


def text(value: Any) -> str | None:
    """A text cell: trimmed (incl. U+3000); whole numbers without “.0” (phones, codes read as
    numbers). Text that looks like a formula stays the text it is."""
    if type(value) is str:
        stripped = value.strip(_STRIP)
        if not stripped or (len(stripped) <= 6 and is_blank(stripped)):
            return None
        return stripped
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    result = str(value).strip(_STRIP)
    return result or None


_fold = fold  # the one folding of tiers.text.dates, under the name this module uses
_MONTH_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


def date(value: Any) -> dt.date | None:
    """Excel dates, serial numbers (42071), 2015/3/8, 2015-03-08, 2015年3月8日 (or 8号),
    20150308, 2015.3.8. A month alone (2015年3月, 2015.03, or the number 2015.03 Excel makes
    of it, as a 成立年月 column holds) is the month's first day: the plan lists such cells
    in a note (see is_month_only), so that nobody takes the 1st for a date written."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"应为日期：{value}")
    if isinstance(value, (int, float)):
        return _date_of_number(value)
    if isinstance(value, dt.time):
        raise ValueProblem(f"应为日期，实为时间：{value}")
    return _date_of_text(value)


def _date_of_number(value: int | float) -> dt.date:
    """20150308, 2024.03 (a month typed into a number cell) or an Excel serial number."""
    number = float(value)
    if 19000101 <= number <= 21001231 and number.is_integer():
        return _date_of_text(str(int(number)))
    if 1900 <= number < 2101 and not number.is_integer():  # 2024.03 typed into a cell
        month = _month_of_number(number)
        if month is not None:
            return dt.date(int(number), month, 1)
        raise ValueProblem(f"应为日期：{value}")
    if 1 <= number < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    raise ValueProblem(f"应为日期：{value}")


def _date_of_text(value: Any) -> dt.date:
    folded = _fold(str(value))
    try:
        day = day_of_folded(folded, value)  # the same reader as a date typed into a form
    except InvalidInput as exc:
        raise ValueProblem(str(exc)) from None
    if day is not None:
        return day
    match = _MONTH_PATTERN.match(folded)
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    if re.fullmatch(r"\d{5}(\.0+)?", folded):  # a serial number written as text
        return _date_of_number(float(folded))
    raise ValueProblem(f"无法识别的日期（可写作 2024-03-08）：{value}")


def _month_of_number(number: float) -> int | None:
    """2024.03 → 3 (and 2024.1 → 1: a float cannot tell 2024.10 from it); None when the
    decimals name no month."""
    digits = repr(number).partition(".")[2]
    return int(digits) if len(digits) <= 2 and 1 <= int(digits) <= 12 else None


def is_month_only(value: Any) -> bool:
    """A cell that date() reads as the first day of a month it names without a day."""
    if type(value) is float:
        return 1900 <= value < 2101 and not value.is_integer() and (
            _month_of_number(value) is not None)
    if type(value) is not str:
        return False
    match = _MONTH_PATTERN.match(_fold(value))
    return bool(match) and 1 <= int(match.group(2)) <= 12


# Units written after a number, and how many 万元 one of them is.
_UNITS = (("亿元", Decimal(10000)), ("亿", Decimal(10000)), ("万元", Decimal(1)),
          ("万", Decimal(1)), ("千元", Decimal("0.1")), ("元", Decimal("0.0001")))
_CURRENCY = re.compile(r"^([-+(]?)¥")  # ¥1,000, -¥1,000, (¥1,000)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _decimal_of(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem(f"应为数字：{raw}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem(f"应为数字：{raw}")
        return Decimal(repr(raw))  # repr: 1234.5, not 1234.4999999…
    raise ValueProblem(f"应为数字：{raw}")


def _number_text(folded: str, original: Any) -> Decimal:
    cleaned = folded.replace(",", "").replace("，", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")  # accounting negative
    if negative:
        cleaned = cleaned[1:-1]
    if not _NUMBER.match(cleaned):
        raise ValueProblem(f"应为数字：{original}")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(f"应为数字：{original}") from None
    return -number if negative else number


def money(value: Any, *, unit: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元. ``unit`` is what one plain number in this column is worth in 万元
    (1 for a （万元） column, 0.0001 for （元）, 10000 for （亿元））; a unit written in the cell
    (“12.5万元”, “1.2亿”, “3000元”) wins over the column's."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        return _normal(_decimal_of(value) * unit)
    folded = _fold(value)
    cell_unit = None
    for suffix, worth in _UNITS:
        if folded.endswith(suffix):
            folded, cell_unit = folded[: -len(suffix)], worth
            break
    # a currency sign (full-width ￥ folds to ¥): the amount is in the column's unit
    if "¥" in folded:
        folded = _CURRENCY.sub(r"\1", folded)
    number = _number_text(folded, value)
    return _normal(number * (cell_unit if cell_unit is not None else unit))


def money_of_float(value: float, unit: Decimal) -> Decimal | None:
    """money() of a number cell (the common case, without money()'s type tests)."""
    if value != value:  # NaN: blank, as is_blank says
        return None
    return _normal(_decimal_of(value) * unit)


# repr() of a float that money_of_float keeps as it is written: up to 12 digits before
# the point and 4 after (no exponent, no noise digits, not -0.0)
_PLAIN_FLOAT = re.compile(r"-?(?:[1-9]\d{0,11}|0)(?:\.\d{1,4})?")


def money_of_floats(values: list[float], unit: Decimal) -> list[Decimal] | None:
    """money_of_float() of each cell of a column of number cells, with C loops; None when
    one is not a plain amount (then the caller goes cell by cell). Measured: 0.3 s of a
    100k-row import cell by cell, a tenth of it this way."""
    if unit != 1:
        return None
    texts = list(map(repr, values))
    if not all(map(_PLAIN_FLOAT.fullmatch, texts)) or "-0.0" in texts:
        return None
    # 1234.5 is Decimal("1234.5") as _normal gives it; 1234.0 is Decimal("1234")
    return list(map(Decimal, map(str.removesuffix, texts, repeat(".0"))))


def decimal(value: Any) -> Decimal | None:
    if is_blank(value):
        return None
    if not isinstance(value, str):
        return _normal(_decimal_of(value))
    folded = _fold(value)
    for suffix in ("年", "个", "项", "件", "人", "%"):
        folded = folded.removesuffix(suffix)
    return _normal(_number_text(folded, value))


def integer(value: Any) -> int | None:
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueProblem(f"应为整数：{value}")
    return int(number)


def percent(value: Any) -> Decimal | None:
    """A percentage as a number of percent: “12%” and 12 are 12; a fraction written as a
    number (0.12, which is how Excel stores a cell formatted as 12%) is 12 too."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        folded = _fold(value)
        if folded.endswith("%"):
            return _normal(_number_text(folded[:-1], value))
        if folded.endswith("‰"):
            return _normal(_number_text(folded[:-1], value) / 10)
        number = _number_text(folded, value)
    else:
        number = _decimal_of(value)
    if -1 <= number <= 1 and number != 0:
        number *= 100
    return _normal(number)


def year(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})(年度?)?", _fold(value))
        if not match:
            raise ValueProblem(f"应为年份（如 2024）：{value}")
        return int(match.group(1))
    number = integer(value)
    if number is None or not 1900 <= number <= 2200:
        raise ValueProblem(f"应为年份（如 2024）：{value}")
    return number


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "复核", "复核通过", "是（复核）", "是(复核)",
         "复核企业", "复核通过企业", "通过复核", "复核入选", "复核认定"}
_FALSE = {"否", "n", "no", "false", "0", "×", "新认定", "新增", "首次认定", "新申报",
          "新认定企业", "新入选", "首次入选", "新培育", "新评价", "新认定通过"}


def boolean(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = _fold(str(text(value))).lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueProblem(f"应为“是”或“否”：{value}")


_QUANTUM = Decimal("0.0001")
_TOO_LARGE = Decimal(10) ** 12


def _normal(number: Decimal) -> Decimal:
    """Drop noise digits beyond the 4 decimals the database keeps (Money is Numeric(16, 4))."""
    try:
        quantized = number.quantize(_QUANTUM)
    except InvalidOperation:
        raise ValueProblem(f"数值过大：{number}") from None
    if abs(quantized) >= _TOO_LARGE:
        raise ValueProblem(f"数值过大：{number}")
    return Decimal(int(quantized)) if quantized == quantized.to_integral() else quantized.normalize()


PARSERS = {"date": date, "integer": integer, "decimal": decimal, "percent": percent,
           "year": year, "bool": boolean}


def unit_of_header(header: str) -> Decimal:
    """What one plain number in a money column is worth in 万元, from the header's unit."""
    folded = _fold(header)
    for marker, worth in (("亿元", Decimal(10000)), ("万元", Decimal(1)), ("千元", Decimal("0.1")),
                          ("（元）", Decimal("0.0001")), ("(元)", Decimal("0.0001")),
                          ("单位:元", Decimal("0.0001"))):
        if marker in folded:
            return worth
    return Decimal(1)
