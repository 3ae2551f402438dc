"""Column-wise verdicts: every firm of a county against one tier's rules, one pass over the
figures per condition, with no Python object per firm.

The figures are read into one list per (field, year), a metric into one list per year, and
each condition of the rule tree into lists of its status and of the counts the readiness
is made of (conditions short, missing data, to verify, core items to verify). The answer is
the verdict a firm's detailed assessment (``evaluate.assess``) reaches — its readiness
group, counts and score — computed with the same Decimal arithmetic in the same order, so
that a firm exactly at an edge is at it here too; tests hold the two equal on random firms.
The detail (values, years, gaps in 万元) stays with ``evaluate.assess``, run for the firms
one looks at.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal

from tiers.assess import metrics
from tiers.assess.county_columns import Column, County
from tiers.assess.evaluate import readiness_of
from tiers.assess.firm import LADDER_RANK, NON_NEGATIVE, NOT_ABOVE
from tiers.assess.results import FLAGGED
from tiers.assess.rules import Band, Condition, Indicator, TierRules

# statuses as small numbers, in the order an ``any`` prefers them (evaluate._STATUS_ORDER)
MET, MANUAL, MISSING, NOT_MET = 0, 1, 2, 3
HUNDRED = metrics.HUNDRED

@dataclass
class Verdicts:
    """The verdict of every firm of a county for one tier, as columns."""

    tier_code: str
    rule_set: str
    readiness: list[int]
    shortfalls: list[int]
    missing: list[int]
    manual: list[int]
    core_manual: list[int]
    score_low: list[int | None]
    already_held: list[bool]


# --- metrics as columns -------------------------------------------------------------------

class _Metrics:
    """Each metric of each year computed once for the whole county."""

    def __init__(self, county: County) -> None:
        self.county = county
        self.cache: dict[tuple[str, int], Column] = {}

    def year(self, code: str, year: int) -> Column:
        key = (code, year)
        if key not in self.cache:
            self.cache[key] = self._compute(metrics.METRICS[code], year)
        return self.cache[key]

    def _compute(self, metric: metrics.Metric, year: int) -> Column:
        column = self.county.column
        if metric.field:
            values = column(metric.field, year)
            if metric.part_of:  # none of a part when there is none of the whole
                whole = column(metric.part_of, year)
                values = [0 if v is None and w == 0 else v for v, w in zip(values, whole, strict=True)]
            return values
        if metric.numerator:
            return [t * HUNDRED / b if t is not None and b is not None and b > 0 else None
                    for t, b in zip(column(metric.numerator, year),
                                    column(metric.denominator, year), strict=True)]
        if metric.compound_of:
            return [((c / s).sqrt() - 1) * HUNDRED
                    if c is not None and s is not None and s > 0 and c >= 0 else None
                    for c, s in zip(column(metric.compound_of, year),
                                    column(metric.compound_of, year - metrics.COMPOUND_YEARS), strict=True)]
        return [(c - p) * HUNDRED / p if c is not None and p is not None and p > 0 else None
                for c, p in zip(column(metric.growth_of, year),
                                column(metric.growth_of, year - 1), strict=True)]

    def span(self, code: str, year: int, years: int) -> list[Column]:
        return [self.year(code, y) for y in range(year - years + 1, year + 1)]

    def aggregated(self, code: str, year: int, years: int, aggregate: str) -> Column:
        """Measurement.value for every firm: None unless every year is known."""
        spans = self.span(code, year, years)
        if years == 1:
            return spans[0]
        out = []
        for values in zip(*spans, strict=True):
            if any(v is None for v in values):
                out.append(None)
            elif aggregate == "sum":
                out.append(sum(values, Decimal(0)))
            elif aggregate == "mean":
                out.append(sum(values, Decimal(0)) / len(values))
            elif aggregate == "min":
                out.append(min(values))
            else:
                out.append(values[-1])
        return out


OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def _passes(value, op: str, threshold: Decimal) -> bool:
    return OPERATORS[op](value, threshold)


# --- conditions as columns ----------------------------------------------------------------

Result = tuple[list[int], list[int], list[int], list[int], list[int]]  # status, counts …


def _counted(status: list[int], secondary: bool) -> Result:
    """A leaf (or a composite counted as one): its counts from its status."""
    return (status, [int(s == NOT_MET) for s in status], [int(s == MISSING) for s in status],
            [int(s == MANUAL) for s in status],
            [0] * len(status) if secondary else [int(s == MANUAL) for s in status])


class _Evaluator:
    def __init__(self, county: County, year: int) -> None:
        self.county, self.year = county, year
        self.metrics = _Metrics(county)
        self.n = len(county)
        self.score_lows: dict[str, list[int]] = {}  # by score condition

    def condition(self, rule: Condition) -> Result:
        return getattr(self, f"_{rule.kind}")(rule)

    def _threshold(self, rule: Condition) -> Result:
        spans = self.metrics.span(rule.metric, self.year, rule.years)
        op, limit, aggregate = rule.op, rule.value, rule.aggregate
        if len(spans) == 1:  # one year (most conditions): one comparison per firm
            passes = OPERATORS[op]
            status = [MISSING if v is None else MET if passes(v, limit) else NOT_MET
                      for v in spans[0]]
            if rule.proxy:
                status = [MANUAL if s == MET else s for s in status]
            elif rule.unknown == "manual":
                status = [MANUAL if s == MISSING else s for s in status]
            return _counted(status, rule.secondary)
        status = []
        for values in zip(*spans, strict=True):
            known = [v for v in values if v is not None]
            complete = len(known) == len(values)
            if aggregate == "each":
                if any(not _passes(v, op, limit) for v in known):
                    state = NOT_MET
                else:
                    state = MET if complete else MISSING
            elif complete:
                value = (sum(values, Decimal(0)) if aggregate == "sum"
                         else sum(values, Decimal(0)) / len(values) if aggregate == "mean"
                         else min(values))
                state = MET if _passes(value, op, limit) else NOT_MET
            elif aggregate == "sum" and op in (">=", ">") and _passes(
                    sum(known, Decimal(0)), op, limit) or aggregate == "min" and known and _passes(min(known), op, limit):
                state = MET
            else:
                state = MISSING
            if state == MET and rule.proxy or state == MISSING and rule.unknown == "manual":
                state = MANUAL
            status.append(state)
        return _counted(status, rule.secondary)

    def _manual(self, rule: Condition) -> Result:
        return _counted([MANUAL] * self.n, rule.secondary)

    def _given(self, rule: Condition) -> Result:
        return _counted([MET] * self.n, rule.secondary)

    def _holds(self, rule: Condition) -> Result:
        if rule.or_higher and rule.tier in LADDER_RANK:
            rank = LADDER_RANK[rule.tier]
            status = [MET if any(LADDER_RANK.get(code, -1) >= rank for code in held)
                      else NOT_MET for held in self.county.held]
        else:
            status = [MET if rule.tier in held else NOT_MET for held in self.county.held]
        return _counted(status, rule.secondary)

    def _all(self, rule: Condition) -> Result:
        children = [self.condition(child) for child in rule.children]
        status = [max(states) for states in zip(*(c[0] for c in children), strict=True)]
        if rule.single:
            return _counted(status, rule.secondary)
        return (status, *[[sum(counts) for counts in zip(*(c[k] for c in children), strict=True)]
                          for k in (1, 2, 3, 4)])

    def _any(self, rule: Condition) -> Result:
        children = [self.condition(child) for child in rule.children]
        general = [c for c, child in zip(children, rule.children, strict=True) if not child.route] \
            or children
        routes = [c for c, child in zip(children, rule.children, strict=True) if child.route]
        met = [MET in states for states in zip(*(c[0] for c in children), strict=True)]
        best = [min(states) for states in zip(*(c[0] for c in general), strict=True)]
        if routes:  # no general path left: the best route still open
            best = [b if b != NOT_MET else min(r for r in states)
                    for b, states in zip(best, zip(*(c[0] for c in routes), strict=True), strict=True)]
        out: Result = ([], [], [], [], [])
        single = len(general) == 1
        for i, is_met in enumerate(met):
            if is_met:
                picked = (MET, 0, 0, 0, 0)
            else:
                chosen = general[0] if single else min(
                    general, key=lambda c: (c[1][i], c[2][i], c[3][i]))
                picked = (best[i], chosen[1][i], chosen[2][i], chosen[3][i], chosen[4][i])
            for column, value in zip(out, picked, strict=True):
                column.append(value)
        return out

    def _band(self, rule: Condition) -> Result:
        values = self.metrics.year(rule.metric, self.year)
        children = [self.condition(child) for child in rule.children]
        out: Result = ([], [], [], [], [])
        for i, value in enumerate(values):
            if value is None:
                picked = (MISSING, 0, 1, 0, 0)
            else:
                picked = None
                for child, result in zip(rule.children, children, strict=True):
                    if ((child.band_min is None or value >= child.band_min)
                            and (child.band_max is None or value < child.band_max)):
                        picked = tuple(column[i] for column in result)
                        break
                if picked is None:  # no band applies: the band itself is checked by hand
                    picked = (MANUAL, 0, 0, 1, 0 if rule.secondary else 1)
            for column, item in zip(out, picked, strict=True):
                column.append(item)
        return out

    # scores -------------------------------------------------------------------------------

    def _indicator(self, indicator: Indicator) -> tuple[list[int], list[int], list[bool]]:
        """(low, high, whether a value was missing) of one indicator, for every firm."""
        if indicator.kind == "manual":
            low, high = indicator.possible
            return [low] * self.n, [high] * self.n, [False] * self.n
        columns = {}
        for band in indicator.bands:
            if band.minimum is not None or band.maximum is not None:
                code = band.metric or indicator.metric
                if code not in columns:
                    columns[code] = self.metrics.aggregated(code, self.year, indicator.years,
                                                            indicator.aggregate)
        lows, highs, missing = [], [], []
        for i in range(self.n):
            low, high, lacking = _matching_band(indicator.bands, indicator.metric, columns, i)
            lows.append(low)
            highs.append(high)
            missing.append(lacking)
        return lows, highs, missing

    def _score(self, rule: Condition) -> Result:
        scored = [self._indicator(indicator) for indicator in rule.indicators]
        minimums = dict(rule.groups)
        groups: dict[str, list[int]] = {}
        for position, indicator in enumerate(rule.indicators):
            groups.setdefault(indicator.group, []).append(position)
        status = []
        lows = self.score_lows[rule.id] = []
        for i in range(self.n):
            low = sum(item[0][i] for item in scored)
            high = sum(item[1][i] for item in scored)
            lows.append(low)
            group_lows = {name: sum(scored[p][0][i] for p in places)
                          for name, places in groups.items()}
            group_highs = {name: sum(scored[p][1][i] for p in places)
                           for name, places in groups.items()}
            if low >= rule.pass_line and all(
                    minimums.get(g) is None or group_lows[g] >= minimums[g] for g in groups):
                status.append(MET)
            elif high < rule.pass_line or any(
                    minimums.get(g) is not None and group_highs[g] < minimums[g]
                    for g in groups):
                status.append(NOT_MET)
            elif any(item[2][i] and indicator.unknown != "manual"
                     for item, indicator in zip(scored, rule.indicators, strict=True)):
                status.append(MISSING)
            else:
                status.append(MANUAL)
        return _counted(status, rule.secondary)


def _matching_band(bands: tuple[Band, ...], metric: str | None, columns: dict[str, Column],
                   i: int) -> tuple[int, int, bool]:
    """scoring._matching_band for firm ``i``: (low, high, a value consulted was missing)."""
    upper, lacking = 0, False
    for band in bands:
        if band.minimum is not None or band.maximum is not None:
            value = columns[band.metric or metric][i]
            if value is None:
                lacking = True
                upper = max(upper, band.points_max or band.points)
                continue
            if not ((band.minimum is None or value >= band.minimum)
                    and (band.maximum is None or value <= band.maximum)):
                continue
        return band.points, max(upper, band.points_max or band.points), lacking
    return 0, upper, lacking


def _flagged(county: County, year: int) -> list[bool]:
    """firm.data_flags, as one answer per firm: inputs that make no sense (once per county
    and year, whatever the tier)."""
    key = ("flagged", year)
    if key in county._columns:
        return county._columns[key]
    flagged = [False] * len(county)
    for each_year in range(year - 2, year + 1):
        if each_year not in county.rows:
            continue
        column = county.column
        for name in NON_NEGATIVE:
            flagged = [f or (v is not None and v < 0)
                       for f, v in zip(flagged, column(name, each_year), strict=True)]
        for name in ("market_share", "lead_product_ratio"):
            flagged = [f or (v is not None and v > 100)
                       for f, v in zip(flagged, column(name, each_year), strict=True)]
        for top, bottom, _meaning in NOT_ABOVE:
            flagged = [f or (a is not None and b is not None and b >= 0 and a > b)
                       for f, a, b in zip(flagged, column(top, each_year),
                                          column(bottom, each_year), strict=True)]
    county._columns[key] = flagged
    return flagged


def _first_score(rules: TierRules) -> Condition | None:
    return next((c for c in rules.walk() if c.kind == "score"), None)


def verdicts(county: County, rules: TierRules, year: int) -> Verdicts:
    """Every firm's verdict for ``rules.tier_code`` with ``year`` as 上年度."""
    evaluator = _Evaluator(county, year)
    results = [evaluator.condition(rule) for rule in rules.conditions]
    score_rule = _first_score(rules)
    score_low = (evaluator.score_lows[score_rule.id] if score_rule is not None
                 else [None] * len(county))
    flagged = _flagged(county, year)
    totals = [[sum(counts) for counts in zip(*(result[k] for result in results), strict=True)]
              for k in (1, 2, 3, 4)]
    readiness = [FLAGGED if bad else readiness_of(
        shortfalls, missing, core if manual and not (shortfalls or missing) else 0)
        for bad, shortfalls, missing, manual, core in zip(flagged, *totals, strict=True)]
    rank = LADDER_RANK.get(rules.tier_code)
    held = [any(LADDER_RANK.get(code, -1) >= rank for code in codes) if rank is not None
            else rules.tier_code in codes for codes in county.held]
    return Verdicts(tier_code=rules.tier_code, rule_set=rules.rule_set.name,
                    readiness=readiness, shortfalls=totals[0], missing=totals[1],
                    manual=totals[2], core_manual=totals[3], score_low=score_low,
                    already_held=held)
