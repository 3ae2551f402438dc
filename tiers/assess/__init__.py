"""对标预审: assess enterprises against the tier criteria kept as rule sets in
``resources/rules/``.

Public API (plain dataclasses, no Qt, for the CLI, the desktop 对标预审 tab and reports):

- ``assess_enterprise(session, enterprise_id, tier=None, *, rule_set, year, today)``
  → ``Assessment`` (conditions as ``ConditionResult`` trees: 满足/不满足/缺数据/需人工核实,
  the values used with their year, the gap in words; ``score`` for scored tiers).
- ``assess_enterprise_all(session, enterprise_id)`` → one ``Assessment`` per tier.
- ``candidates(session, tier, …)`` → ``CandidateList`` ranked by readiness;
  ``candidate_steps`` the same as a job yielding ``tiers.progress.Progress``.
- ``ranked_steps(session, tier, …)`` → ``RankedList`` (a job): the same firms in the same
  order from the column-wise verdicts alone, each a ``RankedFirm``; ``ranking.details(session,
  ranked, ids)`` → the listed firms' ``Assessment`` on demand (the 候选企业 view).
- ``cultivation_overview(session, …)`` → ``CultivationStatus`` per 培育库 entry.
- ``candidates_report_rows(session, tier, …)`` → rows for 拟推荐企业名单.
- ``rule_sets()``, ``rules_for(tier, name)``, ``rule_set_name_for(tier, on=date)``.
- ``figures_year(session, today=…, year=…, county=…)`` → ``FiguresYear``: the figures year
  every default above uses (上年度, or an earlier one while 上年度's figures are not yet in,
  with a note saying so) of a county or a firm's county; ``year_plan`` every county's at once
  (each firm is judged on its own county's year in every view); ``years_with_figures`` the
  choices of a picker.
- ``choose(tier, on=…, firm=…)`` → ``RuleChoice`` (which rule set and why: 新申报 or 复核);
  ``compare_rule_sets(session, enterprise_id, tier)`` → one ``Assessment`` per rule set.
"""

from tiers.assess.candidates import (
    CANDIDATE_REPORT_COLUMNS,
    AssessError,
    CandidateList,
    assess_enterprise,
    assess_enterprise_all,
    candidate_steps,
    candidates,
    candidates_report_rows,
    compare_rule_sets,
    default_year,
    next_tier,
    prerequisite_count,
    prerequisite_note,
    ranked_steps,
    resolve_tier,
    review_count,
    tier_rules,
)
from tiers.assess.choice import RuleChoice, alternatives, choose
from tiers.assess.cultivation import CultivationStatus, changes_between, cultivation_overview
from tiers.assess.evaluate import assess
from tiers.assess.figures_year import (
    FiguresYear,
    YearPlan,
    figures_year,
    year_plan,
    years_with_figures,
)
from tiers.assess.firm import FirmData, data_flags
from tiers.assess.loading import load_firms
from tiers.assess.ranking import RankedFirm, RankedList
from tiers.assess.results import (
    DATA_MISSING,
    FLAGGED,
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    NOT_READY,
    ONE_SHORT,
    PREREQUISITE,
    READINESS_LABELS,
    READINESS_RANK,
    READY,
    REVIEW_MARK,
    TO_VERIFY,
    Assessment,
    ConditionResult,
    GroupScore,
    IndicatorScore,
    ScoreResult,
    ValueUsed,
)
from tiers.assess.rules import (
    RuleError,
    RuleSet,
    TierRules,
    assessable_tiers,
    rule_set_name_for,
    rule_sets,
    rules_for,
)

__all__ = [
    "CANDIDATE_REPORT_COLUMNS", "DATA_MISSING", "FLAGGED", "MANUAL", "MET", "MISSING",
    "NOT_MET", "NOT_READY", "ONE_SHORT", "PREREQUISITE", "READINESS_LABELS", "READINESS_RANK",
    "READY", "REVIEW_MARK", "TO_VERIFY",
    "AssessError", "RuleChoice", "alternatives", "choose", "compare_rule_sets",
    "Assessment", "CandidateList", "ConditionResult", "CultivationStatus", "FirmData",
    "GroupScore", "IndicatorScore", "RuleError", "RuleSet", "ScoreResult", "TierRules",
    "ValueUsed", "assess", "assess_enterprise", "assess_enterprise_all", "assessable_tiers",
    "candidate_steps", "candidates", "candidates_report_rows", "changes_between",
    "cultivation_overview",
    "RankedFirm", "RankedList", "ranked_steps",
    "FiguresYear", "YearPlan", "figures_year", "year_plan", "years_with_figures",
    "data_flags", "default_year", "load_firms", "next_tier", "prerequisite_count", "prerequisite_note",
    "resolve_tier", "review_count", "rule_set_name_for",
    "rule_sets", "rules_for", "tier_rules",
]
