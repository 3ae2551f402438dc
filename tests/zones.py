"""Tests in another time zone than the machine's (CI runs in UTC, officers in Beijing): the
fixtures that set the process's zone, what a stored moment reads as in Beijing, and a firm
moved to the 回收站 (a moment the database stores)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

BEIJING = "CST-8"  # POSIX form: needs no tz database; 8 hours east of UTC, no summer time
BEIJING_OFFSET = dt.timedelta(hours=8)


def _in_zone(monkeypatch, zone: str):
    """The process's local time is ``zone``'s until the test ends (TZ and time.tzset,
    restored after)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def beijing(monkeypatch):
    """The process's local time is Beijing's for the test: what a moment stored as UTC
    must be shown in."""
    yield from _in_zone(monkeypatch, BEIJING)


@pytest.fixture
def utc(monkeypatch):
    """The process's local time is UTC for the test, as on CI."""
    yield from _in_zone(monkeypatch, "UTC0")


def in_beijing(stored: dt.datetime | str) -> str:
    """A stored moment (naive UTC, or its ISO text) to the minute as Beijing reads it."""
    if isinstance(stored, str):
        stored = dt.datetime.fromisoformat(stored)
    return f"{stored + BEIJING_OFFSET:%Y-%m-%d %H:%M}"


def binned_firm(database, credit_code: str, name: str) -> int:
    """A firm of 溧阳市 made, then moved to the 回收站 by liyang02 (each written in a
    transaction of its own, so its 移入时间 is a moment stored): its id."""
    from tiers.services import enterprises

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": credit_code, "name": name,
                                            "county": "溧阳市"}).id
    with database.session() as session:
        enterprises.soft_delete(session, firm, user="liyang02")
    return firm
