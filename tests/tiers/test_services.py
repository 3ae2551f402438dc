import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import ChainRole, Change, Enterprise
from tiers.queries import history, profiles, roster
from tiers.queries.cultivation import cultivation_entries
from tiers.services import (
    ValidationError,
    chains,
    cultivation,
    enterprises,
    figures,
    measures,
    recognitions,
)
from tiers.services.errors import NotFound


def test_create_normalises_and_logs(session):
    enterprise = enterprises.create(session, {
        "credit_code": make_code(1).lower(), "name": " 常州恒立(液压)有限公司 ",
        "county": "常州市武进区", "town": "湖塘镇"}, user="张三")
    assert enterprise.credit_code == make_code(1)
    assert enterprise.name == "常州恒立（液压）有限公司"
    assert (enterprise.county_code, enterprise.county_name) == ("320412", "武进区")
    assert enterprise.pinyin_initials.startswith("czhl")
    change = session.scalar(select(Change).where(Change.entity == "enterprise"))
    assert (change.action, change.user) == ("create", "张三")


def test_create_refuses_bad_code_and_empty_name_together(session):
    with pytest.raises(ValidationError) as info:
        enterprises.create(session, {"credit_code": "91320412MA0000015X", "name": " "})
    assert set(info.value.fields) == {"credit_code", "name"}
    assert "校验位" in info.value.fields["credit_code"]


def test_duplicate_code_is_refused_naming_the_owner(session, enterprise_factory):
    first = enterprise_factory("常州甲有限公司")
    with pytest.raises(ValidationError, match="常州甲有限公司"):
        enterprises.create(session, {"credit_code": first.credit_code, "name": "常州乙有限公司"})


def test_update_logs_each_changed_field_and_keeps_old_name(session, enterprise_factory):
    enterprise = enterprise_factory("常州旧名有限公司")
    result = enterprises.update(session, enterprise.id,
                                {"name": "常州新名有限公司", "town": "湖塘镇", "contact_phone": "123"},
                                user="李四")
    assert set(result.fields) == {"name", "name_key", "pinyin_initials", "pinyin_key",
                                  "contact_phone"}
    assert [f.name for f in enterprise.former_names] == ["常州旧名有限公司"]
    fields = set(session.scalars(select(Change.field).where(
        Change.entity == "enterprise", Change.action == "update")))
    assert {"name", "contact_phone"} <= fields
    # the old name still finds the firm
    assert roster.count(session, roster.RosterFilter(search="旧名")) == 1


def test_soft_delete_hides_and_restore_brings_back(session, enterprise_factory):
    enterprise = enterprise_factory()
    enterprises.soft_delete(session, enterprise.id)
    assert roster.count(session, roster.RosterFilter()) == 0
    assert roster.count(session, roster.RosterFilter(deleted=True)) == 1
    with pytest.raises(NotFound):
        enterprises.get(session, enterprise.id)
    enterprises.restore(session, enterprise.id)
    assert roster.count(session, roster.RosterFilter()) == 1


def test_purge_only_from_recycle_bin(session, enterprise_factory):
    enterprise = enterprise_factory()
    with pytest.raises(ValidationError):
        enterprises.purge(session, enterprise.id)
    enterprises.soft_delete(session, enterprise.id)
    enterprises.purge(session, enterprise.id)
    assert session.get(Enterprise, enterprise.id) is None


def test_recognition_defaults_from_tier(session, enterprise_factory):
    enterprise = enterprise_factory()
    rec = recognitions.add(session, enterprise.id, {
        "tier_code": "国家级专精特新小巨人企业", "batch_label": "第五批",
        "recognized_on": dt.date(2023, 7, 14)})
    assert (rec.tier_code, rec.level, rec.issuer) == ("little_giant", "国家级", "工业和信息化部")
    assert rec.batch_year == 2023
    assert rec.valid_until == dt.date(2026, 7, 13)
    yearly = recognitions.add(session, enterprise.id, {"tier_code": "创新型", "batch_year": 2022,
                                                       "batch_label": "2022年度"})
    assert yearly.valid_until == dt.date(2025, 12, 31)


