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

from dataclasses import dataclass, fields
from functools import reduce

from tiers.assess import near
from tiers.assess.bar import bar_in_force
from tiers.assess.column_counts import (
    CORE_AT,
    FAR_AT,
    MANUAL_AT,
    MISSING_AT,
    PACKED,
    PACKED_SECONDARY,
    PREREQUISITE_SHORT,
    SHORT_AT,
    Result,
    added,
    branch_order,
    count,
    counted,
    total_readiness,
    with_far,
    without_far,
)
from tiers.assess.column_numbers import (
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    Metrics,
    Numbers,
    flagged,
)
from tiers.assess.column_numbers import plain as _plain
from tiers.assess.column_scores import ScoreColumns
from tiers.assess.county_columns import Column, County
from tiers.assess.firm import LADDER_RANK, pending_for
from tiers.assess.metrics import METRICS
from tiers.assess.results import FLAGGED, NOT_READY, READY, TO_VERIFY
from tiers.assess.rules import Condition, TierRules
from tiers.assess.scoring import points, reported_score
from tiers.progress import paused_gc


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
    # of the shortfalls, those far from their bar (tiers.assess.near): 不符合 when any
    far: list[int]


class _Evaluator(ScoreColumns):
    def __init__(self, county: County, year: int, fast: bool,
                 held: list[frozenset[str]] | None = None) -> None:
        self.county, self.year = county, year
        # the titles each firm's prerequisites see: those held, and a title of the tier
        # assessed that is in its 复核 (``reviewed_held``)
        self.held = county.held if held is None else held
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
        result = counted(status, rule.secondary)
        if reported_score(rule):  # (scoring.reported: the figure itself; a 复核's: the
            # best of its years, as Measurement.value, None unless every year is known)
            columns = [self.county.column(rule.metric, y)
                       for y in range(self.year - rule.years + 1, self.year + 1)]
            self.score_lows[rule.id] = [None if None in values else points(max(values))
                                        for values in zip(*columns, strict=True)]
        far = self._far(rule, spans)
        return result if far is None else with_far(result, far)

    def _far(self, rule: Condition, spans: list[Column]) -> list[bool] | None:
        """Whether each firm's value is below half the bar (near.far_value: in any year
        when every year must reach it, else the years' sum or mean); None when a miss of
        this condition is never far (a percentage, a place, 拥有…)."""
        if not near.judged(METRICS[rule.metric], rule.op, rule.value):
            return None
        numbers = self.numbers
        limit, plain = numbers.limit(near.near_limit(rule.value, METRICS[rule.metric].unit)), _plain(
            rule.metric)
        if len(spans) > 1 and rule.aggregate != "each":
            aggregate = rule.aggregate if rule.aggregate in ("sum", "mean", "max") else "min"
            spans = [self.metrics.aggregated(rule.metric, self.year, rule.years, aggregate)]
            plain = plain and aggregate in ("min", "max")
        below = [numbers.statuses(values, ">=", limit, plain) for values in spans]
        return [NOT_MET in states for states in zip(*below, strict=True)]

    def _years(self, rule: Condition, spans: list[Column], limit, plain: bool) -> list[int]:
        """The status of a condition over several years."""
        numbers, op, aggregate = self.numbers, rule.op, rule.aggregate
        if aggregate == "each":  # short in any year known; else missing in any; else met
            return reduce(lambda a, b: list(map(max, a, b)),
                          (numbers.statuses(values, op, limit, plain) for values in spans))
        if aggregate not in ("sum", "mean", "max"):
            aggregate = "min"
        extreme = aggregate in ("min", "max")
        whole = self.metrics.aggregated(rule.metric, self.year, rule.years, aggregate)
        status = numbers.statuses(whole, op, limit, plain and extreme)
        if MISSING in status and (aggregate == "sum" and op in (">=", ">") or extreme):
            # a year unknown: what is known may already be enough (evaluate._aggregated)
            known = self.metrics.known_part(rule.metric, self.year, rule.years, aggregate)
            reached = numbers.statuses(known, op, limit, plain and extreme)
            status = [MET if state == MISSING and met == MET else state
                      for state, met in zip(status, reached, strict=True)]
        return status

    def _manual(self, rule: Condition) -> Result:
        return counted([MANUAL] * self.n, rule.secondary)

    def _given(self, rule: Condition) -> Result:
        return counted([MET] * self.n, rule.secondary)

    def _holds(self, rule: Condition) -> Result:
        rank = LADDER_RANK.get(rule.tier) if rule.or_higher else None
        holding = _holding(self.held, rule.tier, rank)
        status, packed = counted([MET if holds else NOT_MET for holds in holding],
                                 rule.secondary)
        return status, [p if holds else p + PREREQUISITE_SHORT
                        for p, holds in zip(packed, holding, strict=True)]

    def _all(self, rule: Condition) -> Result:
        children = [self.condition(child) for child in rule.children]
        status = reduce(lambda a, b: list(map(max, a, b)), (c[0] for c in children))
        if rule.single:  # one condition, far when a part of it is
            result = counted(status, rule.secondary)
            if not any(c.kind == "threshold" and near.judged(METRICS[c.metric], c.op, c.value)
                       for c in rule.walk()):
                return result
            far = [count(total, FAR_AT) > 0 for total in added(c[1] for c in children)]
            return with_far(result, far)
        return status, added(c[1] for c in children)

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
        # the general branch with the fewest short, a near miss before a far one, then
        # missing, then to verify (the first of equals), as evaluate picks the branch
        chosen = general[0][1]
        for _status, packed in general[1:]:
            chosen = [p if branch_order(p) < branch_order(c) else c
                      for p, c in zip(packed, chosen, strict=True)]
        status = [MET if low == MET else b for low, b in zip(lowest, best, strict=True)]
        # (far only where the condition itself is short, as evaluate: a route still open)
        return status, [0 if low == MET else c if state == NOT_MET else without_far(c)
                        for low, c, state in zip(lowest, chosen, status, strict=True)]

    def _band(self, rule: Condition) -> Result:
        values = self.metrics.year(rule.metric, self.year)
        children = [self.condition(child) for child in rule.children]
        numbers, plain = self.numbers, _plain(rule.metric)
        bounds = [(None if c.band_min is None else numbers.limit(c.band_min),
                   None if c.band_max is None else numbers.limit(c.band_max))
                  for c in rule.children]
        unchecked = (MANUAL, (PACKED_SECONDARY if rule.secondary else PACKED)[MANUAL])
        status, packed = [], []
        for position, value in enumerate(values):
            if value is None:
                picked = (MISSING, PACKED[MISSING])
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


