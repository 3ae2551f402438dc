"""Scored tiers (评价得分): the points of each indicator from its bands, the groups with their
minimums, the pass line, and hints for gaining points."""

from __future__ import annotations

from decimal import Decimal

from tiers.assess import metrics, near
from tiers.assess.firm import FirmData, shown_values, values_used
from tiers.assess.results import (
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    SCORE_MANUAL,
    SCORE_MISSING,
    SCORED,
    ConditionResult,
    GroupScore,
    IndicatorScore,
    ScoreResult,
    ValueUsed,
)
from tiers.assess.rules import Condition, Indicator


def _manual_indicator(firm: FirmData, year: int, indicator: Indicator) -> IndicatorScore:
    values = shown_values(firm, indicator.shows, year)
    low, high = indicator.possible
    detail = indicator.note or "需人工核实"
    if values:
        detail += "（供参考：" + "；".join(v.text for v in values) + "）"
    return IndicatorScore(
        id=indicator.id, group=indicator.group, title=indicator.title,
        max_points=indicator.max_points, low=low, high=high,
        status=SCORED if low == high else SCORE_MANUAL, detail=detail, values=values,
        source=indicator.source)


class _Measured:
    """The measurements an indicator's bands read, each once, with the values shown and
    the reasons a value is missing."""

    def __init__(self, firm: FirmData, year: int, indicator: Indicator) -> None:
        self.firm, self.year, self.indicator = firm, year, indicator
        self.values: list[ValueUsed] = []
        self.seen: dict[str, metrics.Measurement] = {}
        self.reasons: list[str] = []

    def value(self, code: str):
        if code not in self.seen:
            self.seen[code] = self.firm.measure(code, self.year, years=self.indicator.years,
                                                aggregate=self.indicator.aggregate)
            self.values.extend(values_used(self.seen[code]))
        value = self.seen[code].value
        if value is None:
            reasons = self.reasons
            reasons.extend(r for r in self.seen[code].reasons if r not in reasons)
        return value

    def only(self) -> metrics.Measurement:
        return next(iter(self.seen.values()))


def _matching_band(indicator: Indicator, measured: _Measured
                   ) -> tuple[int, int, str, int | None]:
    """(low, high, what to verify by hand, the band's place) of the first band the firm's
    value falls in; a band whose value is missing only raises what is possible."""
    upper = 0
    for index, band in enumerate(indicator.bands):
        if band.minimum is not None or band.maximum is not None:
            value = measured.value(band.metric or indicator.metric)
            if value is None:
                upper = max(upper, band.points_max or band.points)
                continue
            if not ((band.minimum is None or value >= band.minimum)
                    and (band.maximum is None or value <= band.maximum)):
                continue
        return (band.points, max(upper, band.points_max or band.points),
                band.manual if band.points_max else "", index)
    return 0, upper, "", None


def _shown(measured: _Measured) -> str:
    shown = "；".join(v.text for v in measured.values if v.value is not None)
    if len(measured.seen) == 1 and not measured.reasons:
        only = measured.only()
        if only.value is not None and len(only.years) > 1:
            shown = (f"{only.label} {metrics.with_unit(only.value, only.metric.unit)}"
                     f"（{only.year_text}）")
    return shown


def _better_band_hint(firm: FirmData, indicator: Indicator, measured: _Measured,
                      matched_index: int, low: int) -> list[str]:
    """How far the next better band is, when one value decides the points."""
    better = indicator.bands[matched_index - 1]
    only = measured.only()
    if better.minimum is not None:
        target, op = better.minimum, ">="
    elif better.maximum is not None:
        target, op = better.maximum, "<="
    else:
        return []
    if only.value is None:
        return []
    gap = metrics.shortfall(firm.figures, only, op, target)
    verb = "提高到" if op == ">=" else "降到"
    return [f"{only.label}{verb} {metrics.with_unit(target, only.metric.unit)}"
            f"（{gap}）可多得 {better.points - low} 分"]


def indicator_score(firm: FirmData, year: int,
                    indicator: Indicator) -> tuple[IndicatorScore, list[str]]:
    """The points of one indicator, and hints for gaining more."""
    if indicator.kind == "manual":
        return _manual_indicator(firm, year, indicator), []
    measured = _Measured(firm, year, indicator)
    low, high, manual_text, matched_index = _matching_band(indicator, measured)
    if measured.reasons and indicator.unknown == "manual":
        # a fact the database may not hold (research centres): not recorded proves nothing
        status = SCORE_MANUAL
        detail = f"库中未记录（{'；'.join(measured.reasons)}），需人工核实"
    elif measured.reasons:
        status, detail = SCORE_MISSING, "；".join(measured.reasons)
    elif high > low:
        status, detail = SCORE_MANUAL, manual_text or "需人工核实"
    else:
        status, detail = SCORED, ""
    detail = "；".join(part for part in (_shown(measured), detail) if part)
    hints = (_better_band_hint(firm, indicator, measured, matched_index, low)
             if status == SCORED and matched_index and len(measured.seen) == 1 else [])
    return IndicatorScore(
        id=indicator.id, group=indicator.group, title=indicator.title,
        max_points=indicator.max_points, low=low, high=high, status=status, detail=detail,
        values=measured.values, source=indicator.source), hints


