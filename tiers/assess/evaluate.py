"""Evaluate one enterprise's figures and recognitions against one tier's rules.

Pure functions over plain data (``FirmData``): no session, so a whole county is assessed
after loading it in a few queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tiers.assess import metrics
from tiers.assess.results import (
    DATA_MISSING,
    FLAGGED,
    FLAGGED_STATUS,
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    NOT_READY,
    ONE_SHORT,
    READY,
    SCORE_MANUAL,
    SCORE_MISSING,
    SCORED,
    TO_VERIFY,
    Assessment,
    ConditionResult,
    GroupScore,
    IndicatorScore,
    ScoreResult,
    ValueUsed,
)
from tiers.assess.rules import Condition, Indicator, TierRules
from tiers.model import reference

RATIO_PLACES = Decimal("0.0001")  # percentages as shown and exported; comparisons use exact values
LADDER_RANK = {t.code: t.rank for t in reference.tiers() if t.ladder}


@dataclass
class FirmData:
    """What the rules need to know about one enterprise."""

    enterprise_id: int
    credit_code: str
    name: str
    figures: metrics.Figures = field(default_factory=dict)
    held: frozenset[str] = frozenset()  # ladder tier codes in force
    county: str = ""
    town: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def measure(self, metric: str, year: int, *, years: int = 1,
                aggregate: str = "each") -> metrics.Measurement:
        """A measurement of this firm's figures, computed once however many rules ask."""
        key = (metric, year, years, aggregate)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = metrics.measure(self.figures, metric, year, years=years,
                                                       aggregate=aggregate)
        return found

    def flags(self, year: int) -> list[str]:
        key = ("flags", year)
        if key not in self._cache:
            self._cache[key] = data_flags(self.figures, range(year - 2, year + 1))
        return self._cache[key]

    @property
    def current_tier(self) -> str | None:
        if not self.held:
            return None
        return max(self.held, key=lambda code: LADDER_RANK.get(code, -1))

    def holds_or_higher(self, tier_code: str) -> bool:
        rank = LADDER_RANK.get(tier_code)
        if rank is None:
            return tier_code in self.held
        return any(LADDER_RANK.get(code, -1) >= rank for code in self.held)


# --- nonsense inputs -------------------------------------------------------------------

NON_NEGATIVE = ("revenue", "main_revenue", "rd_expense", "employees", "rd_staff",
                "total_assets", "total_liabilities", "ip_class1", "ip_class2", "niche_years",
                "market_share", "equity_financing")
NOT_ABOVE = (  # numerator, denominator, what a ratio over 100% would mean
    ("main_revenue", "revenue", "主营业务收入高于营业收入（占比超过100%）"),
    ("rd_expense", "revenue", "研发费用高于营业收入（研发费用占比超过100%）"),
    ("net_profit", "revenue", "净利润高于营业收入（净利润率超过100%）"),
    ("rd_staff", "employees", "研发人员多于从业人员（研发人员占比超过100%）"),
    ("total_liabilities", "total_assets", "负债总额高于资产总额（资产负债率超过100%）"),
)


def data_flags(figures: metrics.Figures, years: range) -> list[str]:
    """Inputs that make no sense, which are flagged and not scored."""
    flags = []
    for year in years:
        row = figures.get(year)
        if row is None:
            continue
        for name in NON_NEGATIVE:
            value = row.get(name)
            if value is not None and value < 0:
                flags.append(f"{year}年度{metrics.FIELD_LABELS[name]}为负数"
                             f"（{metrics.with_unit(value, metrics.FIELD_UNITS[name])}）")
        share = row.get("market_share")
        if share is not None and share > 100:
            flags.append(f"{year}年度细分市场占有率超过100%（{metrics.number(share)}%）")
        for top, bottom, meaning in NOT_ABOVE:
            a, b = row.get(top), row.get(bottom)
            if a is not None and b is not None and b >= 0 and a > b:
                flags.append(f"{year}年度{meaning}：{metrics.FIELD_LABELS[top]} "
                             f"{metrics.with_unit(a, metrics.FIELD_UNITS[top])}，"
                             f"{metrics.FIELD_LABELS[bottom]} "
                             f"{metrics.with_unit(b, metrics.FIELD_UNITS[bottom])}")
    return flags


