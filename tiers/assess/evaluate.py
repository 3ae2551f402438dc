"""Evaluate one enterprise's figures and recognitions against one tier's rules.

Pure functions over plain data (``FirmData``): no session, so a whole county is assessed
after loading it in a few queries. The conditions are evaluated here; scored conditions in
``scoring``, the one-line verdict in ``verdict``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tiers.assess import metrics, near, prerequisites, scoring
from tiers.assess.bar import (
    BAR_ID,
    BAR_NOT_IN_FORCE_ID,
    BAR_NOT_IN_FORCE_TITLE,
    BAR_TITLE,
    Bar,
    bar_in_force,
    bar_not_in_force_words,
    bar_source,
)
from tiers.assess.choice import due_words, presumed_words, review_words
from tiers.assess.firm import FirmData, shown_values, title_words, values_used
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
    PREREQUISITE,
    READY,
    TO_VERIFY,
    Assessment,
    ConditionResult,
    ScoreResult,
)
from tiers.assess.rules import Condition, TierRules, for_review, rules_for
from tiers.assess.scoring import score_condition
from tiers.assess.verdict import verdict
from tiers.model import reference

# which child of an ``any`` is the best so far
_STATUS_ORDER = {MET: 0, MANUAL: 1, MISSING: 2, NOT_MET: 3}


def _shown_years(m: metrics.Measurement, threshold: Decimal) -> str:
    return "、".join(f"{y}年度 {metrics.beside(v, m.metric.unit, threshold)}"
                    for y, v in m.per_year.items() if v is not None)


def _each_year(m: metrics.Measurement, op: str, threshold: Decimal) -> tuple[str, str]:
    """(status, values shown) when every year must reach the threshold."""
    if any(not metrics.compare(v, op, threshold) for v in m.known):
        status = NOT_MET
    elif not m.complete:
        status = MISSING
    else:
        status = MET
    if len(m.years) == 1 and m.complete:
        return status, f"{metrics.beside(m.value, m.metric.unit, threshold)}（{m.year_text}）"
    return status, _shown_years(m, threshold)


def _aggregated(m: metrics.Measurement, aggregate: str, op: str,
                threshold: Decimal) -> tuple[str, str]:
    """(status, values shown) when the years' sum or average must reach it."""
    value = m.value
    if value is not None:
        status = MET if metrics.compare(value, op, threshold) else NOT_MET
        return status, f"{metrics.beside(value, m.metric.unit, threshold)}（{m.year_text}）"
    if (aggregate == "sum" and op in (">=", ">")
            and metrics.compare(sum(m.known, Decimal(0)), op, threshold)):
        return MET, _shown_years(m, threshold)  # the known years alone reach it
    if aggregate == "min" and m.known and metrics.compare(min(m.known), op, threshold):
        return MET, _shown_years(m, threshold)  # one year's place is enough
    if aggregate == "max" and m.known and metrics.compare(max(m.known), op, threshold):
        return MET, _shown_years(m, threshold)  # one year reaching it is enough
    return MISSING, _shown_years(m, threshold)


def _threshold_detail(m: metrics.Measurement, status: str, shown: str, op: str,
                      limit: str) -> str:
    label = m.label
    if status in (MET, NOT_MET) and metrics.is_rank(m.metric, op):
        return _rank_detail(label, shown, status, op, limit)
    if status == MET:
        return f"{label} {shown}，{metrics.PASS_WORDS[op]} {limit}"
    if status == NOT_MET:
        return f"{label} {shown}，{metrics.FAIL_WORDS[op]} {limit}"
    detail = "；".join(m.reasons) or f"{label}数据不全"
    if shown and m.known and len(m.years) > 1:
        detail = f"{label}：已有 {shown}；{detail}"
    return detail


def _still_needed(m: metrics.Measurement, op: str, threshold: Decimal) -> str:
    """What the years not recorded must bring for a sum or an average over several years
    to reach its bar, when the years known fall short (已知2024、2025年度平均 16000 万元；要达到
    平均 40000 万元，2023年度须有 88000 万元): a floor that a missing year could reach only at
    an implausible value shows it (tester28a #3: 单项冠军's 4亿). "" otherwise (a rate, a
    place, the bar reached by what is known)."""
    if (m.aggregate not in ("sum", "mean") or op not in (">=", ">") or not m.known
            or m.complete or m.metric.growth_of or m.metric.compound_of):
        return ""
    known = [year for year, value in m.per_year.items() if value is not None]
    unknown = [year for year, value in m.per_year.items() if value is None]
    total = sum(m.known, Decimal(0))
    mean = m.aggregate == "mean"
    need = threshold * len(m.years) - total if mean else threshold - total
    if need <= 0:
        return ""
    unit = m.metric.unit
    word = "平均" if mean else "合计"
    has = metrics.with_unit(total / len(known) if mean else total, unit)
    years = "、".join(map(str, unknown)) + "年度" + ("合计" if len(unknown) > 1 else "")
    verb = "须超过" if op == ">" else "须有"
    return (f"已知{'、'.join(map(str, known))}年度{word} {has}；要达到{word} "
            f"{metrics.with_unit(threshold, unit)}，{years}{verb} {metrics.with_unit(need, unit)}")


def _rank_detail(label: str, shown: str, status: str, op: str, limit: str) -> str:
    """国内细分市场排名 第 4 名，未进前 3 名 / 第 2 名，在前 3 名之内."""
    unit = metrics.RANK_UNIT
    places = re.sub(rf"(\d+) {unit}", rf"第 \1 {unit}", shown)
    top = int(re.match(r"\d+", limit).group()) - (1 if op == "<" else 0)
    verdict_words = f"在前 {top} {unit}之内" if status == MET else f"未进前 {top} {unit}"
    return f"{label} {places}，{verdict_words}"


def _any_status(children: list[ConditionResult], general: list[ConditionResult],
                routes: list[ConditionResult]) -> str:
    """Met by any child; otherwise the best general path, or an open direct route."""
    if any(c.status == MET for c in children):
        return MET
    best_general = min(general, key=lambda c: _STATUS_ORDER[c.status])
    if best_general.status != NOT_MET:
        return best_general.status
    open_routes = [c for c in routes if c.status != NOT_MET]
    return min(open_routes, key=lambda c: _STATUS_ORDER[c.status]).status \
        if open_routes else NOT_MET


class Evaluator:
    def __init__(self, firm: FirmData, year: int, tier_code: str | None = None,
                 rules: TierRules | None = None) -> None:
        self.firm = firm
        self.year = year
        self.tier_code = tier_code  # the tier assessed, which a prerequisite leads to
        self.rules = rules  # (their rule set names the prerequisites further down)
        # the firm's title of the tier assessed, run out and in its 复核: a 复核, not a new
        # application, so a prerequisite that title meets is met (FirmData.review_title)
        self.review = firm.review_title(tier_code) if tier_code else None

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
        op, threshold = rule.op, rule.value
        values = values_used(m)
        status, shown = (_each_year(m, op, threshold) if rule.aggregate == "each"
                         else _aggregated(m, rule.aggregate, op, threshold))
        detail = _threshold_detail(m, status, shown, op,
                                   metrics.with_unit(threshold, m.metric.unit))
        if status == MISSING and (need := _still_needed(m, op, threshold)):
            detail = f"{detail}；{need}"
        gap = metrics.shortfall(self.firm.figures, m, op, threshold) if status == NOT_MET else ""
        if status == MET and rule.proxy:
            return self._base(rule, MANUAL, detail=f"{detail}；{rule.proxy}",
                              values=values).counted()
        if status == MISSING and rule.unknown == "manual":
            return self._base(rule, MANUAL, detail=f"数据库中未记录（{detail}），需人工核实",
                              values=values).counted()
        result = self._base(rule, status, detail=detail, gap=gap, values=values).counted()
        if scoring.reported_score(rule):  # 2026: 发展评价得分, the tier's 评价得分
            result.score = scoring.reported(m.value, rule)
        far = (near.far_value(m, threshold) if status == NOT_MET
               and near.judged(m.metric, op, threshold) else None)
        if far is not None:  # below half the bar: not a shortfall one closes in a year
            result.far, result.reach = 1, near.reach(*far, m.metric.unit, threshold)
        return result

    def _manual(self, rule: Condition) -> ConditionResult:
        """A condition the database cannot decide. Its related figures are shown for
        reference; one of them recorded, it does not say the database has nothing on it
        (需人工核实（库中相关记录供参考：省部级研发机构 1 个（2025年度））), tester28a #2."""
        values = shown_values(self.firm, rule.shows, self.year)
        reference_text = "；".join(v.text for v in values)
        if any(v.value is not None for v in values):
            detail = f"需人工核实（库中相关记录供参考：{reference_text}）"
        else:
            detail = "数据库中没有这项信息，需人工核实"
            if reference_text:
                detail += f"（供参考：{reference_text}）"
        return self._base(rule, MANUAL, detail=detail, values=values).counted()

    def _given(self, rule: Condition) -> ConditionResult:
        return self._base(rule, MET, detail=rule.title).counted()

    def _holds(self, rule: Condition) -> ConditionResult:
        """A prerequisite title. It reads as a fact when held (已是…) and as a requirement
        when not (须先取得…), never the one in the other's place."""
        tier = reference.tier(rule.tier)
        held = (self.firm.holds_or_higher(rule.tier) if rule.or_higher
                else rule.tier in self.firm.held)
        if not held and self.review is not None and prerequisites.held(
                rule, frozenset((self.tier_code,))):
            # a 复核 of the title itself: it stood for the prerequisite when recognised
            result = self._base(rule, MET, detail=f"复核企业：原{reference.tier(self.tier_code).name}"
                                                  f"认定（{self.review.batch or '批次不详'}）")
            result.title = f"复核企业（原为{reference.tier(self.tier_code).name}）"
            return result.counted()
        if held:
            detail = f"已认定为{tier.name}" if rule.tier in self.firm.held else \
                f"已认定为{reference.tier(self.firm.current_tier).name}（高于{tier.name}）"
            # met only through a validity estimated (a 科技型 entered with its year): said
            detail += prerequisites.estimate_note(self.firm, rule)
            result = self._base(rule, MET, detail=detail)
            result.title = rule.met_title or f"已是{tier.name}"
            return result.counted()
        title, gap, detail, lost = prerequisites.short(self.firm, rule, self.rules,
                                                       self.tier_code)
        result = self._base(rule, NOT_MET, detail=detail, gap=gap)
        result.title, result.lost = title, lost
        return result.counted()

    # composites -------------------------------------------------------------------------

    def _all(self, rule: Condition) -> ConditionResult:
        children = [self.condition(child) for child in rule.children]
        statuses = {c.status for c in children}
        status = next((s for s in (NOT_MET, MISSING, MANUAL) if s in statuses), MET)
        result = self._base(rule, status, children=children)
        result.shortfalls = sum(c.shortfalls for c in children)
        result.missing = sum(c.missing for c in children)
        result.manual = sum(c.manual for c in children)
        result.far = sum(c.far for c in children)
        if rule.single:  # one condition of the rule text, however many parts
            result.single = True
            result.counted()
            result.far = int(status == NOT_MET and result.far > 0)  # far if a part is
        short = [c for c in children if c.status == NOT_MET]
        result.detail = (f"{len(short)} 项未满足：" + "；".join(c.title for c in short)
                         if short else "")
        result.gap = "；".join(c.gap for c in short if c.gap)
        return result

    def _any(self, rule: Condition) -> ConditionResult:
        children = [self.condition(child) for child in rule.children]
        general = [c for c in children if not c.route] or children
        routes = [c for c in children if c.route]
        result = self._base(rule, _any_status(children, general, routes), children=children)
        met = [c for c in children if c.status == MET]
        if met:
            winner = next((c for c in general if c.status == MET), met[0])
            result.detail = (f"符合直通条件：{winner.title}" if winner.route
                             else f"满足：{winner.title}")
            return result
        # fewest short, a near miss before a far one, then least missing, least to verify
        chosen = min(general, key=lambda c: (c.shortfalls, c.far, c.missing, c.manual))
        result.chosen = chosen
        # far only where the condition itself is short: with a direct route still open
        # (需人工核实, 缺数据) the firm may pass by it, however far the general branch
        result.shortfalls, result.missing, result.manual, result.far = (
            chosen.shortfalls, chosen.missing, chosen.manual,
            chosen.far if result.status == NOT_MET else 0)
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
            return self._base(rule, MISSING, values=values_used(m),
                              detail="；".join(m.reasons) + "，无法确定适用哪一档").counted()
        for child in rule.children:
            if ((child.band_min is None or value >= child.band_min)
                    and (child.band_max is None or value < child.band_max)):
                inner = self.condition(child)
                result = self._base(rule, inner.status, children=[inner], values=values_used(m),
                                    gap=inner.gap)
                result.chosen = inner
                result.shortfalls, result.missing, result.manual, result.far = (
                    inner.shortfalls, inner.missing, inner.manual, inner.far)
                result.detail = (f"{m.metric.label} {metrics.with_unit(value, m.metric.unit)}"
                                 f"（{m.year_text}），适用：{inner.title}。{inner.detail}")
                return result
        return self._base(rule, MANUAL, values=values_used(m),
                          detail="没有适用的档位，需人工核实").counted()

    # scores -----------------------------------------------------------------------------

    def _score(self, rule: Condition) -> ConditionResult:
        return score_condition(self.firm, self.year, rule)


