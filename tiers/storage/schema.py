"""The schema's version: which Alembic revision a database is at, and upgrading it in one
transaction.

Alembic (with Mako and its dialect modules: a quarter of a second) is imported only to
upgrade. Opening a database that is up to date, which every command does, reads the
revisions from the migration files' ``revision = '…'`` lines and the database's
``alembic_version`` table directly (tests hold both to what Alembic itself says)."""

from __future__ import annotations

import os
import re
import sqlite3
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.pool import NullPool

from tiers.storage.faults import (
    DatabaseError,
    FileRefused,
    cannot_read_only,
    on_read_only_mount,
    storage_error,
)

if TYPE_CHECKING:
    from alembic.config import Config

# found as package data, so that a frozen build (PyInstaller) finds them in its own folder
MIGRATIONS = Path(str(resources.files("tiers.storage.migrations")))


def migrations_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None: no version table, or an empty one), as Alembic's
    ``MigrationContext.get_current_revision`` reads it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    if len(versions) > 1:  # (Alembic refuses these too; Tiers never branches)
        raise FileRefused("数据库的结构版本记录有多条，无法判断其版本，未作任何改动")
    return versions[0] if versions else None


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]*)",
                            re.MULTILINE)


@cache
def _revision_chain() -> dict[str, str | None]:
    """Each migration's revision → the one it follows, read from the files' own lines."""
    chain: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            chain[found["revision"]] = found.get("down_revision") or None
    return chain


def head_revision(_engine: Engine | None = None) -> str | None:
    """The newest revision this program knows (the same for every engine): the one no
    other migration follows."""
    chain = _revision_chain()
    heads = set(chain) - set(chain.values())
    return heads.pop() if len(heads) == 1 else None


def known_revisions() -> set[str]:
    return set(_revision_chain())


def upgrade_file(path: Path) -> None:
    """Upgrade the SQLite database at ``path`` (a copy being restored) in one transaction."""
    engine = create_engine(f"sqlite+pysqlite:///{path.resolve()}", poolclass=NullPool)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def tiers_revision(path: Path, role: str = "数据库") -> str | None:
    """The revision of the Tiers database at ``path``, None for a file that is missing,
    empty or an SQLite database without tables (a new database). Read through a read-only
    connection, so nothing in the file changes. Refused (FileRefused) with the reason:
    not an SQLite file, another program's tables (the first release created every Tiers
    table beside a ``customers`` table, and half-migrated a file with an ``enterprise``
    table of its own), or a revision this program does not know (a newer release's)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        tables, versions = _tables_and_versions(path)
    except sqlite3.DatabaseError as exc:
        if not_a_database(exc) and not _says_sqlite(path):
            raise FileRefused(f"{path} 不是 Tiers {role}（不是 SQLite 文件），未作任何改动") from None
        raise storage_error(exc, f"无法读取{role} {path}", folder=path.parent) from exc
    except sqlite3.Error as exc:
        raise storage_error(exc, f"无法读取{role} {path}", folder=path.parent) from exc
    if not tables:
        return None
    revision = versions[0] if len(versions) == 1 else None
    if revision is not None and revision not in known_revisions() and "enterprise" in tables:
        raise FileRefused(f"{path} 由更新版本的 Tiers 创建，请升级程序（文件未作改动）")
    foreign = tables - _tiers_tables()
    if revision not in known_revisions() or foreign:
        shown = "、".join(sorted(foreign or tables)[:5])
        raise FileRefused(f"{path} 不是 Tiers {role}（其中是其他程序的数据表：{shown}），"
                          "为免损坏，Tiers 不会改动它")
    return revision


SQLITE_HEADER = b"SQLite format 3\x00"


def not_a_database(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused the file as no database of its own (SQLITE_NOTADB)."""
    return getattr(exc, "sqlite_errorcode", None) == 26 or "not a database" in str(exc)


