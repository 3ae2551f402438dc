"""The database: where it lives, how it is opened, migrated and backed up.

The one place that opens a database (SQLite's pragmas, the checkpoint after large writes);
the schema's version is in ``schema``, copies of the file in ``backups``. A shared
PostgreSQL server later goes through the same models with a different URL.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tiers.storage import notify, server_schema
from tiers.storage.address import engine_url, is_url, resolve, shown
from tiers.storage.backups import (
    backup_before_upgrade,
    backup_file,
    backup_marked,
    remove_leftovers,
)
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.dialect import connect_args
from tiers.storage.faults import (
    ConnectionLost,
    DatabaseError,
    explain,
    read_only_reason,
    read_only_refusal,
    storage_error,
)
from tiers.storage.file_changes import FileChangeListener
from tiers.storage.location import default_path  # noqa: F401  (re-exported for callers)
from tiers.storage.locking import watch_engine
from tiers.storage.notify import ListenerThread
from tiers.storage.schema import (
    current_revision,
    head_revision,
    tiers_revision,
    unwritable_uri,
    upgrade,
    writable,
)
from tiers.storage.shares import refuse_network_share
from tiers.storage.write_rights import WriteRights, write_rights

log = logging.getLogger(__name__)

AUTOCHECKPOINT_PAGES = 1000  # SQLite's default wal_autocheckpoint
BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another writer before "locked"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_reading_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """A file opened read-only: no journal mode nor synchronous setting (each would be a
    write to it)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


CHANGED_MEANWHILE = "数据库已被其他程序修改，请关闭后重新打开"


def told_read_only(error: BaseException | None, refusal: str) -> str | None:
    """``refusal`` for a write SQLite refused on a file opened read-only (plain
    SQLITE_READONLY); None for SQLite's other read-only conditions (it could not recover
    a killed writer's -wal, set up the -wal's index, write the folder…), which say nothing
    of a write and are told as ``explain`` says."""
    return refusal if getattr(error, "sqlite_errorname", None) == "SQLITE_READONLY" else None


def _stamp(path: Path) -> tuple[Any, ...]:
    """What tells that a file read as immutable has changed: the file's inode, size and
    time of change, and the -wal and -shm beside it (a writer keeps them while it works)."""
    def of(file: Path) -> tuple[int, int, int] | None:
        try:
            status = file.stat()
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns

    return of(path), of(path.with_name(path.name + "-wal")), of(
        path.with_name(path.name + "-shm"))


def make_engine(path: Path | str, *, read_only: bool = False) -> Engine:
    """An engine for a file path (SQLite) or a server URL (PostgreSQL through psycopg).
    ``read_only``: a file opened without writing to it (schema.unwritable_uri: nothing is
    created beside it, refused when another program may write it and has it not open),
    whose every write SQLite refuses and the engine tells as ``read_only_refusal``."""
    options: dict = {}
    immutable = False
    if is_url(str(path)):
        url = engine_url(str(path))
        if url.startswith("postgresql"):
            # a short connect timeout, pre-ping; JIT off (dialect.connect_args)
            options = server_schema.engine_options()
            options["connect_args"] = {**options.get("connect_args", {}), **connect_args(url)}
    else:
        url = f"sqlite+pysqlite:///{Path(path).resolve()}"
        if read_only:  # the file's URI (mode=ro, immutable): the URL still names the file
            real = Path(path).resolve()
            seen = _stamp(real)  # before the first read
            uri = unwritable_uri(Path(path))
            immutable = uri.endswith("immutable=1")
            options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    engine = create_engine(url, **options)
    notify.announce_commits(engine)  # on a server: others hear of every commit that wrote
    if engine.dialect.name == "sqlite" and read_only:
        event.listen(engine, "connect", _sqlite_reading_on_connect)
        refusal = read_only_refusal(Path(path).resolve())
        changed = f"{CHANGED_MEANWHILE}（{Path(path).resolve()}）"

        def _refused(context: Any) -> BaseException | None:
            if immutable and _stamp(real) != seen:  # what was read is no longer the file
                told = DatabaseError(changed)
            else:
                line = told_read_only(context.original_exception, refusal)
                if line is None:
                    return None
                told = DatabaseError(line)
            told.__cause__ = context.original_exception
            return told

        event.listen(engine, "handle_error", _refused)
        if immutable:
            # SQLite was told the file never changes: it takes no lock and trusts the pages
            # it holds. Nobody can write it (schema.nobody_writes) until someone gives the
            # rights back (chmod, as our own message tells him); a connection handed out
            # after that would show stale rows, or "损坏" where pages no longer fit: every
            # checkout (each session) first looks at the file, and a change is told as
            # such, never read
            def _guard(*_args: Any) -> None:
                if _stamp(real) != seen:
                    raise DatabaseError(changed)

            event.listen(engine, "checkout", _guard)
    elif engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "checkin", _checkpoint_when_back)
        event.listen(engine, "close", _forget_connection)  # closed, never checked in
    # "database is locked", a server's deadlock → DatabaseBusy, a Chinese line
    watch_engine(engine)
    return engine


