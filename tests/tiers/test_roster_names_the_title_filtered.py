"""Under a status filter the roster's row says which title has that status, and its date:
a firm with a 小巨人 in force to 2028 found by 即将到期 for its 创新型 ending 2026-12-16 read
小巨人 有效期至 2028-09-17 and nothing else (a tester, status23 follow-up item 2) — in the
企业库 (roster_rows, by blocks) as in ``tiers enterprises`` (roster)."""

from __future__ import annotations

import datetime as dt

from tiers.model.orm import Recognition
from tiers.model.vocabulary import tier_words
from tiers.queries.roster import RosterFilter, roster, roster_ids, roster_rows

TODAY = dt.date(2026, 12, 6)


def _firm(session, enterprise_factory):
    firm = enterprise_factory("常州华美医疗科技有限公司")
    session.add_all([
        Recognition(enterprise_id=firm.id, tier_code="little_giant", level="国家级",
                    batch_year=2025, valid_until=dt.date(2028, 9, 17)),
        Recognition(enterprise_id=firm.id, tier_code="innovative", level="省级",
                    batch_year=2023, valid_until=dt.date(2026, 12, 16)),
        Recognition(enterprise_id=firm.id, tier_code="zjtx", level="省级",
                    batch_year=2023, valid_until=dt.date(2026, 1, 31)),
    ])
    session.flush()
    return firm


def test_a_status_filter_names_the_title_and_its_date(session, enterprise_factory):
    firm = _firm(session, enterprise_factory)
    filters = RosterFilter(status="即将到期", today=TODAY)
    [row] = roster(session, filters)
    assert row["tier"] == "专精特新“小巨人”企业"  # the row's own title, in force
    assert row["matched"] == "即将到期：创新型 2026-12-16"
    assert row["review"] == "待复核：省专精特新"
    # the 企业库's blocks say the same, and its 当前梯度 cell (as tiers enterprises) says it
    [block_row] = roster_rows(session, roster_ids(session, filters), filters=filters)
    assert block_row["matched"] == row["matched"]
    assert tier_words(row["tier"], matched=row["matched"]) == \
        "专精特新“小巨人”企业（即将到期：创新型 2026-12-16）"
    # 待复核: the 专精特新 run out in its 2026 round, dated, said once
    [review] = roster(session, RosterFilter(status="待复核", today=TODAY))
    assert (review["matched"], review["review"]) == ("待复核：省专精特新 2026-01-31", "")
    # no status filter: the row as before
    [plain] = roster(session, RosterFilter(today=TODAY))
    assert plain["review"] == "待复核：省专精特新" and plain["matched"] == ""
    assert firm.id == plain["id"]


def test_the_tier_filter_narrows_what_is_named(session, enterprise_factory):
    """With a tier too, the title named is the one found: tier and status together."""
    _firm(session, enterprise_factory)
    assert roster(session, RosterFilter(status="即将到期", tier="创新型",
                                        today=TODAY))[0]["matched"] == "即将到期：创新型 2026-12-16"
    assert roster(session, RosterFilter(status="即将到期", tier="小巨人", today=TODAY)) == []


def test_the_rows_own_title_is_said_once(session, enterprise_factory):
    """A firm whose only title about to expire is the one it holds read
    省专精特新（即将到期：省专精特新 2026-12-27）: the title twice. Beside 当前梯度 it is named by
    its date alone; ``matched`` (``--json``) still names it whole."""
    firm = enterprise_factory("常州合海环保设备科技有限公司")
    session.add(Recognition(enterprise_id=firm.id, tier_code="zjtx", level="省级",
                            batch_year=2023, valid_until=dt.date(2026, 12, 27)))
    session.flush()
    filters = RosterFilter(status="即将到期", today=TODAY)
    [row] = roster(session, filters)
    assert row["matched"] == "即将到期：省专精特新 2026-12-27"
    assert row["matched_beside"] == "即将到期 2026-12-27"
    assert tier_words("省专精特新", matched=row["matched_beside"]) == "省专精特新（即将到期 2026-12-27）"
    [block_row] = roster_rows(session, roster_ids(session, filters), filters=filters)
    assert block_row["matched_beside"] == row["matched_beside"]


def test_the_own_title_first_then_the_others(session, enterprise_factory):
    """Its own title and another about to expire: the own one by its date, then the other."""
    firm = enterprise_factory("常州华美医疗科技有限公司")
    session.add_all([
        Recognition(enterprise_id=firm.id, tier_code="little_giant", level="国家级",
                    batch_year=2023, valid_until=dt.date(2026, 12, 20)),
        Recognition(enterprise_id=firm.id, tier_code="innovative", level="省级",
                    batch_year=2023, valid_until=dt.date(2026, 12, 16))])
    session.flush()
    [row] = roster(session, RosterFilter(status="即将到期", today=TODAY))
    assert row["matched"] == "即将到期：创新型 2026-12-16、小巨人 2026-12-20"
    assert row["matched_beside"] == "即将到期 2026-12-20，及创新型 2026-12-16"


def test_expiring_days_name_the_titles_too(session, enterprise_factory):
    """``tiers enterprises --expiring N`` (RosterFilter.expiring_days) found the firm by its
    创新型 ending in ten days and said only its 小巨人, as the status filters did before."""
    _firm(session, enterprise_factory)
    [row] = roster(session, RosterFilter(expiring_days=30, today=TODAY))
    assert row["matched"] == "即将到期：创新型 2026-12-16"
    assert row["matched_beside"] == row["matched"]
    # a status filter and the days together: each names what it found
    [both] = roster(session, RosterFilter(status="待复核", expiring_days=30, today=TODAY))
    assert both["matched"] == "待复核：省专精特新 2026-01-31；即将到期：创新型 2026-12-16"
    assert roster(session, RosterFilter(expiring_days=5, today=TODAY)) == []
