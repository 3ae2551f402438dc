"""Every table sorts blanks last in both directions and Chinese text by pinyin (#19)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tiers.queries import roster
from tiers.services import chains, recognitions
from tiers.text.sorting import sorted_rows


def test_blanks_last_in_both_directions():
    rows = [None, dt.date(2027, 1, 1), "", dt.date(2026, 3, 1), "  ", dt.date(2028, 5, 1)]
    assert sorted_rows(rows, lambda v: v)[:3] == [dt.date(2026, 3, 1), dt.date(2027, 1, 1),
                                                   dt.date(2028, 5, 1)]
    assert sorted_rows(rows, lambda v: v, descending=True)[:3] == [
        dt.date(2028, 5, 1), dt.date(2027, 1, 1), dt.date(2026, 3, 1)]
    for descending in (False, True):
        assert all(v is None or not str(v).strip()
                   for v in sorted_rows(rows, lambda v: v, descending=descending)[3:])


def test_chinese_text_by_pinyin_numbers_by_value():
    names = ["常州的", "常州东", "阿里", "Zeta"]
    assert sorted_rows(names, lambda v: v) == ["阿里", "常州的", "常州东", "Zeta"]
    amounts = [Decimal("10"), Decimal("2.5"), None, Decimal("100")]
    assert sorted_rows(amounts, lambda v: v, descending=True) == [
        Decimal("100"), Decimal("10"), Decimal("2.5"), None]


def test_equal_values_keep_their_order():
    rows = [("a", 1), ("b", 1), ("c", None), ("d", 1)]
    assert sorted_rows(rows, lambda r: r[1], descending=True) == [rows[0], rows[1], rows[3],
                                                                   rows[2]]


def test_roster_puts_firms_without_a_date_last_both_ways(session, enterprise_factory):
    today = dt.date(2026, 11, 21)
    none = enterprise_factory("常州无认定有限公司")
    soon = enterprise_factory("常州快到期有限公司")
    late = enterprise_factory("常州晚到期有限公司")
    recognitions.add(session, soon.id, {"tier_code": "zjtx", "batch_year": 2024,
                                        "valid_until": dt.date(2026, 12, 31)})
    recognitions.add(session, late.id, {"tier_code": "zjtx", "batch_year": 2025,
                                        "valid_until": dt.date(2028, 12, 31)})
    session.flush()
    filters = roster.RosterFilter(today=today)
    assert roster.roster_ids(session, filters, sort="valid_until") == [soon.id, late.id, none.id]
    assert roster.roster_ids(session, filters, sort="valid_until", descending=True) == [
        late.id, soon.id, none.id]
    for sort in ("tier", "year"):
        assert roster.roster_ids(session, filters, sort=sort)[-1] == none.id
        assert roster.roster_ids(session, filters, sort=sort, descending=True)[-1] == none.id


def test_roster_towns_by_pinyin_blank_last(session, enterprise_factory):
    blank = enterprise_factory("常州甲有限公司", town="")
    jiaze = enterprise_factory("常州乙有限公司", town="嘉泽镇")  # 嘉 sorts before 横 by code
    henglin = enterprise_factory("常州丙有限公司", town="横林镇")
    session.flush()

    def ids(descending):
        return roster.roster_ids(session, roster.RosterFilter(), sort="town",
                                 descending=descending)

    assert ids(False) == [henglin.id, jiaze.id, blank.id]
    assert ids(True) == [jiaze.id, henglin.id, blank.id]


def test_column_filters_combine_with_the_panel(session, enterprise_factory):
    today = dt.date(2026, 11, 21)
    a = enterprise_factory("常州恒立液压有限公司", town="湖塘镇")
    b = enterprise_factory("常州恒天机械有限公司", town="牛塘镇")
    c = enterprise_factory("无锡恒通有限公司", town="湖塘镇", county="")
    recognitions.add(session, a.id, {"tier_code": "小巨人", "batch_year": 2024,
                                     "recognized_on": dt.date(2024, 8, 1)})
    chains.set_role(session, b.id, "高档数控机床", "链主")
    session.flush()

    def ids(*columns, **filters):
        return set(roster.roster_ids(session, roster.RosterFilter(
            today=today, columns=columns, **filters)))

    assert ids(("name", "恒")) == {a.id, b.id, c.id}
    assert ids(("name", "恒"), ("town", "湖塘")) == {a.id, c.id}
    assert ids(("name", "恒"), town="牛塘") == {b.id}  # with the panel's 镇街
    assert ids(("tier", "小巨人")) == {a.id}
    assert ids(("year", "2024")) == {a.id}
    assert ids(("chains", "数控")) == {b.id}
    assert ids(("chains", "链主")) == {b.id}
    assert ids(("county", "武进")) == {a.id, b.id}
    assert ids(("credit_code", a.credit_code[-6:].lower())) == {a.id}
