"""What the break campaign of #16 found in the package import (benchmarks/break_writes.py
drives the blows; these are the findings kept as tests), on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database
from tiers.exchange import export_package, import_package, read_package
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    CultivationEntry,
    Enterprise,
    Recognition,
    SupportMeasure,
)
from tiers.progress import drain
from tiers.services import enterprises
from tiers.storage.database import open_database

RECORDS = (Recognition, AnnualFigures, SupportMeasure, ChainRole, CultivationEntry)


def _export(database, path, when):
    with database.session() as session:
        drain(export_package(session, path, counties=[WUJIN], now=when))
    return read_package(path)


def _import(database, package):
    with database.session() as session:
        return drain(import_package(session, package, user="市局"))


@pytest.fixture
def county(new_target):
    database = county_database(new_target("county.sqlite3"), enterprises=60)
    yield database
    database.dispose()


@pytest.fixture
def city(new_target):
    database = open_database(new_target("city.sqlite3"))
    yield database
    database.dispose()


def _records_of(database, code: str) -> dict[str, int]:
    with database.session() as session:
        firm_id = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        return {model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.enterprise_id == firm_id))
            for model in RECORDS}


def test_a_newer_package_imported_twice_keeps_the_records_of_the_firms_it_binned(
        county, city, tmp_path):
    """The county deleted a firm: the newer package moves it to the recycle bin with its
    records (restorable). Imported a second time it must change nothing; it used to take
    the firm, already in the bin, for one whose records the county had deleted."""
    _import(city, _export(county, tmp_path / "wj1.zip", DAY))
    with county.session() as session:
        gone = session.scalars(select(Enterprise).join(Recognition).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        code = gone.credit_code
        enterprises.soft_delete(session, gone.id)
    held = _records_of(city, code)
    assert held["recognition"] > 0
    newer = _export(county, tmp_path / "wj2.zip", DAY + dt.timedelta(days=1))

    first = _import(city, newer)
    assert first.deleted["enterprises"] == 1
    assert _records_of(city, code) == held

    again = _import(city, newer)
    assert not any(again.deleted.values()), again.deleted
    assert again.batch_id is None
    assert _records_of(city, code) == held  # restoring the firm brings them back
