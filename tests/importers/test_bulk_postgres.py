"""The PostgreSQL bulk writer (tiers/storage/bulk_postgres.py): rows go in with COPY on the
session's connection, never one INSERT per row; ids come from the sequences, so the
client's own inserts afterwards do not collide; a failure or a cancel leaves nothing; an
editor under row-level security imports through a staging table."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import select, text

from importers import apply as apply_module
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, table_counts, write_xlsx
from tiers.model.orm import AnnualFigures, Change, Enterprise
from tiers.progress import Cancelled, drain
from tiers.services import enterprises
from tiers.storage import bulk_postgres
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only

HEADER = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "营业收入（万元）", "年度"]


def _roster(tmp_path, count, *, name="roster.xlsx", first=1, county="武进区"):
    rows = [[i, f"常州{i}号机械有限公司", make_code(500 + i), county, 100 + i, 2024]
            for i in range(first, first + count)]
    return write_xlsx(tmp_path / name, {"企业名录": [HEADER, *rows]})


class _Statements:
    """Counts what the driver is asked to run: statements and COPYs."""

    def __init__(self, monkeypatch) -> None:
        self.executed = 0
        self.copies: list[str] = []
        execute, copy = psycopg.Cursor.execute, psycopg.Cursor.copy

        def counting_execute(cursor, query, *args, **kwargs):
            self.executed += 1
            return execute(cursor, query, *args, **kwargs)

        def counting_copy(cursor, statement, *args, **kwargs):
            self.copies.append(statement.as_string(cursor) if hasattr(statement, "as_string")
                               else str(statement))
            return copy(cursor, statement, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", counting_execute)
        monkeypatch.setattr(psycopg.Cursor, "copy", counting_copy)


def test_rows_are_copied_not_inserted_one_by_one(database, tmp_path, monkeypatch):
    plan = plan_file(database, _roster(tmp_path, 600))
    statements = _Statements(monkeypatch)
    with database.session() as session:
        result = drain(apply_module.apply_plan(session, plan))
    assert result.records["enterprise"] == 600 and result.records["annual_figures"] == 600
    assert any('COPY "enterprise"' in copy for copy in statements.copies)
    assert any('COPY "annual_figures"' in copy for copy in statements.copies)
    assert statements.executed < 60  # a few dozen statements for 1,200 rows, not 1,200
    with database.session() as session:
        figures = session.execute(select(Enterprise.credit_code, AnnualFigures.revenue)
                                  .join(AnnualFigures)).all()
        created = session.scalars(select(Change.new_value).where(
            Change.action == "create", Change.entity == "enterprise")).all()
    assert len(figures) == 600 and {int(revenue) for _, revenue in figures} == set(
        range(101, 701))
    assert len(created) == 600 and '"credit_code"' in created[0]


def test_ids_come_from_the_sequences_so_later_inserts_do_not_collide(database, tmp_path):
    _plan, first_batch = import_file(database, _roster(tmp_path, 5))
    with database.session() as session:  # the client adds a firm by hand afterwards
        enterprises.create(session, {"credit_code": make_code(900), "name": "常州手工新增有限公司",
                                     "county": "武进区"})
    _plan, second_batch = import_file(database, _roster(tmp_path, 5, name="b.xlsx", first=6))
    with database.session() as session:
        ids = session.scalars(select(Enterprise.id).order_by(Enterprise.id)).all()
        changes = session.scalars(select(Change.id)).all()
    assert len(ids) == 11 and len(set(ids)) == 11 and len(set(changes)) == len(changes)
    assert first_batch != second_batch


def test_a_failure_after_the_copies_leaves_nothing(database, tmp_path, monkeypatch):
    plan = plan_file(database, _roster(tmp_path, 50))
    before = table_counts(database)

    def failing(self, table, **kwargs):
        with self.driver.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(bulk_postgres.PostgresBulkWriter, "record_creations", failing)
    with pytest.raises(Exception, match="no_such_table"), database.session() as session:
        drain(apply_module.apply_plan(session, plan))
    assert table_counts(database) == before
    monkeypatch.undo()
    import_file(database, _roster(tmp_path, 50, name="again.xlsx"))  # nothing left behind
    assert table_counts(database)["enterprise"] == 50


def _indexes(database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(text(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()")))


def _as_if_large(monkeypatch) -> list[int]:
    """The writer told that every table gets a million rows, as a large county's first
    import would; what it leaves of the schema's indexes, counted inside its transaction."""
    told = bulk_postgres.PostgresBulkWriter.drop_secondary_indexes
    seen: list[int] = []

    def large(self, table, *, adding):
        told(self, table, adding=1_000_000)
        with self.driver.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()")
            seen.append(cursor.fetchone()[0])

    monkeypatch.setattr(bulk_postgres.PostgresBulkWriter, "drop_secondary_indexes", large)
    return seen