# --- the whole assessment ----------------------------------------------------------------

def _first_score(conditions: list[ConditionResult]) -> ScoreResult | None:
    for condition in conditions:
        if condition.score is not None:
            return condition.score
        found = _first_score(condition.children)
        if found is not None:
            return found
    return None


def readiness_of(shortfalls: int, missing: int, core_manual: int = 0,
                 prerequisite: bool = False, far: int = 0, failed: bool = False) -> int:
    """The readiness group from the counted conditions short, missing data and (among
    those 需人工核实) not marked secondary; ``prerequisite``: a prerequisite title (a
    ``holds`` condition) is among those short — the one, it is 尚未取得前提认定 (not 差一项,
    nor 缺数据 when data is missing too: it cannot apply before it holds the title);
    ``far``: shortfalls below half the bar (``near``) — any, it is 不符合, not 差一项 nor
    缺数据: no data still to come brings it near; ``failed``: a condition the rules require
    is not met whatever the data still to come (its status 不满足: not one of several ways
    where another is still open) — with data missing too, it is 不符合, not 缺数据, which
    would hide the certain failure behind the data (tester28a #3); complete, it is still
    差一项 when near."""
    if shortfalls == 0 and missing == 0:
        return TO_VERIFY if core_manual else READY
    if far:
        return NOT_READY
    if shortfalls == 1 and prerequisite:
        return PREREQUISITE
    if shortfalls == 1 and missing == 0:
        return ONE_SHORT
    if shortfalls <= 1 and not failed:
        return DATA_MISSING
    return NOT_READY


def assess(firm: FirmData, rules: TierRules, year: int, *,
           today_notice: bool = True, rule_reason: str = "",
           presumed_over: str = "") -> Assessment:
    """Assess ``firm`` for ``rules.tier_code`` with ``year`` as 上年度. ``presumed_over``: a
    复核 by rules no source fixes (choice.RuleChoice.presumed_over), the rule set its title
    began under — the verdict says the rules are presumed and gives that rule set's result
    beside (``Assessment.presumed``)."""
    rule_set = rules.rule_set
    result = Assessment(
        enterprise_id=firm.enterprise_id, credit_code=firm.credit_code, name=firm.name,
        tier_code=rules.tier_code, tier_name=rules.tier_name, rule_set=rule_set.name,
        rule_set_title=rule_set.title, figures_year=year, status=MET, readiness=READY,
        verdict="", county=firm.county, town=firm.town,
        current_tier=title_words(firm.held, firm.others),
        already_held=firm.holds_or_higher(rules.tier_code),
        pending_tier=_pending_name(firm, rules.tier_code),
        notice=rule_set.superseded_note if today_notice else "", rule_reason=rule_reason)
    lapsed = firm.review_title(rules.tier_code)
    due = firm.due_title(rules.tier_code)
    if lapsed is not None:
        result.review = review_words(rules.tier_code, lapsed)
    elif due is not None:  # held, its 复核 this year: that 复核, not 已是…（有效期内）
        result.review = due_words(rules.tier_code, due)
    result.flags = list(firm.flags(year))
    if result.flags:
        result.status, result.readiness = FLAGGED_STATUS, FLAGGED
    else:
        _evaluate(result, firm, rules, year)
    if firm.bar is not None:
        _barred(result, firm.bar)
    result.verdict = verdict(result)
    if presumed_over:  # the presumption said at the rules, the other result beside
        other = assess(firm, for_review(rules_for(rules.tier_code, presumed_over)), year,
                       today_notice=False)
        words = presumed_words(rules.tier_code)
        beside = f"按{presumed_over}：{other.readiness_text}"
        result.presumed = f"{words}；{beside}"
        result.verdict = f"按{rule_set.name}（{words}）：{result.verdict}；{beside}"
    # held, or on a 公示 list, or in its 复核 (run out, or held with its round this year),
    # whatever the figures: said first
    if result.settled_held:
        result.verdict = f"已是{result.current_tier}（有效期内）；{result.verdict}"
    elif result.pending_tier:
        result.verdict = f"{pending_note(result)}；{result.verdict}"
    elif result.review:
        result.verdict = f"{result.review}；{result.verdict}"
    return result


