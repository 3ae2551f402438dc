"""The two kinds of arithmetic the column-wise verdicts run in, and the metrics computed
once per county in either.

The **float pass** reads the figures as the driver gave them (int, float) and compares in
binary floating point: fast, and right for every firm whose value is not within a hair of
a limit. A firm that is that close (and every firm at an edge is) is marked *unsure*, and
the **exact pass** settles it with the very Decimal arithmetic ``evaluate.assess`` uses,
in the same order — so a firm exactly at 90% is exactly at it in both.
"""

from __future__ import annotations

import math
import operator
from decimal import Decimal

from tiers.assess import metrics
from tiers.assess.county_columns import Column, County
from tiers.assess.firm import NON_NEGATIVE, NOT_ABOVE

# statuses as small numbers, in the order an ``any`` prefers them (evaluate._STATUS_ORDER)
MET, MANUAL, MISSING, NOT_MET = 0, 1, 2, 3
UNSURE = 9  # the float pass cannot tell: too close to the limit

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
# Floats carry about 16 significant digits and a rule's arithmetic loses a few ulps: a
# value this close to a limit (relative, or absolute near 0) is settled exactly. Far
# larger than any rounding, far smaller than any difference the figures' places can show.
TOLERANCE = 1e-9


_FAST = {  # one comprehension per operator: the float pass's inner loop
    ">=": lambda values, limit, low, high, exempt: [
        MISSING if v is None else UNSURE if low <= v <= high and v != exempt
        else MET if v >= limit else NOT_MET for v in values],
    ">": lambda values, limit, low, high, exempt: [
        MISSING if v is None else UNSURE if low <= v <= high and v != exempt
        else MET if v > limit else NOT_MET for v in values],
    "<=": lambda values, limit, low, high, exempt: [
        MISSING if v is None else UNSURE if low <= v <= high and v != exempt
        else MET if v <= limit else NOT_MET for v in values],
    "<": lambda values, limit, low, high, exempt: [
        MISSING if v is None else UNSURE if low <= v <= high and v != exempt
        else MET if v < limit else NOT_MET for v in values],
}


def plain(code: str, years: int = 1) -> bool:
    """A stored figure of one year: equal to a limit means exactly at it."""
    return years == 1 and metrics.METRICS[code].field is not None


class Numbers:
    """Arithmetic and comparisons for one pass over a county."""

    def __init__(self, county: County, fast: bool) -> None:
        self.county, self.fast = county, fast
        self.zero = 0.0 if fast else Decimal(0)
        self.hundred = 100.0 if fast else metrics.HUNDRED
        self.column = county.fast_column if fast else county.column
        self.unsure: set[int] = set()  # positions the float pass could not be sure of

    def limit(self, value: Decimal):
        return float(value) if self.fast else value

    def sqrt(self, value):
        return math.sqrt(value) if self.fast else value.sqrt()

    def test(self, position: int, value, op: str, limit, plain: bool = False) -> bool:
        """``value op limit`` for one firm (limit from ``self.limit``); ``plain``: the value
        is a stored figure, so that one equal to the limit is exactly at it."""
        if (self.fast and abs(value - limit) <= TOLERANCE * (1.0 + abs(limit))
                and not (plain and value == limit)):
            self.unsure.add(position)
        return OPERATORS[op](value, limit)

    def statuses(self, values: Column, op: str, limit, plain: bool = False) -> list[int]:
        """MET / NOT_MET / MISSING of ``value op limit`` for every firm, in one pass."""
        if not self.fast:
            passes = OPERATORS[op]
            return [MISSING if v is None else MET if passes(v, limit) else NOT_MET
                    for v in values]
        margin = TOLERANCE * (1.0 + abs(limit))
        # a stored figure equal to the limit is exactly at it (the limit has no more places
        # than the column keeps); a computed one may be a few ulps off either way
        exempt = limit if plain else math.nan
        return self.settle(_FAST[op](values, limit, limit - margin, limit + margin, exempt))

    def settle(self, status: list[int]) -> list[int]:
        """Note the unsure firms and carry on with them as met: the exact pass redoes them."""
        if UNSURE in status:
            for position, state in enumerate(status):
                if state == UNSURE:
                    self.unsure.add(position)
                    status[position] = MET
        return status


