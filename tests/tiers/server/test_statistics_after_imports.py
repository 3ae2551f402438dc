"""An officer's large import leaves the planner statistics of what it wrote (through the
SECURITY DEFINER function ``tiers server init`` installs: officers do not own the tables),
and statistics never cost an import: a server without the function, or one whose ANALYZE
fails, still imports."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import make_code
from tests.importers.helpers import import_file, write_xlsx
from tiers.storage.database import open_database
from tiers.storage.server import statistics

pytestmark = pytest.mark.server_only

FIRMS = 30  # few enough that autovacuum's threshold (50 rows) never analyses on its own


@pytest.fixture
def editor(bureau, monkeypatch):
    monkeypatch.setattr(statistics, "ANALYSE_FROM", 10)
    database = open_database(bureau.url_of("editor"))
    yield database
    database.dispose()


def _roster(tmp_path):
    return write_xlsx(tmp_path / "武进区名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        *[[f"常州武进{i}号精工有限公司", make_code(300 + i, "320412"), "武进区"]
          for i in range(FIRMS)],
    ]})


def _analysed(bureau) -> set[str]:
    """The tables with statistics (read as the superuser: pg_stats hides those of tables
    under row-level security from the officers)."""
    with psycopg.connect(bureau.url) as connection:
        return {row[0] for row in connection.execute(
            "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'")}


def _firms(bureau) -> int:
    with bureau.connect_as("admin") as connection:
        return connection.execute("SELECT count(*) FROM enterprise").fetchone()[0]


def test_an_editors_import_leaves_statistics_of_the_tables(bureau, editor, tmp_path):
    assert "enterprise" not in _analysed(bureau)
    import_file(editor, _roster(tmp_path), kind="roster")
    assert {"enterprise", "change"} <= _analysed(bureau)


def test_a_small_import_leaves_them_to_autovacuum(bureau, editor, tmp_path, monkeypatch):
    monkeypatch.setattr(statistics, "ANALYSE_FROM", FIRMS * 10)
    import_file(editor, _roster(tmp_path), kind="roster")
    assert "enterprise" not in _analysed(bureau)


def test_a_server_without_the_function_still_imports(bureau, editor, tmp_path):
    with psycopg.connect(bureau.url) as connection:  # (an init of an older Tiers)
        connection.execute("DROP FUNCTION public.tiers_analyze_tables()")
    before = _firms(bureau)
    import_file(editor, _roster(tmp_path), kind="roster")
    assert _firms(bureau) == before + FIRMS
    assert "enterprise" not in _analysed(bureau)


def test_a_failing_analyze_loses_the_statistics_not_the_import(bureau, editor, tmp_path):
    with psycopg.connect(bureau.url) as connection:
        connection.execute("""
            CREATE OR REPLACE FUNCTION public.tiers_analyze_tables() RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
                ANALYZE public.enterprise;
                RAISE EXCEPTION 'a fault after the analysis';
            END $$""")
    before = _firms(bureau)
    import_file(editor, _roster(tmp_path), kind="roster")
    assert _firms(bureau) == before + FIRMS
    assert "enterprise" not in _analysed(bureau)  # rolled back with its savepoint


def test_a_table_the_owner_did_not_make_is_not_analysed(bureau, editor, tmp_path):
    """An admin (who may create tables) adds one that refers to the firms: the function,
    run as the tables' owner, leaves it alone (review)."""
    with psycopg.connect(bureau.url) as connection:
        admin = bureau.logins["admin"]
        connection.execute(f'GRANT CREATE ON SCHEMA public TO "{admin}"')
    with bureau.connect_as("admin") as connection:
        connection.execute("CREATE TABLE public.admins_own (id int PRIMARY KEY, "
                           "enterprise_id int REFERENCES public.enterprise(id))")
        connection.execute("INSERT INTO public.admins_own VALUES (1, NULL)")
    import_file(editor, _roster(tmp_path), kind="roster")
    assert "enterprise" in _analysed(bureau)
    assert "admins_own" not in _analysed(bureau)
