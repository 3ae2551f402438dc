"""Moments are stored as naive UTC (orm.utcnow) and shown in the machine's local time: shown
as stored, an officer in Beijing read every 导入时间, 变更时间, 移入时间 and 撤销时间 8 hours
early (11:41 CST listed as 03:41). One function turns them (values.local_moment, through
show(value, "datetime")); dates and moments that are local already are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.zones import beijing, binned_firm, in_beijing, utc  # noqa: F401 (fixtures)
from tiers.model.orm import Enterprise
from tiers.queries import binned
from tiers.services import profile
from tiers.text.changes import value_text
from tiers.text.counts import batch_state
from tiers.text.values import local_moment, show

STORED = dt.datetime(2026, 12, 7, 3, 41, 27, 123456)  # 11:41 in Beijing


def test_a_stored_moment_is_shown_in_local_time(beijing):  # noqa: F811
    assert local_moment(STORED) == dt.datetime(2026, 12, 7, 11, 41, 27, 123456)
    assert show(STORED, "datetime") == "2026-12-07 11:41"
    assert show(STORED) == "2026-12-07 11:41"  # a table cell guesses the kind from the type
    # across midnight the day changes too
    assert show(dt.datetime(2026, 12, 31, 20, 5), "datetime") == "2027-01-01 04:05"
    # the audit trail's JSON holds a moment field's value (移入回收站时间) as ISO text
    assert value_text("deleted_at", STORED.isoformat()) == "2026-12-07 11:41"
    assert show("2026-12-07T03:41:27", "datetime") == "2026-12-07 11:41"
    # an aware moment (a PostgreSQL timestamptz) is the same moment, whatever its zone
    assert show(STORED.replace(tzinfo=dt.UTC), "datetime") == "2026-12-07 11:41"
    cst = dt.timezone(dt.timedelta(hours=8))
    assert show(dt.datetime(2026, 12, 7, 11, 41, tzinfo=cst)) == "2026-12-07 11:41"
    assert show("2026-12-07T11:41:00+08:00") == "2026-12-07T11:41:00+08:00"  # text: a text
    # dates are days, not moments: never moved
    assert show(dt.date(2026, 12, 7)) == "2026-12-07"
    assert show("2026-12-07", "date") == "2026-12-07"
    assert value_text("recognized_on", "2026-12-07") == "2026-12-07"
    # 已撤销 time, in 导入记录 (client and CLI)
    assert batch_state({"undone_at": STORED, "undone_by": "张三"}) == "已撤销 2026-12-07 11:41（张三）"


def test_under_utc_nothing_changes(utc):  # noqa: F811
    """CI runs in UTC: there the moments read as stored, as they always did."""
    assert local_moment(STORED) == STORED
    assert show(STORED, "datetime") == show(STORED) == "2026-12-07 03:41"
    assert value_text("deleted_at", STORED.isoformat()) == "2026-12-07 03:41"
    assert batch_state({"undone_at": STORED, "undone_by": ""}) == "已撤销 2026-12-07 03:41"


def test_the_bin_and_a_save_into_it_say_the_local_time(beijing, database, code):  # noqa: F811
    """回收站's 已由 … 于 … 移入回收站, and the message of a save into a firm moved there."""
    firm = binned_firm(database, code(1), "溧阳市时区有限公司")
    with database.session() as session:
        stored = session.scalar(select(Enterprise.deleted_at).where(Enterprise.id == firm))
        shown = in_beijing(stored)
        assert binned.binned(session, [firm])[firm].words() == f"已由 liyang02 于 {shown} 移入回收站"
        with pytest.raises(profile.FirmBinned) as refused:
            profile.refuse_a_firm_not_there(session, firm)
    assert f"于 {shown} 移入回收站，这次没有保存" in str(refused.value)
    assert f"{stored:%Y-%m-%d %H:%M}" not in str(refused.value)