# --- conditions ------------------------------------------------------------------------

def _values(measurement: metrics.Measurement) -> list[ValueUsed]:
    """The values a measurement used, built once per measurement (then copied)."""
    made = measurement.used
    if made is None:
        metric = measurement.metric
        made = measurement.used = tuple(
            ValueUsed(label=metric.label, unit=metric.unit, year=year,
                      value=value.quantize(RATIO_PLACES)
                      if metric.is_percent and value is not None else value)
            for year, value in measurement.per_year.items())
    return list(made)


def _counts(result: ConditionResult) -> ConditionResult:
    result.shortfalls = int(result.status == NOT_MET)
    result.missing = int(result.status == MISSING)
    result.manual = int(result.status == MANUAL)
    return result


def _shown_values(firm: FirmData, names: tuple[str, ...], year: int) -> list[ValueUsed]:
    shown = []
    for name in names:
        measurement = firm.measure(name, year)
        shown.extend(_values(measurement))
    return shown


class Evaluator:
    def __init__(self, firm: FirmData, year: int) -> None:
        self.firm = firm
        self.year = year

    def condition(self, rule: Condition) -> ConditionResult:
        handler = getattr(self, f"_{rule.kind}")
        result = handler(rule)
        result.source = result.source or rule.source
        result.note = result.note or rule.note
        result.route = rule.route
        result.secondary = rule.secondary
        return result

    def _base(self, rule: Condition, status: str, **values) -> ConditionResult:
        return ConditionResult(id=rule.id, title=rule.title, kind=rule.kind, status=status,
                               **values)

    # leaves -----------------------------------------------------------------------------

    def _threshold(self, rule: Condition) -> ConditionResult:
        m = self.firm.measure(rule.metric, self.year, years=rule.years,
                              aggregate=rule.aggregate)
        threshold = rule.value
        op = rule.op
        limit = metrics.with_unit(threshold, m.metric.unit)
        values = _values(m)
        if rule.aggregate == "each":
            known_fail = [v for v in m.known if not metrics.compare(v, op, threshold)]
            if known_fail:
                status = NOT_MET
            elif not m.complete:
                status = MISSING
            else:
                status = MET
            shown = "、".join(f"{y}年度 {metrics.with_unit(v, m.metric.unit)}"
                             for y, v in m.per_year.items() if v is not None)
            if len(m.years) == 1 and m.complete:
                shown = f"{metrics.with_unit(m.value, m.metric.unit)}（{m.year_text}）"
        else:
            value = m.value
            if value is not None:
                status = MET if metrics.compare(value, op, threshold) else NOT_MET
            elif (rule.aggregate == "sum" and op in (">=", ">")
                  and metrics.compare(sum(m.known, Decimal(0)), op, threshold)):
                status = MET  # the known years alone reach it
            else:
                status = MISSING
            if value is not None:
                shown = f"{metrics.with_unit(value, m.metric.unit)}（{m.year_text}）"
            else:
                shown = "、".join(f"{y}年度 {metrics.with_unit(v, m.metric.unit)}"
                                 for y, v in m.per_year.items() if v is not None)
        label = m.label
        if status == MET:
            detail = f"{label} {shown}，{metrics.PASS_WORDS[op]} {limit}"
        elif status == NOT_MET:
            detail = f"{label} {shown}，{metrics.FAIL_WORDS[op]} {limit}"
        else:
            detail = "；".join(m.reasons) or f"{label}数据不全"
            if shown and m.known and len(m.years) > 1:
                detail = f"{label}：已有 {shown}；{detail}"
        gap = metrics.shortfall(self.firm.figures, m, op, threshold) if status == NOT_MET else ""
        if status == MET and rule.proxy:
            return _counts(self._base(rule, MANUAL, detail=f"{detail}；{rule.proxy}",
                                      values=values))
        return _counts(self._base(rule, status, detail=detail, gap=gap, values=values))

    def _manual(self, rule: Condition) -> ConditionResult:
        values = _shown_values(self.firm, rule.shows, self.year)
        reference_text = "；".join(v.text for v in values)
        detail = "数据库中没有这项信息，需人工核实"
        if reference_text:
            detail += f"（供参考：{reference_text}）"
        return _counts(self._base(rule, MANUAL, detail=detail, values=values))

    def _given(self, rule: Condition) -> ConditionResult:
        return _counts(self._base(rule, MET, detail=rule.title))

    def _holds(self, rule: Condition) -> ConditionResult:
        """A prerequisite title. It reads as a fact when held (已是…) and as a requirement
        when not (须先取得…), never the one in the other's place."""
        tier = reference.tier(rule.tier)
        held = (self.firm.holds_or_higher(rule.tier) if rule.or_higher
                else rule.tier in self.firm.held)
        if held:
            detail = f"已认定为{tier.name}" if rule.tier in self.firm.held else \
                f"已认定为{reference.tier(self.firm.current_tier).name}（高于{tier.name}）"
            result = self._base(rule, MET, detail=detail)
            result.title = rule.met_title or f"已是{tier.name}"
            return _counts(result)
        result = self._base(rule, NOT_MET, detail=f"库中没有有效期内的{tier.name}认定",
                            gap=f"库中没有有效期内的{tier.name}认定")
        result.title = rule.unmet_title or f"须先取得{tier.name}称号"
        return _counts(result)

    # composites -------------------------------------------------------------------------

    def _all(self, rule: Condition) -> ConditionResult:
        children = [self.condition(child) for child in rule.children]
        statuses = {c.status for c in children}
        status = next((s for s in (NOT_MET, MISSING, MANUAL) if s in statuses), MET)
        result = self._base(rule, status, children=children)
        result.shortfalls = sum(c.shortfalls for c in children)
        result.missing = sum(c.missing for c in children)
        result.manual = sum(c.manual for c in children)
        if rule.single:  # one condition of the rule text, however many parts
            result.single = True
            result.shortfalls = int(status == NOT_MET)
            result.missing = int(status == MISSING)
            result.manual = int(status == MANUAL)
        short = [c for c in children if c.status == NOT_MET]
        result.detail = (f"{len(short)} 项未满足：" + "；".join(c.title for c in short)
                         if short else "")
        result.gap = "；".join(c.gap for c in short if c.gap)
        return result

    def _any(self, rule: Condition) -> ConditionResult:
        children = [self.condition(child) for child in rule.children]
        general = [c for c in children if not c.route] or children
        routes = [c for c in children if c.route]
        order = {MET: 0, MANUAL: 1, MISSING: 2, NOT_MET: 3}
        best_general = min(general, key=lambda c: order[c.status])
        met = [c for c in children if c.status == MET]
        if met:
            status = MET
        elif best_general.status != NOT_MET:
            status = best_general.status
        else:
            open_routes = [c for c in routes if c.status != NOT_MET]
            status = min(open_routes, key=lambda c: order[c.status]).status \
                if open_routes else NOT_MET
        result = self._base(rule, status, children=children)
        if met:
            winner = next((c for c in general if c.status == MET), met[0])
            result.detail = (f"符合直通条件：{winner.title}" if winner.route
                             else f"满足：{winner.title}")
            return result
        chosen = min(general, key=lambda c: (c.shortfalls, c.missing, c.manual))
        result.chosen = chosen
        result.shortfalls, result.missing, result.manual = (
            chosen.shortfalls, chosen.missing, chosen.manual)
        result.gap = chosen.gap
        pending = [c.title for c in routes if c.status in (MANUAL, MISSING)]
        parts = [f"{chosen.title}：{chosen.status}"]
        if pending:
            parts.append("可核实以下条件（符合其一即可）：" + "；".join(pending))
        result.detail = "。".join(parts)
        return result

    def _band(self, rule: Condition) -> ConditionResult:
        m = self.firm.measure(rule.metric, self.year)
        value = m.value
        if value is None:
            return _counts(self._base(rule, MISSING, values=_values(m),
                                      detail="；".join(m.reasons) + "，无法确定适用哪一档"))
        for child in rule.children:
            if ((child.band_min is None or value >= child.band_min)
                    and (child.band_max is None or value < child.band_max)):
                inner = self.condition(child)
                result = self._base(rule, inner.status, children=[inner], values=_values(m),
                                    gap=inner.gap)
                result.chosen = inner
                result.shortfalls, result.missing, result.manual = (
                    inner.shortfalls, inner.missing, inner.manual)
                result.detail = (f"{m.metric.label} {metrics.with_unit(value, m.metric.unit)}"
                                 f"（{m.year_text}），适用：{inner.title}。{inner.detail}")
                return result
        return _counts(self._base(rule, MANUAL, values=_values(m),
                                  detail="没有适用的档位，需人工核实"))

    # scores -----------------------------------------------------------------------------

    def _indicator(self, indicator: Indicator) -> tuple[IndicatorScore, list[str]]:
        """The points of one indicator, and hints for gaining more."""
        if indicator.kind == "manual":
            values = _shown_values(self.firm, indicator.shows, self.year)
            low, high = indicator.possible
            detail = indicator.note or "需人工核实"
            if values:
                detail += "（供参考：" + "；".join(v.text for v in values) + "）"
            return IndicatorScore(
                id=indicator.id, group=indicator.group, title=indicator.title,
                max_points=indicator.max_points, low=low, high=high,
                status=SCORED if low == high else SCORE_MANUAL, detail=detail, values=values,
                source=indicator.source), []
        values: list[ValueUsed] = []
        seen: dict[str, metrics.Measurement] = {}
        reasons: list[str] = []
        upper = 0
        low = high = None
        manual_text = ""
        matched_index = None
        for index, band in enumerate(indicator.bands):
            code = band.metric or indicator.metric
            if band.minimum is None and band.maximum is None:
                matched = True
            else:
                if code not in seen:
                    seen[code] = self.firm.measure(code, self.year, years=indicator.years,
                                                   aggregate=indicator.aggregate)
                    values.extend(_values(seen[code]))
                value = seen[code].value
                if value is None:
                    reasons.extend(r for r in seen[code].reasons if r not in reasons)
                    upper = max(upper, band.points_max or band.points)
                    continue
                matched = ((band.minimum is None or value >= band.minimum)
                           and (band.maximum is None or value <= band.maximum))
            if matched:
                low = band.points
                high = max(upper, band.points_max or band.points)
                manual_text = band.manual if band.points_max else ""
                matched_index = index
                break
        if low is None:
            low, high = 0, upper
        if reasons:
            status, detail = SCORE_MISSING, "；".join(reasons)
        elif high > low:
            status, detail = SCORE_MANUAL, manual_text or "需人工核实"
        else:
            status, detail = SCORED, ""
        shown = "；".join(v.text for v in values if v.value is not None)
        if len(seen) == 1 and not reasons:
            only = next(iter(seen.values()))
            if only.value is not None and len(only.years) > 1:
                shown = (f"{only.label} {metrics.with_unit(only.value, only.metric.unit)}"
                         f"（{only.year_text}）")
        detail = "；".join(part for part in (shown, detail) if part)
        hints = []
        if status == SCORED and matched_index and len(seen) == 1:
            better = indicator.bands[matched_index - 1]
            only = next(iter(seen.values()))
            if better.minimum is not None:
                target, op = better.minimum, ">="
            elif better.maximum is not None:
                target, op = better.maximum, "<="
            else:
                target = None
            if target is not None and only.value is not None:
                gap = metrics.shortfall(self.firm.figures, only, op, target)
                verb = "提高到" if op == ">=" else "降到"
                hints.append(f"{only.label}{verb} {metrics.with_unit(target, only.metric.unit)}"
                             f"（{gap}）可多得 {better.points - low} 分")
        return IndicatorScore(
            id=indicator.id, group=indicator.group, title=indicator.title,
            max_points=indicator.max_points, low=low, high=high, status=status, detail=detail,
            values=values, source=indicator.source), hints

    def _score(self, rule: Condition) -> ConditionResult:
        scored = [self._indicator(indicator) for indicator in rule.indicators]
        indicators = [item for item, _ in scored]
        minimums = dict(rule.groups)
        groups: dict[str, GroupScore] = {}
        for item in indicators:
            group = groups.setdefault(item.group, GroupScore(
                name=item.group, low=0, high=0, max_points=0,
                minimum=minimums.get(item.group)))
            group.low += item.low
            group.high += item.high
            group.max_points += item.max_points
        low = sum(i.low for i in indicators)
        high = sum(i.high for i in indicators)
        score = ScoreResult(low=low, high=high, max_points=sum(i.max_points for i in indicators),
                            pass_line=rule.pass_line, groups=list(groups.values()),
                            indicators=indicators,
                            hints=[hint for _, hints in scored for hint in hints])
        group_list = list(groups.values())
        if low >= rule.pass_line and all(g.minimum is None or g.low >= g.minimum
                                         for g in group_list):
            status = MET
        elif high < rule.pass_line or any(g.minimum is not None and g.high < g.minimum
                                          for g in group_list):
            status = NOT_MET
        elif any(i.status == SCORE_MISSING for i in indicators):
            status = MISSING
        else:
            status = MANUAL
        detail = f"评价得分 {score.text}，及格线 {rule.pass_line} 分"
        groups_text = "、".join(
            f"{g.name} {g.low if g.low == g.high else f'{g.low}—{g.high}'}"
            + (f"（须≥{g.minimum}）" if g.minimum is not None else "")
            for g in group_list)
        detail += f"；{groups_text}"
        gaps = []
        if status == NOT_MET:
            if high < rule.pass_line:
                gaps.append(f"差 {rule.pass_line - high} 分" if score.exact
                            else f"即使待核实项全部得分也差 {rule.pass_line - high} 分")
            for g in group_list:
                if g.minimum is not None and g.high < g.minimum:
                    gaps.append(f"{g.name} {g.high} 分，低于 {g.minimum} 分：差 "
                                f"{g.minimum - g.high} 分")
        elif status in (MISSING, MANUAL):
            pending = [i.title for i in indicators if i.status != SCORED]
            detail += "；待定指标：" + "、".join(pending)
        if status == MET:
            score.hints = []
        result = self._base(rule, status, detail=detail, gap="；".join(gaps), score=score)
        return _counts(result)


