"""What a support measure's 金额 means, by its kind (resources/support_kinds.toml,
[categories]): 资金奖补 is money paid to the firm; 融资 the sum lent or guaranteed (a 专精特新贷
of 3,000万元 is a loan, owed back); 税收 a deduction allowed (研发费用加计扣除); 服务 the value
of a service, a recognition or a purchase. Only 资金奖补 is counted in the money totals — the
兑现情况表's 小计/合计, the 工作台's 每年扶持资金, the 企业库's 扶持金额合计 — and the other
amounts are shown on their own. One rule, in Python (``category``) and in SQL
(``money_condition``), the same for the stored data as it is: nothing stored changes."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import case, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from tiers.model import reference

MONEY = "资金奖补"
FINANCING = "融资"
TAX = "税收"
SERVICE = "服务"
CATEGORIES = (MONEY, FINANCING, TAX, SERVICE)
# what each one's amount is called where it is shown apart (the 兑现情况表's columns, the
# 扶持措施 page's totals)
AMOUNT_NAMES = {MONEY: "资金奖补", FINANCING: "融资额", TAX: "税收优惠额", SERVICE: "服务等金额"}


@dataclass(frozen=True)
class Category:
    name: str
    kinds: tuple[str, ...]  # the pick-list kinds of it
    words: tuple[str, ...]  # what a kind typed by hand that is of it contains


@cache
def categories() -> tuple[Category, ...]:
    """The four, in CATEGORIES' order (资金奖补 first: its words win, 担保费补贴 is money)."""
    with reference.resource_path("support_kinds.toml").open("rb") as handle:
        table = tomllib.load(handle)["categories"]
    found = tuple(Category(name, tuple(table[name]["kinds"]), tuple(table[name]["words"]))
                  for name in CATEGORIES)
    listed = [k for c in found for k in c.kinds]
    kinds = reference.pick_lists()["kinds"]
    if sorted(listed) != sorted(kinds):  # a kind added to the list without a category
        raise RuntimeError(f"support_kinds.toml: 每个措施类别应恰属一个归类：{listed} / {kinds}")
    return found


@cache
def _by_kind() -> dict[str, str]:
    return {kind: c.name for c in categories() for kind in c.kinds}


def category(kind: str | None) -> str:
    """The category of ``kind``: a pick-list kind's own; a kind typed by hand 资金奖补 when it
    says so (补贴, 贴息, 奖励…), else the first other category one of whose kinds or words it
    contains (融资担保（省信保）→ 融资, 加计扣除 → 税收), else 资金奖补 (as every kind counted
    before there were categories)."""
    kind = (kind or "").strip()
    if kind in _by_kind():
        return _by_kind()[kind]
    money, *others = categories()
    if any(word in kind for word in money.words):
        return MONEY
    for other in others:
        if any(word in kind for word in (*other.kinds, *other.words)):
            return other.name
    return MONEY


def is_money(kind: str | None) -> bool:
    return category(kind) == MONEY


def split_amounts(pairs: Iterable[tuple[str | None, Any]]) -> tuple[Decimal, dict[str, Decimal]]:
    """The money of (kind, amount) pairs — the 资金奖补 sum — and the others' sums by category
    ({融资: …, 税收: …} in CATEGORIES' order, only those present), never added to it: the
    扶持措施 page's totals and the sums of its selected rows. A blank amount is none."""
    sums: dict[str, Decimal] = {}
    for kind, amount in pairs:
        if amount is None or amount == "" or isinstance(amount, bool):
            continue
        found = category(kind)
        sums[found] = sums.get(found, Decimal(0)) + Decimal(str(amount))
    return (sums.get(MONEY, Decimal(0)),
            {name: sums[name] for name in CATEGORIES if name != MONEY and name in sums})


def _contains_any(column, words) -> ColumnElement[bool]:
    return or_(false(), *[column.contains(word, autoescape=True) for word in words])


def money_condition(kind_column) -> ColumnElement[bool]:
    """``category(kind) == 资金奖补`` in SQL, for the sums the database makes (the same on
    SQLite and PostgreSQL; tests/tiers/test_support_categories.py holds the two alike). A
    CASE in ``category``'s order, so that a listed kind (nearly every row) is settled by
    the first two tests without a LIKE."""
    money, *others = categories()
    # (no trim(): a kind is stored trimmed, and one that was not still falls the same way —
    # every other category's kinds are among its words)
    other_kinds = [k for c in others for k in c.kinds]
    other_words = [w for c in others for w in (*c.kinds, *c.words)]
    return case((kind_column.in_(money.kinds), True),
                (kind_column.in_(other_kinds), False),
                (_contains_any(kind_column, money.words), True),
                (_contains_any(kind_column, other_words), False),
                else_=True) == true()
