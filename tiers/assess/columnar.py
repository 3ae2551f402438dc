"""Column-wise verdicts: every firm of a county against one tier's rules, one pass over the
figures per condition, with no Python object per firm.

The figures are read as one sequence per (field, year), a metric as one per year, and each
condition of the rule tree as two lists: its status, and the counts the readiness is made
of (conditions short, missing data, to verify, core items to verify) packed into one int.
The answer is the verdict a firm's detailed assessment (``evaluate.assess``) reaches — its
readiness group, counts and score. A first pass runs in floats over every firm; the firms
it cannot be sure of (a value within a hair of a limit: every firm exactly at an edge) are
done again in the same Decimal arithmetic as ``evaluate.assess`` (``column_numbers``), so
that tests hold the two equal on random firms. The detail (values, years, gaps in 万元)
stays with ``evaluate.assess``, run for the firms one looks at.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields
from functools import reduce
from itertools import pairwise

from tiers.assess.column_numbers import (
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    TOLERANCE,
    Metrics,
    Numbers,
    flagged,
)
from tiers.assess.county_columns import Column, County
from tiers.assess.evaluate import readiness_of
from tiers.assess.firm import LADDER_RANK, pending_for
from tiers.assess.metrics import METRICS
from tiers.assess.results import FLAGGED
from tiers.assess.rules import Band, Condition, Indicator, TierRules
from tiers.progress import paused_gc

# The counts of a condition packed in one int, most significant first: prerequisite titles
# short (``holds``), short, missing, to verify, core to verify. Adding packed ints adds the
# counts (each stays far below 2**15); ``_branch_order`` orders firms as an ``any`` chooses
# its branch (short, then missing, then to verify).
SHIFT = 15
FIELD = (1 << SHIFT) - 1
PACKED = (0, (1 << SHIFT) | 1, 1 << 2 * SHIFT, 1 << 3 * SHIFT)  # by status
PACKED_SECONDARY = (0, 1 << SHIFT, 1 << 2 * SHIFT, 1 << 3 * SHIFT)
PREREQUISITE_SHORT = 1 << 4 * SHIFT  # added to a ``holds`` condition's count when short
BRANCH = (1 << 3 * SHIFT) - 1  # short, missing, to verify: after ``>> SHIFT``


def _branch_order(packed: int) -> int:
    return packed >> SHIFT & BRANCH


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
    # 公示中 for the tier or a higher one, and not holding either: not a candidate
    pending: list[bool]


Result = tuple[list[int], list[int]]  # every firm's status, and its packed counts


def _counted(status: list[int], secondary: bool) -> Result:
    """A leaf (or a composite counted as one): its counts from its status."""
    table = PACKED_SECONDARY if secondary else PACKED
    return status, list(map(table.__getitem__, status))


def _added(columns) -> list[int]:
    """Column by column sums (one C-level map per column added)."""
    return reduce(lambda a, b: list(map(operator.add, a, b)), columns)


def _plain(code: str, years: int = 1) -> bool:
    """A stored figure of one year: equal to a limit means exactly at it."""
    return years == 1 and METRICS[code].field is not None


class _Evaluator:
    def __init__(self, county: County, year: int, fast: bool) -> None:
        self.county, self.year = county, year
        self.numbers = Numbers(county, fast)
        self.metrics = Metrics(self.numbers)
        self.n = len(county)
        self.score_lows: dict[str, list[int]] = {}  # by score condition

    def condition(self, rule: Condition) -> Result:
        return getattr(self, f"_{rule.kind}")(rule)

    def _threshold(self, rule: Condition) -> Result:
        spans = self.metrics.span(rule.metric, self.year, rule.years)
        numbers = self.numbers
        op, limit = rule.op, numbers.limit(rule.value)
        if len(spans) == 1:  # one year (most conditions): one comparison per firm
            status = numbers.statuses(spans[0], op, limit, _plain(rule.metric))
        else:
            status = self._years(rule, spans, limit, _plain(rule.metric))
        if rule.proxy:
            status = [MANUAL if s == MET else s for s in status]
        elif rule.unknown == "manual":
            status = [MANUAL if s == MISSING else s for s in status]
        return _counted(status, rule.secondary)

    def _years(self, rule: Condition, spans: list[Column], limit, plain: bool) -> list[int]:
        """The status of a condition over several years."""
        numbers, op, aggregate = self.numbers, rule.op, rule.aggregate
        if aggregate == "each":  # short in any year known; else missing in any; else met
            return reduce(lambda a, b: list(map(max, a, b)),
                          (numbers.statuses(values, op, limit, plain) for values in spans))
        if aggregate not in ("sum", "mean"):
            aggregate = "min"
        whole = self.metrics.aggregated(rule.metric, self.year, rule.years, aggregate)
        status = numbers.statuses(whole, op, limit, plain and aggregate == "min")
        if MISSING in status and (aggregate == "sum" and op in (">=", ">")
                                  or aggregate == "min"):
            # a year unknown: what is known may already be enough (evaluate._aggregated)
            known = self.metrics.known_part(rule.metric, self.year, rule.years, aggregate)
            reached = numbers.statuses(known, op, limit, plain and aggregate == "min")
            status = [MET if state == MISSING and met == MET else state
                      for state, met in zip(status, reached, strict=True)]
        return status

    def _manual(self, rule: Condition) -> Result:
        return _counted([MANUAL] * self.n, rule.secondary)

    def _given(self, rule: Condition) -> Result:
        return _counted([MET] * self.n, rule.secondary)

    def _holds(self, rule: Condition) -> Result:
        rank = LADDER_RANK.get(rule.tier) if rule.or_higher else None
        holding = _holding(self.county.held, rule.tier, rank)
        status, packed = _counted([MET if holds else NOT_MET for holds in holding],
                                  rule.secondary)
        return status, [p if holds else p + PREREQUISITE_SHORT
                        for p, holds in zip(packed, holding, strict=True)]

    def _all(self, rule: Condition) -> Result:
        children = [self.condition(child) for child in rule.children]
        status = reduce(lambda a, b: list(map(max, a, b)), (c[0] for c in children))
        if rule.single:
            return _counted(status, rule.secondary)
        return status, _added(c[1] for c in children)

    def _any(self, rule: Condition) -> Result:
        children = [self.condition(child) for child in rule.children]
        general = [c for c, child in zip(children, rule.children, strict=True) if not child.route] \
            or children
        routes = [c for c, child in zip(children, rule.children, strict=True) if child.route]
        lowest = reduce(lambda a, b: list(map(min, a, b)), (c[0] for c in children))
        best = reduce(lambda a, b: list(map(min, a, b)), (c[0] for c in general))
        if routes:  # no general path left: the best route still open
            route_best = reduce(lambda a, b: list(map(min, a, b)), (c[0] for c in routes))
            best = [r if b == NOT_MET else b for b, r in zip(best, route_best, strict=True)]
        # the general branch with the fewest short, then missing, then to verify (the
        # first of equals), as evaluate picks the branch it reports
        chosen = general[0][1]
        for _status, packed in general[1:]:
            chosen = [p if _branch_order(p) < _branch_order(c) else c
                      for p, c in zip(packed, chosen, strict=True)]
        status = [MET if low == MET else b for low, b in zip(lowest, best, strict=True)]
        return status, [0 if low == MET else c for low, c in zip(lowest, chosen, strict=True)]

    def _band(self, rule: Condition) -> Result:
        values = self.metrics.year(rule.metric, self.year)
        children = [self.condition(child) for child in rule.children]
        numbers, plain = self.numbers, _plain(rule.metric)
        bounds = [(None if c.band_min is None else numbers.limit(c.band_min),
                   None if c.band_max is None else numbers.limit(c.band_max))
                  for c in rule.children]
        unchecked = (MANUAL, (1 << SHIFT) | (0 if rule.secondary else 1))
        status, packed = [], []
        for position, value in enumerate(values):
            if value is None:
                picked = (MISSING, 1 << 2 * SHIFT)
            else:
                picked = unchecked  # no band applies: the band itself is checked by hand
                for (low, high), result in zip(bounds, children, strict=True):
                    if ((low is None or numbers.test(position, value, ">=", low, plain))
                            and (high is None
                                 or numbers.test(position, value, "<", high, plain))):
                        picked = (result[0][position], result[1][position])
                        break
            status.append(picked[0])
            packed.append(picked[1])
        return status, packed

    # scores -------------------------------------------------------------------------------

    def _indicator(self, indicator: Indicator) -> tuple[list[int], list[int], list[bool]]:
        """(low, high, whether a value was missing) of one indicator, for every firm: the
        first band its value falls in (scoring._matching_band), band by band."""
        n = self.n
        if indicator.kind == "manual":
            low, high = indicator.possible
            return [low] * n, [high] * n, [False] * n
        steps = _steps(indicator)
        if steps is not None:
            return self._stepped(indicator, *steps)
        lows, highs, upper, lacking = [-1] * n, [0] * n, [0] * n, [False] * n  # -1: no band yet
        for band in indicator.bands:
            points, top = band.points, band.points_max or band.points
            if band.minimum is None and band.maximum is None:  # the rest fall in this one
                highs = [max(u, top) if low < 0 else h for low, h, u in zip(lows, highs, upper, strict=True)]
                lows = [points if low < 0 else low for low in lows]
                continue
            state = self._inside(band, indicator)
            highs = [max(u, top) if low < 0 and s == MET else h
                     for low, h, u, s in zip(lows, highs, upper, state, strict=True)]
            lows = [points if low < 0 and s == MET else low for low, s in zip(lows, state, strict=True)]
            if MISSING in state:
                upper = [max(u, top) if low < 0 and s == MISSING else u
                         for low, u, s in zip(lows, upper, state, strict=True)]
                lacking = [k or (low < 0 and s == MISSING)
                           for low, k, s in zip(lows, lacking, state, strict=True)]
        highs = [u if low < 0 else h for low, h, u in zip(lows, highs, upper, strict=True)]
        return [max(low, 0) for low in lows], highs, lacking

    def _stepped(self, indicator: Indicator, code: str, bands: list[Band], rest: Band | None,
                 falling: bool) -> tuple[list[int], list[int], list[bool]]:
        """_indicator for bands that are steps of one value: the band a value falls in
        found by bisection, one lookup per firm instead of a pass per band."""
        numbers, k = self.numbers, len(bands)
        values = self.metrics.aggregated(code, self.year, indicator.years, indicator.aggregate)
        bounds = [b.minimum for b in reversed(bands)] if falling else [b.maximum for b in bands]
        limits = [numbers.limit(bound) for bound in bounds]  # ascending
        tops = [b.points_max or b.points for b in bands]
        rest_low, rest_top = (rest.points, rest.points_max or rest.points) if rest else (0, 0)
        # by slot: each band, then none of them, then no value (every band missing)
        lows = [b.points for b in bands] + [rest_low, rest_low]
        highs = tops + [rest_top, max(max(tops), rest_top) if rest else max(tops)]
        if falling:  # the first band whose minimum the value reaches: the largest minimum
            def slot(value) -> int:
                count = bisect_right(limits, value)
                return k if count == 0 else k - count
        else:  # the first band whose maximum the value does not pass
            def slot(value) -> int:
                return bisect_left(limits, value)
        slots = [k + 1 if v is None else slot(v) for v in values]
        if numbers.fast:
            plain = _plain(code, indicator.years)
            for limit in limits:
                margin = TOLERANCE * (1.0 + abs(limit))
                low, high = limit - margin, limit + margin
                numbers.unsure.update(
                    position for position, v in enumerate(values)
                    if v is not None and low <= v <= high and not (plain and v == limit))
        return (list(map(lows.__getitem__, slots)), list(map(highs.__getitem__, slots)),
                [s == k + 1 for s in slots])

    def _inside(self, band: Band, indicator: Indicator) -> list[int]:
        """MET where the firm's value is within the band, MISSING where it has none."""
        code = band.metric or indicator.metric
        values = self.metrics.aggregated(code, self.year, indicator.years, indicator.aggregate)
        numbers, plain = self.numbers, _plain(code, indicator.years)
        tests = [numbers.statuses(values, op, numbers.limit(bound), plain)
                 for op, bound in ((">=", band.minimum), ("<=", band.maximum))
                 if bound is not None]
        return tests[0] if len(tests) == 1 else list(map(max, *tests))

    def _score(self, rule: Condition) -> Result:
        scored = [self._indicator(indicator) for indicator in rule.indicators]
        lows = self.score_lows[rule.id] = _added(s[0] for s in scored)
        highs = _added(s[1] for s in scored)
        counted_missing = [s[2] for s, indicator in zip(scored, rule.indicators, strict=True)
                           if indicator.unknown != "manual"]
        lacking = (list(map(any, zip(*counted_missing, strict=True))) if counted_missing
                   else [False] * self.n)
        places: dict[str, list[int]] = {}
        for position, indicator in enumerate(rule.indicators):
            places.setdefault(indicator.group, []).append(position)
        minimums = dict(rule.groups)
        # per group with a minimum: its low and high sums for every firm
        groups = [(minimums[name], _added(scored[p][0] for p in group),
                   _added(scored[p][1] for p in group))
                  for name, group in places.items() if minimums.get(name) is not None]
        line, status = rule.pass_line, []
        for position, (low, high) in enumerate(zip(lows, highs, strict=True)):
            if low >= line and all(g[1][position] >= g[0] for g in groups):
                status.append(MET)
            elif high < line or any(g[2][position] < g[0] for g in groups):
                status.append(NOT_MET)
            elif lacking[position]:
                status.append(MISSING)
            else:
                status.append(MANUAL)
        return _counted(status, rule.secondary)