@contextmanager
def checkpoint_afterwards(connection: Connection) -> Iterator[None]:
    """For a transaction that writes a great deal (an import of 100k rows): its commit
    (inside the block, or the caller's after it) only appends the new pages to the
    write-ahead log, and the checkpoint that copies them into the database file and syncs
    it (measured: 0.4–0.8 s for 100 MB, half the import's writing) runs afterwards on a
    thread with its own connection, so the user does not wait for it. Readers and writers go on meanwhile (a PASSIVE checkpoint blocks nobody);
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
    wrote = False
    try:
        yield
        wrote = True
    finally:
        if driver.in_transaction:
            # the caller commits after the block (an undo, in the caller's transaction):
            # put back now, the commit itself would copy every page. Done once the
            # connection is back in the pool, after the commit or the rollback
            _after_transaction[id(driver)] = (driver, path, wrote)
        else:
            _checkpoint_afterwards(driver, path, wrote)


_checkpoints: list[threading.Thread] = []
# driver connections whose large write was still uncommitted at the end of its block (by
# id: the driver's connections take no weak reference), with their database file
_after_transaction: dict[int, tuple[sqlite3.Connection, str, bool]] = {}


def _checkpoint_afterwards(driver: sqlite3.Connection, path: str, wrote: bool) -> None:
    driver.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    if not wrote:  # the block failed: nothing of it was committed, nothing to copy
        return
    thread = threading.Thread(target=_checkpoint, args=(path,), name="tiers-checkpoint")
    _checkpoints.append(thread)
    thread.start()  # not a daemon: the program ends after it (a CLI import included)


def _waiting(dbapi_connection: Any) -> tuple[sqlite3.Connection, str, bool] | None:
    """The connection's entry, taken out (None: it has none; an id reused by another)."""
    waiting = _after_transaction.get(id(dbapi_connection))
    if waiting is None or waiting[0] is not dbapi_connection:
        return None
    del _after_transaction[id(dbapi_connection)]
    return waiting


def _checkpoint_when_back(dbapi_connection: Any, _record: object) -> None:
    """The pool's checkin (after its reset: the transaction has ended either way)."""
    waiting = _waiting(dbapi_connection)
    if waiting is not None:
        with suppress(sqlite3.Error):  # a connection being closed: its setting goes too
            _checkpoint_afterwards(*waiting)


def _forget_connection(dbapi_connection: Any, _record: object) -> None:
    _waiting(dbapi_connection)  # closed without a checkin: nothing to put back


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


def _from_the_driver(error: BaseException) -> bool:
    """An error of the database itself: SQLite's, SQLAlchemy's wrapping of a driver's, or
    psycopg's raised directly (the PostgreSQL bulk writer's COPY talks to the driver;
    psycopg is not imported for this, a local database never loads it)."""
    return isinstance(error, (sqlite3.Error, DBAPIError)) or (
        type(error).__module__.split(".")[0] == "psycopg")


def _raise_told(exc: Exception, *, at_commit: bool = False) -> None:
    """The storage's refusals (locked, disk full, read-only, damaged, a server lost) as a
    DatabaseError with one Chinese line; returns for anything else (a bug: its traceback
    goes to the log)."""
    if not _from_the_driver(exc):
        return
    reason = explain(exc)
    if reason is None:
        return
    if reason == CONNECTION_LOST:
        raise ConnectionLost(reason, at_commit=at_commit) from exc
    raise DatabaseError(reason) from exc


class Database:
    """An opened, migrated database and its session factory."""

    def __init__(self, engine: Engine, path: Path | None,
                 rights: WriteRights | None = None, *, read_only: bool = False) -> None:
        self.engine = engine
        self.path = path
        # a file opened without writing to it (its rights, or its folder's, forbid it):
        # read and exported; every write refused as read_only_refusal says
        self.read_only = read_only
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        # what the login may do, read when it connected (a file: everything): the client
        # greys out the rest; the server still refuses it (the real guard)
        self.rights = rights or WriteRights()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error. The
        storage's refusals (locked, disk full, read-only, damaged) come out as a
        DatabaseError with one Chinese line; a server's connection lost on the way as
        ConnectionLost, which says whether it broke at the commit (only then may the work
        have been written)."""
        committing = False
        try:
            with self.sessions() as session, session.begin():
                yield session
                committing = True  # the block ended: what fails now is the commit
        except Exception as exc:
            _raise_told(exc, at_commit=committing)
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads (an export of a report or a 采集表): ended with a
        rollback, not a commit. A server lost after the last read then does not fail the
        work already done: the commit had nothing to write, yet its failure reported a
        finished export as failed, the file beside it. Failures while reading are told as
        by ``session``."""
        session = self.sessions()
        try:
            yield session
        except Exception as exc:
            _raise_told(exc)
            raise
        finally:
            try:
                session.close()  # a rollback: nothing to write, nothing to lose
            except Exception as exc:
                if not _from_the_driver(exc):
                    raise
                # the server gone after the last read (or the read's own error, raised
                # above, is the one to tell): the reads are done and kept
                log.warning("读取结束时无法关闭数据库连接：%s", exc)

    @property
    def server_target(self) -> str | None:
        """A server's URL with the login's password, for its administration
        (tiers.storage.server.users: the desktop's 账号管理); None on a file."""
        if self.engine.dialect.name != "postgresql":
            return None
        return self.engine.url.render_as_string(hide_password=False)

    def backup(self, target: Path | str) -> Path:
        if self.path is None:  # a server: its pg_dump
            from tiers.storage.server.dump import dump_server

            return dump_server(self.engine.url.render_as_string(hide_password=False), target)
        return backup_file(self.path, target)

    def others_changes(self, on_change: Callable[[str], None]) -> ListenerThread | None:
        """A listener, not yet started, that calls ``on_change`` (from its own thread) with
        who committed when another program commits to this database: on a server its
        notifications (tiers.storage.notify), on a file SQLite's data_version
        (tiers.storage.file_changes); None for a database with neither (in memory)."""
        if self.engine.dialect.name == "postgresql":
            return notify.ChangeListener(self.engine, on_change)
        # (not a file opened read-only: its own read-write connection would leave a -wal and a
        # -shm beside it)
        if self.path is not None and not self.read_only:
            return FileChangeListener(self.engine, self.path, on_change)
        return None

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str | None = None, *, migrate: bool = True,
                  read_only: bool | None = None) -> Database:
    """Open (creating if needed) and migrate the database. An existing database that needs
    migrating is backed up first into ``backups/`` beside it. A file this program may not
    write (marked read-only, in a read-only folder, share or disc), or any file with
    ``read_only`` (a test run as root, whom the file's mode does not stop), is opened
    without writing anything to it or beside it: never migrated (refused when it needs
    it), every write refused (``read_only_refusal``). Every failure is a DatabaseError
    with one line for the user."""
    target = resolve(str(path) if path is not None else None)  # before Path() folds "//"
    read_only = isinstance(target, Path) and bool(
        read_only or (target.exists() and not writable(target)))
    # read before any connection: closing a file of our own drops SQLite's locks on it
    marked = isinstance(target, Path) and _check_file(target, read_only=read_only)
    engine = make_engine(target, read_only=read_only)
    # a file opened read-only: the client greys out every write, saying why (the engine
    # refuses it anyway)
    rights = WriteRights(may_write=False, told=read_only_refusal(target)) if read_only else None
    try:
        if migrate and read_only:
            _refuse_upgrading(engine, target)
        elif migrate:
            _migrate(engine, target if isinstance(target, Path) else None)
            if marked:  # a backup opened as the database is the database from now on
                with engine.begin() as connection:
                    connection.exec_driver_sql("PRAGMA application_id = 0")
        if engine.dialect.name == "postgresql":
            rights = read_rights(engine)
    except Exception as exc:
        engine.dispose()
        if isinstance(exc, DatabaseError):
            raise
        raise storage_error(exc, f"无法打开数据库 {shown(target)}",
                            folder=target.parent if isinstance(target, Path) else None) from exc
    return Database(engine, target if isinstance(target, Path) else None, rights,
                    read_only=read_only)