class Metrics:
    """Each metric of each year computed once for the whole county, as ``metrics`` does for
    one firm."""

    def __init__(self, numbers: Numbers) -> None:
        self.numbers = numbers
        # kept with the county: the tiers' rules share most metrics (a metric's column
        # depends only on the figures and the arithmetic, never on a rule)
        self.cache: dict[tuple, Column] = numbers.county._columns.setdefault(
            ("metrics", numbers.fast), {})

    def year(self, code: str, year: int) -> Column:
        key = (code, year)
        if key not in self.cache:
            self.cache[key] = self._compute(metrics.METRICS[code], year)
        return self.cache[key]

    def _compute(self, metric: metrics.Metric, year: int) -> Column:
        column, hundred = self.numbers.column, self.numbers.hundred
        if metric.field:
            values = column(metric.field, year)
            if metric.part_of:  # none of a part when there is none of the whole
                whole = column(metric.part_of, year)
                values = [0 if v is None and w == 0 else v for v, w in zip(values, whole, strict=True)]
            return values
        if metric.numerator:
            return [t * hundred / b if t is not None and b is not None and b > 0 else None
                    for t, b in zip(column(metric.numerator, year),
                                    column(metric.denominator, year), strict=True)]
        if metric.compound_of:
            sqrt = self.numbers.sqrt
            return [(sqrt(c / s) - 1) * hundred
                    if c is not None and s is not None and s > 0 and c >= 0 else None
                    for c, s in zip(column(metric.compound_of, year),
                                    column(metric.compound_of, year - metrics.COMPOUND_YEARS), strict=True)]
        return [(c - p) * hundred / p if c is not None and p is not None and p > 0 else None
                for c, p in zip(column(metric.growth_of, year),
                                column(metric.growth_of, year - 1), strict=True)]

    def span(self, code: str, year: int, years: int) -> list[Column]:
        return [self.year(code, y) for y in range(year - years + 1, year + 1)]

    def aggregated(self, code: str, year: int, years: int, aggregate: str) -> Column:
        """Measurement.value for every firm: None unless every year is known."""
        if years == 1:
            return self.year(code, year)
        key = (code, year, years, aggregate)
        if key not in self.cache:
            self.cache[key] = self.aggregated_spans(self.span(code, year, years), aggregate)
        return self.cache[key]

    def known_part(self, code: str, year: int, years: int, aggregate: str) -> Column:
        """For every firm with a year unknown, what its known years give: their sum
        (``sum``; zeros add nothing), or the smallest (``min``; None: none known); None
        for the firms with every year known."""
        key = ("known", code, year, years, aggregate)
        if key not in self.cache:
            rows = zip(*self.span(code, year, years), strict=True)
            if aggregate == "sum":
                zero = self.numbers.zero
                found = [sum(filter(None, values), zero) if None in values else None
                         for values in rows]
            else:
                best = max if aggregate == "max" else min
                found = [best((v for v in values if v is not None), default=None)
                         if None in values else None for values in rows]
            self.cache[key] = found
        return self.cache[key]

    def aggregated_spans(self, spans: list[Column], aggregate: str) -> Column:
        zero, out = self.numbers.zero, []
        for values in zip(*spans, strict=True):
            if None in values:
                out.append(None)
            elif aggregate == "sum":
                out.append(sum(values, zero))
            elif aggregate == "mean":
                out.append(sum(values, zero) / len(values))
            elif aggregate == "min":
                out.append(min(values))
            elif aggregate == "max":
                out.append(max(values))
            else:
                out.append(values[-1])
        return out

def _may_pass(values: Column, op: str, limit, fast: bool) -> bool:
    """Whether any value could be ``op limit`` (or too close to tell): nonsense is rare, and
    a C-level min or max over a column rules it out for the whole column at once."""
    if limit != 0 and op == "<":
        return True  # (not a test flagged makes: no shortcut)
    margin = TOLERANCE * (1.0 + abs(limit)) if fast else 0
    if op == "<":  # (limit 0: a zero, dropped by the filter, is exactly not below)
        lowest = min(filter(None, values), default=None)
        return lowest is not None and lowest <= limit + margin
    highest = max(filter(None, values), default=None)
    return highest is not None and highest >= limit - margin


def flagged(numbers: Numbers, year: int) -> list[bool]:
    """firm.data_flags, as one answer per firm: inputs that make no sense (once per county,
    year and pass, whatever the tier; the unsure firms are added to ``numbers.unsure``)."""
    county = numbers.county
    if county.nonsense is not None:  # found by the database as it read the county
        years = range(year - 2, year + 1)
        out = [False] * len(county)
        for position, each_year in county.nonsense:
            if each_year in years:
                out[position] = True
        return out
    key = ("flagged", year, numbers.fast)
    if key not in county._columns:
        out = [False] * len(county)
        check = Numbers(county, numbers.fast)
        statuses: list[list[int]] = []
        zero, hundred = check.limit(Decimal(0)), check.limit(metrics.HUNDRED)
        for each_year in range(year - 2, year + 1):
            if each_year not in county.rows:
                continue
            column = check.column
            # every test is of stored figures: one equal to its limit is exactly at it
            tests = [(column(name, each_year), "<", zero) for name in NON_NEGATIVE]
            tests += [(column(name, each_year), ">", hundred)
                      for name in ("market_share", "lead_product_ratio")]
            # a - b is 0 exactly when a == b, in floats as in Decimal
            tests += [([a - b if a is not None and b is not None and b >= 0 else None
                        for a, b in zip(column(top, each_year), column(bottom, each_year),
                                        strict=True)], ">", zero)
                      for top, bottom, _meaning in NOT_ABOVE]
            statuses.extend(check.statuses(values, op, limit, plain=True)
                            for values, op, limit in tests
                            if _may_pass(values, op, limit, check.fast))
        out = [MET in tests for tests in zip(*statuses, strict=True)] if statuses else out
        county._columns[key] = (out, check.unsure)
    out, unsure = county._columns[key]
    numbers.unsure |= unsure
    return out
