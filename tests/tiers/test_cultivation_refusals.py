"""培育库 keeps one entry per firm and target tier, and none for a target the firm holds.
It accepted both without a word (the 培育库 then said 41 家 for 40 firms): a second entry of
one target (another year) is refused naming the entry there and what to do (修改已有条目);
a target held (in force, or a higher rung of the ladder held) is refused naming the title;
a firm only 公示中 for it may be added (a 公示 can fail), with a warning. The rule is in the
service, so the client's form, 候选企业's 加入培育库 and ``tiers bulk cultivate`` all keep it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import entry_kept
from tiers.model.orm import CultivationEntry
from tiers.services import ValidationError, cultivation, cultivation_rule, recognitions
from tiers.services import candidates as candidate_services

THIS_YEAR = dt.date.today().year


def _entries(session) -> int:
    return session.scalar(select(func.count()).select_from(CultivationEntry))


def test_a_second_entry_of_one_target_is_refused_naming_the_one_there(session,
                                                                      enterprise_factory):
    firm = enterprise_factory("常州重复培育有限公司")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    with pytest.raises(ValidationError) as info:
        cultivation.add(session, firm.id, {"target_tier": "专精特新中小企业",
                                           "target_year": THIS_YEAR + 2})
    assert info.value.fields == {"target_tier": (
        f"该企业已在培育库中：省级专精特新中小企业，目标年度{THIS_YEAR + 1}年（培育中）。"
        "同一企业同一目标梯度只保留一条，请修改已有条目（如改目标年度）")}
    with pytest.raises(ValidationError):  # the same year too (as before)
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    with pytest.raises(ValidationError):  # and from 候选企业
        candidate_services.add_candidate(session, firm.id, "zjtx", readiness="条件均满足",
                                         officer="王丽")
    assert _entries(session) == 1
    # another target is another entry
    cultivation.add(session, firm.id, {"target_tier": "little_giant",
                                       "target_year": THIS_YEAR + 3})
    assert _entries(session) == 2


def test_a_target_held_is_refused_naming_the_title(session, enterprise_factory):
    firm = enterprise_factory("常州已认定培育有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR - 1,
                                        "batch_label": f"{THIS_YEAR - 1}年度"})
    with pytest.raises(ValidationError) as info:
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    assert info.value.fields["target_tier"] == (
        f"该企业已是省级专精特新中小企业（{THIS_YEAR - 1}年度，有效期至{THIS_YEAR + 2}-12-31），"
        "无需加入培育库")
    # a lower rung of the ladder is held too
    with pytest.raises(ValidationError) as info:
        cultivation.add(session, firm.id, {"target_tier": "innovative",
                                           "target_year": THIS_YEAR + 1})
    assert info.value.fields["target_tier"].endswith("，高于创新型中小企业，无需加入培育库")
    assert _entries(session) == 0
    cultivation.add(session, firm.id, {"target_tier": "little_giant",
                                       "target_year": THIS_YEAR + 1})
    assert _entries(session) == 1


def test_a_higher_rung_held_names_its_batch_and_validity(session, enterprise_factory):
    firm = enterprise_factory("常州巨人培育有限公司")
    recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_label": "第七批",
                                        "batch_year": 2025,
                                        "valid_until": dt.date(THIS_YEAR + 2, 6, 30)})
    with pytest.raises(ValidationError) as info:
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    assert info.value.fields["target_tier"] == (
        f"该企业已是专精特新“小巨人”企业（2025年第七批，有效期至{THIS_YEAR + 2}-06-30），"
        "高于省级专精特新中小企业，无需加入培育库")


def test_an_expired_or_revoked_title_is_no_refusal(session, enterprise_factory):
    lapsed = enterprise_factory("常州过期培育有限公司")
    recognitions.add(session, lapsed.id, {"tier_code": "zjtx", "batch_year": 2019,
                                          "valid_until": dt.date(2022, 12, 31)})
    cultivation.add(session, lapsed.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    assert _entries(session) == 1


def test_a_firm_only_publicised_for_its_target_may_be_added_with_a_warning(
        session, enterprise_factory):
    firm = enterprise_factory("常州公示培育有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR,
                                        "batch_label": f"{THIS_YEAR}年度", "is_pending": True})
    standing = cultivation_rule.standing(session, firm.id)
    assert cultivation_rule.refusal(standing, "zjtx") == ""
    assert cultivation_rule.notice(standing, "zjtx") == (
        f"该企业已在省级专精特新中小企业{THIS_YEAR}年度公示名单中（公示中，待正式认定）；"
        "公示未通过时仍需培育，所以仍可加入")
    assert cultivation_rule.notice(standing, "little_giant") == ""
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    assert _entries(session) == 1


def test_an_edit_may_not_make_a_second_entry_but_old_pairs_still_edit(session,
                                                                      enterprise_factory):
    firm = enterprise_factory("常州修改培育有限公司")
    zjtx = cultivation.add(session, firm.id, {"target_tier": "zjtx",
                                              "target_year": THIS_YEAR + 1})
    giant = cultivation.add(session, firm.id, {"target_tier": "little_giant",
                                               "target_year": THIS_YEAR + 2})
    with pytest.raises(ValidationError) as info:
        cultivation.edit(session, giant.id, {"target_tier": "zjtx"})
    assert "请修改已有条目" in info.value.fields["target_tier"]
    cultivation.edit(session, zjtx.id, {"target_year": THIS_YEAR + 2, "officer": "王丽"})
    # two entries of one target kept from an older version: each still edits (not its target)
    older = entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR})
    cultivation.edit(session, older.id, {"status": "退出", "note": "并入另一条"})
    assert (older.status, older.note) == ("退出", "并入另一条")
    # an entry whose firm has been recognised since (已认定) still edits
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR})
    cultivation.edit(session, zjtx.id, {"status": "已认定"})
    assert zjtx.status == "已认定"
