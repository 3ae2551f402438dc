"""Per-column filters of the 企业库 on 有效期至 and 扶持合计 (#19): a comparison typed as in
Excel (<2027-06-30, >=50) or a value; a bad one is a Chinese message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tiers.errors import InvalidInput
from tiers.queries import roster
from tiers.services import measures, recognitions

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def firms(session, enterprise_factory):
    made = {}
    for key, until, paid in (("soon", dt.date(2027, 3, 31), "80"),
                             ("late", dt.date(2028, 12, 31), "20"),
                             ("none", None, None)):
        firm = enterprise_factory(f"常州{key}列筛选有限公司")
        if until:
            recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025,
                                                "recognized_on": dt.date(2025, 1, 1),
                                                "valid_until": until})
        if paid:
            measures.add(session, firm.id, {"kind": "认定奖励", "name": "奖励",
                                            "amount": Decimal(paid),
                                            "paid_on": dt.date(2026, 1, 5)})
        made[key] = firm.id
    session.flush()
    return made


def found(session, key, text):
    return set(roster.roster_ids(session, roster.RosterFilter(columns=((key, text),),
                                                               today=TODAY)))


def test_dates_and_amounts_filter_by_comparison_or_value(session, firms):
    assert found(session, "valid_until", "<2027-06-30") == {firms["soon"]}
    assert found(session, "valid_until", "＞＝2027-06-30") == {firms["late"]}
    assert found(session, "valid_until", "2028-12") == {firms["late"]}
    assert found(session, "support_total", ">=50") == {firms["soon"]}
    assert found(session, "support_total", "<50") == {firms["late"], firms["none"]}
    assert found(session, "support_total", "20") == {firms["late"]}


def test_a_bad_comparison_is_a_chinese_message(session, firms):
    with pytest.raises(InvalidInput, match="不是可比较的值"):
        found(session, "support_total", ">=五十")
    with pytest.raises(InvalidInput, match="日期写作 2027-06-30"):
        found(session, "valid_until", "<2027-13-40")
