"""培育库: each entry's assessment against its target tier, now and a year earlier, with
what changed between the two in words (the 培育库 view and ``tiers assess --cultivation``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.assess.candidates import AssessError, chosen_rules, resolve_tier
from tiers.assess.evaluate import assess
from tiers.assess.figures_year import FiguresYear, year_plan
from tiers.assess.firm import FirmData, pending_for
from tiers.assess.loading import load_firms
from tiers.assess.ranking import LOOKBACK
from tiers.assess.results import FLAGGED, MET, NOT_MET, Assessment
from tiers.model import reference
from tiers.model.orm import CultivationEntry, Enterprise
from tiers.storage.dialect import ascending


@dataclass
class CultivationStatus:
    """One 培育库 entry with its assessment now and a year earlier."""

    entry_id: int
    enterprise_id: int
    name: str
    credit_code: str
    county: str
    town: str
    target_tier: str
    target_tier_name: str
    target_year: int
    officer: str
    status: str
    note: str
    current: Assessment
    previous: Assessment
    changes: list[str] = field(default_factory=list)
    trend: str = ""  # 进步 / 退步 / 持平; — (NOT_JUDGED) when the tier is held or listed
    summary: str = ""  # the changes in a few words, for a table cell
    conclusion: str = ""  # this year's conclusion for a table cell (``conclusion``)
    # the end of the title held (the target or higher) when it lapses before the target year
    lapses_on: dt.date | None = None
    # the tier (the target or higher) the firm is 公示中 for while its title lapses: its 复核
    # (or a higher title) is on a 公示 list, so it needs no 复核 prepared
    renewal_listed: str = ""


def conclusion(item: Assessment, lapses_on: dt.date | None = None,
               renewal_listed: str = "") -> str:
    """The conclusion in a table cell: the readiness group, unless the firm holds the tier
    already (已认定; 已认定为小巨人 for a higher one) or is on a 公示 list of it (or of a
    higher one, named): then it is not recommended again, however its figures read
    (公示中（不再推荐）, 小巨人公示中（不再推荐））. A title held that ends before the target
    year (``lapses_on``) is no 已认定: the firm is prepared for its 复核, unless that 复核 (or
    a higher title, named) is 公示中 already (``renewal_listed``)."""
    if item.already_held and lapses_on is not None:
        ends = f"现称号 {lapses_on.isoformat()} 到期，"
        if not renewal_listed:
            return f"{ends}须复核"
        higher = renewal_listed != item.tier_code
        return f"{ends}{reference.tier(renewal_listed).short if higher else '复核'}公示中"
    if item.already_held:
        code = reference.resolve_tier(item.current_tier) if item.current_tier else None
        higher = code is not None and code != item.tier_code
        return f"已认定为{reference.tier(code).short}" if higher else "已认定"
    if not item.pending_tier:
        return item.readiness_label
    code = reference.resolve_tier(item.pending_tier)
    which = "" if code == item.tier_code or code is None else reference.tier(code).short
    return f"{which}公示中（不再推荐）"


def lapses_before(firm: FirmData, tier_code: str, target_year: int) -> dt.date | None:
    """The end of the firm's title of ``tier_code`` (or higher) when it comes before the
    target year begins, as the 培育库's rule takes it (a title ending before then is not held
    for the target: tiers.services.cultivation_rule); None when held through it, or none."""
    until = firm.held_until(tier_code)
    return until if until is not None and until < dt.date(target_year, 1, 1) else None


def _leaf_map(item: Assessment) -> dict[str, Any]:
    return {key: node for key, node in item.walk()
            if node.kind in ("threshold", "holds", "score", "given")}


def _turns(previous: Assessment, current: Assessment) -> list[tuple[Any, Any]]:
    """The conditions (this year's node, last year's) whose status turned, or whose gap
    changed while still not met, in the order of the assessment. A 直通 not taken is left
    out: its 缺数据 → 不满足 is no step back."""
    before, after = _leaf_map(previous), _leaf_map(current)
    routes = [key for key, node in current.walk() if node.route]
    turns = []
    for key, node in after.items():
        old = before.get(key)
        if old is None or node.kind == "score":
            continue
        in_route = any(key == route or key.startswith(route + "/") for route in routes)
        if in_route and node.status != MET:
            continue
        if old.status != node.status or (node.status == NOT_MET and old.gap != node.gap
                                         and node.gap and node.score is None):
            # (a score the firm reports, short both years: the 评价得分 line says it)
            turns.append((node, old))
    return turns


def changes_between(previous: Assessment, current: Assessment) -> list[str]:
    """What changed from last year's assessment to this year's, in words."""
    out = []
    if previous.readiness != current.readiness:
        out.append(f"结论：{previous.readiness_label} → {current.readiness_label}")
    if previous.flags and not current.flags:
        out.append("上年数据存疑，本年数据正常")
    if current.flags and not previous.flags:
        out.append("本年数据存疑：" + "；".join(current.flags))
    if previous.score and current.score and previous.score.text != current.score.text:
        out.append(f"评价得分：{previous.score.text} → {current.score.text}")
    for node, old in _turns(previous, current):
        if old.status != node.status:
            out.append(f"{node.title}：{old.status} → {node.status}（{node.detail}）")
        else:
            out.append(f"{node.title}：仍未满足，差距由“{old.gap}”变为“{node.gap}”")
    return out


def change_summary(previous: Assessment, current: Assessment) -> str:
    """The changes in a few words, short enough for a table cell at 1366 wide (the whole of
    ``changes_between`` runs to hundreds of characters): the conclusion, which conditions
    turned which way (the first named by its figure, and how many), the score range."""
    out = []
    if previous.readiness != current.readiness:
        out.append(f"{previous.readiness_label}→{current.readiness_label}")
    if previous.flags and not current.flags:
        out.append("上年数据存疑")
    if current.flags and not previous.flags:
        out.append("本年数据存疑")
    turned: dict[str, list[str]] = {}
    gaps = 0
    for node, old in _turns(previous, current):
        if old.status != node.status:
            turned.setdefault(node.status, []).append(_short_name(node))
        else:
            gaps += 1
    for status, names in turned.items():
        out.append(f"{names[0]}转为{status}" if len(names) == 1
                   else f"{names[0]}等{len(names)}项转为{status}")
    if gaps:
        out.append(f"{gaps}项差距有变")
    if previous.score and current.score and previous.score.text != current.score.text:
        out.append(f"得分{_points(previous.score)}→{_points(current.score)}")
    return "；".join(out)


def _short_name(node: Any) -> str:
    """A condition by the figure it weighs, not its whole title; a share as 占比
    (主营业务收入占营业收入比重: 主营业务收入占比)."""
    if node.values:
        label = node.values[0].label
        part, share, _whole = label.partition("占")
        return f"{part}占比" if share and label.endswith("比重") else label
    return node.title if len(node.title) <= 12 else node.title[:11] + "…"


def _points(score: Any) -> str:
    return str(score.low) if score.exact else f"{score.low}—{score.high}"


NOT_JUDGED = "—"  # 较上年 of a firm that holds the tier already or is listed for it


def _trend(previous: Assessment, current: Assessment, *, lapses: bool = False) -> str:
    """进步 / 退步 / 持平: fewer conditions short is progress; then fewer far from their bar;
    then less data missing. Not judged (—) when the firm holds the tier (or a higher one) or
    is on a 公示 list: its 当前预审 reads 已认定 / 公示中（不再推荐）, and a red 退步 toward
    it would contradict that. Judged for a title that ``lapses`` before the target year:
    its 复核 asks the conditions again."""
    if (current.already_held and not lapses) or current.pending_tier:
        return NOT_JUDGED
    if previous.readiness == FLAGGED or current.readiness == FLAGGED:
        return ""
    # as many short, fewer of them far (below half the bar) is progress too: 不符合 → 差一项
    old = (previous.shortfalls, previous.far, previous.missing)
    new = (current.shortfalls, current.far, current.missing)
    if new < old:
        return "进步"
    if new > old:
        return "退步"
    return "持平"


class CultivationOverview(list):
    """The entries' ``CultivationStatus`` (a list, as before) and ``figures``: the year most
    of them are judged on, its note naming the counties judged on another
    (``YearPlan.summary``, as the candidate lists say it) — not one entry's county's note."""

    figures: FiguresYear | None = None

    @property
    def year_note(self) -> str:
        return self.figures.note if self.figures else ""


def cultivation_overview(session: Session, *, year: int | None = None,
                         today: dt.date | None = None, rule_set: str | None = None,
                         target_year: int | None = None,
                         target_tier: str | None = None,
                         county: str | None = None, area: Any = None) -> CultivationOverview:
    """Each 培育库 entry with its current assessment (``year`` as 上年度; by default the year
    its county's figures support, ``year_plan``, its note on each current assessment) and
    the change from the year before (the same rules applied to the previous year's figures);
    only those aimed at ``target_tier`` (a code or a name as --tier takes it) when given,
    and of the firms of ``county`` (a code or a name), or of ``area`` (a condition on the
    firm, tiers.queries.unit_scope's, as the candidate lists take their county);
    ``figures`` on the list: the plan's summary for the entries' counties."""
    today = today or dt.date.today()
    plan = year_plan(session, today=today, year=year)
    query = (select(CultivationEntry).join(Enterprise,
                                           Enterprise.id == CultivationEntry.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(ascending(CultivationEntry.target_year), ascending(Enterprise.name)))
    if target_year is not None:
        query = query.where(CultivationEntry.target_year == target_year)
    if target_tier is not None:
        query = query.where(CultivationEntry.target_tier == resolve_tier(target_tier))
    if county:
        code, county_name = reference.resolve_county(county)
        query = query.where(Enterprise.county_code == code if code
                            else Enterprise.county_name == county_name)
    if area is not None:
        query = query.where(area)
    entries = list(session.scalars(query))
    firms = load_firms(session, years=plan.span(LOOKBACK, extra=1), today=today,
                       ids=[e.enterprise_id for e in entries]) if entries else {}
    out = []
    for entry in entries:
        firm = firms.get(entry.enterprise_id)
        if firm is None:
            continue
        try:
            rules, choice = chosen_rules(firm, resolve_tier(entry.target_tier), rule_set, today)
        except AssessError:
            continue  # a local title without criteria: nothing to assess against
        chosen = plan.of(firm.county)  # the firm's own county's figures year
        current = assess(firm, rules, chosen.year, rule_reason=choice.reason,
                         presumed_over=choice.presumed_over)
        current.year_note = chosen.note
        previous = assess(firm, rules, chosen.year - 1, rule_reason=choice.reason)
        lapses_on = (lapses_before(firm, rules.tier_code, entry.target_year)
                     if current.already_held else None)
        listed = (pending_for(firm.pending, rules.tier_code) or ""
                  if lapses_on is not None else "")
        out.append(CultivationStatus(
            entry_id=entry.id, enterprise_id=firm.enterprise_id, name=firm.name,
            credit_code=firm.credit_code, county=firm.county, town=firm.town,
            target_tier=entry.target_tier, target_tier_name=rules.tier_name,
            target_year=entry.target_year, officer=entry.officer, status=entry.status,
            note=entry.note, current=current, previous=previous,
            changes=changes_between(previous, current),
            # a 复核 公示中 is not judged, as a firm 公示中 is not
            trend=_trend(previous, current, lapses=lapses_on is not None and not listed),
            summary=change_summary(previous, current),
            conclusion=conclusion(current, lapses_on, listed), lapses_on=lapses_on,
            renewal_listed=listed))
    overview = CultivationOverview(out)
    overview.figures = plan.summary(item.county or "" for item in out)
    return overview
