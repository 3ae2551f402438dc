"""Opening a database on a PostgreSQL server: is it a Tiers database, of this program's
version, and may this login use it. Each refusal is one Chinese line; nothing is changed.

The SQLite counterpart reads the file (``schema.tiers_revision``); here the tables are the
server's catalogue. A new, empty database gets the schema (the test fixtures and
``tiers server init`` make one so); an older Tiers schema is upgraded only by the login of
whoever runs ``tiers server init`` (a superuser, the database's owner): an officer's login
is refused with what the administrator must run, and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from tiers.storage.connection_faults import NO_RIGHTS
from tiers.storage.faults import DatabaseError, FileRefused, storage_error
from tiers.storage.schema import head_revision, known_revisions, upgrade

# libpq's connect_timeout: a start-up against a switched-off server must end in seconds,
# not after the operating system's TCP timeout (minutes on Windows)
CONNECT_TIMEOUT_SECONDS = 5

NEWER = "服务器上的数据库由更新版本的 Tiers 建立，本程序版本较旧：请升级 Tiers 后再连接（数据库未作改动）"
OLDER = ("服务器上的数据库是较旧版本的 Tiers 建立的，需要先升级数据库结构："
         "请管理员运行 tiers server init 升级（数据库未作改动）")
EMPTY = "服务器上的这个数据库还是空的：请管理员先运行 tiers server init 建立 Tiers 数据库"
# a login with a Tiers role and no rights on the tables: the rights that `tiers restore` and
# `tiers server init` set after the tables were cut short (the process killed in between)
RIGHTS_MISSING = ("您的账号已有 Tiers 角色，但这个数据库的权限没有设置完整（可能是恢复或升级被中断了）："
                  "请管理员运行 tiers server init 重新设置权限（数据库未作改动）")
NOT_TIERS = "服务器上的这个数据库不是 Tiers 数据库（其中是其他程序的数据表：{tables}），为免损坏，Tiers 不会改动它"


class ServerRefused(FileRefused):
    """A server database Tiers will not use as it is (another program's, another version's,
    no rights); it was not changed."""


def engine_options() -> dict:
    """create_engine's options for a server: a short connect timeout, and a check of a
    pooled connection before use, so that after the server restarted the next query
    quietly takes a new connection instead of failing once."""
    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                             "application_name": "Tiers"},
            "pool_pre_ping": True}


def where(engine: Engine) -> str:
    """The database for messages: server, port, name and login; never the password."""
    url = engine.url
    port = f":{url.port}" if url.port else ""
    user = f"（用户 {url.username}）" if url.username else ""
    return f"服务器 {url.host or 'localhost'}{port} 上的数据库 {url.database}{user}"


@dataclass(frozen=True)
class ServerState:
    """What a look at a server database found."""

    revision: str | None  # None: a new, empty database
    firms: int | None  # firms not in the 回收站 (None for an empty database)
    login: str


def look(engine: Engine) -> ServerState:
    """Connect and read what the database is, without changing anything. Raises a
    DatabaseError with one line: unreachable, wrong password, no such database (through
    faults.explain), another program's or another version's database, no rights."""
    try:
        with engine.connect() as connection:
            revision = _revision(connection)
            firms = _firms(connection) if revision is not None else None
            login = connection.exec_driver_sql("SELECT session_user").scalar_one()
    except DatabaseError:
        raise
    except DBAPIError as exc:
        if _is_insufficient_privilege(exc):  # a login without a Tiers role, or its rights
            raise ServerRefused(RIGHTS_MISSING if _has_a_role(engine) else NO_RIGHTS) from exc
        raise storage_error(exc, f"无法打开{where(engine)}") from exc
    return ServerState(revision, firms, str(login))


def _has_a_role(engine: Engine) -> bool:
    """Whether this login is a member of one of the database's Tiers groups."""
    from tiers.storage.server.roles import group_roles

    groups = list(group_roles(engine.url.database or "").values())
    try:
        with engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT coalesce(bool_or(pg_has_role(session_user, rolname, 'MEMBER')), false) "
                "FROM pg_roles WHERE rolname = ANY(:groups)"), {"groups": groups}).scalar())
    except DBAPIError:
        return False


def prepare(engine: Engine) -> None:
    """``look``, then the schema for a new database or an older one (when this login may
    make it): the server counterpart of opening and migrating a file."""
    state = look(engine)
    if state.revision == head_revision():
        return
    if not _may_change_structure(engine):
        # an officer's login: even where an upgrade step only updates rows, with row-level
        # security it would update his county's and stamp the whole database as done
        raise ServerRefused(OLDER if state.revision is not None else EMPTY)
    try:
        upgrade(engine)
    except Exception as exc:  # any failure: the one upgrade transaction rolled back
        if isinstance(exc, DBAPIError) and _is_insufficient_privilege(exc):
            raise ServerRefused(OLDER if state.revision is not None else EMPTY) from exc
        raise storage_error(exc, f"无法升级{where(engine)}（数据库仍是原来的版本，未作改动）") \
            from exc


def _revision(connection: Connection) -> str | None:
    tables = set(inspect(connection).get_table_names())
    versions: list[str] = []
    if "alembic_version" in tables:
        versions = [str(v) for v in connection.execute(
            text("SELECT version_num FROM alembic_version")).scalars()]
    revision = versions[0] if len(versions) == 1 else None
    if revision is not None and revision in known_revisions():
        return revision
    if revision is not None and "enterprise" in tables:
        raise ServerRefused(NEWER)
    if tables:
        shown = "、".join(sorted(tables)[:5])
        raise ServerRefused(NOT_TIERS.format(tables=shown))
    return None


def _firms(connection: Connection) -> int:
    """The firms this login sees; refused when the login has no rights on the tables."""
    return int(connection.execute(text(
        "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL")).scalar_one())


def _may_change_structure(engine: Engine) -> bool:
    """A superuser, or the database's owner (or a member of the owning role): whoever runs
    ``tiers server init``."""
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT rolsuper OR pg_has_role(current_user, "
            "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user")).scalar())


def _is_insufficient_privilege(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) == "42501"



def probe(url: str) -> ServerState:
    """``look`` at the database of ``url`` through an engine of its own (the 测试连接 of the
    client): nothing is created or changed, the connection is closed afterwards."""
    from tiers.storage.database import make_engine  # (database imports this module)

    engine = make_engine(url)
    try:
        return look(engine)
    finally:
        engine.dispose()
