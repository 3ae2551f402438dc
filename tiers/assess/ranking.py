"""The candidates for one tier ranked from the column-wise verdicts alone, and each listed
firm's detailed assessment on demand.

Ranking a county needs only what ``tiers.assess.columnar.verdicts`` gives per firm (the
readiness group, the counts it is made of, the score's low end) and what ``County`` holds
(name, id, tiers held): no Python object graph per firm. The 候选企业 view shows this list at
once and fills each row's detail (gaps, missing data, items to verify, the score text)
afterwards, a chunk of firms at a time (``details``); ``candidates`` builds the same list and
then assesses every listed firm in its order, so nobody assesses a firm twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from sqlalchemy.orm import Session

from tiers.assess import prerequisites
from tiers.assess.choice import choose
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import County
from tiers.assess.evaluate import assess
from tiers.assess.figures_year import FiguresYear, YearPlan
from tiers.assess.firm import CHAIN_LEADER, FirmData, due_title, title_rank, title_words
from tiers.assess.loading import load_firms
from tiers.assess.results import (
    FLAGGED,
    NOT_READY,
    PREREQUISITE,
    READINESS_LABELS,
    READINESS_RANK,
    Assessment,
    marked,
    readiness_text,
)
from tiers.assess.rules import TierRules, for_review, rules_for
from tiers.model import reference

LOOKBACK = 3  # years of figures the rules reach back (上年度 and the two before)


@dataclass(frozen=True, slots=True)
class RankedFirm:
    """One listed firm as the verdict columns tell it: enough to rank and show it."""

    enterprise_id: int
    name: str
    credit_code: str
    county: str
    town: str
    current_tier: str  # what it is now (firm.title_words: the highest ladder tier held…)
    held_rank: int  # the rank of its highest title (firm.title_rank; -1 for none)
    readiness: int
    shortfalls: int
    missing: int
    manual: int
    core_manual: int
    score_low: int | None  # None: the tier has no score (or the firm was not scored)
    rungs: int = 0  # prerequisite titles short, all the way down (tiers.assess.prerequisites)
    far: int = 0  # of the conditions short, those far from their bar (tiers.assess.near)
    lost: str = ""  # 前提认定已到期 / 已撤销: the prerequisite short was held once

    @property
    def readiness_label(self) -> str:
        return READINESS_LABELS[self.readiness]

    @property
    def readiness_text(self) -> str:
        return readiness_text(self.readiness, self.manual, self.core_manual, self.lost)


def _order(item: RankedFirm | Assessment, score_low: int | None, held_rank: int) -> tuple:
    """Best prepared first: the readiness group (its rank, not its number); then, among
    the 尚未取得前提认定, those one title short before those short of two (no 创新型 nor
    省级专精特新 for 小巨人), then those whose other conditions lack no data; among the 不符合,
    those only near-missing (差两项以上, none far) first, then fewer far; fewer core items to
    verify, fewer items to verify at all, less data missing, fewer short; a higher score; a
    higher tier already held (a 小巨人 is a likelier 单项冠军 than a firm with no title); the
    name."""
    core = item.core_manual if item.manual else 0
    apart = ((item.rungs, item.missing) if item.readiness == PREREQUISITE
             else (item.far, 0) if item.readiness == NOT_READY else (0, 0))
    return (READINESS_RANK[item.readiness], apart, core, item.manual, item.missing,
            item.shortfalls, -(score_low or 0), -held_rank, item.name, item.enterprise_id)


def rank_key(item: RankedFirm) -> tuple:
    return _order(item, item.score_low, item.held_rank)


# what current_tier names first (title_words) back to its rank (title_rank): 链主 is none
TIER_RANK_BY_NAME = {tier.name: tier.rank for tier in reference.tiers()
                     if tier.code != CHAIN_LEADER}


def assessed_rank_key(item: Assessment) -> tuple:
    """``rank_key`` of a firm's detailed assessment: the same place in the same list."""
    return _order(item, item.score.low if item.score is not None else None,
                  TIER_RANK_BY_NAME.get(item.current_tier.split("、")[0], -1))