def _steps(indicator: Indicator) -> tuple[str, list[Band], Band | None, bool] | None:
    """(metric, bounded bands, the band for the rest, falling) when an indicator's bands are
    steps of one value — each ≥ a falling minimum, or each ≤ a rising maximum — before an
    optional band for the rest; None otherwise (bands of several values, ranges)."""
    bands = list(indicator.bands)
    rest = bands.pop() if bands and bands[-1].minimum is None and bands[-1].maximum is None \
        else None
    if not bands or len({b.metric or indicator.metric for b in bands}) != 1:
        return None
    code = bands[0].metric or indicator.metric
    if all(b.minimum is not None and b.maximum is None for b in bands):
        bounds, falling = [b.minimum for b in bands], True
        ordered = all(a > b for a, b in pairwise(bounds))
    elif all(b.maximum is not None and b.minimum is None for b in bands):
        bounds, falling = [b.maximum for b in bands], False
        ordered = all(a < b for a, b in pairwise(bounds))
    else:
        return None
    return (code, bands, rest, falling) if ordered else None


def _holding(held: list[frozenset[str]], tier: str, rank: int | None) -> list[bool]:
    """Whether each firm holds ``tier`` (or, given its ``rank``, a tier as high or higher):
    answered once per distinct set of titles, of which a county has a handful."""
    answers = {codes: (any(LADDER_RANK.get(code, -1) >= rank for code in codes)
                       if rank is not None else tier in codes) for codes in set(held)}
    return list(map(answers.__getitem__, held))


