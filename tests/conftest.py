"""Shared fixtures: every test gets its own database and settings in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tiers.model import credit_code  # noqa: E402
from tiers.services import enterprises  # noqa: E402
from tiers.storage.database import Database, open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch) -> None:
    """No test touches the user's real database or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TIERS_DB", str(home / "default.sqlite3"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


@pytest.fixture
def database(tmp_path) -> Iterator[Database]:
    db = open_database(tmp_path / "test.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def session(database):
    """A session inside one transaction, committed at the end of the test."""
    with database.session() as s:
        yield s


def good_zjtx(**overrides):
    """上年度 figures that meet every 专精特新 condition the data can tell."""
    values = dict(revenue=2000, main_revenue=1800, rd_expense=100, niche_years=4,
                  total_assets=2000, total_liabilities=800, employees=100, rd_staff=20,
                  ip_class1=2, ip_class2=3, net_profit=150)
    values.update(overrides)
    return values


def make_code(serial: int, county: str = "320412") -> str:
    """A valid credit code, different for each serial."""
    return credit_code.make(f"91{county}MA{serial:06d}".replace("O", "0"))


@pytest.fixture
def code():
    return make_code


@pytest.fixture
def enterprise_factory(session):
    counter = iter(range(1, 1_000_000))

    def create(name: str | None = None, **values):
        serial = next(counter)
        data = {"credit_code": make_code(serial), "name": name or f"常州测试{serial}科技有限公司",
                "county": "武进区", "town": "湖塘镇", **values}
        return enterprises.create(session, data)

    return create


TODAY = dt.date(2026, 11, 21)


# hypothesis: a fixed seed by default, so that the suite cannot fail by luck in CI (the same
# cases every run); HYPOTHESIS_PROFILE=explore draws fresh, many more cases on demand.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore", max_examples=2000)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- another program holding the database (issue #14, items 7 and 8) ---------------------

@pytest.fixture
def impatient(monkeypatch):
    """Every database opened from now on waits 0.1 s for a lock instead of 10."""
    from tiers.storage import database as storage

    original = storage._sqlite_on_connect

    def on_connect(connection, record):
        original(connection, record)
        connection.execute("PRAGMA busy_timeout = 100")

    monkeypatch.setattr(storage, "_sqlite_on_connect", on_connect)


@pytest.fixture
def impatient_database(tmp_path, impatient):
    db = open_database(tmp_path / "busy.sqlite3")
    yield db
    db.dispose()


@contextmanager
def held_by_another_program(path) -> Iterator[None]:
    """Another connection holds the write lock until the block ends."""
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()