@dataclass
class RankedList:
    """The candidates for one tier, best prepared first, before any firm's detail."""

    rules: TierRules
    figures_year: int
    today: dt.date
    rule_reason: str = ""  # why this rule set (candidates apply anew)
    ranked: list[RankedFirm] = field(default_factory=list)
    flagged: list[RankedFirm] = field(default_factory=list)  # nonsense inputs, not scored
    # already hold the tier or a higher one (not those whose 复核 round is this year: listed)
    excluded_held: int = 0
    excluded_pending: int = 0  # 公示中 for the tier or a higher one (and hold neither)
    pending_names: list[str] = field(default_factory=list)  # those firms, by name
    not_ready: int = 0  # two or more conditions short, or one far (left out unless asked for)
    year_choice: FiguresYear | None = None  # how the figures year was chosen (its note)
    # listed firms in their 复核 for the tier — a title of it run out in its 复核
    # (FirmData.review_title), or held with its 复核 round this year (FirmData.due_title):
    # judged as that 复核, by its own rules and reason (tiers.assess.choice), by id
    reviews: dict[int, tuple[TierRules, str]] = field(default_factory=dict)
    # of those, the ones whose 复核 rules no source fixes: the rule set each is presumed
    # over (choice.RuleChoice.presumed_over), by id
    presumed: dict[int, str] = field(default_factory=dict)
    plan: YearPlan | None = None  # every county's figures year (each firm its own county's)
    firm_years: dict[int, int] = field(default_factory=dict)  # listed firms not on figures_year

    def shown_readiness(self, item: RankedFirm) -> str:
        """A listed firm's readiness as the list shows it: 复核：… when judged as its 复核
        (``reviews``), as ``report_row``'s readiness_text once its detail is known."""
        return marked(item.readiness_text, item.enterprise_id in self.reviews)

    def rules_of(self, enterprise_id: int) -> tuple[TierRules, str]:
        """The rules a listed firm was judged by, and why: its 复核's, or the list's."""
        return self.reviews.get(enterprise_id, (self.rules, self.rule_reason))

    def presumed_of(self, enterprise_id: int) -> str:
        """The rule set a listed firm's 复核 rules are presumed over ("" for none): its
        detail gives that result beside (evaluate.assess)."""
        return self.presumed.get(enterprise_id, "")

    def review_rule_sets(self) -> dict[str, int]:
        """The listed firms judged as their 复核 (``reviews``), counted per rule set they
        were judged by (2022暂行办法: 12), in the order first met down the list."""
        counts: dict[str, int] = {}
        for item in self.listed():
            review = self.reviews.get(item.enterprise_id)
            if review is not None:
                name = review[0].rule_set.name
                counts[name] = counts.get(name, 0) + 1
        return counts

    def presumed_reviews(self) -> int:
        """Of the listed firms judged as their 复核, how many by rules no source fixes
        (``presumed``): the 候选企业 line says so (candidates.review_count)."""
        return sum(item.enterprise_id in self.presumed for item in self.listed())

    def year_of(self, enterprise_id: int) -> int:
        """The figures year a listed firm was judged on (its county's)."""
        return self.firm_years.get(enterprise_id, self.figures_year)

    @property
    def year_note(self) -> str:
        """Why the figures year is not 上年度 ("" when it is, or was given)."""
        return self.year_choice.note if self.year_choice is not None else ""

    @property
    def tier_code(self) -> str:
        return self.rules.tier_code

    @property
    def tier_name(self) -> str:
        return self.rules.tier_name

    @property
    def rule_set(self) -> str:
        return self.rules.rule_set.name

    @property
    def computed_score(self) -> bool:
        """Whether the tier's 评价得分 is computed by the rules (66—80 分 while inputs are
        missing: a long text), not a figure the firm reports (2026: 65.5 分)."""
        return any(condition.kind == "score" for condition in self.rules.walk())

    def listed(self) -> list[RankedFirm]:
        """The ranked firms, then the flagged ones: the list as shown."""
        return self.ranked + self.flagged

    def counts(self) -> dict[str, int]:
        return readiness_counts(self.listed(), self.not_ready)


def readiness_counts(listed: list[RankedFirm] | list[Assessment],
                     not_ready: int) -> dict[str, int]:
    """Firms per readiness label; 不符合 from ``not_ready`` when they are not listed."""
    out = dict.fromkeys(READINESS_LABELS.values(), 0)
    for item in listed:
        out[item.readiness_label] += 1
    if not any(item.readiness == NOT_READY for item in listed):
        out[READINESS_LABELS[NOT_READY]] = not_ready
    return out


