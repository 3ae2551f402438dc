"""What the rule sets can measure: figures, ratios and growth from AnnualFigures, with the
values used, the years they come from, and a shortfall in the user's terms.

A firm's figures are plain dicts per year (field → Decimal/int/None), loaded in bulk.
All arithmetic is Decimal so that a firm exactly at a threshold is exactly at it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from tiers.text import fields

HUNDRED = Decimal(100)

FIELDS = ("revenue", "main_revenue", "net_profit", "rd_expense", "employees", "rd_staff",
          "total_assets", "total_liabilities", "ip_class1", "ip_class2", "niche_years",
          "market_share", "equity_financing", "development_score", "domestic_rank",
          "lead_product_ratio", "national_rd_centers", "provincial_rd_centers",
          "national_award_rank", "provincial_award_rank", "ip_class1_high_value",
          "ip_class1_own", "municipal_rd_centers", "lower_rd_centers", "digital_level",
          "quality_items", "lead_field_class", "distinctive_score")
FIELD_INDEX = {name: index for index, name in enumerate(FIELDS)}

# Labels and units from the field catalogue; some read as the criteria word them.
CRITERIA_WORDING = {"niche_years": "从事特定细分市场年限", "market_share": "细分市场占有率",
                    "equity_financing": "新增股权融资（合格机构实缴）",
                    "lead_product_ratio": "主导产品收入占营业收入比重"}
FIELD_LABELS = {name: CRITERIA_WORDING.get(name) or fields.label("annual_figures", name)
                for name in FIELDS}
FIELD_UNITS = {name: fields.unit("annual_figures", name) for name in FIELDS}

Figures = dict[int, dict[str, object]]  # year → field → value


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str  # 万元 / 人 / 项 / 年 / %
    field: str | None = None  # a stored figure
    numerator: str | None = None  # a ratio numerator / denominator × 100
    denominator: str | None = None
    growth_of: str | None = None  # year-on-year growth of a figure, in %
    compound_of: str | None = None  # two-year compound growth of a figure, in %
    part_of: str | None = None  # a count within another: 0 when that one is 0, unrecorded or not

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


# counts that are a part of another count (高价值 and 自主研发 rights are Ⅰ类 rights): a firm
# without Ⅰ类 rights has none of them, whether or not the part was recorded
PART_OF = {"ip_class1_high_value": "ip_class1", "ip_class1_own": "ip_class1"}


def _field_metric(name: str) -> Metric:
    return Metric(code=name, label=FIELD_LABELS[name], unit=FIELD_UNITS[name], field=name,
                  part_of=PART_OF.get(name))


METRICS: dict[str, Metric] = {name: _field_metric(name) for name in FIELDS}
METRICS.update({
    "rd_ratio": Metric("rd_ratio", "研发费用占营业收入比重", "%",
                       numerator="rd_expense", denominator="revenue"),
    "main_ratio": Metric("main_ratio", "主营业务收入占营业收入比重", "%",
                         numerator="main_revenue", denominator="revenue"),
    "debt_ratio": Metric("debt_ratio", "资产负债率", "%",
                         numerator="total_liabilities", denominator="total_assets"),
    "net_margin": Metric("net_margin", "净利润率", "%",
                         numerator="net_profit", denominator="revenue"),
    "rd_staff_ratio": Metric("rd_staff_ratio", "研发人员占从业人员比重", "%",
                             numerator="rd_staff", denominator="employees"),
    "main_growth": Metric("main_growth", "主营业务收入增长率", "%", growth_of="main_revenue"),
    # the 2026 办法's 近两年营业收入复合增长率: (R_y / R_{y-2})^(1/2) - 1, not the mean of the
    # two yearly rates (which is higher whenever the rates differ)
    "revenue_cagr": Metric("revenue_cagr", "近两年营业收入复合增长率", "%",
                           compound_of="revenue"),
})
COMPOUND_YEARS = 2


@lru_cache(maxsize=65536)
def number(value: Decimal | int | float, places: int = 2) -> str:
    """A number as officers write it: at most ``places`` decimals, no trailing zeros."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


