"""Fixtures of the exchange package tests (a module of its own that defines a fixture of
the same name keeps its own)."""

from __future__ import annotations

import pytest

from tests.tiers.exchange_helpers import county_database
from tiers.storage.database import open_database


@pytest.fixture
def county(new_target):
    """A county's database: 60 demo firms in 武进区, 新北区 and 天宁区."""
    database = county_database(new_target("county.sqlite3"), enterprises=60)
    yield database
    database.dispose()


@pytest.fixture
def city(new_target):
    """The city's database, empty."""
    database = open_database(new_target("city.sqlite3"))
    yield database
    database.dispose()
