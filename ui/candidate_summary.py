"""The line under the 候选企业 list: how many firms in each readiness group, those left
out and why (``summary_text``), and who is left out as 公示中 (``pending_tip``)."""

from __future__ import annotations

from collections.abc import Callable

from tiers.assess import (
    DATA_MISSING,
    ONE_SHORT,
    PREREQUISITE,
    READINESS_LABELS,
    READY,
    TO_VERIFY,
    RankedList,
    prerequisite_note,
)

PENDING_SHOWN = 20  # firms named in the tooltip of the 公示中 left out

Translate = Callable[[str], str]


def summary_text(tr: Translate, found: RankedList, include_not_ready: bool) -> str:
    """条件均满足 2 家，…，尚未取得前提认定 3 家（须先取得…称号，取得后方可申报），不符合 …,
    after the tier, the figures year and the rule set."""
    counts = found.counts()
    parts = [f"{READINESS_LABELS[code]} {counts[READINESS_LABELS[code]]} 家"
             for code in (READY, TO_VERIFY, ONE_SHORT, DATA_MISSING)]
    apart = counts[READINESS_LABELS[PREREQUISITE]]
    if apart:  # not 差一项: the title below must be held first
        parts.append(tr("%1 %2 家（%3）").replace("%1", READINESS_LABELS[PREREQUISITE])
                     .replace("%2", str(apart)).replace("%3", prerequisite_note(found.rules)))
    if counts["数据存疑"]:
        parts.append(f"数据存疑 {counts['数据存疑']} 家（未评分，列在最后）")
    not_ready = counts["不符合"]
    parts.append(f"不符合 {not_ready} 家" + ("" if include_not_ready else "（未列出）"))
    parts.append(f"已认定该梯度或更高 {found.excluded_held} 家（不列入）")
    if found.excluded_pending:
        parts.append(tr("另有 %1 家已在公示中（不列入）").replace(
            "%1", str(found.excluded_pending)))
    return tr("%1（%2年度数据，依据%3；%4）：").replace(
        "%1", found.tier_name).replace("%2", str(found.figures_year)).replace(
        "%3", found.rule_set).replace("%4", found.rule_reason) + "，".join(parts)


def pending_tip(tr: Translate, found: RankedList) -> str:
    """Who is left out as 公示中 (the first ``PENDING_SHOWN`` by name): for the officer to
    check against the province's lists."""
    names = found.pending_names
    if not names:
        return ""
    tip = tr("已在公示中、不列入的企业（在该梯度或更高梯度的公示名单上）：") + "\n" + \
        "\n".join(names[:PENDING_SHOWN])
    if len(names) > PENDING_SHOWN:
        tip += "\n" + tr("……共 %1 家").replace("%1", str(len(names)))
    return tip
