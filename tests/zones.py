"""Tests in another time zone than the machine's (CI runs in UTC, officers in Beijing)."""

from __future__ import annotations

import time

import pytest

BEIJING = "CST-8"  # POSIX form: needs no tz database; 8 hours east of UTC, no summer time


@pytest.fixture
def beijing(monkeypatch):
    """The process's local time is Beijing's for the test (TZ and time.tzset, restored
    after): what a moment stored as UTC must be shown in."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only")
    monkeypatch.setenv("TZ", BEIJING)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def utc(monkeypatch):
    """The process's local time is UTC for the test, as on CI."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only")
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
