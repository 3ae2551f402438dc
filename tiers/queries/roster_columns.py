"""The 企业库's per-column filters (typed into a column's header, like Excel's autofilter):
each keeps the firms whose cell in that column contains the text, as the table shows it.
They combine with the filter panel and the search (``RosterFilter.columns``)."""

from __future__ import annotations

import datetime as dt
import operator
import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import ColumnElement, String, cast, func, or_, select

from tiers.errors import InvalidInput
from tiers.model import reference
from tiers.model.orm import Enterprise
from tiers.queries import firm_chains
from tiers.queries.search import contains

# the columns a filter can be typed into; the date and the amount also take a comparison
# (有效期至 "<2027-06-30", 扶持合计 ">=50"), as Excel's number and date filters do
FILTERABLE = frozenset({"name", "credit_code", "county", "town", "tier", "year", "chains",
                        "valid_until", "support_total"})
_COMPARISON = re.compile(r"^\s*(>=|<=|>|<|=)?\s*([0-9][0-9,.\-]*)\s*$")
_HALF_WIDTH = str.maketrans("＞＜＝，．－０１２３４５６７８９", "><=,.-0123456789")  # a Chinese IME
_OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
              "=": operator.eq}


def _current_tier_codes(text: str) -> list[str]:
    return [tier.code for tier in reference.tiers() if text in tier.name]


def _chain_codes(text: str) -> list[str]:
    return [chain.code for chain in reference.chains() if text in chain.name]


def column_condition(key: str, text: str, today: dt.date) -> ColumnElement[bool]:
    """The firm's ``key`` cell contains ``text`` (ASCII letters in any case)."""
    if key in {"name", "credit_code", "town"}:
        return contains(getattr(Enterprise, key), text)
    if key == "county":
        return contains(Enterprise.county_name, text)
    if key in {"tier", "year", "valid_until"}:
        from tiers.queries.roster import current_recognition  # noqa: PLC0415 - a cycle

        current = current_recognition(today)
        if key == "tier":
            match = current.c.tier_code.in_(_current_tier_codes(text))
        elif key == "year":
            match = contains(cast(current.c.batch_year, String), text)
        else:
            match = _date_condition(current.c.valid_until, text)
        return Enterprise.id.in_(select(current.c.enterprise_id).where(match))
    if key == "support_total":
        from tiers.queries.roster import support_totals  # noqa: PLC0415 - a cycle

        support = support_totals()
        op, amount = _comparison(text, Decimal)
        total = func.coalesce(support.c.total, 0)
        paid = select(support.c.enterprise_id).where(_OPERATORS[op](total, amount))
        if _OPERATORS[op](Decimal(0), amount):  # firms with no support at all show 0 too
            return or_(Enterprise.id.in_(paid),
                       ~Enterprise.id.in_(select(support.c.enterprise_id)))
        return Enterprise.id.in_(paid)
    if key == "chains":  # the cell: roles and 链主 recognitions in force (firm_chains)
        if "链主" in text:  # the cell says 某链（链主）: 链主 of any chain, or of 起重机
            rest = text.replace("链主", "").strip("（）() ")
            return Enterprise.id.in_(firm_chains.leader_ids(today, _chain_codes(rest) if rest
                                                            else None))
        return Enterprise.id.in_(firm_chains.member_ids(today, _chain_codes(text)))
    raise ValueError(f"不能按此列筛选：{key}")


def _comparison(text: str, kind):
    """("<", value) from "<2027-06-30" or ">=50"; a bare value is "="."""
    match = _COMPARISON.match(text.translate(_HALF_WIDTH))
    if match is None:
        raise InvalidInput(f"“{text}”不是可比较的值：可输入如 >=50、<2027-06-30 或一个值")
    op = match.group(1) or "="
    raw = match.group(2).replace(",", "")
    try:
        value = dt.date.fromisoformat(raw) if kind is dt.date else Decimal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise InvalidInput(f"“{text}”不是可比较的值：日期写作 2027-06-30，金额写作 50") from exc
    return op, value


def _date_condition(column, text: str) -> ColumnElement[bool]:
    """A comparison (<2027-06-30), else the date as shown contains the text (2027-06)."""
    if re.match(r"^\s*[<>=＜＞＝]", text):
        op, value = _comparison(text, dt.date)
        return _OPERATORS[op](column, value)
    return contains(cast(column, String), text.strip())
