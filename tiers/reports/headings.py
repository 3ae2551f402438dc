"""The header of each report's table as Tiers writes it, in every form its filters give: a
file re-saved as .csv loses the workbook's marker and its sheet's name, and a report
exported with its own title (--title) no longer has Tiers's title on top, but its headings
are still Tiers's, word for word and in Tiers's order.

A header is flattened to one text per column: the column's label, after its group's
(认定情况/梯度层级) when it has one; whitespace dropped (本年\\n新增 is 本年新增 in any
program's copy). 企业档案 has no table on top: its 基本情况 grid's labels, in order, are
its fingerprint.

A report of more than one sheet (拟推荐企业名单 and its 已满足条件明细) is known by each
of them: an officer may pick any sheet in the wizard, or save any one as .csv."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from tiers.model import reference
from tiers.reports import (
    candidates,
    chains,
    common,
    expiring,
    figures,
    profile,
    roster,
    summary,
    support,
)
from tiers.reports.base import ReportRequest
from tiers.reports.cells import Column

Headings = tuple[str, ...]
_SPACE = re.compile(r"\s+")


def plain(text: object) -> str:
    """A heading as compared: no whitespace (a label may break its line)."""
    return _SPACE.sub("", str(text or ""))


def flattened(columns: Sequence[Column]) -> Headings:
    return tuple(plain(f"{c.group}/{c.label}" if c.group else c.label) for c in columns)


def _numbered(columns: Sequence[Column]) -> frozenset[Headings]:
    """The table as the report names its number column (common.with_number_label) for
    every tier it may be asked for, or none."""
    asked = [None, *(tier.name for tier in reference.tiers())]
    return frozenset(flattened(common.with_number_label(tuple(columns), ReportRequest(tier=name)))
                     for name in asked)


def _tier_blocks(rest: Headings, block_of: Callable[[reference.Tier], Headings]) -> bool:
    """Whether ``rest`` is the columns of one or more tiers, each as the report writes a
    tier's columns, in the catalogue's order: which tiers a report shows (the ladder, the
    local titles recorded, the one asked) is the report's business, not the header's. (A
    table of these counts with a tier left out is taken for the report too: a table of
    counts is no list to import either way.)"""
    tiers, start, found = list(reference.tiers()), 0, 0
    position = 0
    while position < len(rest):
        for index in range(start, len(tiers)):
            block = block_of(tiers[index])
            if block and rest[position:position + len(block)] == block:
                position, start, found = position + len(block), index + 1, found + 1
                break
        else:
            return False
    return found > 0


def _is_summary(headings: Headings) -> bool:
    for by_town in (False, True):
        area = flattened(summary.columns([], by_town=by_town)[0])
        if headings[:len(area)] == area and _tier_blocks(
                headings[len(area):],
                lambda tier, by_town=by_town: flattened(summary.columns([tier], by_town=by_town)[1])):
            return True
    return False


def _is_chains(headings: Headings) -> bool:
    bare = flattened(chains.columns([]))  # 序号 … 链上企业, then 链主企业: the tiers between
    head, tail = bare[:-1], bare[-1:]

    def block(tier: reference.Tier) -> Headings:
        return flattened(chains.columns([tier]))[len(head):-len(tail)]

    return (len(headings) > len(bare) and headings[:len(head)] == head
            and headings[-len(tail):] == tail
            and _tier_blocks(headings[len(head):-len(tail)], block))


@cache
def _fixed() -> dict[str, frozenset[Headings]]:
    return {"roster": _numbered(roster.COLUMNS), "expiring": _numbered(expiring.COLUMNS),
            "support": frozenset(flattened(c) for c in support.every_columns()),
            "candidates": frozenset({flattened(candidates.COLUMNS),
                                     flattened(candidates.MET_COLUMNS)}),
            "figures": frozenset({flattened(figures.COLUMNS)})}


def report_of(headings: Headings) -> str | None:
    """The code of the report whose table has these flattened headings, every one in
    Tiers's order; None for any other table. Each is built by the function the report
    itself uses, so a change of a report's columns changes what is recognised."""
    headings = tuple(headings)
    code = next((code for code, known in _fixed().items() if headings in known), None)
    if code is not None:
        return code
    if _is_summary(headings):
        return "summary"
    if _is_chains(headings):
        return "chains"
    return None


def appendices() -> dict[str, tuple[str, str]]:
    """A report's sheets after its first, by name: (the report's code, the subtitle the
    sheet has instead of the （统计截止：…） line)."""
    return {candidates.MET_SHEET: ("candidates", candidates.MET_SUBTITLE)}


def profile_grid() -> tuple[str, Headings]:
    """企业档案's first section heading and the labels of its grid, in order (two a row)."""
    return profile.BASIC_SECTION, tuple(plain(label) for label, _key, _kind in profile.BASIC)
