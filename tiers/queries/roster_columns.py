"""The 企业库's per-column filters (typed into a column's header, like Excel's autofilter):
each keeps the firms whose cell in that column contains the text, as the table shows it.
They combine with the filter panel and the search (``RosterFilter.columns``)."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)

from tiers.errors import InvalidInput
from tiers.model import reference
from tiers.model.orm import ChainRole, Enterprise, Recognition
from tiers.queries import firm_chains
from tiers.queries.search import contains, fold_case

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
        return chain_cell_condition(text, today)
    raise ValueError(f"不能按此列筛选：{key}")


# --- 所属产业链: the cell as shown, 起重机（链主）、挖掘机 ------------------------------------------

_CELL_SEPARATOR = "、"
_FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")  # the cell's; typed half-width, the same


@dataclass(frozen=True)
class _Labels:
    """The chain labels a part of the typed text fits, by chain code: ``plain`` the chains
    whose label for a firm on it not leading it fits (起重机), ``leading`` those whose label
    for its 链主 fits (起重机（链主）) — the cell's labels (firm_chains.chain_cells)."""

    plain: frozenset[str]
    leading: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.plain or self.leading)


def _labels(fits: Callable[[str], bool]) -> _Labels:
    plain, leading = set(), set()
    for chain in reference.chains():
        if fits(fold_case(chain.name)):
            plain.add(chain.code)
        if fits(fold_case(chain.name + firm_chains.LEADER_SUFFIX)):
            leading.add(chain.code)
    return _Labels(frozenset(plain), frozenset(leading))


def chain_cell_condition(text: str, today: dt.date) -> ColumnElement[bool]:
    """The firm's 所属产业链 cell, as the roster shows it (firm_chains.chain_cells: its roles
    in the order recorded, then the chains only a 链主 recognition in force puts it on, 链主
    marked, joined by 、), contains ``text`` — ASCII letters in any case, ( ) as （ ）.

    Not by building every firm's cell (100,000 firms): the text within one label (起重机（链,
    链主) is the firms on the chains whose name fits (any role) or whose 某链（链主） only
    fits (as 链主), from the indexed pairs; a text across labels (挖掘机、起重机（链) is a
    label ending with its first part, whole labels next, one starting with its last, one
    after another in the firm's cell."""
    typed = fold_case(text.translate(_FULL_WIDTH_BRACKETS))
    parts = typed.split(_CELL_SEPARATOR)
    if len(parts) == 1:
        labels = _labels(lambda label: typed in label)
        if not labels:
            return false()
        return Enterprise.id.in_(_firms_with(labels, today))
    firsts = _labels(lambda label: label.endswith(parts[0]))
    middles = [_labels(lambda label, part=part: label == part) for part in parts[1:-1]]
    lasts = _labels(lambda label: label.startswith(parts[-1]))
    if not all([firsts, *middles, lasts]):
        return false()
    return Enterprise.id.in_(_runs(today, [firsts, *middles, lasts]))


def _firms_with(labels: _Labels, today: dt.date):
    """The ids of the firms with a label of ``labels`` (of a text within one label) in
    their cell: a chain whose name fits is any firm on it (起重机 is in 起重机（链主） too), one
    whose 某链（链主） only fits its 链主 — one set (not an OR of two IN: firm_chains)."""
    assert labels.plain <= labels.leading  # a text in the name is in the name（链主）
    every = {chain.code for chain in reference.chains()}
    on, leads = labels.plain, labels.leading - labels.plain
    selects = []
    if on:
        pairs = firm_chains.members(today, None if on == every else sorted(on)).subquery()
        selects.append(select(pairs.c.enterprise_id))
    if leads:
        selects.extend(firm_chains.leader_ids(
            today, None if leads == every else sorted(leads)).selects)
    return union(*selects) if len(selects) > 1 else selects[0]


def _runs(today: dt.date, steps: list[_Labels]):
    """The ids of the firms whose cell has labels fitting ``steps`` one after another: each
    firm's chains in the cell's order (the roles by id, then the chains only a 链主
    recognition in force names, by its first such recognition — as firm_chains.chain_cells
    lists them), each beside the ones after it (LEAD: one pass, not a self-join per step,
    which took minutes for 100,000 firms on SQLite)."""
    roles = select(ChainRole.enterprise_id.label("enterprise_id"),
                   ChainRole.chain_code.label("chain_code"),
                   case((ChainRole.role == firm_chains.LEADER, 1), else_=0).label("leads"),
                   cast(ChainRole.id, BigInteger).label("order_key"))
    titles = firm_chains.leader_titles(today).with_only_columns(
        Recognition.enterprise_id.label("enterprise_id"),
        Recognition.chain_code.label("chain_code"), literal(1).label("leads"),
        (cast(Recognition.id, BigInteger) + literal(_AFTER_ROLES, BigInteger)
         ).label("order_key"))
    both = union_all(roles, titles).subquery()
    chains = (select(both.c.enterprise_id, both.c.chain_code,
                     func.max(both.c.leads).label("leads"),
                     func.min(both.c.order_key).label("order_key"))
              .group_by(both.c.enterprise_id, both.c.chain_code).subquery())
    following = []
    for step in range(1, len(steps)):
        for name in ("chain_code", "leads"):
            following.append(func.lead(chains.c[name], step).over(
                partition_by=chains.c.enterprise_id, order_by=chains.c.order_key
            ).label(f"{name}_{step}"))
    cells = select(chains.c.enterprise_id, chains.c.chain_code, chains.c.leads,
                   *following).subquery()
    conditions = [_is_label(cells.c.chain_code, cells.c.leads, steps[0])]
    conditions += [_is_label(cells.c[f"chain_code_{step}"], cells.c[f"leads_{step}"], labels)
                   for step, labels in enumerate(steps[1:], start=1)]
    return select(cells.c.enterprise_id).where(*conditions)


_AFTER_ROLES = 1 << 40  # a title's place: after every role (ids are far below)


def _is_label(chain_code, leads, labels: _Labels) -> ColumnElement[bool]:
    """The chain ``chain_code`` is shown as one of ``labels``: plain, or as its 链主."""
    options = []
    if labels.plain:
        options.append(and_(chain_code.in_(sorted(labels.plain)), leads == 0))
    if labels.leading:
        options.append(and_(chain_code.in_(sorted(labels.leading)), leads == 1))
    return or_(*options)


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