def _review_verdicts(county: County, rules: TierRules, year: int, found, *,
                     today: dt.date, named: str | None,
                     presumed: dict[int, str]) -> dict[int, tuple[TierRules, str]]:
    """The firms in their 复核 for the tier — a title of it run out and in its 复核
    (``FirmData.review_title``), neither holding the tier nor 公示中 for it, or one held
    whose 复核 round is this year (``FirmData.due_title``) — judged as that 复核 by the
    rules of its round (``choice.choose``; ``named``: the officer's) — ``verdicts`` met
    their prerequisite by the title itself already, as ``evaluate.assess`` does — their
    verdicts put into ``found`` where those rules are not the list's; their rules and
    reason by position (and into ``presumed`` the rule set those whose 复核 rules no source
    fixes are presumed over). A handful of firms: a pass over them alone per rule set."""
    tier = rules.tier_code
    if not county.lost and not county.due:
        return {}
    pending = county.pending_at()
    groups: dict[str, list[int]] = {}
    reasons: dict[int, str] = {}
    for position in range(len(county)):
        lost = county.lost_at(position).get(tier)
        due = due_title(county.due_at(position), county.held[position], pending[position],
                        tier)
        if (lost is not None and lost.in_review and not found.already_held[position]
                and not found.pending[position]):
            firm = FirmData(enterprise_id=county.ids[position], credit_code="", name="",
                            held=county.held[position], lost=county.lost[position])
        elif due is not None:
            firm = FirmData(enterprise_id=county.ids[position], credit_code="", name="",
                            held=county.held[position], valid_until={tier: due.valid_until},
                            review_years={tier: due.review_year})
        else:
            continue
        choice = choose(tier, on=today, firm=firm, named=named)
        groups.setdefault(choice.name, []).append(position)
        reasons[position] = choice.reason
        if choice.presumed_over:
            presumed[position] = choice.presumed_over
    out: dict[int, tuple[TierRules, str]] = {}
    for name, positions in groups.items():
        # judged as a 复核 (for_review: 复核企业不考核…, 近两年任一年达标即可)
        review_rules = for_review(rules if name == rules.rule_set.name
                                  else rules_for(tier, name, on=today))
        if review_rules is rules:
            out.update((position, (rules, reasons[position])) for position in positions)
            continue
        settled = verdicts(county.subset(positions), review_rules, year)
        for column in fields(settled):
            values = getattr(found, column.name)
            if isinstance(values, list) and column.name not in ("already_held", "pending"):
                exact = getattr(settled, column.name)
                for index, position in enumerate(positions):
                    values[position] = exact[index]
        out.update((position, (review_rules, reasons[position])) for position in positions)
    return out


def rank(county: County, rules: TierRules, year: int, *, today: dt.date,
         include_not_ready: bool = False, rule_reason: str = "",
         named: str | None = None) -> RankedList:
    """The firms of ``county`` that could be recommended for ``rules.tier_code``, ranked:
    条件均满足, 待人工核实, 差一项, 缺数据 (then 不符合 if ``include_not_ready``), the firms
    whose figures make no sense last by name; firms holding the tier or a higher one, and
    those 公示中 for it or a higher one, are counted, not listed. A firm whose title of the
    tier ran out and is in its 复核, or whose title of it held has its 复核 round this year,
    is listed and judged as that 复核 (``_review_verdicts``; ``named``: the rule set the
    officer chose, for them too)."""
    found = verdicts(county, rules, year)
    overs: dict[int, str] = {}
    reviews = _review_verdicts(county, rules, year, found, today=today, named=named,
                               presumed=overs)
    result = RankedList(rules=rules, figures_year=year, today=today, rule_reason=rule_reason)
    prerequisite: dict = {}
    pending = county.pending_at()
    codes, counties, towns = county.credit_codes, county.counties, county.towns
    for position, enterprise_id in enumerate(county.ids):
        if found.already_held[position] and position not in reviews:  # (not in its 复核)
            result.excluded_held += 1
            continue
        if found.pending[position]:  # the province has it on its 公示 list already
            result.excluded_pending += 1
            result.pending_names.append(county.names[position])
            continue
        readiness = found.readiness[position]
        if readiness == NOT_READY and not include_not_ready:
            result.not_ready += 1
            continue
        held = county.held[position]
        rank_held = title_rank(held, county.others_at(position))
        rungs, lost = 0, ""
        review = reviews.get(position)
        if review is not None:
            result.reviews[enterprise_id] = review
            if position in overs:
                result.presumed[enterprise_id] = overs[position]
        if readiness == PREREQUISITE:  # how far, and what was lost, as the detail says it
            key = (held, pending[position]) if not county.lost_at(position) \
                else position  # (a handful of combinations, but lost titles are each firm's)
            if key not in prerequisite:
                prerequisite[key] = _prerequisite(
                    county, position, review[0] if review else rules, pending[position],
                    review=review is not None)
            rungs, lost = prerequisite[key]
        item = RankedFirm(
            enterprise_id=enterprise_id, name=county.names[position],
            credit_code=codes[position] if codes else "",
            county=counties[position] if counties else "",
            town=towns[position] if towns else "",
            current_tier=title_words(held, county.others_at(position)),
            held_rank=rank_held, readiness=readiness,
            shortfalls=found.shortfalls[position], missing=found.missing[position],
            manual=found.manual[position], core_manual=found.core_manual[position],
            score_low=found.score_low[position], rungs=rungs, far=found.far[position],
            lost=lost)
        (result.flagged if readiness == FLAGGED else result.ranked).append(item)
    result.ranked.sort(key=rank_key)
    result.flagged.sort(key=lambda item: (item.name, item.enterprise_id))
    result.pending_names.sort()
    return result


