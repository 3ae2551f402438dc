"""The line under the 候选企业 list: how many firms in each readiness group, those left
out and why (``summary_text``), and who is left out as 公示中 (``pending_tip``)."""

from __future__ import annotations

from collections.abc import Callable

from tiers.assess import (
    DATA_MISSING,
    FLAGGED,
    NOT_READY,
    ONE_SHORT,
    PREREQUISITE,
    READINESS_LABELS,
    READY,
    TO_VERIFY,
    RankedList,
    prerequisite_count,
    review_count,
)
from tiers.text.lists import names_cut

PENDING_SHOWN = 20  # firms named in the tooltip of the 公示中 left out

Translate = Callable[[str], str]
COUNTIES_NAMED = 6  # a city's counties named in the hint; more are counted


def hint_text(tr: Translate, picked: str, counties: list[str]) -> str:
    """What 开始预审 judges, before it is run: the county picked, else a city's counties
    (全市（武进区、新北区）: a database with more than one, as ui.county_column tells a
    city's), else 全县."""
    if picked:
        scope = picked
    elif len(counties) > 1:
        named = names_cut(counties[:COUNTIES_NAMED], len(counties), unit="个县区")
        scope = tr("全市（%1）").replace("%1", named)
    else:
        scope = tr("全县")
    return tr("选择目标梯度后点“开始预审”：按上年度数据（尚未录齐时按已录齐的最近年度）"
              "测算%1企业，已认定该梯度或更高梯度的企业不列入（本年复核的列入，按复核预审）。").replace("%1", scope)


def summary_text(tr: Translate, found: RankedList, include_not_ready: bool) -> str:
    """条件均满足 2 家，…，尚未取得前提认定 3 家（须先取得…称号，取得后方可申报），不符合 …,
    after the tier, the figures year and the rule set."""
    counts = found.counts()

    def counted(code: int) -> str:
        label = READINESS_LABELS[code]
        return tr("%1 %2 家").replace("%1", label).replace("%2", str(counts[label]))

    parts = [counted(code) for code in (READY, TO_VERIFY, ONE_SHORT, DATA_MISSING)]
    apart = counts[READINESS_LABELS[PREREQUISITE]]
    if apart:  # not 差一项: the title below must be held first
        parts.append(prerequisite_count(found.rules, apart))
    if counts[READINESS_LABELS[FLAGGED]]:
        parts.append(counted(FLAGGED) + tr("（未评分，列在最后）"))
    parts.append(counted(NOT_READY) + ("" if include_not_ready else tr("（未列出）")))
    parts.append(tr("已认定该梯度或更高 %1 家（不列入）").replace("%1", str(found.excluded_held)))
    if found.excluded_pending:
        parts.append(tr("另有 %1 家已在公示中（不列入）").replace(
            "%1", str(found.excluded_pending)))
    # the firms judged as their 复核 (a title run out in its round), by that round's rules:
    # said beside the list's own rule set, each row marked 复核：… (ranked_rows)
    reviews = review_count(found.review_rule_sets(), found.presumed_reviews())
    return tr("%1（%2年度数据，依据%3；%4）：").replace(
        "%1", found.tier_name).replace("%2", str(found.figures_year)).replace(
        "%3", found.rule_set).replace(
        "%4", found.rule_reason + (tr("；") + reviews if reviews else "")) + tr("，").join(parts)


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
