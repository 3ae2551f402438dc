"""Shared fixtures: every test gets its own database and settings in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import sys
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


# --- which database engine the suite runs on ------------------------------------------------
# By default every test's database is a SQLite file in its tmp_path. ``pytest --postgres``
# runs the same tests on PostgreSQL: the server of TIERS_TEST_SERVER (a URL of a superuser's
# connection, e.g. postgresql://postgres@127.0.0.1:5432/postgres) or, when it is not set, a
# throw-away cluster started for the session (tests/pg_cluster.py). Each test then gets a
# database of its own, copied from a migrated template. Tests about SQLite itself (its file,
# its locks, its pragmas) carry the marker ``sqlite_only`` and are skipped there.


def pytest_addoption(parser) -> None:
    parser.addoption("--postgres", action="store_true",
                     help="run the suite on PostgreSQL (TIERS_TEST_SERVER or a throw-away cluster)")


def pytest_sessionfinish(session, exitstatus) -> None:
    """Qt's offscreen platform (the tests') crashes at exit (SIGSEGV, after the summary:
    the run then fails) when the clipboard holds a QMimeData, as Ctrl+C leaves it (its
    HTML table beside the text). Let go of it before the process ends. (On X11 it does
    not crash; the client keeps the clipboard for the desktop's clipboard manager.)"""
    if "PySide6.QtGui" in sys.modules:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is not None:
            QGuiApplication.clipboard().clear()


def pytest_collection_modifyitems(config, items) -> None:
    """sqlite_only tests are skipped on PostgreSQL; server_only tests (logins, rights, two
    clients of one server) run only there."""
    on_postgres = config.getoption("--postgres")
    skip_sqlite = pytest.mark.skip(reason="about SQLite itself")
    skip_server = pytest.mark.skip(reason="needs a PostgreSQL server: pytest --postgres")
    for item in items:
        if on_postgres and "sqlite_only" in item.keywords:
            item.add_marker(skip_sqlite)
        if not on_postgres and "server_only" in item.keywords:
            item.add_marker(skip_server)


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)


@pytest.fixture(scope="session")
def server(request, tmp_path_factory) -> Iterator[str | None]:
    """The PostgreSQL server's superuser URL when the suite runs on PostgreSQL, else None."""
    if not request.config.getoption("--postgres"):
        yield None
        return
    url = os.environ.get("TIERS_TEST_SERVER")
    cluster = None
    if not url:
        import importlib.util
        from pathlib import Path

        spec = importlib.util.spec_from_file_location(
            "pg_cluster", Path(__file__).with_name("pg_cluster.py"))
        cluster = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cluster)
        import tempfile

        # not under pytest's own tmp folder: as root that is closed to the user postgres,
        # whom the cluster runs as (its folder is handed over to him)
        folder = Path(tempfile.mkdtemp(prefix="tiers-test-pg-"))
        url = cluster.start(folder)
    template = f"tiers_template_{os.getpid()}"
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{template}"')
        admin.execute(f'CREATE DATABASE "{template}"')
    open_database(_database_url(url, template)).dispose()  # migrated once per session
    yield url
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    if cluster is not None:
        cluster.stop(folder)


def _database_url(server_url: str, name: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


class ServerDatabases:
    """New databases on the test server, each a copy of a template (the migrated one unless
    told), all dropped by ``drop_all``."""

    def __init__(self, server: str, prefix: str) -> None:
        self.server, self.prefix, self.made = server, prefix, []

    def copy(self, template: str | None = None) -> str:
        import uuid

        database_name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        template = template or f"tiers_template_{os.getpid()}"
        with _admin(self.server) as admin:
            admin.execute(f'CREATE DATABASE "{database_name}" TEMPLATE "{template}"')
        self.made.append(database_name)
        return _database_url(self.server, database_name)

    def drop_all(self) -> None:
        if self.made:
            with _admin(self.server) as admin:
                for database_name in self.made:
                    admin.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')


@pytest.fixture
def new_target(server, tmp_path) -> Iterator:
    """A factory of fresh databases: a path in tmp_path on SQLite (``name`` keeps the file's
    name), a new database's URL on PostgreSQL, migrated unless ``migrated=False``."""
    databases = ServerDatabases(server, "t") if server is not None else None

    def make(name: str = "test.sqlite3", *, migrated: bool = True):
        if databases is None:
            return tmp_path / name
        return databases.copy(None if migrated else "template0")

    yield make
    if databases is not None:
        databases.drop_all()


@pytest.fixture
def db_target(new_target):
    """This test's database: tmp_path/test.sqlite3, or a fresh PostgreSQL database's URL."""
    return new_target()


@pytest.fixture
def on_postgres(server) -> bool:
    return server is not None


@pytest.fixture
def database(db_target) -> Iterator[Database]:
    db = open_database(db_target)
    yield db
    db.dispose()


@pytest.fixture
def session(database):
    """A session inside one transaction, committed at the end of the test."""
    with database.session() as s:
        yield s


# the 2022 13-indicator score's own inputs (domain.md §2.6): 领域 3 + 数字化 3 + 质量 3 + 特色化 12
# + 自主研发Ⅰ类 8 + 市级研发机构 4 = 33 points; with good_zjtx's figures (33) 66 in all
SCORE_INPUTS_2022 = dict(lead_field_class=2, digital_level=2, quality_items=1,
                         distinctive_score=12, ip_class1_high_value=0, ip_class1_own=1,
                         national_rd_centers=0, provincial_rd_centers=0,
                         municipal_rd_centers=1, lower_rd_centers=0)


def good_zjtx(**overrides):
    """上年度 figures that meet every 专精特新 condition the data can tell."""
    values = dict(revenue=2000, main_revenue=1800, rd_expense=100, niche_years=4,
                  total_assets=2000, total_liabilities=800, employees=100, rd_staff=20,
                  ip_class1=2, ip_class2=3, net_profit=150, **SCORE_INPUTS_2022)
    values.update(overrides)
    return values


def entry_kept(session, enterprise_id: int, values: dict):
    """A 培育库 entry the service would now refuse, written as it stands in a database: made
    before the firm was recognised (its target held since), or a second entry of one target
    kept from an older version. The 培育库 must still show and judge such entries."""
    from tiers.model.orm import CultivationEntry
    from tiers.services import cultivation, records

    return records.create(session, CultivationEntry, enterprise_id,
                          cultivation.clean(values), user=None, import_batch_id=None)


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
