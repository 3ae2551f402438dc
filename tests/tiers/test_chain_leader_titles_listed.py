"""A 链主 recognition puts the firm on its chain as 链主 everywhere the firm's chains are
listed, not only in its 梯度认定 (chainshow28: one imported from a 链主 list, with no chain
role, showed nowhere else): the chains a firm is on = its chain roles + the chains of its
链主 recognitions in force (not 公示中, run out or revoked), 某链（链主）, each chain once."""

import datetime as dt

import pytest
from sqlalchemy import select

from tiers.model.orm import ChainRole, Recognition
from tiers.queries import chains as chain_queries
from tiers.queries import firm_chains, profiles, roster
from tiers.queries.roster import RosterFilter
from tiers.reports import data
from tiers.reports.base import ReportRequest
from tiers.services import chains, records

TODAY = dt.date(2026, 11, 21)


def title(session, firm, chain_code, **values):
    """A 链主 recognition as an import writes it: no chain role beside it (nor does the
    service's ``recognitions.add`` set one since chain29)."""
    return records.create(session, Recognition, firm.id, {
        "tier_code": "chain_leader", "level": "市级", "batch_label": "2025年度",
        "batch_year": 2025, "chain_code": chain_code, **values},
        user=None, import_batch_id=None)


@pytest.fixture
def firms(session, enterprise_factory):
    made = {name: enterprise_factory(f"常州{name}有限公司") for name in (
        "只有认定", "两条链", "配套又链主", "角色链主", "公示中", "已到期", "已撤销", "小巨人带链",
        "无关")}
    title(session, made["只有认定"], "C05")
    title(session, made["两条链"], "C05")
    title(session, made["两条链"], "C08", batch_label="", batch_year=2026)
    chains.set_role(session, made["配套又链主"].id, "起重机", "核心配套")
    title(session, made["配套又链主"], "C05")
    chains.set_role(session, made["角色链主"].id, "起重机", "链主")
    title(session, made["角色链主"], "C05")
    title(session, made["公示中"], "C05", is_pending=True)
    title(session, made["已到期"], "C05", valid_until=dt.date(2026, 6, 30))
    title(session, made["已撤销"], "C05", revoked_on=dt.date(2026, 3, 1), revoke_reason="更正")
    # a ladder title whose row names a chain: the chain is not part of that title
    records.create(session, Recognition, made["小巨人带链"].id, {
        "tier_code": "little_giant", "level": "国家级", "batch_label": "第六批", "batch_year": 2024,
        "chain_code": "C05"}, user=None, import_batch_id=None)
    session.flush()
    return made


def cells(session, **filters):
    return {row["name"].removeprefix("常州").removesuffix("有限公司"): row["chains"]
            for row in roster.roster(session, RosterFilter(today=TODAY, **filters))}


def test_the_roster_column_names_the_chains_of_titles_in_force(session, firms):
    shown = cells(session)
    assert shown["只有认定"] == "起重机（链主）"
    assert shown["两条链"] == "起重机（链主）、挖掘机（链主）"
    assert shown["配套又链主"] == "起重机（链主）"  # once, as 链主
    assert shown["角色链主"] == "起重机（链主）"
    for name in ("公示中", "已到期", "已撤销", "小巨人带链", "无关"):
        assert shown[name] == "", name
    # the rows the desktop reads in blocks say the same
    ids = [firms["只有认定"].id, firms["两条链"].id]
    assert [r["chains"] for r in roster.roster_rows(session, ids, today=TODAY)] == [
        "起重机（链主）", "起重机（链主）、挖掘机（链主）"]


ON_CRANES = {"只有认定", "两条链", "配套又链主", "角色链主"}


def test_the_chain_filter_and_the_column_filter_find_them(session, firms):
    assert set(cells(session, chain="起重机")) == ON_CRANES
    assert set(cells(session, chain="挖掘机")) == {"两条链"}
    assert set(cells(session, columns=(("chains", "起重机"),))) == ON_CRANES
    # the cell says 起重机（链主）: typing 链主 finds every firm whose cell says so
    assert set(cells(session, columns=(("chains", "链主"),))) == ON_CRANES


def test_the_profile_lists_the_title_beside_the_roles(session, firms):
    def listed(name):
        return profiles.profile(session, firms[name].id, today=TODAY)["chain_titles"]

    assert [(c["chain"], c["words"]) for c in listed("只有认定")] == [
        ("起重机", "链主（认定：2025年度）")]
    assert [(c["chain"], c["words"]) for c in listed("两条链")] == [
        ("起重机", "链主（认定：2025年度）"), ("挖掘机", "链主（认定：2026年）")]
    assert [c["chain"] for c in listed("配套又链主")] == ["起重机"]
    assert listed("公示中") == [] and listed("小巨人带链") == []
    # the roles stay the editable rows, unchanged
    assert profiles.profile(session, firms["只有认定"].id, today=TODAY)["chains"] == []


def test_the_chain_counts_and_the_distribution_count_each_firm_once(session, firms):
    assert chain_queries.chain_counts(session, today=TODAY)["C05"] == len(ON_CRANES)
    assert chain_queries.chain_counts(session, today=TODAY)["C08"] == 1
    members = chain_queries.chain_members(session, "C05", today=TODAY)
    assert {m["name"].removeprefix("常州").removesuffix("有限公司") for m in members} == ON_CRANES
    groups, _held, _names = data.chain_distribution(session, ReportRequest(today=TODAY))
    assert len(groups["C05"].members) == len(ON_CRANES)
    assert len(groups["C05"].leaders) == len(ON_CRANES)


def test_one_query_for_any_number_of_firms(session, firms, database):
    from sqlalchemy import event

    statements = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found = firm_chains.chains_of(session, None, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert len(found) == len(ON_CRANES)
    assert session.scalar(select(ChainRole.id).where(
        ChainRole.enterprise_id == firms["只有认定"].id)) is None