# --- the whole assessment ----------------------------------------------------------------

def _verdict(result: Assessment) -> str:
    tier = result.tier_name
    if result.readiness == FLAGGED:
        return "数据存疑，未评估：" + "；".join(result.flags)
    manual_note = f"，另有 {result.manual} 项需人工核实" if result.manual else ""
    if result.readiness in (READY, TO_VERIFY):
        if result.status == MET:
            return f"符合{tier}条件"
        leaves = result.leaves(MANUAL)
        core = [leaf.title for leaf in leaves if not leaf.secondary]
        if result.readiness == TO_VERIFY:
            listed = "；".join(core[:3]) + ("等" if len(core) > 3 else "")
            rest = len(leaves) - len(core)
            also = f"，另有 {rest} 项一般核实事项" if rest else ""
            return (f"数据所及条件均满足，尚有 {len(core)} 项核心条件需人工核实"
                    f"（{listed}）{also}")
        titles = [leaf.title for leaf in leaves]
        listed = "；".join(titles[:3]) + ("等" if len(titles) > 3 else "")
        return f"数据所及条件均满足{manual_note}（{listed}）" if listed else \
            f"数据所及条件均满足{manual_note}"
    if result.readiness == ONE_SHORT:
        leaf = result.leaves(NOT_MET)[0]
        parts = [c for c in leaf.children if c.status == NOT_MET]
        if leaf.single and len(parts) == 1:
            leaf = parts[0]  # name the one part that is short
        gap = f"（{leaf.gap}）" if leaf.gap else ""
        return f"差一项：{leaf.title}{gap}{manual_note}"
    if result.readiness == DATA_MISSING:
        missing = [leaf.detail for leaf in result.leaves(MISSING)]
        short = f"，另差 {result.shortfalls} 项" if result.shortfalls else ""
        return f"缺数据：{'；'.join(missing[:3])}{'……' if len(missing) > 3 else ''}{short}"
    titles = "；".join(leaf.title for leaf in result.leaves(NOT_MET))
    return f"不符合：差 {result.shortfalls} 项（{titles}）"