def _evaluate(result: Assessment, firm: FirmData, rules: TierRules, year: int) -> None:
    """The conditions of ``rules`` and what they add up to, into ``result``."""
    evaluator = Evaluator(firm, year, rules.tier_code, rules)
    result.conditions = [evaluator.condition(rule) for rule in rules.conditions]
    statuses = {c.status for c in result.conditions}
    result.status = next((s for s in (NOT_MET, MISSING, MANUAL) if s in statuses), MET)
    result.shortfalls = sum(c.shortfalls for c in result.conditions)
    result.missing = sum(c.missing for c in result.conditions)
    result.manual = sum(c.manual for c in result.conditions)
    result.far = sum(c.far for c in result.conditions)
    result.readiness = readiness_of(
        result.shortfalls, result.missing,
        result.core_manual if result.manual and not (result.shortfalls or result.missing)
        else 0, prerequisite=any(leaf.kind == "holds" for leaf in result.leaves(NOT_MET)),
        far=result.far, failed=result.status == NOT_MET)
    result.score = _first_score(result.conditions)
    # the prerequisites short on the counted paths (not in a band that does not apply)
    result.rungs = prerequisites.rungs(rules, firm, {leaf.id for leaf in result.leaves(NOT_MET)
                                                     if leaf.kind == "holds"})


def _barred(result: Assessment, found: Bar) -> None:
    """A firm whose title was revoked for false data less than three years ago may not
    apply (tiers.assess.bar): one more condition short, and far — 不符合 whatever the rest
    (its figures making no sense too: the bar is said first, the doubts after), with the
    办法 that says so and since when. Dated before that 办法 took effect (and judged by
    another rule set) the bar is not applied: the revocation is one more core condition
    需人工核实, saying why (bar.bar_in_force)."""
    why = bar_in_force(result.tier_code, found.on, result.rule_set)
    if not why:
        _bar_not_in_force(result, found)
        return
    detail = f"{found.words}（{why}）"
    result.conditions.insert(0, ConditionResult(  # first: the officer reads it first
        id=BAR_ID, title=BAR_TITLE, kind="bar", status=NOT_MET, detail=detail,
        gap=found.words, source=bar_source(result.tier_code), shortfalls=1, far=1,
        reach=f"{found.last_day.isoformat()} 前不得申报"))
    result.shortfalls += 1
    result.far += 1
    result.status, result.readiness = NOT_MET, NOT_READY


def _bar_not_in_force(result: Assessment, found: Bar) -> None:
    """The revocation for false data of an assessment dated before the bar's 办法: first in
    the tree, 需人工核实 and not secondary — 条件均满足 becomes 待人工核实, the rest stands
    (a firm whose figures make no sense stays 数据存疑)."""
    result.conditions.insert(0, ConditionResult(
        id=BAR_NOT_IN_FORCE_ID, title=BAR_NOT_IN_FORCE_TITLE, kind="manual", status=MANUAL,
        detail=bar_not_in_force_words(found, result.tier_code, result.rule_set),
        source=bar_source(result.tier_code), manual=1))
    result.manual += 1
    if result.readiness == FLAGGED:
        return
    if result.status == MET:
        result.status = MANUAL
    if result.readiness == READY:
        result.readiness = TO_VERIFY


def _pending_name(firm: FirmData, tier_code: str) -> str:
    code = firm.pending_for(tier_code)
    return reference.tier(code).name if code else ""


def pending_note(result: Assessment) -> str:
    """Why a firm 公示中 is not recommended: the province has it on its list already."""
    return f"已在{result.pending_tier}公示名单中（公示中，待正式认定），不再推荐"
