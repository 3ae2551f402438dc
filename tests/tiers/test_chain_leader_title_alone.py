"""A 链主 recognition added in the firm window (企业窗口 → 梯度认定) is the recognition alone
(chain29): it used to add a chain role 链主 too, which stayed after the title was revoked or
deleted, so the firm went on showing 起重机（链主） with no title in force. The chain shows
through firm_chains while the title is in force, as for one imported from a 链主 list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tiers.model.orm import ChainRole, Recognition
from tiers.queries import chains as chain_queries
from tiers.queries import roster
from tiers.queries.roster import RosterFilter
from tiers.reports import data
from tiers.reports.base import ReportRequest
from tiers.services import chains, recognitions
from tiers.services.profile import DELETED, EDITED, NEW, RecordEdit, save_profile

TODAY = dt.date(2026, 11, 21)
TITLE = {"tier_code": "链主", "level": "市级", "chain_code": "起重机", "batch_label": "2025年度",
         "batch_year": 2025}


def cell(session, firm):
    [row] = roster.roster_rows(session, [firm.id], today=TODAY)
    return row["chains"]


def roles(session, firm):
    return session.scalars(select(ChainRole).where(ChainRole.enterprise_id == firm.id)).all()


def the_title(session, firm):
    return session.scalar(select(Recognition).where(Recognition.enterprise_id == firm.id))


def test_the_window_adds_the_title_alone_and_its_chain_shows(session, enterprise_factory):
    firm = enterprise_factory()
    save_profile(session, firm.id, {}, recognition_edits=[RecordEdit(NEW, values=TITLE)])
    session.flush()
    assert roles(session, firm) == []
    assert cell(session, firm) == "起重机（链主）"
    members = chain_queries.chain_members(session, "C05", today=TODAY)
    assert [(m["enterprise_id"], m["role"], m["is_leader"], m["chain_role_id"])
            for m in members] == [(firm.id, "链主", True, None)]
    groups, _held, _names = data.chain_distribution(session, ReportRequest(today=TODAY))
    assert groups["C05"].members == {firm.id} and groups["C05"].leaders == [firm.name]


def test_revoked_in_the_window_the_firm_leads_no_chain(session, enterprise_factory):
    firm = enterprise_factory()
    save_profile(session, firm.id, {}, recognition_edits=[RecordEdit(NEW, values=TITLE)])
    session.flush()
    title = the_title(session, firm)
    save_profile(session, firm.id, {}, recognition_edits=[RecordEdit(
        EDITED, title.id, values={}, revoke=("认定有误", dt.date(2026, 3, 1)))])
    session.flush()
    assert roles(session, firm) == []
    assert cell(session, firm) == ""
    assert roster.roster(session, RosterFilter(today=TODAY, chain="起重机")) == []
    assert chain_queries.chain_members(session, "C05", today=TODAY) == []


def test_deleted_in_the_window_the_firm_leads_no_chain(session, enterprise_factory):
    firm = enterprise_factory()
    save_profile(session, firm.id, {}, recognition_edits=[RecordEdit(NEW, values=TITLE)])
    session.flush()
    save_profile(session, firm.id, {}, recognition_edits=[
        RecordEdit(DELETED, the_title(session, firm).id)])
    session.flush()
    assert roles(session, firm) == []
    assert cell(session, firm) == ""


def test_a_role_of_its_own_stays_as_it_was(session, enterprise_factory):
    """A role the officer set (产业链 page, 产业链 tab) is neither changed nor taken away by
    a title of the same chain, added or revoked."""
    firm = enterprise_factory()
    chains.set_role(session, firm.id, "起重机", "核心配套")
    save_profile(session, firm.id, {}, recognition_edits=[RecordEdit(NEW, values=TITLE)])
    session.flush()
    assert [(r.chain_code, r.role) for r in roles(session, firm)] == [("C05", "核心配套")]
    assert cell(session, firm) == "起重机（链主）"
    recognitions.revoke(session, the_title(session, firm).id, reason="更正",
                        on=dt.date(2026, 3, 1))
    session.flush()
    assert [(r.chain_code, r.role) for r in roles(session, firm)] == [("C05", "核心配套")]
    assert cell(session, firm) == "起重机"


def test_a_confirmed_pending_title_adds_no_role_either(session, enterprise_factory):
    """公示结束 (确认认定): the title comes into force; the chain shows through it."""
    firm = enterprise_factory()
    pending = recognitions.add(session, firm.id, {**TITLE, "is_pending": True})
    session.flush()
    assert cell(session, firm) == ""
    recognitions.confirm(session, pending.id)
    session.flush()
    assert roles(session, firm) == []
    assert cell(session, firm) == "起重机（链主）"
