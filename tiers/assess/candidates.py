"""对标预审 for the county: one firm in detail, the candidates for a tier ranked by
readiness, the 培育库 with what changed since last year, and 拟推荐企业名单 rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.assess import rules as rules_module
from tiers.assess.choice import RuleChoice, alternatives, choose
from tiers.assess.county_columns import county_of, load_county
from tiers.assess.evaluate import assess
from tiers.assess.figures_year import FiguresYear, YearPlan, figures_year, last_year, year_plan
from tiers.assess.firm import LADDER_RANK, FirmData
from tiers.assess.loading import load_firms
from tiers.assess.prerequisites import unmet_title
from tiers.assess.ranking import LOOKBACK, RankedList, rank_by_plan, readiness_counts
from tiers.assess.ranking import details as ranking_details
from tiers.assess.results import (
    NOT_MET,
    PREREQUISITE,
    READINESS_LABELS,
    Assessment,
    marked,
)
from tiers.assess.verdict import how_far, missing_items
from tiers.errors import InvalidInput
from tiers.model import reference
from tiers.model.orm import Enterprise
from tiers.progress import Job, Progress, drain
from tiers.queries import unit_scope
from tiers.services.errors import NotFound

PROGRESS_EVERY = 1000


class AssessError(InvalidInput):
    """A request that cannot be assessed; the message is for the user."""


def default_year(today: dt.date | None = None) -> int:
    """上年度: the figures year an application made this year is judged on (what 对标预审
    uses when the data support it: ``figures_year``)."""
    return last_year(today)


SHORT_NAMES = {"专精特新": "zjtx", "专精特新中小企业": "zjtx", "冠军": "single_champion"}


def resolve_tier(text: str) -> str:
    code = reference.resolve_tier(text) or SHORT_NAMES.get("".join(text.split()))
    if code is None:
        raise AssessError(f"未知的梯度：{text}")
    if code not in rules_module.assessable_tiers():
        names = "、".join(reference.tier(c).name for c in rules_module.assessable_tiers())
        raise AssessError(f"尚无{reference.tier(code).name}的认定标准（可预审：{names}）")
    return code


def tier_rules(tier: str, rule_set: str | None = None,
               today: dt.date | None = None) -> rules_module.TierRules:
    try:
        return rules_module.rules_for(resolve_tier(tier), rule_set, on=today)
    except rules_module.RuleError as exc:
        raise AssessError(str(exc)) from exc


def chosen_rules(firm: FirmData | None, tier_code: str, rule_set: str | None,
                 today: dt.date) -> tuple[rules_module.TierRules, RuleChoice]:
    """The rules for ``tier_code`` and why: the officer's ``rule_set``, else the one the data
    call for (新申报 or 复核, tiers.assess.choice); a 复核 by them as a 复核 is judged
    (``rules.for_review``: 复核企业不考核…, 近两年任一年达标即可)."""
    try:
        choice = choose(tier_code, on=today, firm=firm, named=rule_set)
        rules = rules_module.rules_for(tier_code, choice.name, on=today)
        return (rules_module.for_review(rules) if choice.review else rules), choice
    except rules_module.RuleError as exc:
        raise AssessError(str(exc)) from exc


def prerequisite_note(rules: rules_module.TierRules) -> str:
    """Why the 尚未取得前提认定 group is apart, as the rules word the title lacked
    (须先取得省级专精特新中小企业称号，取得后方可申报); "" for a tier without one."""
    titles = dict.fromkeys(unmet_title(c) for c in rules.walk() if c.kind == "holds")
    return "、".join(titles) + "，取得后方可申报" if titles else ""


def prerequisite_count(rules: rules_module.TierRules, count: int) -> str:
    """The 尚未取得前提认定 group counted and why it is apart, as the 候选企业 line, `tiers
    assess --tier` and the 拟推荐 report say it: 尚未取得前提认定 3 家（须先取得…称号，取得后方可申报）."""
    return f"{READINESS_LABELS[PREREQUISITE]} {count} 家（{prerequisite_note(rules)}）"


def review_count(rule_sets: dict[str, int], presumed: int = 0) -> str:
    """How many listed firms were judged as their 复核 (a title of the tier run out in its
    复核 round, by that round's rules: ``RankedList.review_rule_sets``), as the 候选企业 line
    and `tiers assess --tier` say it: 其中 12 家按复核规则（2022暂行办法）预审; with two rule
    sets 其中 12 家按复核规则预审（2022暂行办法 10 家、2026办法 2 家）; "" for none.
    ``presumed``: how many of them by rules no source fixes (the 2026办法 presumed,
    choice.presumed_words), said after: …预审，2 家的复核规则为推定."""
    total = sum(rule_sets.values())
    if not total:
        return ""
    if len(rule_sets) == 1:
        out = f"其中 {total} 家按复核规则（{next(iter(rule_sets))}）预审"
    else:
        each = "、".join(f"{name} {count} 家" for name, count in rule_sets.items())
        out = f"其中 {total} 家按复核规则预审（{each}）"
    return out + (f"，{presumed} 家的复核规则为推定" if presumed else "")


def next_tier(held: frozenset[str] | set[str]) -> str | None:
    """The next rung of the ladder above the highest tier held (None at the top)."""
    top = max((LADDER_RANK.get(code, -1) for code in held), default=-1)
    higher = sorted((rank, code) for code, rank in LADDER_RANK.items()
                    if rank > top and code in rules_module.assessable_tiers())
    return higher[0][1] if higher else None


def _firm(session: Session, enterprise_id: int, year: int, today: dt.date) -> FirmData:
    firms = load_firms(session, years=range(year - LOOKBACK, year + 1), today=today,
                       ids=[enterprise_id], include_deleted=True)
    if enterprise_id not in firms:
        raise NotFound(f"找不到企业（编号 {enterprise_id}）")
    return firms[enterprise_id]


def firm_next_tier(session: Session, enterprise_id: int,
                   today: dt.date | None = None) -> str | None:
    """The rung a firm would aim at next (above what it holds now), None at the top."""
    today = today or dt.date.today()
    year = default_year(today)
    return next_tier(_firm(session, enterprise_id, year, today).held)


def assess_enterprise(session: Session, enterprise_id: int, tier: str | None = None, *,
                      rule_set: str | None = None, year: int | None = None,
                      today: dt.date | None = None,
                      figures: FiguresYear | None = None) -> Assessment:
    """One enterprise against one tier (default: the next rung above what it holds).
    ``figures``: the figures year already decided (``figures_year``), its note kept."""
    today = today or dt.date.today()
    chosen = figures or figures_year(session, today=today, year=year,
                                     enterprise_id=enterprise_id)
    firm = _firm(session, enterprise_id, chosen.year, today)
    if tier is None:
        tier = next_tier(firm.held)
        if tier is None:
            raise AssessError(f"{firm.name}已是最高梯度，请指定要预审的梯度", hint_field="tier")
    rules, choice = chosen_rules(firm, resolve_tier(tier), rule_set, today)
    return _noted(assess(firm, rules, chosen.year, rule_reason=choice.reason,
                         presumed_over=choice.presumed_over), chosen)


def _noted(item: Assessment, chosen: FiguresYear) -> Assessment:
    item.year_note = chosen.note
    return item


def compare_rule_sets(session: Session, enterprise_id: int, tier: str, *,
                      year: int | None = None, today: dt.date | None = None,
                      figures: FiguresYear | None = None) -> list[Assessment]:
    """One enterprise against one tier under every rule set that covers it, oldest first,
    to set side by side (2022暂行办法 beside 2026办法); the one the data call for says so.
    ``figures``: the figures year already decided (``figures_year``)."""
    today = today or dt.date.today()
    figures = figures or figures_year(session, today=today, year=year,
                                      enterprise_id=enterprise_id)
    firm = _firm(session, enterprise_id, figures.year, today)
    code = resolve_tier(tier)
    chosen = choose(code, on=today, firm=firm)
    out = []
    for name in alternatives(code):
        rules, choice = chosen_rules(firm, code, name, today)
        # the one the data call for as they call for it (a 复核's presumed rules said so)
        reason = chosen.reason if name == chosen.name else f"对比：{choice.reason}"
        over = chosen.presumed_over if name == chosen.name else ""
        out.append(_noted(assess(firm, rules, figures.year, rule_reason=reason,
                                 presumed_over=over), figures))
    return out


def assess_enterprise_all(session: Session, enterprise_id: int, *,
                          year: int | None = None, today: dt.date | None = None,
                          figures: FiguresYear | None = None) -> list[Assessment]:
    """Every assessable tier for one enterprise (the 对标预审 tab), in ladder order; tiers
    it already holds are included with ``already_held`` set. ``figures``: the figures year
    already decided (``figures_year``)."""
    today = today or dt.date.today()
    chosen = figures or figures_year(session, today=today, year=year,
                                     enterprise_id=enterprise_id)
    firm = _firm(session, enterprise_id, chosen.year, today)
    out = []
    for code in rules_module.assessable_tiers():
        rules, choice = chosen_rules(firm, code, None, today)
        out.append(_noted(assess(firm, rules, chosen.year, rule_reason=choice.reason,
                                 presumed_over=choice.presumed_over), chosen))
    return out


@dataclass
class CandidateList:
    """The candidates for one tier, best prepared first."""

    tier_code: str
    tier_name: str
    rule_set: str
    figures_year: int
    ranked: list[Assessment] = field(default_factory=list)
    flagged: list[Assessment] = field(default_factory=list)  # nonsense inputs, not scored
    excluded_held: int = 0  # already hold the tier or a higher one
    excluded_pending: int = 0  # 公示中 for the tier or a higher one (and hold neither)
    pending_names: list[str] = field(default_factory=list)  # those firms, by name
    not_ready: int = 0  # two or more conditions short, or one far (left out unless asked for)
    rule_reason: str = ""  # why this rule set (candidates apply anew)
    year_note: str = ""  # why the figures year is not 上年度 ("" when it is, or was given)

    def counts(self) -> dict[str, int]:
        return readiness_counts(self.ranked + self.flagged, self.not_ready)


def candidates(session: Session, tier: str, *, rule_set: str | None = None,
               year: int | None = None, today: dt.date | None = None,
               county: str | None = None, include_not_ready: bool = False,
               firms: dict[int, FirmData] | None = None,
               plan: YearPlan | None = None) -> CandidateList:
    """Firms that could be recommended for ``tier``: ranked 条件均满足, 待人工核实, 差一项,
    缺数据, 尚未取得前提认定 (short only of the prerequisite title: two rungs away), then
    不符合 if ``include_not_ready``, leaving out firms that already hold the tier
    or a higher one and those 公示中 for it or a higher one (counted apart), each with its
    detailed assessment. ``firms`` may be preloaded (``load_firms``) to assess several
    tiers; they must hold ``plan.span(LOOKBACK)``), ``plan`` decided (``year_plan``)."""
    return drain(candidate_steps(session, tier, rule_set=rule_set, year=year, today=today,
                                 county=county, include_not_ready=include_not_ready,
                                 firms=firms, plan=plan))


def _rules_for_candidates(tier: str, rule_set: str | None,
                          today: dt.date) -> tuple[rules_module.TierRules, RuleChoice]:
    # candidates do not hold the tier: each is a new application, judged alike
    return chosen_rules(None, resolve_tier(tier), rule_set, today)


def ranked_steps(session: Session, tier: str, *, rule_set: str | None = None,
                 year: int | None = None, today: dt.date | None = None,
                 county: str | None = None, include_not_ready: bool = False,
                 plan: YearPlan | None = None) -> Job[RankedList]:
    """The candidates ranked from the county's verdict columns alone (``ranking.rank``),
    without any firm's detail (``ranking.details`` gives it), as a job: it yields before
    reading and before judging, so that a background worker can cancel between. The figures
    year is ``year``, else each firm's county's as its data support (``year_plan``; the
    list's note says why when it is not 上年度, naming the counties behind)."""
    today = today or dt.date.today()
    plan = plan or year_plan(session, today=today, year=year)
    return (yield from _ranked_steps(session, tier, plan, rule_set=rule_set, today=today,
                                     county=county, include_not_ready=include_not_ready))


def _ranked_steps(session: Session, tier: str, plan: YearPlan, *, rule_set: str | None,
                  today: dt.date, county: str | None,
                  include_not_ready: bool) -> Job[RankedList]:
    rules, choice = _rules_for_candidates(tier, rule_set, today)
    yield Progress("读取企业数据", 0, 0)
    # the firms as every report reads them (tiers.queries.unit_scope): with 本单位负责的区县
    # recorded and no county chosen, the unit's (its counties', the no-county firms its rule
    # gives it, those taken in), not other counties' firms earlier lists brought in
    columns = load_county(session, years=plan.span(LOOKBACK), today=today,
                          area=unit_scope.condition(session, county))
    yield Progress("预审", 0, len(columns))
    return rank_by_plan(columns, rules, plan, today=today,
                        include_not_ready=include_not_ready, rule_reason=choice.reason,
                        named=rule_set)


def candidate_steps(session: Session, tier: str, *, rule_set: str | None = None,
                    year: int | None = None, today: dt.date | None = None,
                    county: str | None = None, include_not_ready: bool = False,
                    firms: dict[int, FirmData] | None = None,
                    plan: YearPlan | None = None) -> Job[CandidateList]:
    """``candidates`` as a job: the county ranked from its verdict columns
    (``ranked_steps``, whose steps it passes on: reading, judging), then the detailed
    assessment of the firms listed, in their order, read a chunk at a time; it yields
    progress every ``PROGRESS_EVERY`` firms assessed, so that a background worker can show
    it and cancel between two steps (nothing is written, so there is nothing to undo)."""
    today = today or dt.date.today()
    plan = plan or year_plan(session, today=today, year=year)
    if firms is None:  # the county as columns; only the listed firms as object graphs
        found = yield from _ranked_steps(session, tier, plan, rule_set=rule_set,
                                         today=today, county=county,
                                         include_not_ready=include_not_ready)

        def detailed(ids: list[int]) -> dict[int, Assessment]:
            return ranking_details(session, found, ids)
    else:  # preloaded (several tiers of one county)
        rules, choice = _rules_for_candidates(tier, rule_set, today)
        found = rank_by_plan(county_of(firms), rules, plan, today=today,
                             include_not_ready=include_not_ready, rule_reason=choice.reason,
                             named=rule_set)

        def detailed(ids: list[int]) -> dict[int, Assessment]:
            out = {}
            for i in ids:  # (a firm in its 复核: by its own rules, as ranked)
                rules_i, reason = found.rules_of(i)
                out[i] = _noted(assess(firms[i], rules_i, found.year_of(i), rule_reason=reason,
                                       presumed_over=found.presumed_of(i)),
                                plan.of(firms[i].county))
            return out
    rules = found.rules
    year = found.figures_year
    result = CandidateList(tier_code=rules.tier_code, tier_name=rules.tier_name,
                           rule_set=rules.rule_set.name, figures_year=year,
                           rule_reason=found.rule_reason, excluded_held=found.excluded_held,
                           excluded_pending=found.excluded_pending,
                           pending_names=found.pending_names,
                           not_ready=found.not_ready, year_note=found.year_note)
    # the ranked firms, then the flagged ones, read and assessed a chunk at a time
    listed = [(item.enterprise_id, result.ranked) for item in found.ranked]
    listed += [(item.enterprise_id, result.flagged) for item in found.flagged]
    for start in range(0, len(listed), PROGRESS_EVERY):
        chunk = listed[start:start + PROGRESS_EVERY]
        assessed = detailed([enterprise_id for enterprise_id, _ in chunk])
        for enterprise_id, out in chunk:
            if enterprise_id in assessed:
                out.append(assessed[enterprise_id])
        if len(chunk) == PROGRESS_EVERY:
            yield Progress("预审", start + len(chunk), len(listed))
    return result


# --- 拟推荐企业名单 (report data) ----------------------------------------------------------

CANDIDATE_REPORT_COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"), ("county", "县（市、区）"), ("town", "镇（街道）/园区"),
    ("name", "企业名称"), ("credit_code", "统一社会信用代码"), ("current_tier", "现有梯度"),
    ("target_tier", "拟推荐梯度"), ("readiness", "预审结论"), ("score", "评价得分"),
    ("met", "已满足条件"), ("gaps", "差距"), ("manual", "需人工核实"),
    ("missing", "缺少数据"), ("figures_year", "数据年度"), ("rule_set", "依据标准"),
    ("contact_person", "联系人"), ("contact_phone", "联系电话"),
]


