"""The chains a firm is on, as every face lists them — the 企业库's 所属产业链 column and its
filters, ``tiers enterprises --chain``, ``tiers show``, the firm window's 产业链 tab, the
企业档案 and the 产业链分布表: its chain roles (产业链 page, 设置产业链) PLUS the chains of its
链主 recognitions in force (ladder.held_condition: not 公示中, not run out, not revoked, not
before its 认定日期). A firm is 链主 *of a chain* (domain.md §1.4), so a 链主 recognition
imported from a 链主 list puts the firm on that chain as its 链主, role or no role; a chain
both name is listed once, 某链（链主）. One query for any number of firms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import CompoundSelect, Select, literal, select, union, union_all
from sqlalchemy.orm import Session

from tiers.model import ladder, reference
from tiers.model.orm import ChainRole, Recognition
from tiers.text.values import batch_text

LEADER = "链主"
LEADER_SUFFIX = "（链主）"


def leader_titles(today: dt.date, recognition=Recognition) -> Select:
    """(enterprise_id, chain_code) of the 链主 recognitions in force today."""
    return select(recognition.enterprise_id, recognition.chain_code).where(
        recognition.tier_code.in_(ladder.chain_bound_codes()),
        recognition.chain_code.isnot(None), ladder.held_condition(today, recognition))


def members(today: dt.date, chain_codes: Iterable[str] | None = None) -> CompoundSelect:
    """(enterprise_id, chain_code): each firm on each chain (of ``chain_codes``; None: of
    every chain), by a role or by a 链主 recognition in force, each pair once."""
    roles = select(ChainRole.enterprise_id, ChainRole.chain_code)
    titles = leader_titles(today)
    if chain_codes is not None:
        codes = list(chain_codes)
        roles = roles.where(ChainRole.chain_code.in_(codes))
        titles = titles.where(Recognition.chain_code.in_(codes))
    # one set, not an OR of two EXISTS: PostgreSQL guessed 75% for that, not 3%, and sorted
    # every firm before filtering (2.8 s)
    return union(roles, titles)


def member_ids(today: dt.date, chain_codes: Iterable[str] | None = None) -> Select:
    """The ids of the firms on any of ``chain_codes`` (role or 链主 in force)."""
    pairs = members(today, chain_codes).subquery()
    return select(pairs.c.enterprise_id)


def leader_ids(today: dt.date, chain_codes: Iterable[str] | None = None) -> CompoundSelect:
    """The ids of the firms that are 链主 (of one of ``chain_codes``; None: of any chain):
    by the role 链主 or by a 链主 recognition in force (the cell says 某链（链主） for both)."""
    roles = select(ChainRole.enterprise_id).where(ChainRole.role == LEADER)
    titles = leader_titles(today).with_only_columns(Recognition.enterprise_id)
    if chain_codes is not None:
        codes = list(chain_codes)
        roles = roles.where(ChainRole.chain_code.in_(codes))
        titles = titles.where(Recognition.chain_code.in_(codes))
    return union(roles, titles)


@dataclass
class FirmChain:
    """One chain a firm is on: its role there ("" when only a 链主 recognition puts it
    there) and the batches (2025年度) of its 链主 recognitions in force for the chain."""

    chain_code: str
    role: str = ""
    role_id: int | None = None
    titles: list[str] = field(default_factory=list)

    @property
    def leads(self) -> bool:
        return self.role == LEADER or bool(self.titles)

    def title_words(self) -> str:
        """链主（认定：2025年度）: what the recognitions say, read-only beside the role."""
        if not self.titles:
            return ""
        batches = [words for words in self.titles if words]
        return f"{LEADER}（认定：{'、'.join(batches)}）" if batches else f"{LEADER}（认定）"


def _found(session: Session, ids: list[int] | None, today: dt.date
           ) -> dict[int, dict[str, list]]:
    """{firm: {chain code: [role, role id, title batches]}}: the roles in the order they
    were recorded, then the chains only a 链主 recognition names — in one query (plain
    lists and the connection's rows: 100k firms' cells in the roster's whole list)."""
    roles = select(ChainRole.enterprise_id, ChainRole.chain_code, ChainRole.role,
                   ChainRole.id.label("role_id"), literal(None).label("batch_label"),
                   literal(None).label("batch_year"), literal(False).label("is_review"),
                   literal(0).label("source"), ChainRole.id.label("position"))
    titles = leader_titles(today).add_columns(
        literal(None).label("role"), literal(None).label("role_id"),
        Recognition.batch_label, Recognition.batch_year, Recognition.is_review,
        literal(1).label("source"), Recognition.id.label("position"))
    if ids is not None:
        roles = roles.where(ChainRole.enterprise_id.in_(ids))
        titles = titles.where(Recognition.enterprise_id.in_(ids))
    both = union_all(roles, titles).subquery()
    found: dict[int, dict[str, list]] = {}
    query = select(both).order_by(both.c.source, both.c.position)
    for (enterprise_id, code, role, role_id, label, year, is_review, source,
         _position) in session.connection().execute(query):
        chains = found.get(enterprise_id)
        if chains is None:
            chains = found[enterprise_id] = {}
        entry = chains.get(code)
        if entry is None:
            entry = chains[code] = ["", None, []]
        if source == 0:
            entry[0], entry[1] = role or "", role_id
            continue
        words = batch_text(label, year, is_review=bool(is_review))
        if words not in entry[2]:
            entry[2].append(words)  # "" for one with neither batch nor year
    return found


def chains_of(session: Session, ids: list[int] | None, today: dt.date
              ) -> dict[int, list[FirmChain]]:
    """Each firm's chains (of ``ids``; None: of every firm): the roles in the order they
    were recorded, then the chains only a 链主 recognition names — in one query."""
    return {enterprise_id: [FirmChain(code, role, role_id, titles)
                            for code, (role, role_id, titles) in chains.items()]
            for enterprise_id, chains in _found(session, ids, today).items()}


def chain_cells(session: Session, ids: list[int] | None, today: dt.date) -> dict[int, str]:
    """Each firm's 所属产业链 cell (of ``ids``; None: of every firm): 起重机（链主）、挖掘机,
    the roles in the order they were recorded, then the chains only a 链主 recognition
    names; 链主 by either marked — the same query, without an object per chain."""
    names = chain_names()
    cells = {}
    for enterprise_id, chains in _found(session, ids, today).items():
        cells[enterprise_id] = "、".join(
            f"{names.get(code, code)}{LEADER_SUFFIX}" if role == LEADER or titles
            else names.get(code, code) for code, (role, _id, titles) in chains.items())
    return cells


def chain_names() -> dict[str, str]:
    """Chain code → chain name, for display."""
    return {chain.code: chain.name for chain in reference.chains()}
