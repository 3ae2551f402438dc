"""The one-line verdict of an assessment (符合…条件 / 差一项：… / 缺数据：… /
尚未取得前提认定：… / 不符合：…, naming a far shortfall and how far), in the words the
candidates list and the 对标预审 tab show."""

from __future__ import annotations

from tiers.assess.bar import BAR_ID
from tiers.assess.prerequisites import ON_LIST_ENDING
from tiers.assess.results import (
    DATA_MISSING,
    FLAGGED,
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    ONE_SHORT,
    PREREQUISITE,
    READY,
    TO_VERIFY,
    Assessment,
    ConditionResult,
)


def _first_three(titles: list[str]) -> str:
    return "；".join(titles[:3]) + ("等" if len(titles) > 3 else "")


def _all_met_as_far_as_known(result: Assessment, manual_note: str) -> str:
    """条件均满足 or 待人工核实: what is left to verify by hand, core conditions first."""
    if result.status == MET:
        return f"符合{result.tier_name}条件"
    leaves = result.leaves(MANUAL)
    if result.readiness == TO_VERIFY:
        core = [leaf.title for leaf in leaves if not leaf.secondary]
        rest = len(leaves) - len(core)
        also = f"，另有 {rest} 项一般核实事项" if rest else ""
        return (f"数据所及条件均满足，尚有 {len(core)} 项核心条件需人工核实"
                f"（{_first_three(core)}）{also}")
    listed = _first_three([leaf.title for leaf in leaves])
    return f"数据所及条件均满足{manual_note}（{listed}）" if listed else \
        f"数据所及条件均满足{manual_note}"


def _one_short(result: Assessment, manual_note: str) -> str:
    return f"差一项：{_short_part(result.leaves(NOT_MET)[0])}{manual_note}"


def _prerequisite(result: Assessment) -> str:
    """Short only of the prerequisite title: two rungs away, not 差一项. What it lacks (or
    the 公示 list it is on, as the gap says), then how the rest stands: the data missing
    named, the items to verify counted."""
    leaf = result.leaves(NOT_MET)[0]
    manual = f"，另有 {result.manual} 项需人工核实" if result.manual else ""
    if result.missing:
        rest = f"其余条件缺数据：{_missing_items(result)}{manual}"
    else:
        rest = f"其余条件数据所及均满足{manual}" if manual else "其余条件均满足"
    # held once and lost: not 尚未取得, but run out (not renewed by 复核) or revoked
    if leaf.lost:
        return f"{leaf.lost}：{leaf.detail}后方可申报；{rest}"
    gap = f"（{leaf.gap}）" if leaf.gap else ""
    then = "" if leaf.gap.endswith(ON_LIST_ENDING) else "，取得后方可申报"
    return f"尚未取得前提认定：{leaf.title}{gap}{then}；{rest}"


def missing_items(leaves: list[ConditionResult]) -> list[str]:
    """What the leaves missing data lack, each thing once: a leaf's detail (its title when
    it has none), less the parts (“；”) an earlier leaf already said — a whole year missing
    is in every leaf's detail, alone (“缺少2025年度数据”) or among a run of years
    (“缺少2023年度数据；缺少2024年度数据；缺少2025年度数据”); a leaf saying nothing new is
    left out. The verdict and the candidates list's 缺数据 column both read it."""
    said: set[str] = set()
    items: list[str] = []
    for leaf in leaves:
        parts = [part for part in dict.fromkeys((leaf.detail or leaf.title).split("；"))
                 if part and part not in said]
        said.update(parts)
        if parts:
            items.append("；".join(parts))
    return items


def _missing_items(result: Assessment) -> str:
    missing = missing_items(result.leaves(MISSING))
    return f"{'；'.join(missing[:3])}{'……' if len(missing) > 3 else ''}"


def _data_missing(result: Assessment) -> str:
    short = f"，另差 {result.shortfalls} 项" if result.shortfalls else ""
    return f"缺数据：{_missing_items(result)}{short}"


def verdict(result: Assessment) -> str:
    barred = next((c for c in result.conditions if c.id == BAR_ID), None)
    if barred is not None:  # revoked for false data: no application until the bar ends
        rest = result.shortfalls - 1
        more = f"；另差 {rest} 项" if rest else ""
        doubts = f"；数据存疑：{'；'.join(result.flags)}" if result.flags else ""
        return f"不符合：{barred.detail}{more}{doubts}"
    if result.readiness == FLAGGED:
        return "数据存疑，未评估：" + "；".join(result.flags)
    manual_note = f"，另有 {result.manual} 项需人工核实" if result.manual else ""
    if result.readiness in (READY, TO_VERIFY):
        return _all_met_as_far_as_known(result, manual_note)
    if result.readiness == ONE_SHORT:
        return _one_short(result, manual_note)
    if result.readiness == PREREQUISITE:
        return _prerequisite(result)
    if result.readiness == DATA_MISSING:
        return _data_missing(result)
    return _not_ready(result)


def _named(leaf: ConditionResult) -> tuple[str, str]:
    """(title, how far: "" when near) of a condition short; a far one that the rule text
    counts as one condition of several parts by the one part that is short (as 差一项 names
    it), else by its title with the first far part's distance."""
    if not leaf.far:
        return leaf.title, ""
    parts = [c for c in leaf.children if c.status == NOT_MET]
    if leaf.single and len(parts) == 1:
        leaf = parts[0]
    if leaf.reach:
        return leaf.title, leaf.reach
    far = [part.reach for child in leaf.children for part in child.counted_leaves()
           if part.far and part.reach]
    return leaf.title, far[0] if far else ""


def how_far(leaf: ConditionResult) -> str:
    """How far a condition short is when it is far (现 2000 万元，仅达到 5%), "" when near:
    what the 差距 cell adds to its gap, as the verdict says it."""
    return _named(leaf)[1]


def _not_ready(result: Assessment) -> str:
    """不符合: how many conditions short, each a far one (tiers.assess.near) with how far it
    is; short of one alone — far, or a condition required and not met while data is missing
    elsewhere (evaluate.readiness_of ``failed``: not 缺数据, which would hide it) — that one
    and how far, or its gap; then the data missing."""
    named = [_named(leaf) for leaf in result.leaves(NOT_MET)]
    missing = f"；另缺数据：{_missing_items(result)}" if result.missing else ""
    if len(named) == 1 and named[0][1]:
        title, far = named[0]
        return f"不符合：{title}（{far}）{missing}"
    if len(named) == 1:  # near, but certain: the part short named, as 差一项 names it
        return f"不符合：{_short_part(result.leaves(NOT_MET)[0])}{missing}"
    titles = "；".join(f"{title}：{far}" if far else title for title, far in named)
    return f"不符合：差 {result.shortfalls} 项（{titles}）{missing}"


def _short_part(leaf: ConditionResult) -> str:
    """A condition short by its one part short (of a condition the rule text counts as one),
    with its gap: 近两年研发费用总额合计不低于1200万元（差 450 万元）."""
    parts = [c for c in leaf.children if c.status == NOT_MET]
    if leaf.single and len(parts) == 1:
        leaf = parts[0]
    return f"{leaf.title}（{leaf.gap}）" if leaf.gap else leaf.title