def _says_sqlite(path: Path) -> bool:
    """Whether the file's first bytes are SQLite's header (a damaged database, not another
    kind of file). Read with open() only once SQLite has refused the file as no database:
    no connection of this process then holds a working database there whose locks the
    close would drop (application_id says why that matters)."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def application_id(path: Path) -> int:
    """The file's application_id (the header's bytes 68-71), read through SQLite and never
    with open(): closing any descriptor of a file drops every POSIX lock this process holds
    on it, those of its SQLite connections still open included (the window's, the file
    listener's), and another program then takes itself for the last user and checkpoints
    and deletes the -wal/-shm under them: the window's later writes were lost (review).
    SQLite's own connections share one descriptor set per file and keep the locks.
    sqlite3.DatabaseError (not_a_database) for a file that is no SQLite database."""
    return _header_value(path, "application_id")


def user_version(path: Path) -> int:
    """The file's user_version (the header's bytes 60-63), read as application_id is."""
    return _header_value(path, "user_version")


def _header_value(path: Path, pragma: str) -> int:
    uri = path.resolve().as_uri() + "?mode=rw" if writable(path) else reading_uri(path)
    connection = sqlite3.connect(uri, uri=True)
    try:
        return int(connection.execute(f"PRAGMA {pragma}").fetchone()[0])
    finally:
        connection.close()


def writable(path: Path) -> bool:
    """Whether SQLite may write the file and its journal beside it: not a file marked
    read-only, nor one in a read-only folder, disc or write-protected stick. The folder is
    the file's own, a symlink's resolved (a link kept in a read-only folder to a writable
    database was taken as read-only, and the officer could not save)."""
    real = path.resolve()
    return os.access(real, os.W_OK) and os.access(real.parent, os.W_OK | os.X_OK)


def nobody_writes(path: Path) -> bool:
    """Whether no program can be writing the file, so SQLite may take it as unchanging
    (immutable): the file system is mounted read-only, or neither the file nor its folder
    has a single write bit. Not merely "this account may not write it": its owner (a
    colleague's file, 644) may write it at any time, and a reader that took it as
    unchanging showed firms deleted since, wrong joins, then "损坏" (review). Without a write
    bit on the folder no -wal can be made beside the file, and Tiers' databases are WAL
    databases, which no program writes without one; a program must first give the rights
    back (chmod) to write it, and a reader then sees the change at its next checkout
    (database.make_engine's guard) rather than stale rows."""
    real = path.resolve()
    if on_read_only_mount(real):
        return True
    try:
        return not real.stat().st_mode & 0o222 and not real.parent.stat().st_mode & 0o222
    except OSError:
        return False


def reading_uri(path: Path) -> str:
    """How to open a database file for one read, closed at once (its header, a backup's
    check or copy): read-only, or where nothing may be written beside it (a backup kept on
    a disc, a file marked read-only) as ``unwritable_uri`` says with ``lasting=False``."""
    if writable(path):
        return f"{path.resolve().as_uri()}?mode=ro"
    return unwritable_uri(path, lasting=False)


def unwritable_uri(path: Path, *, lasting: bool = True) -> str:
    """How to read a database file that this program may not write (the file or its folder
    read-only) without creating anything beside it. A read-only connection to a WAL
    database otherwise creates a -wal and a -shm there (in a read-only folder it cannot,
    and fails with "unable to open database file"), and leaves them behind read-only like
    the file: once the file was made writable again, its next writer was refused.

    - A -wal and a -shm there: a program has the database open now (or its last one was
      killed). Read-only through them: SQLite reads the saves kept only in the -wal, keeps
      to the writer's locks, sees each of his commits, and creates nothing (it reads a -shm
      it may not write).
    - A -wal with saves but no -shm: refused (read as immutable, the saves would be
      silently missing).
    - Otherwise immutable (no locks, no -wal or -shm made) only when ``nobody_writes``:
      for a database kept open (``lasting``) that another program may write later, reads
      as immutable would go stale or look damaged, and read-only through SQLite would
      leave a -wal and -shm behind: refused (faults.cannot_read_only), unchanged. One read
      closed at once (``lasting=False``: a header, a backup copied) is immutable there
      too: nothing is cached past it."""
    real = path.resolve()
    uri = real.as_uri()
    wal = real.with_name(real.name + "-wal")
    if wal.exists() and real.with_name(real.name + "-shm").exists():
        return f"{uri}?mode=ro"
    if wal.exists() and wal.stat().st_size > 0:
        # read as immutable, SQLite would not look at the -wal beside it: the last saves,
        # kept only there, would be silently missing from what is read (review)
        raise FileRefused(
            f"{path} 旁边还有一个 -wal 文件，其中是最近保存、尚未并入数据库文件的内容，而这个位置"
            "不能写入，读取时会漏掉它们。请把数据库文件连同旁边的 -wal 文件一起复制到可以写入的"
            "文件夹，再从那里打开或恢复（文件未作改动）。")
    if lasting and not nobody_writes(real):
        raise DatabaseError(cannot_read_only(path))
    return f"{uri}?mode=ro&immutable=1"


def _tables_and_versions(path: Path) -> tuple[set[str], list[str]]:
    """The file's own tables (not SQLite's internal ones) and its alembic_version rows.
    Read-write but only reading (never creating): a read-only connection to a WAL database
    would leave a -wal and -shm behind, which the last read-write connection removes. A
    file that cannot be written is read as immutable (reading_uri)."""
    uri = path.resolve().as_uri() + "?mode=rw" if writable(path) else reading_uri(path)
    connection = sqlite3.connect(uri, uri=True)
    try:
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")}
        versions = []
        if "alembic_version" in tables:
            versions = [str(version) for (version,) in connection.execute(
                "SELECT version_num FROM alembic_version")]
    finally:
        connection.close()
    return tables, versions


def _tiers_tables() -> set[str]:
    """Every table a Tiers database may hold. (Should a migration ever drop a table, add
    its name here: older databases still have it.)"""
    from tiers.model.orm import Base

    return set(Base.metadata.tables) | {"alembic_version"}


def upgrade(engine: Engine) -> None:
    """Every pending migration and the version stamp in one transaction: a failure or a
    kill at any point leaves the database exactly at the revision it had (SQLite runs DDL
    inside transactions). Without this a kill after 0002's ALTER TABLE left the column
    added and the stamp at 0001, a database that could never be opened again."""
    from alembic import command

    migrating = _transactional_engine(engine)
    try:
        with migrating.begin() as connection:
            _one_upgrade_at_a_time(connection)
            config = migrations_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if migrating is not engine:
            migrating.dispose()


# any constant: the key of PostgreSQL's advisory lock held by the upgrading transaction
UPGRADE_LOCK_KEY = 0x7469657273  # "tiers"


def _one_upgrade_at_a_time(connection: Connection) -> None:
    """Several clients of one server may find it at an old version at once: the first
    upgrades, the others wait here for its commit and then find nothing left to do (Alembic
    reads the version after the lock). SQLite's BEGIN IMMEDIATE does the same for a file."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(UPGRADE_LOCK_KEY)))


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