def read_rights(engine: Engine) -> WriteRights:
    """The login's rights on a server, as its own functions and tables say (one read)."""
    with Session(engine) as session:
        return write_rights(session)


def _check_file(target: Path, *, read_only: bool = False) -> bool:
    """Before anything touches the file: on this machine, its folder there, and empty or a
    Tiers database; then what killed backups left beside it goes (not beside a file opened
    read-only: nothing there is touched). Returns whether the file is marked as a backup
    (backups.BACKUP_MARK)."""
    refuse_network_share(target)
    if read_only:
        if not target.is_file():
            raise DatabaseError(f"数据库文件不存在：{target}")
        unwritable_uri(target)  # refused when another program may write it later
        tiers_revision(target)  # refuses another program's file (read as immutable)
        return backup_marked(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"无法创建数据库所在的文件夹 {target.parent}") from exc
    tiers_revision(target)  # refuses another program's file
    _refuse_read_only(target)
    remove_leftovers(target.parent / "backups")
    return backup_marked(target)


def _refuse_read_only(target: Path) -> None:
    """A new database in a read-only folder, share, disc or write-protected stick failed
    with "无法打开数据库文件（文件夹不存在、没有权限或文件被占用）", which named none of these.
    (An existing file there is opened read-only: open_database.)"""
    if not target.exists() and not os.access(target.parent, os.W_OK | os.X_OK):
        raise DatabaseError(f"无法在文件夹 {target.parent} 中新建数据库：文件夹是只读的（或没有"
                            "写入权限），请换一个文件夹")


def _refuse_upgrading(engine: Engine, path: Path) -> None:
    """A file opened read-only is never upgraded (nor backed up for it): one that needs it
    (or holds no Tiers tables yet) is refused, unchanged."""
    revision = current_revision(engine)
    if revision == head_revision(engine):
        return
    what = ("是空的（还没有 Tiers 的数据表）" if revision is None
            else "是较早版本的 Tiers 建的，需要升级为本版本的结构后才能打开")
    why, cure = read_only_reason(path)
    raise DatabaseError(f"数据库 {path} {what}，但它是只读的（{why}），Tiers 不能升级它，文件未作改动。"
                        f"{cure}")


def _migrate(engine: Engine, path: Path | None) -> None:
    if engine.dialect.name == "postgresql":
        server_schema.prepare(engine)  # refuses another program's or version's database
        return
    revision = current_revision(engine)  # None: a new database
    if revision == head_revision(engine):
        return  # up to date: no backup, no write lock
    if revision is not None and path is not None:
        backup_before_upgrade(path, revision)
    try:
        upgrade(engine)
    except Exception as exc:
        raise storage_error(
            exc, f"无法升级数据库 {path or engine.url.render_as_string()}"
            "（数据库仍是原来的版本，未作改动）") from exc