def _prerequisite(county: County, position: int, rules: TierRules,
                  pending: frozenset[str], *, review: bool = False) -> tuple[int, str]:
    """The rungs short and 前提认定已到期 / 已撤销 ("" when nothing short was held once) of
    a firm 尚未取得前提认定, as its detailed assessment will count and say them: from the
    titles it holds, is 公示中 for and lost (prerequisites.chain); ``review``: a 复核, whose
    title stands for what it met."""
    held = county.held[position]
    firm = FirmData(enterprise_id=county.ids[position], credit_code="",
                    name=county.names[position],
                    held=held | {rules.tier_code} if review else held,
                    pending=pending, lost=county.lost_at(position))
    return prerequisites.rungs(rules, firm), prerequisites.lost_prerequisite(firm, rules)


def rank_by_plan(county: County, rules: TierRules, plan: YearPlan, *, today: dt.date,
                 include_not_ready: bool = False, rule_reason: str = "",
                 named: str | None = None) -> RankedList:
    """``rank``, each firm judged on its own county's figures year (``plan``): one ranking
    per year used (normally one), merged into one list; the list's year is that of most of
    its firms, its note names the counties judged on another (``YearPlan.summary``)."""
    counties = county.counties or [""] * len(county)
    chosen = plan.summary(counties)
    groups: dict[int, list[int]] = {}
    for position, name in enumerate(counties):
        groups.setdefault(plan.of(name).year, []).append(position)
    if len(groups) <= 1:
        year = next(iter(groups), chosen.year)
        result = rank(county, rules, year, today=today, include_not_ready=include_not_ready,
                      rule_reason=rule_reason, named=named)
    else:
        result = RankedList(rules=rules, figures_year=chosen.year, today=today,
                            rule_reason=rule_reason)
        for year, positions in sorted(groups.items()):
            part = rank(county.subset(positions), rules, year, today=today,
                        include_not_ready=include_not_ready, rule_reason=rule_reason,
                        named=named)
            result.reviews.update(part.reviews)
            result.presumed.update(part.presumed)
            result.ranked += part.ranked
            result.flagged += part.flagged
            result.excluded_held += part.excluded_held
            result.excluded_pending += part.excluded_pending
            result.pending_names += part.pending_names
            result.not_ready += part.not_ready
            if year != chosen.year:
                result.firm_years.update((item.enterprise_id, year) for item in part.listed())
        result.ranked.sort(key=rank_key)
        result.flagged.sort(key=lambda item: (item.name, item.enterprise_id))
        result.pending_names.sort()
    result.year_choice = chosen
    result.plan = plan
    return result


def details(session: Session, found: RankedList, ids: Iterable[int]) -> dict[int, Assessment]:
    """The detailed assessment (values, years, gaps in 万元) of the listed firms ``ids``,
    read and assessed as ``candidates`` does (each on its own county's year), by id; a firm
    deleted meanwhile is left out."""
    by_year: dict[int, list[int]] = {}
    for enterprise_id in ids:
        by_year.setdefault(found.year_of(enterprise_id), []).append(enterprise_id)
    out: dict[int, Assessment] = {}
    for year, group in by_year.items():
        firms = load_firms(session, years=range(year - LOOKBACK, year + 1), today=found.today,
                           ids=group)
        for enterprise_id, firm in firms.items():
            rules, reason = found.rules_of(enterprise_id)
            item = out[enterprise_id] = assess(firm, rules, year, rule_reason=reason,
                                               presumed_over=found.presumed_of(enterprise_id))
            item.year_note = (found.plan.of(firm.county).note if found.plan is not None
                              else found.year_note)
    return out