def _groups(rule: Condition, indicators: list[IndicatorScore]) -> list[GroupScore]:
    minimums = dict(rule.groups)
    groups: dict[str, GroupScore] = {}
    for item in indicators:
        group = groups.setdefault(item.group, GroupScore(
            name=item.group, low=0, high=0, max_points=0,
            minimum=minimums.get(item.group)))
        group.low += item.low
        group.high += item.high
        group.max_points += item.max_points
    return list(groups.values())


def _status(rule: Condition, score: ScoreResult) -> str:
    groups = score.groups
    if score.low >= rule.pass_line and all(g.minimum is None or g.low >= g.minimum
                                           for g in groups):
        return MET
    if score.high < rule.pass_line or any(g.minimum is not None and g.high < g.minimum
                                          for g in groups):
        return NOT_MET
    if any(i.status == SCORE_MISSING for i in score.indicators):
        return MISSING
    return MANUAL


def _gaps(rule: Condition, score: ScoreResult) -> list[str]:
    """What keeps a firm below the pass line or a group's minimum."""
    gaps = []
    if score.high < rule.pass_line:
        gaps.append(f"差 {rule.pass_line - score.high} 分" if score.exact
                    else f"即使待核实项全部得分也差 {rule.pass_line - score.high} 分")
    for g in score.groups:
        if g.minimum is not None and g.high < g.minimum:
            gaps.append(f"{g.name} {g.high} 分，低于 {g.minimum} 分：差 "
                        f"{g.minimum - g.high} 分")
    return gaps


def score_condition(firm: FirmData, year: int, rule: Condition) -> ConditionResult:
    """A ``score`` condition: met when the points reach the pass line and every group its
    minimum; not met when even the points still possible fall short."""
    scored = [indicator_score(firm, year, indicator) for indicator in rule.indicators]
    indicators = [item for item, _ in scored]
    groups = _groups(rule, indicators)
    score = ScoreResult(low=sum(i.low for i in indicators), high=sum(i.high for i in indicators),
                        max_points=sum(i.max_points for i in indicators),
                        pass_line=rule.pass_line, groups=groups, indicators=indicators,
                        hints=[hint for _, hints in scored for hint in hints])
    status = _status(rule, score)
    groups_text = "、".join(
        f"{g.name} {g.low if g.low == g.high else f'{g.low}—{g.high}'}"
        + (f"（须不低于{g.minimum}分）" if g.minimum is not None else "")
        for g in groups)
    detail = f"评价得分 {score.text}，及格线 {rule.pass_line} 分；{groups_text}"
    gaps = _gaps(rule, score) if status == NOT_MET else []
    if status in (MISSING, MANUAL):
        pending = [i.title for i in indicators if i.status != SCORED]
        detail += "；待定指标：" + "、".join(pending)
    if status == MET:
        score.hints = []
    result = ConditionResult(id=rule.id, title=rule.title, kind=rule.kind, status=status,
                             detail=detail, gap="；".join(gaps), score=score).counted()
    far = (near.score_reach(score.high, rule.pass_line, score.exact) if status == NOT_MET
           else None)
    if far is not None:  # below half the pass line even at best: not 差一项
        result.far, result.reach = 1, far
    return result


# --- a score the firm reports ------------------------------------------------------------

SCORE_UNIT = "分"


def reported_score(rule: Condition) -> bool:
    """A bar on a score the firm reports rather than one the rules compute (the 2026办法's
    专精特新发展评价得分不低于50分, the platform's figure): the tier's 评价得分 all the same,
    shown as the 2022 rules' computed one is (``reported``)."""
    return (rule.kind == "threshold" and (rule.years == 1 or rule.aggregate == "max")
            and rule.op in (">=", ">")
            and rule.metric in metrics.FIELD_INDEX
            and metrics.METRICS[rule.metric].unit == SCORE_UNIT)


def points(value: Decimal | int | None) -> Decimal | int | None:
    """A score as a number of points: 70, 65.5 (not 70.0)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def reported(value: Decimal | None, rule: Condition) -> ScoreResult | None:
    """The score a firm reported, as a ``ScoreResult`` beside its bar (及格线; no 满分, no
    groups: the platform's own); None when it is not recorded."""
    low = points(value)
    if low is None:
        return None
    return ScoreResult(low=low, high=low, max_points=0, pass_line=points(rule.value),
                       groups=[], indicators=[])
