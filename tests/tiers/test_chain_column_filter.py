"""The 企业库's 所属产业链 column filter keeps the firms whose cell, as the table shows it,
contains the typed text (chain29): it matched a chain's name, so "起重机（链" or "（链主）"
found nothing though the cell says 起重机（链主）. Roles in the order recorded, then the chains
of 链主 recognitions in force (firm_chains); runs on PostgreSQL too (pytest --postgres)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiers.test_chain_leader_titles_listed import title
from tiers.queries import roster
from tiers.queries.roster import RosterFilter
from tiers.services import chains

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def firms(session, enterprise_factory):
    made = {name: enterprise_factory(f"常州{name}有限公司") for name in (
        "认定链主", "角色链主", "配套", "配套后链主", "两条链", "显示", "已撤销", "无链")}
    title(session, made["认定链主"], "C05")  # 起重机（链主）
    chains.set_role(session, made["角色链主"].id, "起重机", "链主")  # 起重机（链主）
    chains.set_role(session, made["配套"].id, "起重机", "核心配套")  # 起重机
    chains.set_role(session, made["配套后链主"].id, "挖掘机", "配套企业")
    title(session, made["配套后链主"], "C05")  # 挖掘机、起重机（链主）
    chains.set_role(session, made["两条链"].id, "起重机", "核心配套")
    chains.set_role(session, made["两条链"].id, "挖掘机", "链主")  # 起重机、挖掘机（链主）
    chains.set_role(session, made["显示"].id, "液晶显示（LCD）", "配套企业")
    chains.set_role(session, made["显示"].id, "5G", "核心配套")  # 液晶显示（LCD）、5G
    title(session, made["已撤销"], "C05", revoked_on=dt.date(2026, 3, 1),
          revoke_reason="更正")  # (empty)
    session.flush()
    return made


def cells(session, text=None):
    filters = RosterFilter(today=TODAY, columns=(("chains", text),) if text else ())
    return {row["name"].removeprefix("常州").removesuffix("有限公司"): row["chains"]
            for row in roster.roster(session, filters)}


def found(session, text):
    return set(cells(session, text))


def test_the_cells_the_filter_is_judged_by(session, firms):
    assert cells(session) == {
        "认定链主": "起重机（链主）", "角色链主": "起重机（链主）", "配套": "起重机",
        "配套后链主": "挖掘机、起重机（链主）", "两条链": "起重机、挖掘机（链主）",
        "显示": "液晶显示（LCD）、5G", "已撤销": "", "无链": ""}


@pytest.mark.parametrize("text", [
    "起重机（链", "机（链主", "（链主）", "链主）", "（链", "）", "主", "链主", "起重机（链主）",
    "重机", "机", "挖掘机、", "、起重机", "机、挖", "挖掘机、起重机（链主）", "、", "（LCD）、5",
    "lcd", "5g", "(链主)", "起重机(链", "起重机（链主）、", "（链主）、", "显示（LCD）、5G",
    "起重机、挖掘机（链主）", "起重机、挖掘机", "挖掘机（链主）、", "LCD）、5G、", "无此链"])
def test_the_filter_finds_the_cells_that_contain_the_text(session, firms, text):
    """Every firm whose cell contains the text, and no other (ASCII letters in any case;
    a half-width bracket typed as the full-width one the cell shows)."""
    typed = text.lower().replace("(", "（").replace(")", "）")
    expected = {name for name, cell in cells(session).items() if typed in cell.lower()}
    assert found(session, text) == expected, text


def test_fragments_the_old_filter_missed(session, firms):
    leaders = {"认定链主", "角色链主", "配套后链主", "两条链"}
    assert found(session, "起重机（链") == {"认定链主", "角色链主", "配套后链主"}
    assert found(session, "（链主）") == leaders
    assert found(session, "链主") == leaders
    assert found(session, "挖掘机、起重机") == {"配套后链主"}  # in that order only
    assert found(session, "起重机、挖掘机") == {"两条链"}
    assert found(session, "机、") == {"配套后链主", "两条链"}
    assert found(session, "起重机") == {"认定链主", "角色链主", "配套", "配套后链主", "两条链"}