GAP_PLACES = 2  # a gap (百分点, 万元, 分) is shown with the report's usual two decimals
VALUE_PLACES = 6  # the most decimals a value beside its bar is shown with
TINY_GAP = "不足 0.01"


def gap_number(value: Decimal | int | float) -> str:
    """A gap (a shortfall, an amount that closes it) with two decimals, as every other figure
    of the report; one that rounds to 0 while failing reads 不足 0.01, never 0 (70.0002%
    against 不高于70% is 超出不足 0.01 个百分点) nor 0.00005 (a tester's 79.99995% against
    80%: nobody reads a gap to a hundred-thousandth)."""
    text = number(value, GAP_PLACES)
    return TINY_GAP if text == "0" and value else text


def gap_words(lead: str, value: Decimal | int | float, unit: str) -> str:
    """``lead`` (差, 约需增加…) and the gap: 差 0.4 个百分点, 差不足 0.01 个百分点,
    约 39.72 万元, 不足 0.01 万元 (no 约 before 不足)."""
    text = gap_number(value)
    if text != TINY_GAP:
        return f"{lead} {text} {unit}"
    lead = {"约": "", "超": "超出"}.get(lead, lead)
    return f"{lead}{text} {unit}"


def value_apart(value: Decimal, threshold: Decimal) -> str:
    """A value beside the bar it misses, with as many decimals as it takes not to read as
    the bar itself (80.0002%, not 80%, against 不高于80%)."""
    for places in range(2, VALUE_PLACES + 1):
        text = number(value, places)
        if text != number(threshold, places):
            return text
    return number(value, VALUE_PLACES)


