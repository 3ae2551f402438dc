"""Apply writes through a thread of its own (tiers.storage.bulk_sqlite.WriterThread): rows split
over multi-row statements, a failure on that thread undoes everything, and the thread and the
interpreter's switch interval are left as they were, after success, failure and cancel."""

import sqlite3
import sys
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from importers import apply as apply_module
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, table_counts, undo, write_xlsx
from tiers.model.orm import AnnualFigures, Change, Enterprise
from tiers.progress import Cancelled, drain
from tiers.storage import bulk_sqlite

# SQLite's writer thread; the PostgreSQL writer's own: test_bulk_postgres.py
pytestmark = pytest.mark.sqlite_only

HEADER = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "营业收入（万元）", "年度"]


def _roster(tmp_path, count, name="roster.xlsx"):
    rows = [[i, f"常州{i}号机械有限公司", make_code(300 + i), "武进区", 100 + i, 2024]
            for i in range(1, count + 1)]
    return write_xlsx(tmp_path / name, {"企业名录": [HEADER, *rows]})


def _writer_threads():
    return [t for t in threading.enumerate() if t.name == "tiers-import-writer"]


def test_rows_split_over_many_statements_all_arrive(database, tmp_path, monkeypatch):
    # 45 bound values per statement: two or three rows each, the last statement shorter
    monkeypatch.setattr(bulk_sqlite.WriterThread, "MAX_VALUES", 45)
    statements: list[int] = []
    original = bulk_sqlite.WriterThread.insert

    def counting(self, head, row_values, rows):
        per = max(1, self.values_per_statement // max(1, len(rows[0]))) if rows else 1
        statements.append(-(-len(rows) // per))
        original(self, head, row_values, rows)

    monkeypatch.setattr(bulk_sqlite.WriterThread, "insert", counting)
    switch = sys.getswitchinterval()
    plan, batch = import_file(database, _roster(tmp_path, 11))
    assert plan.counts()["created"] == 11
    assert max(statements) >= 3  # the enterprises did go in several statements
    with database.session() as session:
        firms = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                                .order_by(Enterprise.id)).all()
        assert [name for _, name, _ in firms] == [f"常州{i}号机械有限公司" for i in range(1, 12)]
        assert [code for _, _, code in firms] == [make_code(300 + i) for i in range(1, 12)]
        figures = dict(session.execute(select(AnnualFigures.enterprise_id,
                                              AnnualFigures.revenue)).all())
        assert [figures[firm_id] for firm_id, _, _ in firms] == [Decimal(100 + i)
                                                                 for i in range(1, 12)]
        created = session.scalars(select(Change.entity).where(
            Change.import_batch_id == batch, Change.action == "create").order_by(Change.id)).all()
        assert created == ["enterprise"] * 11 + ["annual_figures"] * 11
    assert sys.getswitchinterval() == switch
    assert _writer_threads() == []
    undo(database, batch)
    assert table_counts(database)["enterprise"] == 0


def test_a_failure_on_the_writer_thread_undoes_the_whole_import(database, tmp_path,
                                                                monkeypatch):
    """The enterprises are already written when a later statement fails on the writer's
    thread: the error reaches the caller and nothing of the import is left."""
    original = bulk_sqlite.SqliteBulkWriter.record_creations

    def failing(self, table, **arguments):
        original(self, table, **arguments)
        if table.name == "annual_figures":
            self.execute('INSERT INTO "no_such_table" VALUES (1)')

    monkeypatch.setattr(bulk_sqlite.SqliteBulkWriter, "record_creations", failing)
    switch = sys.getswitchinterval()
    before = table_counts(database)
    plan = plan_file(database, _roster(tmp_path, 30))
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"), \
            database.session() as session:
        drain(apply_module.apply_plan(session, plan))
    assert table_counts(database) == before
    assert sys.getswitchinterval() == switch
    assert _writer_threads() == []
    # and the same plan goes in once the fault is gone
    monkeypatch.setattr(bulk_sqlite.SqliteBulkWriter, "record_creations", original)
    with database.session() as session:
        result = drain(apply_module.apply_plan(session, plan))
    assert result.records["enterprise"] == 30
    assert table_counts(database)["annual_figures"] == 30


def test_a_cancel_while_the_writer_has_work_queued_writes_nothing(database, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(apply_module, "CHUNK", 7)  # progress (a chance to cancel) often
    monkeypatch.setattr(bulk_sqlite.WriterThread, "MAX_VALUES", 20)  # many statements queued
    switch = sys.getswitchinterval()
    before = table_counts(database)
    plan = plan_file(database, _roster(tmp_path, 60))
    seen = []
    with pytest.raises(Cancelled), database.session() as session:
        drain(apply_module.apply_plan(session, plan), lambda p: seen.append(p) or len(seen) > 3)
    assert table_counts(database) == before
    assert sys.getswitchinterval() == switch
    assert _writer_threads() == []


def test_two_writers_at_once_leave_the_switch_interval_as_it_was():
    """Two imports at once (two windows): the interval is short while either writes and
    the original comes back when the last one ends, whichever ends first."""
    switch = sys.getswitchinterval()
    short = min(switch, bulk_sqlite.WriterThread.SWITCH_INTERVAL)
    first = bulk_sqlite.WriterThread(sqlite3.connect(":memory:", check_same_thread=False))
    second = bulk_sqlite.WriterThread(sqlite3.connect(":memory:", check_same_thread=False))
    assert sys.getswitchinterval() == pytest.approx(short)  # (kept in whole microseconds)
    first.close()
    assert sys.getswitchinterval() == pytest.approx(short)  # (kept in whole microseconds)
    first.close()  # a second close changes nothing
    second.close()
    assert sys.getswitchinterval() == switch
    assert _writer_threads() == []
