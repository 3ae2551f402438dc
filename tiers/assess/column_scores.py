"""Scores column-wise: every firm's points on a tier's scored conditions (评价得分), band by
band or, when the bands are steps of one value, by bisection — the points
``scoring.score_condition`` gives one firm. A part of ``columnar._Evaluator`` (a mixin: it
reads the evaluator's ``numbers``, ``metrics``, ``year``, ``n`` and keeps ``score_lows``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal
from itertools import pairwise

from tiers.assess import near
from tiers.assess.column_counts import Result, added, counted, with_far
from tiers.assess.column_numbers import (
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    TOLERANCE,
    Metrics,
    Numbers,
)
from tiers.assess.column_numbers import plain as _plain
from tiers.assess.rules import Band, Condition, Indicator


class ScoreColumns:
    """The scored conditions of ``columnar._Evaluator``."""

    numbers: Numbers
    metrics: Metrics
    year: int
    n: int
    score_lows: dict[str, list[int]]

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
        lows = self.score_lows[rule.id] = added(s[0] for s in scored)
        highs = added(s[1] for s in scored)
        counted_missing = [s[2] for s, indicator in zip(scored, rule.indicators, strict=True)
                           if indicator.unknown != "manual"]
        lacking = (list(map(any, zip(*counted_missing, strict=True))) if counted_missing
                   else [False] * self.n)
        places: dict[str, list[int]] = {}
        for position, indicator in enumerate(rule.indicators):
            places.setdefault(indicator.group, []).append(position)
        minimums = dict(rule.groups)
        # per group with a minimum: its low and high sums for every firm
        groups = [(minimums[name], added(scored[p][0] for p in group),
                   added(scored[p][1] for p in group))
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
        # far below the pass line even at best (near.score_reach)
        limit = near.near_limit(Decimal(line))
        far = [state == NOT_MET and line > 1 and high < limit
               for state, high in zip(status, highs, strict=True)]
        return with_far(counted(status, rule.secondary), far)



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

