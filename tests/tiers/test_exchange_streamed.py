"""A package imported from its file (tiers package import): a county new to a SQLite
database is written table by table while the package is read (tiers.exchange.streamed).
What it writes is what the import of the package read whole writes; a fault found in a
later table, after the firms were written, leaves nothing; a county here already is
compared whole, as before."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import Counter

import pytest
from sqlalchemy import select, text

from tests.tiers.exchange_helpers import (
    DAY,
    WUJIN,
    XINBEI,
    carried,
    county_database,
    imported,
    sent,
)
from tests.tiers.test_exchange_hostile import _members, _write
from tiers.exchange import PackageRefused, csv_columns, import_package_file, streamed
from tiers.exchange import apply as apply_module
from tiers.exchange import reader as reader_module
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES, TABLES
from tiers.model.orm import (
    Change,
    ExchangePackage,
    ExchangePackageCounty,
    ImportBatch,
)
from tiers.progress import drain
from tiers.services import enterprises
from tiers.storage import bulk_sqlite
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
    """The change log, without its row ids and the times in it."""
    with database.session() as session:
        return Counter(tuple(TIME.sub("<time>", value) if isinstance(value, str) else value
                             for value in row) for row in session.execute(select(
            Change.user, Change.entity, Change.entity_id, Change.enterprise_id, Change.action,
            Change.field, Change.old_value, Change.new_value)).all())


TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")


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


def _repeated_figures(packages, tmp_path):
    """Wujin's package with a firm's annual figures of one year sent twice, the second
    time (other values) at the end of the table: in another slice than the first."""
    members = _members(packages / "武进区.zip")
    lines = members["annual_figures.csv"].decode().split("\r\n")
    header, first = lines[0].split(","), lines[1].split(",")
    again = [cell if name in ("credit_code", "year") or not cell.isdigit() else "7"
             for name, cell in zip(header, first, strict=True)]
    assert again != first
    body = [line for line in lines[1:] if line]
    members["annual_figures.csv"] = "\r\n".join(
        [lines[0], *body, ",".join(again), ""]).encode()
    path = tmp_path / "repeated.zip"
    _write(path, members)
    return path


@pytest.mark.parametrize("repeated", [False, True], ids=["as sent", "a key repeated"])
def test_written_a_slice_at_a_time_is_what_the_whole_package_writes(tmp_path, packages,
                                                                    monkeypatch, repeated):
    """Each table taken a few rows at a time (many slices) and written as it is read: the
    same rows, change log and problems as the package read whole; a key sent twice, in two
    slices, taken at its first row and said once, as read whole."""
    monkeypatch.setattr(csv_columns, "SLICE_ROWS", 7)
    path = _repeated_figures(packages, tmp_path) if repeated else packages / "武进区.zip"
    whole = open_database(tmp_path / "whole.sqlite3")
    streaming = open_database(tmp_path / "streamed.sqlite3")
    try:
        result_whole = imported(whole, reader_module.read_package(path))
        result_streamed = _from_file(streaming, path)
        assert result_streamed.as_json() == {**result_whole.as_json(),
                                             "batch_id": result_streamed.batch_id}
        assert bool(result_streamed.problems) == repeated
        assert any("重复，只取第一行" in problem for problem in result_streamed.problems) \
            == repeated
        assert carried(streaming) == carried(whole)
        assert _log(streaming) == _log(whole)
        assert _bookkeeping(streaming) == _bookkeeping(whole)
    finally:
        whole.dispose()
        streaming.dispose()


def test_a_table_is_written_while_its_later_rows_are_read(tmp_path, packages, monkeypatch):
    """The rows of a table go to the writer a slice at a time: the writer does not wait
    for the whole of the largest table (read last) to be read before its first rows."""
    monkeypatch.setattr(csv_columns, "SLICE_ROWS", 7)
    events = []
    read_parts, write_part = reader_module._table_parts, streamed.insert_part_records

    def reading(spec, data, **options):
        parts = read_parts(spec, data, **options)
        for first, part in parts_of(parts):
            events.append(("read", spec.name))
            yield first, part
        return parts_of.table

    def parts_of(parts):
        try:
            while True:
                yield next(parts)
        except StopIteration as done:
            parts_of.table = done.value

    def writing(bulk, plan, spec, *args, **options):
        events.append(("write", spec.name))
        return write_part(bulk, plan, spec, *args, **options)

    monkeypatch.setattr(reader_module, "_table_parts", reading)
    monkeypatch.setattr(streamed, "insert_part_records", writing)
    database = open_database(tmp_path / "city.sqlite3")
    try:
        _from_file(database, packages / "武进区.zip")
    finally:
        database.dispose()
    figures = [what for what, table in events if table == "annual_figures"]
    assert figures.count("read") > 2
    assert figures.index("write") < len(figures) - 1 - figures[::-1].index("read")
    assert figures.count("write") == figures.count("read")


def test_the_firms_are_written_before_the_last_table_is_read(tmp_path, packages, monkeypatch):
    events = []
    read_table, write_firms = reader_module._table_parts, streamed.insert_firms

    def reading(spec, data, **options):
        events.append(f"read {spec.name}")
        return read_table(spec, data, **options)

    def writing(*args, **options):
        events.append("write firms")
        return write_firms(*args, **options)

    monkeypatch.setattr(reader_module, "_table_parts", reading)
    monkeypatch.setattr(streamed, "insert_firms", writing)
    database = open_database(tmp_path / "city.sqlite3")
    try:
        _from_file(database, packages / "武进区.zip")
    finally:
        database.dispose()
    assert events[:2] == ["read enterprises", "write firms"]
    assert events[-1] == "read annual_figures" and len(events) == len(TABLES) + 1


def _failing_in_the_last_table(database, monkeypatch):
    """Reading annual_figures (read last) refuses the package."""
    read_table = reader_module._table_parts

    def failing(spec, data, **options):
        if spec.name == "annual_figures":
            raise PackageRefused("数据包中 annual_figures.csv 第 2 行第 B 列无效")
        return read_table(spec, data, **options)

    monkeypatch.setattr(reader_module, "_table_parts", failing)


def _writers_left() -> list[str]:
    return [thread.name for thread in threading.enumerate()
            if thread.name == "tiers-import-writer"]


@pytest.mark.parametrize("caller_commits", [False, True], ids=["rolled back", "committed"])
def test_a_fault_in_the_last_table_leaves_nothing_written(tmp_path, packages, monkeypatch,
                                                          caller_commits):
    """The firms and the other tables were written (in the transaction, their indexes
    dropped to be built again) when the last table is found wrong: everything is rolled
    back, the dropped indexes with it, and the writer's thread ends; also when the caller
    catches the refusal and commits its own transaction."""
    database = open_database(tmp_path / "city.sqlite3")
    try:
        _from_file(database, packages / "新北区.zip")
        before = (carried(database), _log(database), _bookkeeping(database))
        monkeypatch.setattr(bulk_sqlite, "REBUILD_INDEXES_FROM", 1)  # (60 firms: dropped)
        dropped = []
        drop = bulk_sqlite.SqliteBulkWriter.drop_secondary_indexes

        def dropping(self, table, *, adding):
            drop(self, table, adding=adding)
            dropped.extend(self.dropped)

        monkeypatch.setattr(bulk_sqlite.SqliteBulkWriter, "drop_secondary_indexes", dropping)
        _failing_in_the_last_table(database, monkeypatch)
        with database.session() as session:
            with pytest.raises(PackageRefused, match="annual_figures"):
                drain(import_package_file(session, packages / "武进区.zip", user="市局"))
            if caller_commits:
                session.commit()
        assert {table for table, _ in dropped} >= {"enterprise", "recognition", "change"}
        assert (carried(database), _log(database), _bookkeeping(database)) == before
        assert not _writers_left()
    finally:
        database.dispose()


def _last_figures_row(packages, tmp_path, column: str, cell: str, *, extra_row=False):
    """Wujin's package with the last row of its annual figures holding ``cell`` in
    ``column`` (checksums and counts made to match); ``extra_row``: the manifest then
    declares one row more than the table has."""
    members = _members(packages / "武进区.zip")
    lines = [line for line in members["annual_figures.csv"].decode().split("\r\n") if line]
    header = lines[0].split(",")
    cells = lines[-1].split(",")
    cells[header.index(column)] = cell
    lines[-1] = ",".join(cells)
    members["annual_figures.csv"] = ("\r\n".join(lines) + "\r\n").encode()
    path = tmp_path / "last.zip"
    _write(path, members)
    if extra_row:
        members = _members(path)
        manifest = json.loads(members["manifest.json"])
        manifest["tables"]["annual_figures"]["rows"] += 1
        _write(path, {**members, "manifest.json": json.dumps(manifest).encode()},
               fix_manifest=False)
    return path, len(lines) - 1


@pytest.mark.parametrize("fault", ["bad cell", "no such firm", "a row fewer than declared"])
def test_a_fault_in_a_tables_last_slice_leaves_nothing_written(tmp_path, packages,
                                                               monkeypatch, fault):
    """The annual figures taken 5 rows at a time, their first slices already with the
    writer (the indexes dropped) when the last row is found wrong: nothing is left, the
    indexes are back, the writer's thread ends. A table shorter than the manifest says is
    refused before any of its rows goes to the writer."""
    monkeypatch.setattr(csv_columns, "SLICE_ROWS", 5)
    monkeypatch.setattr(bulk_sqlite, "REBUILD_INDEXES_FROM", 1)
    column, cell, match = {
        "bad cell": ("year", "二〇二三", "annual_figures.csv 第 {row} 行"),
        "no such firm": ("credit_code", "91320412MA00000000", "annual_figures.csv 第 {row} 行"),
        "a row fewer than declared": ("year", "2023", "与清单所记的"),
    }[fault]
    path, rows = _last_figures_row(packages, tmp_path, column, cell,
                                   extra_row=fault == "a row fewer than declared")
    written = []
    write_part = streamed.insert_part_records

    def writing(bulk, plan, spec, *args, **options):
        written.append(spec.name)
        return write_part(bulk, plan, spec, *args, **options)

    monkeypatch.setattr(streamed, "insert_part_records", writing)
    empty = open_database(tmp_path / "empty.sqlite3")
    database = open_database(tmp_path / "city.sqlite3")
    try:
        with database.session() as session, pytest.raises(
                PackageRefused, match=match.format(row=rows + 1)):
            drain(import_package_file(session, path, user="市局"))
        if fault == "a row fewer than declared":
            assert "annual_figures" not in written
        else:
            assert written.count("annual_figures") >= 2
        assert "recognitions" in written
        assert carried(database) == carried(empty) and _log(database) == _log(empty)
        assert _bookkeeping(database) == _bookkeeping(empty)
        assert not _writers_left()
    finally:
        database.dispose()
        empty.dispose()


def test_new_records_by_part_are_those_of_the_whole_table(packages, tmp_path):
    """plan.NewRecordsByPart over slices of a table gives the rows (by their place in the
    whole table) and problems that it gives over the whole table at once, a key repeated
    across slices included."""
    from tiers.exchange.plan import NewRecordsByPart, plan_firms
    from tiers.exchange.reader import TableRows

    package = reader_module.read_package(_repeated_figures(packages, tmp_path))
    database = open_database(tmp_path / "city.sqlite3")
    try:
        with database.session() as session:
            whole, sliced = plan_firms(session, package), plan_firms(session, package)
    finally:
        database.dispose()
    for spec in RECORD_TABLES:
        records = package.table(spec)
        new = NewRecordsByPart(whole, spec)
        new.of(records)
        new.done()
        by_part = NewRecordsByPart(sliced, spec)
        for start in range(0, max(records.count, 1), 7):
            by_part.of(TableRows(
                spec=spec, columns=records.columns, held=records.held,
                values={name: column[start:start + 7] for name, column in records.values.items()},
                count=len(records.codes[start:start + 7])))
        by_part.done()
        assert sliced.new_records[spec.entity] == whole.new_records[spec.entity]
    assert sliced.problems == whole.problems
    assert any("重复，只取第一行" in problem for problem in whole.problems)
    assert whole.new_records["annual_figures"][-1] == package.table(
        next(spec for spec in RECORD_TABLES if spec.name == "annual_figures")).count - 2


def test_records_a_county_sent_before_are_deleted_when_its_firms_are_all_new(tmp_path,
                                                                              packages):
    """A firm the city entered itself got records from the county's first package; the
    county's newer package (other firms only, all new here) no longer has them: deleted,
    as the package read whole deletes them (and the county's earlier firms binned)."""
    newer = tmp_path / "newer.zip"
    other = county_database(tmp_path / "other.sqlite3", enterprises=30, seed=23)
    sent(other, newer, WUJIN, DAY + dt.timedelta(days=1))
    other.dispose()
    first = reader_module.read_package(packages / "武进区.zip")
    code = first.table(ENTERPRISES).codes[0]
    results = {}
    for way in ("whole", "streamed"):
        database = open_database(tmp_path / f"{way}.sqlite3")
        try:
            with database.session() as session:
                enterprises.create(session, {"credit_code": code, "name": "市里录入的名称",
                                             "county": "武进区"})
            _from_file(database, packages / "武进区.zip")
            if way == "whole":
                result = imported(database, reader_module.read_package(newer))
            else:
                result = _from_file(database, newer)
            results[way] = (result.as_json() | {"batch_id": None}, carried(database),
                            _log(database), _bookkeeping(database))
        finally:
            database.dispose()
    assert results["streamed"] == results["whole"]
    deleted = results["streamed"][0]["deleted"]
    assert deleted["enterprises"] > 0 and sum(deleted.values()) > deleted["enterprises"]


def test_a_county_here_already_is_compared_whole(tmp_path, packages, monkeypatch):
    """Read whole first, before the write lock is taken: other writers do not wait while
    the package is read."""
    database = open_database(tmp_path / "city.sqlite3")
    try:
        first = _from_file(database, packages / "武进区.zip")
        events = []
        read_table, lock = reader_module._table_parts, apply_module.write_lock

        def reading(spec, data, **options):
            events.append("read")
            return read_table(spec, data, **options)

        def locking(session):
            events.append("lock")
            lock(session)

        monkeypatch.setattr(reader_module, "_table_parts", reading)
        monkeypatch.setattr(apply_module, "write_lock", locking)
        again = _from_file(database, packages / "武进区.zip")
        assert first.batch_id and again.batch_id is None
        assert sum(again.created.values()) == 0
        assert again.unchanged == first.created
        assert events == ["read"] * len(TABLES) + ["lock"]
    finally:
        database.dispose()


def test_a_package_read_a_table_at_a_time_can_be_stopped_between_tables(packages,
                                                                         monkeypatch):
    """reading_package (the client's preview) reads what read_package reads, with a
    Progress after each table; closed after the first, it reads no other table and lets
    the file go (the officer's 取消 on a county of 100,000 firms)."""
    from tiers.exchange import read_package, reading_package

    steps = []
    reading = reading_package(packages / "武进区.zip")
    try:
        while True:
            steps.append(next(reading))
    except StopIteration as done:
        package = done.value
    assert [(step.done, step.total) for step in steps] == [(n, len(TABLES))
                                                           for n in range(len(TABLES) + 1)]
    whole = read_package(packages / "武进区.zip")
    assert package.row_counts() == whole.row_counts()
    assert all(package.rows(spec) == whole.rows(spec) for spec in TABLES)

    read = []
    whole_table = reader_module._table_parts
    monkeypatch.setattr(reader_module, "_table_parts", lambda spec, data, **kwargs: (
        read.append(spec.name), whole_table(spec, data, **kwargs))[1])
    stopped = reading_package(packages / "武进区.zip")
    next(stopped), next(stopped)  # (the start, and the firms' table read)
    stopped.close()
    assert read == [ENTERPRISES.name]
    assert not [thread for thread in threading.enumerate()
                if thread.name.startswith("tiers-package")]


def test_the_preview_can_be_stopped_between_the_tables_it_compares(tmp_path, packages,
                                                                   monkeypatch):
    """previewing_package (the client's preview): a Progress after the firms and after each
    table of records compared; closed after the firms, no table of records is compared."""
    from tiers.exchange import apply, preview_package, previewing_package, read_package
    from tiers.exchange.format import RECORD_TABLES

    package = read_package(packages / "武进区.zip")
    city = open_database(tmp_path / "city.sqlite3")
    compared = []
    whole_records = apply.plan_records
    monkeypatch.setattr(apply, "plan_records", lambda session, plan, spec: (
        compared.append(spec.name), whole_records(session, plan, spec))[1])
    with city.session() as session:
        steps = []
        previewing = previewing_package(session, package)
        try:
            while True:
                steps.append(next(previewing))
        except StopIteration as done:
            result = done.value
        assert [step.done for step in steps] == list(range(len(RECORD_TABLES) + 2))
        assert result.created == preview_package(session, package).created
        compared.clear()
        stopped = previewing_package(session, package)
        next(stopped), next(stopped)  # (the start, and the firms compared)
        stopped.close()
    assert compared == []
    city.dispose()
