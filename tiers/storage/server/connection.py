"""A plain psycopg connection to a Tiers server, for the administration (roles, policies,
users): statements that SQLAlchemy's ORM has no words for. Its failures come out as one
Chinese line (faults.explain), never the driver's English."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from tiers.errors import InvalidInput, Refused
from tiers.storage.address import engine_url, is_url, shown
from tiers.storage.faults import DatabaseError, describe

if TYPE_CHECKING:
    import psycopg

NOT_INITIALISED = "这个数据库还没有设置为 Tiers 服务器数据库：请数据库所有者先运行 tiers server init"
NOT_ADMIN = "您的账号不是 Tiers 管理员，不能进行这项操作（请管理员或数据库所有者操作）"


def server_url(target: str | None, command: str) -> str:
    """The libpq URL (postgresql://…) of a server target; a file path is refused: the
    administration is a server's."""
    if not target or not is_url(str(target)):
        raise InvalidInput(f"{command} 只用于服务器数据库：请用 --db postgresql://用户名@服务器:端口/数据库名"
                           "（或 TIERS_DB）指定服务器")
    url = engine_url(str(target))
    if not url.startswith("postgresql"):
        raise InvalidInput(f"{command} 只用于 PostgreSQL 服务器：{shown(url)}")
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def database_name(url: str) -> str:
    """The database's name as the server knows it: a URL may spell it %-encoded (梯度)."""
    parts = urlsplit(url)
    return unquote(parts.path.strip("/")) or unquote(parts.username or "")


@contextmanager
def connect(url: str, context: str) -> Iterator[psycopg.Connection]:
    """One transaction on the server: committed when the block ends, rolled back on an
    error; a driver's error becomes a DatabaseError ``context：reason``."""
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as exc:
        raise DatabaseError(f"{context}：{describe(exc)}（{shown(url)}）") from exc
    try:
        with connection:  # commit at the end, rollback on an exception
            yield connection
    except psycopg.Error as exc:
        raise DatabaseError(f"{context}：{describe(exc)}") from exc
    finally:
        connection.close()


def is_initialised(connection: psycopg.Connection) -> bool:
    found = connection.execute("SELECT to_regprocedure('public.tiers_is_admin()')").fetchone()
    return found is not None and found[0] is not None


NOT_USER_MANAGER = ("只有数据库的所有者（建库时的管理账号）或超级用户可以管理用户"
                    "（添加、停用、启用、重设密码、修改角色或区县）"
                    "（Tiers 管理员也不能：那需要 CREATEROLE，而在 PostgreSQL 15 及以前，"
                    "有 CREATEROLE 的账号可以把自己加进服务器上的任何角色）")


def require_user_manager(connection: psycopg.Connection) -> None:
    """Refused unless the login may create roles (the database's owner as README sets it
    up, or a superuser). Tiers admins' logins are NOCREATEROLE on purpose."""
    if not is_initialised(connection):
        raise Refused(NOT_INITIALISED)
    row = connection.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles "
                             "WHERE rolname = session_user").fetchone()
    if not (row and row[0]):
        raise Refused(NOT_USER_MANAGER)


def require_admin(connection: psycopg.Connection) -> None:
    """Refused unless the login is a Tiers admin, the database's owner or a superuser (as
    the server itself decides: the same function the policies use)."""
    if not is_initialised(connection):
        raise Refused(NOT_INITIALISED)
    if not connection.execute("SELECT public.tiers_is_admin()").fetchone()[0]:
        raise Refused(NOT_ADMIN)
