"""The database: where it lives, how it is opened, migrated and backed up.

This is the one place that knows about SQLite (pragmas, the backup API). A shared
PostgreSQL server later goes through the same models with a different URL.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from tiers.errors import StorageError
from tiers.storage.locking import watch_engine

APP_NAME = "Tiers"
BACKUPS_KEPT = 10
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default wal_autocheckpoint


class DatabaseError(StorageError):
    """A database that cannot be opened or migrated; the message is for the user."""


def default_path() -> Path:
    """``TIERS_DB`` if set, else ``tiers.sqlite3`` in the user's local app-data folder."""
    env = os.environ.get("TIERS_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False)) / "tiers.sqlite3"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def make_engine(path: Path | str) -> Engine:
    url = str(path)
    if "://" not in url:
        url = f"sqlite+pysqlite:///{Path(path).resolve()}"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        watch_engine(engine)  # "database is locked" → DatabaseBusy, a Chinese line
    return engine


def migrations_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
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
    from alembic import command

    command.upgrade(migrations_config(engine), "head")


@contextmanager
def checkpoint_afterwards(connection: Connection) -> Iterator[None]:
    """For a transaction that writes a great deal (an import of 100k rows): its commit
    only appends the new pages to the write-ahead log, and the checkpoint that copies them
    into the database file and syncs it (measured: 0.4–0.8 s for 100 MB, half the import's
    writing) runs afterwards on a thread with its own connection, so the user does not
    wait for it. Readers and writers go on meanwhile (a PASSIVE checkpoint blocks nobody);
    a checkpoint cut short (the program ends) is safe, SQLite finishes it on the next open.
    Not SQLite, or an in-memory database: nothing changes."""
    path = _file_of(connection)
    if path is None:
        yield
        return
    # the driver's connection: it stays open (in the pool) when the block's commit ends
    # the SQLAlchemy connection
    driver = connection.connection.dbapi_connection
    driver.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    thread = threading.Thread(target=_checkpoint, args=(path,), name="tiers-checkpoint")
    _checkpoints.append(thread)
    thread.start()  # not a daemon: the program ends after it (a CLI import included)


_checkpoints: list[threading.Thread] = []


def wait_for_checkpoints(timeout: float | None = None) -> None:
    """Until the background checkpoints started so far have ended."""
    while _checkpoints:
        _checkpoints.pop(0).join(timeout)


def _file_of(connection: Connection) -> str | None:
    if connection.dialect.name != "sqlite":
        return None
    for _seq, name, file in connection.exec_driver_sql("PRAGMA database_list").all():
        if name == "main":
            return file or None
    return None


def _checkpoint(path: str) -> None:
    try:
        connection = sqlite3.connect(path, timeout=10)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()
    except sqlite3.Error:
        pass  # then the next commit's automatic checkpoint copies the pages


class Database:
    """An opened, migrated database and its session factory."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def backup(self, target: Path | str) -> Path:
        if self.path is None:
            raise DatabaseError("只有本地 SQLite 数据库可以这样备份")
        return backup_file(self.path, target)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and migrate the database. An existing database that needs
    migrating is backed up first into ``backups/`` beside it."""
    target = Path(path) if path is not None else default_path()
    is_url = "://" in str(target)
    if not is_url:
        target = target.expanduser()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"无法创建数据库所在的文件夹 {target.parent}：{exc}") from exc
        if target.exists() and not _looks_like_sqlite(target):
            raise DatabaseError(f"{target} 不是 Tiers 数据库（不是 SQLite 文件）")
    engine = make_engine(target)
    try:
        if migrate:
            existing = not is_url and target.exists() and target.stat().st_size > 0
            if existing and _has_tables(engine) and current_revision(engine) != head_revision(engine):
                backup_file(target, _backup_name(target, "before-upgrade"))
            upgrade(engine)
    except Exception as exc:
        engine.dispose()
        if isinstance(exc, DatabaseError):
            raise
        raise DatabaseError(f"无法打开或升级数据库 {target}：{exc}") from exc
    return Database(engine, None if is_url else target)


def _looks_like_sqlite(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def _backup_name(path: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.parent / "backups" / f"{path.stem}-{stamp}-{reason}{path.suffix}"


def backup_file(source: Path, target: Path | str) -> Path:
    """A consistent copy through SQLite's online backup API: safe while another connection
    (the app, an import) is writing. Old automatic backups beyond BACKUPS_KEPT are pruned."""
    as_folder = str(target).endswith(("/", "\\"))
    target = Path(target).expanduser()
    if as_folder or target.is_dir():
        target = target / _backup_name(source, "manual").name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            src.execute("PRAGMA busy_timeout = 10000")
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=1024)
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"备份失败（{target}）：{exc}") from exc
    _prune_backups(target.parent)
    return target


_AUTOMATIC = re.compile(r"^(?P<stem>.+)-\d{8}-\d{6}-(before-upgrade|before-restore)\.[^.]+$")


def _prune_backups(folder: Path) -> None:
    """Keep the newest BACKUPS_KEPT automatic backups of each database in the folder."""
    by_database: dict[str, list[Path]] = {}
    for path in folder.iterdir():
        match = _AUTOMATIC.match(path.name)
        if match:
            by_database.setdefault(match["stem"], []).append(path)
    for paths in by_database.values():
        for old in sorted(paths)[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)


def check_backup(path: Path | str) -> None:
    """Refuse a file that is not a Tiers database (read-only look: nothing is changed)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0 or not _looks_like_sqlite(path):
        raise DatabaseError(f"{path} 不是 Tiers 数据库备份（不是 SQLite 文件或是空文件）")
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"无法读取备份 {path}：{exc}") from exc
    if not {"alembic_version", "enterprise", "recognition", "change"} <= tables:
        raise DatabaseError(f"{path} 不是 Tiers 数据库备份（缺少 Tiers 的数据表）")


def restore_file(backup: Path | str, target: Path | str) -> Path:
    """Put a backup's contents into the live database file and return the automatic backup
    of what was there. The copy goes through SQLite's backup API into the live file, so a
    connection still open and the file's WAL see the restored database: replacing the file
    (os.replace) would leave the old -wal beside it to be replayed over the backup."""
    backup, target = Path(backup), Path(target)
    check_backup(backup)
    before = backup_file(target, _backup_name(target, "before-restore"))
    try:
        source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(target)
            try:
                destination.execute("PRAGMA busy_timeout = 10000")
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"恢复失败：{exc}。恢复前的数据已备份在 {before}") from exc
    return before