def _holding(held: list[frozenset[str]], tier: str, rank: int | None) -> list[bool]:
    """Whether each firm holds ``tier`` (or, given its ``rank``, a tier as high or higher):
    answered once per distinct set of titles, of which a county has a handful."""
    answers = {codes: (any(LADDER_RANK.get(code, -1) >= rank for code in codes)
                       if rank is not None else tier in codes) for codes in set(held)}
    return list(map(answers.__getitem__, held))


def reviewed_held(county: County, tier: str) -> list[frozenset[str]]:
    """Each firm's titles as a prerequisite sees them assessed for ``tier``: with the firm's
    title of ``tier`` that ran out and is in its 复核 (``FirmData.review_title``): assessed
    for it, the firm is that 复核, and the title stands for what it met when recognised."""
    if not county.lost:
        return county.held
    rank = LADDER_RANK.get(tier, -1)
    out = list(county.held)
    for position, lost in enumerate(county.lost):
        title = lost.get(tier) if lost else None
        if title is not None and title.in_review and not any(
                LADDER_RANK.get(code, -1) >= rank for code in out[position]):
            out[position] = out[position] | {tier}
    return out


def _pending(county: County, tier: str, held: list[bool]) -> list[bool]:
    """Whether each firm is 公示中 for ``tier`` or a higher one without holding either
    (``FirmData.pending_for``), answered once per distinct set of tiers 公示中."""
    sets = county.pending_at()
    answers = {codes: pending_for(codes, tier) is not None for codes in set(sets)}
    return [answers[codes] and not holds for codes, holds in zip(sets, held, strict=True)]


def _first_score(rules: TierRules) -> Condition | None:
    return next((c for c in rules.walk() if c.kind == "score" or reported_score(c)), None)


def _pass(county: County, rules: TierRules, year: int, fast: bool) -> tuple[Verdicts, set[int]]:
    """One pass over the county: the verdicts, and the firms the pass was unsure of."""
    evaluator = _Evaluator(county, year, fast, reviewed_held(county, rules.tier_code))
    results = [evaluator.condition(rule) for rule in rules.conditions]
    score_rule = _first_score(rules)
    score_low = (evaluator.score_lows[score_rule.id] if score_rule is not None
                 else [None] * len(county))
    bad = flagged(evaluator.numbers, year)
    totals = added(r[1] for r in results)
    # a condition of the top level 不满足: failed whatever the data missing (readiness_of)
    # (the worst status of the top level, as ``_all`` takes it: NOT_MET is the worst)
    worst = reduce(lambda a, b: list(map(max, a, b)), (r[0] for r in results)) \
        if results else [MET] * len(county)
    failed = [state == NOT_MET for state in worst]
    keys = list(zip(totals, failed, strict=True))
    groups = {key: total_readiness(*key) for key in set(keys)}
    readiness = [FLAGGED if is_bad else groups[key]
                 for is_bad, key in zip(bad, keys, strict=True)]
    held = _holding(county.held, rules.tier_code, LADDER_RANK.get(rules.tier_code))
    found = Verdicts(tier_code=rules.tier_code, rule_set=rules.rule_set.name,
                     readiness=readiness, shortfalls=[count(t, SHORT_AT) for t in totals],
                     missing=[count(t, MISSING_AT) for t in totals],
                     manual=[count(t, MANUAL_AT) for t in totals],
                     core_manual=[count(t, CORE_AT) for t in totals], score_low=score_low,
                     already_held=held, pending=_pending(county, rules.tier_code, held),
                     # (none for a firm whose figures are flagged: evaluate judges it not)
                     far=[0 if is_bad else count(t, FAR_AT)
                          for is_bad, t in zip(bad, totals, strict=True)])
    if county.bars:
        _barred(found, county, bad, rules)
    return found, evaluator.numbers.unsure


def _barred(found: Verdicts, county: County, bad: list[bool], rules: TierRules) -> None:
    """Firms under a bar for false data (tiers.assess.bar) are 不符合, one more condition
    short and far, as evaluate._barred has it (with figures that make no sense: judged on
    nothing else, as there); dated before the bar's 办法 took effect, one more core
    condition 需人工核实 instead (条件均满足 becomes 待人工核实), as there too."""
    for position, found_bar in enumerate(county.bars):
        if found_bar is None:
            continue
        if bad[position]:
            found.shortfalls[position] = found.far[position] = 0
            found.missing[position] = found.manual[position] = 0
            found.core_manual[position] = 0
        if not bar_in_force(rules.tier_code, found_bar.on, rules.rule_set.name):
            found.manual[position] += 1
            found.core_manual[position] += 1
            if found.readiness[position] == READY:
                found.readiness[position] = TO_VERIFY
            continue
        found.shortfalls[position] += 1
        found.far[position] += 1
        found.readiness[position] = NOT_READY


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