def with_unit(value: Decimal | int | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{number(value)}%" if unit == "%" else f"{number(value)} {unit}"


def beside(value: Decimal | int | None, unit: str, threshold: Decimal) -> str:
    """``with_unit`` for a value read against its bar: never the bar's own text unless it
    is the bar (80.0002%, which misses 不高于80%, is not shown as 80%)."""
    if value is None:
        return "—"
    text = value_apart(Decimal(value), threshold)
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def _get(figures: Figures, year: int, name: str):
    row = figures.get(year)
    return None if row is None else row.get(name)


def year_value(figures: Figures, metric: Metric, year: int) -> tuple[Decimal | None, str]:
    """(value, '') or (None, why it is missing) for one year."""
    if year not in figures:
        return None, f"缺少{year}年度数据"
    if metric.field:
        value = _get(figures, year, metric.field)
        if value is None and metric.part_of and _get(figures, year, metric.part_of) == 0:
            value = 0
        return (value, "") if value is not None else (None, f"缺少{year}年度{metric.label}")
    if metric.numerator:
        top = _get(figures, year, metric.numerator)
        bottom = _get(figures, year, metric.denominator)
        missing = [FIELD_LABELS[n] for n, v in ((metric.numerator, top),
                                                (metric.denominator, bottom)) if v is None]
        if missing:
            return None, f"缺少{year}年度{'、'.join(missing)}"
        if bottom <= 0:
            return None, f"{year}年度{FIELD_LABELS[metric.denominator]}为0，无法计算{metric.label}"
        return top * HUNDRED / bottom, ""
    if metric.compound_of:
        return _compound_growth(figures, metric.compound_of, year)
    base = metric.growth_of
    current, previous = _get(figures, year, base), _get(figures, year - 1, base)
    if current is None or previous is None:
        gone = [str(y) for y, v in ((year - 1, previous), (year, current)) if v is None]
        return None, f"缺少{'、'.join(gone)}年度{FIELD_LABELS[base]}（计算增长率需要连续两年）"
    if previous <= 0:
        return None, f"{year - 1}年度{FIELD_LABELS[base]}为0，无法计算增长率"
    return (current - previous) * HUNDRED / previous, ""


def _compound_growth(figures: Figures, base: str, year: int) -> tuple[Decimal | None, str]:
    start_year = year - COMPOUND_YEARS
    current, start = _get(figures, year, base), _get(figures, start_year, base)
    if current is None or start is None:
        gone = [str(y) for y, v in ((start_year, start), (year, current)) if v is None]
        return None, (f"缺少{'、'.join(gone)}年度{FIELD_LABELS[base]}"
                      f"（计算两年复合增长率需要{start_year}与{year}年度）")
    if start <= 0:
        return None, f"{start_year}年度{FIELD_LABELS[base]}为0，无法计算复合增长率"
    if current < 0:
        return None, f"{year}年度{FIELD_LABELS[base]}为负数，无法计算复合增长率"
    return ((current / start).sqrt() - 1) * HUNDRED, ""


@dataclass
class Measurement:
    """A metric over a window of years ending at ``year``, aggregated."""

    metric: Metric
    years: tuple[int, ...]
    aggregate: str
    per_year: dict[int, Decimal | None] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    used: tuple | None = None  # the ValueUsed records, made once by the evaluator
    figures: Figures = field(default_factory=dict, repr=False)  # what it was measured on

    @property
    def complete(self) -> bool:
        return all(v is not None for v in self.per_year.values())

    @property
    def known(self) -> list[Decimal]:
        return [v for v in self.per_year.values() if v is not None]

    @property
    def value(self) -> Decimal | None:
        """The aggregated value; None unless every year is known (``each``: the latest)."""
        if not self.complete:
            return None
        values = list(self.per_year.values())
        if self.aggregate == "sum":
            return sum(values, Decimal(0))
        if self.aggregate == "mean":
            return sum(values, Decimal(0)) / len(values)
        if self.aggregate == "min":
            return min(values)
        if self.aggregate == "max":  # any year reaching the bar is enough (a 复核's score)
            return max(values)
        return values[-1]

    @property
    def label(self) -> str:
        span = len(self.years)
        if span == 1:
            return self.metric.label
        word = {"sum": "合计", "mean": "平均", "each": "", "min": "最好名次",
                "max": "最高"}[self.aggregate]
        if self.metric.growth_of and self.aggregate == "mean":
            return f"近{span}年{self.metric.label.replace('增长率', '平均增长率')}"
        return f"近{span}年{self.metric.label}{word}"

    @property
    def year_text(self) -> str:
        if self.metric.compound_of:  # a two-year rate reads from the year two back
            return f"{self.years[0] - COMPOUND_YEARS}—{self.years[-1]}年度"
        if len(self.years) == 1:
            return f"{self.years[0]}年度"
        return f"{self.years[0]}—{self.years[-1]}年度"


def measure(figures: Figures, metric_code: str, year: int, *, years: int = 1,
            aggregate: str = "each") -> Measurement:
    metric = METRICS[metric_code]
    span = tuple(range(year - years + 1, year + 1))
    result = Measurement(metric=metric, years=span, aggregate=aggregate, figures=figures)
    for each_year in span:
        value, reason = year_value(figures, metric, each_year)
        result.per_year[each_year] = value
        if reason:
            result.reasons.append(reason)
    return result


def compare(value: Decimal, op: str, threshold: Decimal) -> bool:
    if op == ">=":
        return value >= threshold
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold
    return value < threshold


PASS_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于"}
FAIL_WORDS = {">=": "低于", ">": "不高于", "<=": "高于", "<": "不低于"}
RANK_UNIT = "名"  # a place (1 = first): a larger number is worse


def is_rank(metric: Metric, op: str) -> bool:
    """A place that must be within the first N (排名前三): worded 第 4 名，未进前 3 名, not
    4 名，高于 3 名, which reads backwards."""
    return metric.unit == RANK_UNIT and op in ("<=", "<")


def _amount_needed(figures: Figures, metric: Metric, year: int, target: Decimal) -> str:
    """The shortfall of a ratio or growth rate as an amount of its underlying figure."""
    if metric.numerator:
        top = _get(figures, year, metric.numerator)
        bottom = _get(figures, year, metric.denominator)
        if top is None or bottom is None:
            return ""
        needed = target * bottom / HUNDRED - top
        unit = FIELD_UNITS[metric.numerator]
        name = FIELD_LABELS[metric.numerator]
        if needed < 0:  # must fall (资产负债率)
            amount = -needed
            if unit == "人":
                return f"约需减少{name} {math.ceil(amount)} 人"
            return f"{gap_words(f'约需减少{name}', amount, unit)}（{FIELD_LABELS[metric.denominator]}不变时）"
        if unit == "人":
            return f"约 {math.ceil(needed)} 人"
        return gap_words("约", needed, unit)
    if metric.growth_of:
        previous = _get(figures, year - 1, metric.growth_of)
        current = _get(figures, year, metric.growth_of)
        if previous is None or current is None:
            return ""
        needed = previous * (1 + target / HUNDRED) - current
        return gap_words(f"{year}年度{FIELD_LABELS[metric.growth_of]}约需增加", needed, "万元")
    if metric.compound_of:
        start = _get(figures, year - COMPOUND_YEARS, metric.compound_of)
        current = _get(figures, year, metric.compound_of)
        if start is None or current is None:
            return ""
        needed = start * (1 + target / HUNDRED) ** COMPOUND_YEARS - current
        return gap_words(f"{year}年度{FIELD_LABELS[metric.compound_of]}约需增加", needed, "万元")
    return ""


def _failing_years(measurement: Measurement, op: str,
                   threshold: Decimal) -> list[tuple[int, Decimal]]:
    """(year, value) of each failed comparison: every failing year, or the aggregate."""
    if measurement.aggregate == "each":
        return [(y, v) for y, v in measurement.per_year.items()
                if v is not None and not compare(v, op, threshold)]
    value = measurement.value
    if value is None or compare(value, op, threshold):
        return []
    return [(measurement.years[-1], value)]


def _percent_gap(figures: Figures, measurement: Measurement, year: int, threshold: Decimal,
                 text: str) -> str:
    """A percentage short, with the amount in 万元 that would close it where one can say."""
    metric, aggregate = measurement.metric, measurement.aggregate
    amount = ""
    if metric.growth_of or metric.compound_of:
        target = threshold
        if aggregate == "mean":
            # the average rises only through the latest year's growth
            earlier = [v for y, v in measurement.per_year.items() if y != year]
            target = threshold * len(measurement.years) - sum(earlier, Decimal(0))
        amount = _amount_needed(figures, metric, year, target)
    elif aggregate == "each":
        amount = _amount_needed(figures, metric, year, threshold)
    return f"{text}，{amount}" if amount else text


def _quantity_gap(measurement: Measurement, distance: Decimal, verb: str) -> str:
    unit = measurement.metric.unit
    if unit in ("人", "项"):
        text = f"{verb} {with_unit(math.ceil(distance), unit)}"
    else:
        text = gap_words(verb, distance, unit)
    years = len(measurement.years)
    if measurement.aggregate == "mean" and years > 1:
        text += f"（{years}年合计需再增加 {with_unit(distance * years, unit)}）"
    return text


def shortfall(figures: Figures, measurement: Measurement, op: str, threshold: Decimal) -> str:
    """'差 0.6 个百分点，约 48 万元' for a failed comparison (empty if it passes)."""
    metric = measurement.metric
    verb = "超" if op in ("<=", "<") and not is_rank(metric, op) else "差"
    parts = []
    for year, value in _failing_years(measurement, op, threshold):
        distance = abs(threshold - value)
        if metric.is_percent:
            text = _percent_gap(figures, measurement, year, threshold,
                                gap_words(verb, distance, "个百分点"))
        else:
            text = _quantity_gap(measurement, distance, verb)
        if len(measurement.years) > 1 and measurement.aggregate == "each":
            text = f"{year}年度{value_apart(value, threshold)}%：{text}" if metric.is_percent else \
                f"{year}年度：{text}"
        parts.append(text)
    return "；".join(parts)