def _gap_text(leaf) -> str:
    """A condition short in the 差距 cell: its title, the gap, and for a far one how far
    (…（差 38000 万元；现 2000 万元，仅达到 5%）), as the verdict says it."""
    far = how_far(leaf)
    gap = leaf.gap or leaf.detail
    return f"{leaf.title}（{gap}；{far}）" if far and far not in gap else \
        f"{leaf.title}（{gap}）"


def report_row(item: Assessment, seq: int) -> dict[str, Any]:
    leaves = item.leaves()
    return {
        "seq": seq, "enterprise_id": item.enterprise_id, "county": item.county,
        "town": item.town, "name": item.name, "credit_code": item.credit_code,
        "current_tier": item.current_tier, "target_tier": item.tier_name,
        "readiness": item.readiness_label, "readiness_text": item.marked_readiness_text,
        # the 预审结论 cell: the group, or 前提认定已到期 / 已撤销 (``readiness`` filters);
        # both say 复核：… for a firm judged as its 复核 (results.marked), once, for every face
        "readiness_shown": marked(item.lost_prerequisite if item.readiness == PREREQUISITE
                                  and item.lost_prerequisite else item.readiness_label,
                                  item.review),
        "verdict": item.verdict,
        "score": item.score.text if item.score else "",
        "met": "；".join(item.met_titles()),
        "gaps": "；".join(_gap_text(leaf) for leaf in leaves if leaf.status == NOT_MET) or
        ("；".join(item.flags)),
        "manual": "；".join(leaf.title for leaf in leaves if leaf.status == "需人工核实"),
        "missing": "；".join(missing_items([leaf for leaf in leaves
                                            if leaf.status == "缺数据"])),  # each once
        "figures_year": item.figures_year, "figures_year_note": item.year_note,
        "rule_set": item.rule_set,
        # the 依据标准 cell: a 复核's presumed rules said so, the other result beside
        # (2026办法（推定）；按2022暂行办法：条件均满足); the name alone else
        "rule_set_shown": (f"{item.rule_set}{rules_module.PRESUMED_MARK}；"
                           f"{item.presumed.split('；', 1)[1]}" if item.presumed
                           else item.rule_set),
        # judged as the 复核 of its title run out (choice.review_words), "" as a new one
        "review": item.review,
        "contact_person": "", "contact_phone": "",
    }


