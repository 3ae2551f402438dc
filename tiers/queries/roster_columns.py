"""The 企业库's per-column filters (typed into a column's header, like Excel's autofilter):
each keeps the firms whose cell in that column contains the text, as the table shows it.
They combine with the filter panel and the search (``RosterFilter.columns``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, String, cast, exists, select, union

from tiers.model import ladder, reference
from tiers.model.orm import ChainRole, Enterprise, Recognition
from tiers.queries.search import contains

# the columns a filter can be typed into (the amount and date columns have none: a
# range would be wanted there, and the filter panel has 即将到期 / 已到期)
FILTERABLE = frozenset({"name", "credit_code", "county", "town", "tier", "year", "chains"})


def _current_tier_codes(text: str) -> list[str]:
    return [tier.code for tier in reference.tiers() if text in tier.name]


def column_condition(key: str, text: str, today: dt.date) -> ColumnElement[bool]:
    """The firm's ``key`` cell contains ``text`` (ASCII letters in any case)."""
    if key in {"name", "credit_code", "town"}:
        return contains(getattr(Enterprise, key), text)
    if key == "county":
        return contains(Enterprise.county_name, text)
    if key in {"tier", "year"}:
        from tiers.queries.roster import current_recognition  # noqa: PLC0415 - a cycle

        current = current_recognition(today)
        if key == "tier":
            match = current.c.tier_code.in_(_current_tier_codes(text))
        else:
            match = contains(cast(current.c.batch_year, String), text)
        return Enterprise.id.in_(select(current.c.enterprise_id).where(match))
    if key == "chains":
        codes = [chain.code for chain in reference.chains() if text in chain.name]
        if "链主" in text:  # the cell says 某链（链主）
            return exists().where(ChainRole.enterprise_id == Enterprise.id,
                                  ChainRole.role == "链主")
        return Enterprise.id.in_(union(
            select(ChainRole.enterprise_id).where(ChainRole.chain_code.in_(codes)),
            select(Recognition.enterprise_id).where(Recognition.chain_code.in_(codes),
                                                    ladder.held_condition(today))))
    raise ValueError(f"不能按此列筛选：{key}")
