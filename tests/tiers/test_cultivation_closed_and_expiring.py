"""The 培育库 rule's edges (review of cult19): editing one of two entries of one target kept
from an older version to the other's year hit the unique key ("意外错误：UNIQUE constraint
failed…") and is now refused in Chinese; an entry closed (未通过, 退出, 已认定) is the history
of its year and blocks no other year; a title that ends before the target year (a firm
preparing for its 复核) is not held for that year."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import entry_kept
from tiers.model.orm import CultivationEntry
from tiers.services import ValidationError, bulk, cultivation, recognitions

THIS_YEAR = dt.date.today().year


def _entries(session, firm_id) -> list[tuple]:
    return [tuple(row) for row in session.execute(
        select(CultivationEntry.target_year, CultivationEntry.status)
        .where(CultivationEntry.enterprise_id == firm_id).order_by(CultivationEntry.id))]


def test_editing_a_twin_to_the_other_twins_year_is_refused_in_chinese(session,
                                                                     enterprise_factory):
    firm = enterprise_factory("常州旧库重复有限公司")
    entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    second = entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 2})
    with pytest.raises(ValidationError) as info:
        cultivation.edit(session, second.id, {"target_year": THIS_YEAR + 1})
    assert info.value.fields == {"target_tier": (
        f"该企业在培育库中已有一条省级专精特新中小企业、目标年度{THIS_YEAR + 1}年的条目（培育中），"
        "同一企业同一目标梯度每个年度只能有一条。请先移出该条，再修改本条")}
    assert _entries(session, firm.id) == [(THIS_YEAR + 1, "培育中"), (THIS_YEAR + 2, "培育中")]
    # editing anything else of a twin still works (as before)
    cultivation.edit(session, second.id, {"officer": "王丽"})


@pytest.mark.parametrize("closed", ["未通过", "退出", "已认定"])
def test_a_closed_entry_blocks_only_its_own_year(session, enterprise_factory, closed):
    firm = enterprise_factory("常州未通过再培育有限公司")
    old = cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR})
    cultivation.edit(session, old.id, {"status": closed})
    # its own year is still the database's one entry: refused in words, not a key error
    with pytest.raises(ValidationError, match="每个年度只能有一条") as info:
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR})
    assert f"（{closed}）" in info.value.fields["target_tier"]
    # the bulk action skips it with the same words, writes nothing
    draft = bulk.preview(session, "cultivate", [firm.id],
                         {"target_tier": "zjtx", "target_year": THIS_YEAR})
    assert not draft.changing and "每个年度只能有一条" in draft.skipped[0].skip
    # another year is a new entry
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    assert _entries(session, firm.id) == [(THIS_YEAR, closed), (THIS_YEAR + 1, "培育中")]
    # opening the closed one again beside the open one would be a second open entry
    with pytest.raises(ValidationError, match="同一企业同一目标梯度只保留一条"):
        cultivation.edit(session, old.id, {"status": "培育中"})

def test_a_title_ending_before_the_target_year_is_not_held_for_it(session,
                                                                  enterprise_factory):
    firm = enterprise_factory("常州待复核科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR - 2,
                                        "batch_label": f"{THIS_YEAR - 2}年度"})
    # in force until the end of next year: held for next year's target
    with pytest.raises(ValidationError, match="无需加入培育库"):
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    # the year after it ends the firm is prepared for its 复核
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 2})
    assert _entries(session, firm.id) == [(THIS_YEAR + 2, "培育中")]
    assert session.scalar(select(func.count()).select_from(CultivationEntry)) == 1
