"""A package imported from its file (tiers package import): a county new to a SQLite
database is written table by table while the package is read (tiers.exchange.streamed).
What it writes is what the import of the package read whole writes; a fault found in a
later table, after the firms were written, leaves nothing; a county here already is
compared whole, as before."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from tests.tiers.exchange_helpers import (
    DAY,
    WUJIN,
    XINBEI,
    carried,
    county_database,
    imported,
    sent,
)
from tiers.exchange import PackageRefused, import_package_file, streamed
from tiers.exchange import reader as reader_module
from tiers.exchange.format import TABLES
from tiers.model.orm import (
    Change,
    Enterprise,
    ExchangePackage,
    ExchangePackageCounty,
    ImportBatch,
)
from tiers.progress import drain
from tiers.storage.database import open_database


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Two counties' packages (Wujin's with every kind of record, from demo data)."""
    folder = tmp_path_factory.mktemp("streamed")
    county = county_database(folder / "county.sqlite3", enterprises=60, seed=11)
    wujin = sent(county, folder / "武进区.zip", WUJIN, DAY)
    assert all(table.count for name, table in wujin.tables.items() if name != "former_names")
    sent(county, folder / "新北区.zip", XINBEI, DAY)
    county.dispose()
    return folder


def _from_file(database, path):
    with database.session() as session:
        return drain(import_package_file(session, path, user="市局"))


def _log(database) -> Counter:
    """The change log of the import, without its row ids and times."""
    with database.session() as session:
        return Counter(session.execute(select(
            Change.user, Change.entity, Change.entity_id, Change.enterprise_id, Change.action,
            Change.field, Change.old_value, Change.new_value)).all())


def _bookkeeping(database) -> list:
    with database.session() as session:
        batches = [(kind, json.loads(counts), user) for kind, counts, user in session.execute(
            select(ImportBatch.kind, ImportBatch.counts, ImportBatch.user)).all()]
        packages = [json.loads(counts) for counts in session.scalars(
            select(ExchangePackage.counts))]
        counties = session.execute(select(
            ExchangePackageCounty.county_code, ExchangePackageCounty.firms)).all()
        indexes = sorted(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'index'")))
    return [batches, packages, sorted(counties), indexes]


@pytest.mark.parametrize("city_holds", [[], ["新北区.zip"]], ids=["empty", "another county"])
def test_written_while_read_is_what_the_whole_package_writes(tmp_path, packages, city_holds):
    whole = open_database(tmp_path / "whole.sqlite3")
    streaming = open_database(tmp_path / "streamed.sqlite3")
    try:
        for database in (whole, streaming):
            for name in city_holds:
                _from_file(database, packages / name)
        result_whole = imported(whole, reader_module.read_package(packages / "武进区.zip"))
        result_streamed = _from_file(streaming, packages / "武进区.zip")
        assert result_streamed.as_json() == {**result_whole.as_json(),
                                             "batch_id": result_streamed.batch_id}
        assert carried(streaming) == carried(whole)
        assert _log(streaming) == _log(whole)
        assert _bookkeeping(streaming) == _bookkeeping(whole)
    finally:
        whole.dispose()
        streaming.dispose()


def test_the_firms_are_written_before_the_last_table_is_read(tmp_path, packages, monkeypatch):
    events = []
    read_table, write_firms = reader_module._table, streamed.insert_firms

    def reading(spec, data, **options):
        events.append(f"read {spec.name}")
        return read_table(spec, data, **options)

    def writing(*args, **options):
        events.append("write firms")
        return write_firms(*args, **options)

    monkeypatch.setattr(reader_module, "_table", reading)
    monkeypatch.setattr(streamed, "insert_firms", writing)
    database = open_database(tmp_path / "city.sqlite3")
    try:
        _from_file(database, packages / "武进区.zip")
    finally:
        database.dispose()
    assert events[:2] == ["read enterprises", "write firms"]
    assert events[-1] == "read annual_figures" and len(events) == len(TABLES) + 1


def test_a_fault_in_the_last_table_leaves_nothing_written(tmp_path, packages, monkeypatch):
    """The firms and most tables were written (in the transaction) when the last table is
    found wrong: everything is rolled back, the dropped indexes with it."""
    database = open_database(tmp_path / "city.sqlite3")
    try:
        _from_file(database, packages / "新北区.zip")
        before = (carried(database), _log(database), _bookkeeping(database))
        read_table = reader_module._table

        def failing(spec, data, **options):
            if spec.name == "annual_figures":
                with database.session() as session:  # (another connection: nothing yet)
                    assert session.scalar(select(func.count(Enterprise.id))) == len(
                        before[0]["enterprises"])
                raise PackageRefused("数据包中 annual_figures.csv 第 2 行第 B 列无效")
            return read_table(spec, data, **options)

        monkeypatch.setattr(reader_module, "_table", failing)
        with pytest.raises(PackageRefused, match="annual_figures"):
            _from_file(database, packages / "武进区.zip")
        assert (carried(database), _log(database), _bookkeeping(database)) == before
    finally:
        database.dispose()


def test_a_county_here_already_is_compared_whole(tmp_path, packages):
    database = open_database(tmp_path / "city.sqlite3")
    try:
        first = _from_file(database, packages / "武进区.zip")
        again = _from_file(database, packages / "武进区.zip")
        assert first.batch_id and again.batch_id is None
        assert sum(again.created.values()) == 0
        assert again.unchanged == first.created
    finally:
        database.dispose()
