"""The header of each report's table as Tiers writes it, in every form its filters give: a
file re-saved as .csv loses the workbook's marker and its sheet's name, and a report
exported with its own title (--title) no longer has Tiers's title on top, but its headings
are still Tiers's, word for word and in Tiers's order.

A header is flattened to one text per column: the column's label, after its group's
(认定情况/梯度层级) when it has one; whitespace dropped (本年\\n新增 is 本年新增 in any
program's copy). 企业档案 has no table on top: its 基本情况 grid's labels, in order, are
its fingerprint."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from itertools import combinations

from tiers.model import reference
from tiers.reports import candidates, chains, common, expiring, profile, roster, summary, support
from tiers.reports.cells import Column

Headings = tuple[str, ...]
_SPACE = re.compile(r"\s+")


def plain(text: object) -> str:
    """A heading as compared: no whitespace (a label may break its line)."""
    return _SPACE.sub("", str(text or ""))


def flattened(columns: Sequence[Column]) -> Headings:
    return tuple(plain(f"{c.group}/{c.label}" if c.group else c.label) for c in columns)


def _number_labels() -> set[str]:
    """认定文号, 入库编号 or both, as the 名单 and 到期 tables name the number column."""
    return {common.number_label(codes) for codes in (None, ["tech_sme"], ["zjtx"])}


def _with_number(columns: Sequence[Column]) -> set[Headings]:
    return {flattened([replace(c, label=label) if c.label == common.NUMBER_LABEL else c
                       for c in columns]) for label in _number_labels()}


def _subsets(always: list[reference.Tier], optional: list[reference.Tier]
             ) -> Iterable[list[reference.Tier]]:
    """The ladder always, each local title when some are recorded, in the catalogue's order."""
    order = {t.code: i for i, t in enumerate(reference.tiers())}
    for size in range(len(optional) + 1):
        for extra in combinations(optional, size):
            yield sorted([*always, *extra], key=lambda t: order[t.code])


def _summary() -> set[Headings]:
    ladder = [t for t in reference.tiers() if t.ladder]
    local = [t for t in reference.tiers() if not t.ladder and t.code != "chain_leader"]
    shown = [*_subsets(ladder, local), *([t] for t in reference.tiers())]  # or the one asked
    return {flattened([*area, *counts]) for tiers in shown for by_town in (False, True)
            for area, counts in [summary.columns(tiers, by_town=by_town)]}


def _chains() -> set[Headings]:
    ladder = [t for t in reference.tiers() if t.ladder]
    local = [t for t in reference.tiers() if not t.ladder and t.code != "chain_leader"]
    return {flattened(chains.columns(tiers)) for tiers in _subsets(ladder, local)}


@cache
def table_headings() -> dict[str, frozenset[Headings]]:
    """Each report's code → the flattened headers its table may have (企业档案: none)."""
    return {"roster": frozenset(_with_number(roster.COLUMNS)),
            "expiring": frozenset(_with_number(expiring.COLUMNS)),
            "support": frozenset({flattened(support.COLUMNS)}),
            "candidates": frozenset({flattened(candidates.COLUMNS)}),
            "summary": frozenset(_summary()), "chains": frozenset(_chains())}


def profile_grid() -> tuple[str, Headings]:
    """企业档案's first section heading and the labels of its grid, in order (two a row)."""
    return profile.BASIC_SECTION, tuple(plain(label) for label, _key, _kind in profile.BASIC)