def _pending(county: County, tier: str, held: list[bool]) -> list[bool]:
    """Whether each firm is 公示中 for ``tier`` or a higher one without holding either
    (``FirmData.pending_for``), answered once per distinct set of tiers 公示中."""
    sets = county.pending_at()
    answers = {codes: pending_for(codes, tier) is not None for codes in set(sets)}
    return [answers[codes] and not holds for codes, holds in zip(sets, held, strict=True)]


def _first_score(rules: TierRules) -> Condition | None:
    return next((c for c in rules.walk() if c.kind == "score"), None)


def _readiness(total: int) -> int:
    shortfalls, missing = total >> 3 * SHIFT & FIELD, total >> 2 * SHIFT & FIELD
    manual, core = total >> SHIFT & FIELD, total & FIELD
    return readiness_of(shortfalls, missing, core if manual and not (shortfalls or missing) else 0,
                        prerequisite=total >> 4 * SHIFT > 0)


def _pass(county: County, rules: TierRules, year: int, fast: bool) -> tuple[Verdicts, set[int]]:
    """One pass over the county: the verdicts, and the firms the pass was unsure of."""
    evaluator = _Evaluator(county, year, fast)
    results = [evaluator.condition(rule) for rule in rules.conditions]
    score_rule = _first_score(rules)
    score_low = (evaluator.score_lows[score_rule.id] if score_rule is not None
                 else [None] * len(county))
    bad = flagged(evaluator.numbers, year)
    totals = _added(r[1] for r in results)
    groups = {total: _readiness(total) for total in set(totals)}
    readiness = [FLAGGED if is_bad else groups[total]
                 for is_bad, total in zip(bad, totals, strict=True)]
    held = _holding(county.held, rules.tier_code, LADDER_RANK.get(rules.tier_code))
    found = Verdicts(tier_code=rules.tier_code, rule_set=rules.rule_set.name,
                     readiness=readiness, shortfalls=[t >> 3 * SHIFT & FIELD for t in totals],
                     missing=[t >> 2 * SHIFT & FIELD for t in totals],
                     manual=[t >> SHIFT & FIELD for t in totals],
                     core_manual=[t & FIELD for t in totals], score_low=score_low,
                     already_held=held, pending=_pending(county, rules.tier_code, held))
    return found, evaluator.numbers.unsure


def verdicts(county: County, rules: TierRules, year: int) -> Verdicts:
    """Every firm's verdict for ``rules.tier_code`` with ``year`` as 上年度."""
    with paused_gc():  # (as load_county: the rows and iterators made are many)
        return _verdicts(county, rules, year)


def _verdicts(county: County, rules: TierRules, year: int) -> Verdicts:
    if county.exact:  # the values are Decimal already: the exact pass alone
        return _pass(county, rules, year, fast=False)[0]
    found, unsure = _pass(county, rules, year, fast=True)
    unsure |= county.imprecise
    if unsure:
        positions = sorted(unsure)
        settled = _pass(county.subset(positions), rules, year, fast=False)[0]
        for column in fields(Verdicts):
            values = getattr(found, column.name)
            if isinstance(values, list):
                exact = getattr(settled, column.name)
                for index, position in enumerate(positions):
                    values[position] = exact[index]
    return found
