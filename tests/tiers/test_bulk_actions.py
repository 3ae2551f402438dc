"""Bulk actions on selected firms: a preview per firm (changed or skipped and why), one
transaction, one change entry per firm under one batch, versions raised, and the group
undone by the import undo (importers.undo), on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tests.importers.helpers import undo
from tiers.model.orm import (
    ChainRole,
    Change,
    CultivationEntry,
    Enterprise,
    ImportBatch,
    Recognition,
    SupportMeasure,
)
from tiers.services import bulk, chains, cultivation, enterprises, recognitions
from tiers.services.errors import ValidationError


@pytest.fixture
def firms(database):
    """Three 武进区 firms: the first already in 培育库 (专精特新 2026, 王明), on 智能电网
    (配套企业) and with a 2022年度 专精特新 recognition; the third with one of 2025."""
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": make_code(i), "county": "武进区",
                                            "name": f"常州批量{i}科技有限公司"}).id
               for i in range(1, 4)]
        cultivation.add(session, ids[0], {"target_tier": "专精特新中小企业", "target_year": 2026,
                                          "officer": "王明"})
        chains.set_role(session, ids[0], "智能电网", "配套企业", note="重点联系")
        recognitions.add(session, ids[0], {"tier_code": "专精特新中小企业", "batch_year": 2022,
                                           "batch_label": "2022年度"})
        recognitions.add(session, ids[2], {"tier_code": "专精特新中小企业", "batch_year": 2025})
    return ids


def _snapshot(database) -> dict:
    """Every table a bulk action writes, as plain rows (what an undo must give back)."""
    with database.session() as session:
        out = {}
        for model in (Enterprise, CultivationEntry, SupportMeasure, ChainRole, Recognition):
            table = model.__table__
            columns = [c for c in table.c if c.name not in ("version", "updated_at")]
            out[table.name] = sorted(tuple(row) for row in session.execute(select(*columns)))
        return out


def _versions(database, ids) -> list[int]:
    with database.session() as session:
        return [session.get(Enterprise, i).version for i in ids]


def _apply(database, action, ids, values):
    with database.session() as session:
        return bulk.apply(session, action, ids, values, user="张三")


def _check_group(database, result, ids_changed, versions_before, all_ids):
    """One change entry per changed firm, all in the batch; versions raised for them only."""
    with database.session() as session:
        per_firm = dict(session.execute(
            select(Change.enterprise_id, func.count()).where(
                Change.import_batch_id == result.batch_id).group_by(Change.enterprise_id)).all())
        batch = session.get(ImportBatch, result.batch_id)
    assert per_firm == {i: 1 for i in ids_changed}
    assert batch.kind == "bulk" and result.label in batch.file_name
    after = _versions(database, all_ids)
    for i, before, now in zip(all_ids, versions_before, after, strict=True):
        assert now == before + (1 if i in ids_changed else 0)


def _round_trip(database, firms, action, values, changed_positions):
    """Preview, apply, check the group, undo, and find every table as it was."""
    before = _snapshot(database)
    versions_before = _versions(database, firms)
    with database.session() as session:
        draft = bulk.preview(session, action, firms, values)
    assert [i for i, item in enumerate(draft.items) if not item.skip] == changed_positions
    result = _apply(database, action, firms, values)
    changed = [firms[i] for i in changed_positions]
    assert result.changed == changed
    _check_group(database, result, changed, versions_before, firms)
    assert _snapshot(database) != before
    undo(database, result.batch_id)
    assert _snapshot(database) == before
    return draft


def test_cultivate_skips_a_firm_already_there_and_undoes_as_a_group(database, firms):
    # the third firm holds 专精特新 (its 2025年度 recognition, in force): nothing to cultivate
    draft = _round_trip(database, firms, "cultivate",
                        {"target_tier": "专精特新中小企业", "target_year": 2026, "officer": "李四"}, [1])
    assert draft.items[0].skip == "已在培育库中（省级专精特新中小企业 2026年）"
    assert draft.items[1].change == "加入培育库：省级专精特新中小企业 2026年，包挂责任人 李四"
    assert draft.items[2].skip == ("该企业已是省级专精特新中小企业（2025年，有效期至2028-12-31），"
                                   "无需加入培育库")
    assert draft.summary() == "将为 1 家企业加入培育库；跳过 2 家（原因见列表）。"


def test_cultivate_skips_a_firm_there_for_the_target_in_another_year(database, firms):
    """One entry per firm and target: another year's is edited, not added beside it."""
    with database.session() as session:
        draft = bulk.preview(session, "cultivate", firms,
                             {"target_tier": "专精特新中小企业", "target_year": 2027})
    assert draft.items[0].skip == ("已在培育库中（省级专精特新中小企业 2026年，培育中）；"
                                   "同一目标梯度只保留一条，请修改已有条目")
    assert draft.items[1].change == "加入培育库：省级专精特新中小企业 2027年"
    with database.session() as session:
        draft = bulk.preview(session, "cultivate", firms,
                             {"target_tier": "小巨人", "target_year": 2027})
    assert [item.skip for item in draft.items] == ["", "", ""]  # a higher rung: all may aim