def candidates_report_rows(session: Session, tier: str, *, rule_set: str | None = None,
                           year: int | None = None, today: dt.date | None = None,
                           county: str | None = None, include_not_ready: bool = False,
                           include_flagged: bool = False,
                           excluded: dict[str, Any] | None = None,
                           figures: dict[str, Any] | None = None,
                           reviews: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """拟推荐企业名单 as plain rows (keys of CANDIDATE_REPORT_COLUMNS, plus enterprise_id,
    verdict and readiness_text — the group with its count of items to verify, where
    ``readiness`` is the bare group label), ranked by readiness. For the report writer: no formatting beyond text.
    ``excluded`` receives how many firms are left out as ``held`` and as ``pending`` (公示中),
    and the names of the latter (``pending_names``), and the list's ``figures_year`` and
    ``year_note``; ``reviews`` its ``line``: how many of the rows were judged as their 复核,
    and how many of those by presumed rules (review_count, as the 候选企业 line says it)."""
    found = candidates(session, tier, rule_set=rule_set, year=year, today=today,
                       county=county, include_not_ready=include_not_ready)
    if excluded is not None:
        excluded.update(held=found.excluded_held, pending=found.excluded_pending,
                        pending_names=found.pending_names)
    if figures is not None:  # the list's year (that of most of its firms) and its note
        figures.update(figures_year=found.figures_year, figures_year_note=found.year_note)
    items = found.ranked + (found.flagged if include_flagged else [])
    rows = [report_row(item, seq) for seq, item in enumerate(items, start=1)]
    if reviews is not None:  # (from the assessments: the rows' 依据 cell is only words)
        judged = [item for item in items if item.review]
        counts: dict[str, int] = {}
        for item in judged:
            counts[item.rule_set] = counts.get(item.rule_set, 0) + 1
        reviews["line"] = review_count(counts, sum(bool(item.presumed) for item in judged))
    add_contacts(session, rows)
    return rows


def add_contacts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Fill contact_person and contact_phone of report rows from their enterprises."""
    ids = [row["enterprise_id"] for row in rows]
    contacts: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        contacts.update({i: (person or "", phone or "") for i, person, phone in session.execute(
            select(Enterprise.id, Enterprise.contact_person, Enterprise.contact_phone)
            .where(Enterprise.id.in_(ids[start:start + 500])))})
    for row in rows:
        row["contact_person"], row["contact_phone"] = contacts.get(row["enterprise_id"],
                                                                   ("", ""))


__all__ = [
    "AssessError", "CANDIDATE_REPORT_COLUMNS", "CandidateList",
    "assess_enterprise", "assess_enterprise_all", "candidates", "candidates_report_rows",
    "compare_rule_sets", "prerequisite_count", "prerequisite_note", "ranked_steps",
    "chosen_rules", "default_year", "next_tier", "resolve_tier",
    "tier_rules",
]
