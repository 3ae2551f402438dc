"""``tiers server init``: make a PostgreSQL database a Tiers server database. Run by a
superuser or by the database's owner (with the right to create roles); again after every
upgrade of Tiers (it migrates the schema, then re-grants: a table added by an upgrade gets
its rights). All of it in one transaction: a failure leaves the rights as they were."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Connection, sql

from tiers.errors import Refused
from tiers.storage.server import rights
from tiers.storage.server.connection import connect, database_name, server_url
from tiers.storage.server.roles import group_roles

NOT_OWNER = ("只有数据库的所有者或超级用户才能运行 tiers server init（所有者还须有创建角色的权限："
             "ALTER ROLE 所有者 CREATEROLE）")


@dataclass(frozen=True)
class ServerReady:
    database: str
    revision: str
    groups: dict[str, str]  # role → group role's name
    tables: tuple[str, ...]  # the tables under row-level security


def init_server(target: str) -> ServerReady:
    """Migrate the schema (Alembic), then create the group roles, the users' table, the
    grants, policies and triggers. Idempotent."""
    from tiers.storage.database import open_database
    from tiers.storage.schema import current_revision

    url = server_url(target, "tiers server init")
    with connect(url, "无法连接服务器") as connection:
        _require_owner(connection)
    database = open_database(target)  # creates or upgrades the schema (all or nothing)
    try:
        revision = current_revision(database.engine) or ""
    finally:
        database.dispose()
    groups = group_roles(database_name(url))
    with connect(url, "无法设置服务器数据库的权限（数据库未作改动）") as connection:
        # one at a time: two inits at once would race on CREATE ROLE
        connection.execute("SELECT pg_advisory_xact_lock(hashtext('tiers server init'))")
        for group in groups.values():
            _create_group(connection, group)
        rights.install(connection, groups)
        tables = (rights.COUNTY_TABLE, *rights.child_tables(connection))
    return ServerReady(database_name(url), revision, groups, tables)


def _require_owner(connection: Connection) -> None:
    superuser, owner, may_create_roles = connection.execute("""
        SELECT r.rolsuper,
               pg_has_role(session_user, d.datdba, 'MEMBER'),
               r.rolcreaterole
        FROM pg_roles r, pg_database d
        WHERE r.rolname = session_user AND d.datname = current_database()""").fetchone()
    if not (superuser or (owner and may_create_roles)):
        raise Refused(NOT_OWNER)


def _create_group(connection: Connection, group: str) -> None:
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
