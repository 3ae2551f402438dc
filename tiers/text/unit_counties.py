"""本单位负责的区县 in words: in the change log, the services write it (tiers.services.unit),
the server's user log reads it back (tiers.storage.server.users) — one key and one sentence
for both; and what an import does with the rows outside them, the wizard's preview and
tiers import saying one sentence (tidy29)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ENTITY = "unit_county"  # the change log's lines of 本单位负责的区县


def names_logged(value: str | None) -> str:
    """溧阳市、金坛区 for a logged value (a JSON list of [code, name]); "" for none."""
    try:
        return "、".join(name for _code, name in json.loads(value or "[]"))
    except (ValueError, TypeError):
        return str(value or "")


def describe_change(before: str, after: str) -> str:
    """本单位负责的区县：溧阳市 → 常州市 (未设定 for none)."""
    return f"本单位负责的区县：{before or '未设定'} → {after or '未设定'}"


@dataclass(frozen=True)
class OtherCountiesWays:
    """How a face takes the rows outside the unit's counties in, said in brackets: after
    the rows left out (``left_out``: where they are told, or how to take them in), after
    the rows taken in one by one (``row_taken``: 导入此行, --take-row) and after those taken
    in all together (``all_taken``), and the way to link a row that stays 未匹配 (``link``)."""

    left_out: str
    row_taken: str
    all_taken: str
    link: str


def other_counties_sentence(plan: Any, ways: OtherCountiesWays) -> str:
    """The sentence of _sentence, then, where rows of another county's firms in the 回收站
    were left out, that taken in they are errors too (plan.other_unit_binned_note)."""
    said = _sentence(plan, ways)
    note = getattr(plan, "other_unit_binned_note", "")
    return f"{said}；{note}" if said and note else said


def _sentence(plan: Any, ways: OtherCountiesWays) -> str:
    """本单位负责的区县为溧阳市：不属这些区县的 3 行不导入…: what an import plan (importers'
    Plan: unit_names, other_unit_rows, other_unit_unmatched, other_unit_importable,
    other_unit_unmatched_why, other_counties_taken, taken_in_rows) does with the rows of
    firms outside 本单位负责的区县 — left out, taken in one by one, or all taken in, a row
    without a credit code nor a firm of its name staying 未匹配 either way, counted apart
    (not as taken in); "" when there are none."""
    rows, unmatched = plan.other_unit_rows, plan.other_unit_unmatched
    if not rows:
        return ""
    why = plan.other_unit_unmatched_why
    head = f"本单位负责的区县为{plan.unit_names}：不属这些区县的 {rows:,} 行"
    if plan.other_counties_taken:
        if not unmatched:
            return f"{head}一并导入{ways.all_taken}"
        if plan.other_unit_importable:
            return (f"{head}中 {plan.other_unit_importable:,} 行一并导入{ways.all_taken}；"
                    f"另 {unmatched:,} 行{why}，为“未匹配”，不导入{ways.link}")
        return f"{head}都{why}，为“未匹配”，不导入{ways.link}"
    if len(plan.taken_in_rows) >= rows:  # (none left: no 其余不导入, nor how to take it in)
        return f"{head}{'都' if rows > 1 else ''}导入（{ways.row_taken}）"
    taken = len(plan.taken_in_rows)
    if taken:  # the rest counted without the rows taken (small29: they did not add up)
        said = (f"{head}中 {taken:,} 行导入（{ways.row_taken}），其余 {rows - taken:,} 行不导入"
                f"{ways.left_out}")
    else:
        said = f"{head}不导入{ways.left_out}"
    # (a row taken in one by one is written: never one of these, all among the rest)
    if unmatched and importable_left(plan):
        return f"{said}；其中 {unmatched:,} 行{why}，一并导入也是“未匹配”，不会新建"
    if unmatched:
        return f"{said}；这 {unmatched:,} 行都{why}，一并列入也是“未匹配”，不会新建"
    return said


def importable_left(plan: Any) -> int:
    """The rows outside the unit's counties that 一并导入 (--other-counties) would write
    besides those already taken in one by one (导入此行, --take-row) — all it writes once
    taken in together — as the wizard's 一并导入其中 N 行 counts them beside the sentence."""
    if plan.other_counties_taken:
        return plan.other_unit_importable
    return plan.other_unit_importable - len(plan.taken_in_rows)