def test_set_officer_changes_only_firms_in_the_cultivation_list(database, firms):
    draft = _round_trip(database, firms, "officer", {"officer": "李四"}, [0])
    assert draft.items[0].change == "省级专精特新中小企业 2026年 包挂责任人：王明 → 李四"
    assert draft.items[1].skip.startswith("不在培育库中")


def test_record_measure_adds_the_same_measure_to_each(database, firms):
    values = {"kind": "资金奖励", "name": "专精特新奖励", "amount": "20", "year": 2026}
    draft = _round_trip(database, firms, "measure", values, [0, 1, 2])
    assert draft.items[0].change == ("记录扶持措施：2026年 资金奖励“专精特新奖励” 20万元"
                                     "（状态：审核，未填兑现日期，不计入兑现金额）")
    _apply(database, "measure", firms[:1], values)
    with database.session() as session:
        assert bulk.preview(session, "measure", firms, values).items[0].skip \
            == "已有同一年度的同一项扶持措施"
        amounts = session.scalars(select(SupportMeasure.amount)).all()
    assert amounts == [Decimal("20")]


def test_set_chain_changes_the_role_and_keeps_the_note(database, firms):
    draft = _round_trip(database, firms, "chain", {"chain": "智能电网", "role": "核心配套"},
                        [0, 1, 2])
    assert draft.items[0].change.endswith("角色：配套企业 → 核心配套")
    assert draft.items[1].change.startswith("加入产业链：")
    _apply(database, "chain", firms, {"chain": "智能电网", "role": "核心配套"})
    with database.session() as session:
        notes = session.scalars(select(ChainRole.note).where(ChainRole.enterprise_id == firms[0]))
        assert list(notes) == ["重点联系"]


def test_mark_reviewed_adds_the_next_cycle_with_the_ladders_validity(database, firms):
    values = {"tier_code": "专精特新中小企业", "batch_year": 2025, "batch_label": "2025年度复核"}
    draft = _round_trip(database, firms, "review", values, [0])
    assert draft.items[1].skip == "没有省级专精特新中小企业的认定，不能复核"
    assert draft.items[2].skip == "已有2025年或更晚的省级专精特新中小企业认定"
    assert "复核 2022年度" in draft.items[0].change
    _apply(database, "review", firms, values)
    with database.session() as session:
        new = session.scalar(select(Recognition).where(Recognition.is_review))
    assert (new.enterprise_id, new.is_review, new.review_of_batch) == (firms[0], True, "2022年度")
    assert new.valid_until == dt.date(2028, 12, 31)  # batch year + 3 years, as the ladder has it


def test_trash_and_its_undo_bring_the_firms_back(database, firms):
    _round_trip(database, firms, "trash", {}, [0, 1, 2])
    _apply(database, "trash", firms[:2], {})
    with database.session() as session:
        draft = bulk.preview(session, "cultivate", firms,
                             {"target_tier": "创新型", "target_year": 2026})
    assert [item.skip for item in draft.items][:2] == ["在回收站中", "在回收站中"]


def test_bad_input_is_refused_before_any_firm(database, firms):
    with database.session() as session, pytest.raises(ValidationError, match="未知的产业链"):
        bulk.preview(session, "chain", firms, {"chain": "不存在的链", "role": "链主"})
    with database.session() as session, pytest.raises(ValidationError, match="包挂责任人"):
        bulk.apply(session, "officer", firms, {"officer": " "})


def test_nothing_to_change_writes_no_batch(database, firms):
    result = _apply(database, "officer", firms[1:], {"officer": "李四"})
    assert result.batch_id is None and result.skipped == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_later_action_on_the_same_records_blocks_the_earlier_undo(database, firms):
    first = _apply(database, "cultivate", firms[1:], {"target_tier": "专精特新中小企业",
                                                      "target_year": 2027})
    second = _apply(database, "officer", firms[1:], {"officer": "赵六"})
    from importers.undo import UndoRefused

    with pytest.raises(UndoRefused, match=f"批次 {second.batch_id}"):
        undo(database, first.batch_id)
    undo(database, second.batch_id)
    undo(database, first.batch_id)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(CultivationEntry)) == 1
