"""The schema's version: which Alembic revision a database is at, and upgrading it in one
transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"


def migrations_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(migrations_config(engine)).get_current_head()


def upgrade(engine: Engine) -> None:
    """Every pending migration and the version stamp in one transaction: a failure or a
    kill at any point leaves the database exactly at the revision it had (SQLite runs DDL
    inside transactions). Without this a kill after 0002's ALTER TABLE left the column
    added and the stamp at 0001, a database that could never be opened again."""
    from alembic import command

    migrating = _transactional_engine(engine)
    try:
        with migrating.begin() as connection:
            config = migrations_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if migrating is not engine:
            migrating.dispose()


def _transactional_engine(engine: Engine) -> Engine:
    """For SQLite, an engine of its own whose transactions the driver leaves alone: pysqlite
    opens a transaction only before INSERT/UPDATE/DELETE, so DDL (ALTER TABLE, CREATE
    INDEX) would commit on its own. The SQLAlchemy recipe for this: the driver in autocommit
    mode and the BEGIN emitted here. IMMEDIATE takes the write lock at once, so two
    programs opening an old database upgrade it one after the other, the second finding
    nothing left to do."""
    if engine.dialect.name != "sqlite":
        return engine
    migrating = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(migrating, "connect")
    def _driver_autocommit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        # outside any transaction: a pragma inside one does nothing
        dbapi_connection.execute("PRAGMA busy_timeout = 10000")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        # a batch migration recreates tables: no cascades or checks while it copies them
        dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(migrating, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating
