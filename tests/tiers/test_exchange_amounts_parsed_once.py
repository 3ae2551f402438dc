"""A package's checked amounts are parsed once: the reader keeps the float of each beside
its text (tiers.storage.bulk.Amounts), SQLite's bulk writer stores those floats instead of
parsing the text again, and what is stored is what the text says."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.exchange.format import RECORD_TABLES
from tiers.model.orm import AnnualFigures
from tiers.storage import bulk_sqlite
from tiers.storage.bulk import Amounts
from tiers.storage.database import open_database

FIGURES = next(spec for spec in RECORD_TABLES if spec.model is AnnualFigures)


def test_the_writer_stores_the_floats_the_reader_made(tmp_path, monkeypatch):
    county = county_database(tmp_path / "county.sqlite3", enterprises=30)
    package = sent(county, tmp_path / "p.zip", WUJIN, DAY)
    revenue = package.table(FIGURES).values["revenue"]
    assert isinstance(revenue, Amounts)
    assert revenue.floats == [float(text) for text in revenue]
    seen: list[type] = []
    original = bulk_sqlite._amounts

    def watching(values):
        seen.extend(map(type, values))
        return original(values)

    monkeypatch.setattr(bulk_sqlite, "_amounts", watching)
    city = open_database(tmp_path / "city.sqlite3")
    imported(city, package)
    assert seen and str not in seen  # (the text parsed again: str)
    with city.session() as session:
        stored = session.scalars(select(AnnualFigures.revenue).order_by(AnnualFigures.id)).all()
    assert stored == [Decimal(text) for text in revenue]