def _first_score(conditions: list[ConditionResult]) -> ScoreResult | None:
    for condition in conditions:
        if condition.score is not None:
            return condition.score
        found = _first_score(condition.children)
        if found is not None:
            return found
    return None


def readiness_of(shortfalls: int, missing: int, core_manual: int = 0) -> int:
    """The readiness group from the counted conditions short, missing data and (among
    those 需人工核实) not marked secondary."""
    if shortfalls == 0 and missing == 0:
        return TO_VERIFY if core_manual else READY
    if shortfalls == 1 and missing == 0:
        return ONE_SHORT
    if shortfalls <= 1:
        return DATA_MISSING
    return NOT_READY


def assess(firm: FirmData, rules: TierRules, year: int, *,
           today_notice: bool = True) -> Assessment:
    """Assess ``firm`` for ``rules.tier_code`` with ``year`` as 上年度."""
    rule_set = rules.rule_set
    current = firm.current_tier
    result = Assessment(
        enterprise_id=firm.enterprise_id, credit_code=firm.credit_code, name=firm.name,
        tier_code=rules.tier_code, tier_name=rules.tier_name, rule_set=rule_set.name,
        rule_set_title=rule_set.title, figures_year=year, status=MET, readiness=READY,
        verdict="", county=firm.county, town=firm.town,
        current_tier=reference.tier(current).name if current else "",
        already_held=firm.holds_or_higher(rules.tier_code),
        notice=rule_set.superseded_note if today_notice else "")
    result.flags = list(firm.flags(year))
    if result.flags:
        result.status, result.readiness = FLAGGED_STATUS, FLAGGED
        result.verdict = _verdict(result)
        return result
    evaluator = Evaluator(firm, year)
    result.conditions = [evaluator.condition(rule) for rule in rules.conditions]
    statuses = {c.status for c in result.conditions}
    result.status = next((s for s in (NOT_MET, MISSING, MANUAL) if s in statuses), MET)
    result.shortfalls = sum(c.shortfalls for c in result.conditions)
    result.missing = sum(c.missing for c in result.conditions)
    result.manual = sum(c.manual for c in result.conditions)
    result.readiness = readiness_of(
        result.shortfalls, result.missing,
        result.core_manual if result.manual and not (result.shortfalls or result.missing)
        else 0)
    result.score = _first_score(result.conditions)
    result.verdict = _verdict(result)
    if result.already_held:
        result.verdict = f"已是{result.current_tier}（有效期内）；{result.verdict}"
    return result