def test_recognition_validation(session, enterprise_factory):
    enterprise = enterprise_factory()
    with pytest.raises(ValidationError, match="未知的梯度层级"):
        recognitions.add(session, enterprise.id, {"tier_code": "金牌企业"})
    with pytest.raises(ValidationError, match="须注明所属产业链"):
        recognitions.add(session, enterprise.id, {"tier_code": "链主企业", "batch_year": 2025})
    with pytest.raises(ValidationError, match="不能早于"):
        recognitions.add(session, enterprise.id, {"tier_code": "小巨人",
                                                  "recognized_on": dt.date(2024, 1, 1),
                                                  "valid_until": dt.date(2023, 1, 1)})


def test_chain_leader_recognition_adds_no_chain_role(session, enterprise_factory):
    """The title alone (chain29): its chain shows through firm_chains while it is in force."""
    enterprise = enterprise_factory()
    added = recognitions.add(session, enterprise.id, {"tier_code": "链主",
                                                      "chain_code": "工业机器人",
                                                      "batch_year": 2025})
    assert added.chain_code == "C31"
    assert session.scalar(select(ChainRole).where(
        ChainRole.enterprise_id == enterprise.id)) is None


def test_edit_and_revoke_recognition(session, enterprise_factory):
    enterprise = enterprise_factory()
    rec = recognitions.add(session, enterprise.id, {"tier_code": "zjtx", "batch_year": 2024})
    changed = recognitions.edit(session, rec.id, {"document_number": "苏工信中小〔2024〕1号"})
    assert set(changed.fields) == {"document_number"}
    with pytest.raises(ValidationError):
        recognitions.revoke(session, rec.id, reason=" ")
    recognitions.revoke(session, rec.id, reason="复核未通过", on=dt.date(2025, 1, 1))
    profile = profiles.profile(session, enterprise.id, today=dt.date(2025, 6, 1))
    assert profile["recognitions"][0]["status"] == "已撤销"
    assert profile["tier_code"] is None


def test_support_measure(session, enterprise_factory):
    enterprise = enterprise_factory()
    measure = measures.add(session, enterprise.id, {"kind": "认定奖励", "amount": "50",
                                                    "paid_on": dt.date(2024, 5, 1)})
    assert measure.year == 2024 and measure.amount == Decimal("50")
    with pytest.raises(ValidationError) as info:
        measures.add(session, enterprise.id, {"kind": "", "amount": "-3"})
    assert {"kind", "amount", "year"} <= set(info.value.fields)
    measures.edit(session, measure.id, {"amount": "60.5"})
    assert roster.roster(session, roster.RosterFilter())[0]["support_total"] == Decimal("60.5")
    measures.delete(session, measure.id)
    assert roster.roster(session, roster.RosterFilter())[0]["support_total"] == 0


def test_annual_figures_upsert(session, enterprise_factory):
    enterprise = enterprise_factory()
    first = figures.set_year(session, enterprise.id, 2024, {"revenue": "1200.5", "rd_staff": 12})
    assert first.action == "create"
    second = figures.set_year(session, enterprise.id, 2024, {"revenue": "1300"})
    assert second.fields == {"revenue": (Decimal("1200.5000"), Decimal("1300"))}
    unchanged = figures.set_year(session, enterprise.id, 2024, {"revenue": "1300.00"})
    assert not unchanged.changed
    with pytest.raises(ValidationError):
        figures.set_year(session, enterprise.id, 2024, {"revenue": "-1"})
    with pytest.raises(ValidationError):
        figures.set_year(session, enterprise.id, 2024, {"market_share": "120"})


def test_chain_roles(session, enterprise_factory):
    enterprise = enterprise_factory()
    assert chains.set_role(session, enterprise.id, "集成电路", "核心配套").action == "create"
    assert chains.set_role(session, enterprise.id, "C25", "链主").fields["role"] == ("核心配套", "链主")
    with pytest.raises(ValidationError):
        chains.set_role(session, enterprise.id, "不存在的链", "链主")
    assert roster.roster(session, roster.RosterFilter(chain="集成电路"))[0]["chains"] == "集成电路（链主）"


