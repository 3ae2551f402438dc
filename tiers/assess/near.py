"""Near and far misses of a numeric bar: how a shortfall is told from one a firm can close.

差一项 tells an officer "nearly ready: push it next year". A firm at 5% of 单项冠军's
4 亿元 is one condition short, but not nearly ready: its shortfall is **far**. A threshold
condition missed with a value below ``NEAR_FRACTION`` of the threshold is far, and a firm
with a far shortfall is 不符合 (``evaluate.readiness_of``), whatever else it meets; its
verdict names the condition and how far (现 2000 万元，仅达到 5%).

Only bars one reaches by growing (``>=``, ``>``) in an amount, a count, years or points are
judged so — the 2022 rules' computed 评价得分 against its pass line too (``score_reach``). Not a percentage (研发费用占比 3%, a growth rate: a gap of a few points is near
whatever its fraction), not a place (排名前三: a smaller number is better), not a bar of
one unit or less (拥有1项以上: having none is one item short, not far from it). Both the
detailed assessment (``evaluate``) and the column-wise verdicts (``columnar``) ask here.
"""

from __future__ import annotations

import math
from decimal import Decimal

from tiers.assess import metrics

# Below half of the threshold, a shortfall is far (one named constant: README 对标预审).
NEAR_FRACTION = Decimal("0.5")
YEARS = "年"  # the unit of a bar of years (从事细分市场年限): near within one year


def judged(metric: metrics.Metric, op: str, threshold: Decimal | None) -> bool:
    """Whether a miss of ``metric op threshold`` can be far."""
    return (op in (">=", ">") and threshold is not None and threshold > 1
            and not metric.is_percent and not metrics.is_rank(metric, op))


def near_limit(threshold: Decimal, unit: str = "") -> Decimal:
    """The least value whose miss is near: a value below it is far. Years grow by one a
    year: more than one year short is far (5 of 单项冠军's 10 years is not 差一项, though
    it is half; 1.5 of 专精特新's 3 is far, 2 is near)."""
    if unit == YEARS:
        return threshold - 1
    return threshold * NEAR_FRACTION


def is_far(value: Decimal | None, threshold: Decimal, unit: str = "") -> bool:
    return value is not None and value < near_limit(threshold, unit)


def far_value(measurement: metrics.Measurement, threshold: Decimal) -> tuple[int | None,
                                                                             Decimal] | None:
    """(year, value) that makes a miss far — the farthest year below the near limit when
    every year must reach the bar (``each``; year None for a single year), the aggregate
    (sum, mean) otherwise — or None for a near miss (or no value to judge)."""
    unit = measurement.metric.unit
    if measurement.aggregate == "each":
        below = [(year, value) for year, value in measurement.per_year.items()
                 if is_far(value, threshold, unit)]
        if not below:
            return None
        year, value = min(below, key=lambda item: item[1])
        return (year if len(measurement.years) > 1 else None), value
    value = measurement.value
    return (None, value) if is_far(value, threshold, unit) else None


def reach(year: int | None, value: Decimal, unit: str, threshold: Decimal) -> str:
    """现 2000 万元，仅达到 5% (or 2024年度 30 万元，仅达到 30%): how far, in the words of
    the verdict."""
    where = f"{year}年度" if year is not None else "现"
    shown = f"{where} {metrics.with_unit(value, unit)}"
    if value <= 0:
        return shown
    share = value * metrics.HUNDRED / threshold
    return f"{shown}，{'不足 1%' if share < 1 else f'仅达到 {math.floor(share)}%'}"


def score_reach(high: int, pass_line: int, exact: bool) -> str | None:
    """How far a computed score (评价得分达到60分以上, a ≥ bar on points like any other) is
    from its pass line when even its best (``high``: the points still possible counted) is
    below half of it — 现 25 分，仅达到 41% (至多 25 分 while items wait) — else None."""
    line = Decimal(pass_line)
    if line <= 1 or not is_far(Decimal(high), line):
        return None
    words = reach(None, Decimal(high), "分", line)
    return words if exact else words.replace("现", "至多", 1)