def test_a_large_import_keeps_every_index_and_a_cancel_too(database, tmp_path, monkeypatch):
    """On a server no index is dropped during a large import (DROP INDEX would hold the
    table from every other officer until the commit)."""
    before = _indexes(database)
    assert any("ix_enterprise_name_key" in index for index in before)
    seen = _as_if_large(monkeypatch)
    plan = plan_file(database, _roster(tmp_path, 5))
    with pytest.raises(Cancelled), database.session() as session:
        drain(apply_module.apply_plan(session, plan), lambda progress: True)
    assert seen and set(seen) == {len(before)}
    assert _indexes(database) == before and table_counts(database)["enterprise"] == 0
    import_file(database, _roster(tmp_path, 5, name="b.xlsx"))
    assert _indexes(database) == before
    with database.session() as session:
        assert session.scalar(select(Enterprise.id).where(
            Enterprise.name_key == "常州3号机械有限公司")) is not None


@pytest.fixture
def editor_of_wujin(db_target, server):
    """A login whose firms are those of 武进区 only (row-level security on enterprise)."""
    role = f"editor_{uuid.uuid4().hex[:8]}"
    owner = open_database(db_target)
    with owner.session() as session:
        for statement in (
                f'CREATE ROLE "{role}" LOGIN',
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
                f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
                "ALTER TABLE enterprise ENABLE ROW LEVEL SECURITY",
                f"CREATE POLICY wujin ON enterprise TO \"{role}\" "
                "USING (county_code = '320412') WITH CHECK (county_code = '320412')"):
            session.execute(text(statement))
    owner.dispose()
    login = db_target.replace("://postgres@", f"://{role}@")
    editor = open_database(login)
    yield editor
    editor.dispose()
    owner = open_database(db_target)
    with owner.session() as session:
        session.execute(text("DROP POLICY wujin ON enterprise"))
        session.execute(text(f'DROP OWNED BY "{role}"'))
    owner.dispose()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP ROLE "{role}"')


def test_an_editor_under_row_level_security_imports_through_a_staging_table(
        editor_of_wujin, tmp_path, monkeypatch):
    """COPY FROM is refused on a table under row-level security: the rows go through a
    temporary table and one INSERT … SELECT that the policy checks."""
    statements = _Statements(monkeypatch)
    plan, batch = import_file(editor_of_wujin, _roster(tmp_path, 30))
    assert plan.counts()["created"] == 30 and batch is not None
    assert any("tiers_staging_enterprise" in copy for copy in statements.copies)
    assert table_counts(editor_of_wujin)["enterprise"] == 30


def test_indexes_stay_when_another_officer_is_reading_the_table(database, db_target, tmp_path,
                                                                monkeypatch):
    """DROP INDEX would wait for a colleague's open read (and every later read would queue
    behind it): the import keeps the indexes instead and goes on at once."""
    import threading

    _as_if_large(monkeypatch)
    plan = plan_file(database, _roster(tmp_path, 5))
    colleague = open_database(db_target)
    outcome: list[object] = []

    def importing() -> None:
        try:
            with database.session() as session:
                outcome.append(drain(apply_module.apply_plan(session, plan)))
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    try:
        with colleague.session() as reading:
            reading.scalar(select(Enterprise.id).limit(1))  # holds the table's read lock
            worker = threading.Thread(target=importing)
            worker.start()
            worker.join(20)
            assert not worker.is_alive(), "the import waited for the colleague's read"
    finally:
        colleague.dispose()
    assert outcome and outcome[0].records["enterprise"] == 5, outcome