def test_cultivation_entries(session, enterprise_factory):
    enterprise = enterprise_factory()
    entry = cultivation.add(session, enterprise.id, {"target_tier": "小巨人", "target_year": 2027,
                                                     "officer": "王丽"})
    with pytest.raises(ValidationError, match="已在培育库"):
        cultivation.add(session, enterprise.id, {"target_tier": "小巨人", "target_year": 2027})
    cultivation.edit(session, entry.id, {"status": "已申报"})
    rows = cultivation_entries(session)
    assert rows[0]["status"] == "已申报" and rows[0]["target_tier_name"] == "专精特新“小巨人”企业"
    cultivation.remove(session, entry.id)
    assert cultivation_entries(session) == []


def test_history_lists_changes_newest_first(session, enterprise_factory):
    enterprise = enterprise_factory()
    enterprises.update(session, enterprise.id, {"town": "牛塘镇"})
    changes = history.history(session, enterprise.id)
    assert [h["action"] for h in changes] == ["update", "create"]
    assert changes[0]["field"] == "town"


def test_audit_writes_money_in_plain_notation():
    from tiers.services.audit import to_json

    assert to_json(Decimal("100.0000")) == '"100"'
    assert to_json(Decimal("1E+2")) == '"100"'
    assert to_json(Decimal("12.5000")) == '"12.5"'


def test_batch_without_year_gets_it_from_the_tier_data(session, enterprise_factory):
    enterprise = enterprise_factory()
    rec = recognitions.add(session, enterprise.id, {"tier_code": "小巨人", "batch_label": "第五批"})
    assert rec.batch_year == 2023 and rec.valid_until == dt.date(2026, 12, 31)


def test_impossible_level_is_refused(session, enterprise_factory):
    enterprise = enterprise_factory()
    with pytest.raises(ValidationError, match="认定级别应为省级、市级"):
        recognitions.add(session, enterprise.id, {"tier_code": "创新型", "level": "国家级",
                                                  "batch_year": 2024})


def test_figures_are_rounded_to_what_the_columns_keep(session, enterprise_factory):
    enterprise = enterprise_factory()
    figures.set_year(session, enterprise.id, 2024, {"niche_years": "3.25", "market_share": "12.3456",
                                                    "revenue": "1.23456"})
    session.expire_all()
    again = figures.set_year(session, enterprise.id, 2024, {"niche_years": "3.25",
                                                            "market_share": "12.3456",
                                                            "revenue": "1.23456"})
    assert not again.changed  # the same values a second time change nothing
    row = profiles.profile(session, enterprise.id)["figures"][0]
    assert row["niche_years"] == Decimal("3.3") and row["market_share"] == Decimal("12.346")
    assert row["revenue"] == Decimal("1.2346")


def test_a_purged_firms_history_does_not_show_under_a_new_firm_with_its_id(session, on_postgres):
    old = enterprises.create(session, {"credit_code": make_code(71), "name": "常州旧企业有限公司"})
    enterprises.update(session, old.id, {"notes": "取消资格"})
    enterprises.soft_delete(session, old.id)
    old_id = old.id
    enterprises.purge(session, old_id)
    new = enterprises.create(session, {"credit_code": make_code(72), "name": "常州新企业有限公司"})
    if not on_postgres:  # (PostgreSQL's sequence never gives an id twice)
        assert new.id == old_id  # SQLite reuses the highest rowid
    assert [h["action"] for h in history.history(session, new.id)] == ["create"]


def test_a_name_taken_back_is_not_shown_as_a_former_name(session, enterprise_factory):
    """A → B → A: the 档案 (dialog and 企业档案 report) listed A as 曾用名 of A itself."""
    enterprise = enterprise_factory("常州回名有限公司")
    enterprises.update(session, enterprise.id, {"name": "常州临时名有限公司"})
    enterprises.update(session, enterprise.id, {"name": "常州回名有限公司"})
    assert profiles.profile(session, enterprise.id)["former_names"] == ["常州临时名有限公司"]
    assert roster.count(session, roster.RosterFilter(search="临时名")) == 1
