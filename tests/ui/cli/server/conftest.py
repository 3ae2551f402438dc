"""A fresh database on the test server for the administration commands, and afterwards the
roles they made removed (roles are the server's, shared by all its databases)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tiers.storage.server.roles import group_roles


@pytest.fixture
def server_db(new_target) -> Iterator[str]:
    """The superuser's URL of a new, migrated database (postgresql://…)."""
    url = new_target().replace("postgresql+psycopg://", "postgresql://")
    yield url
    parts = urlsplit(url)
    name = parts.path.strip("/")
    with psycopg.connect(urlunsplit(("postgresql", parts.netloc, "/postgres", "", "")),
                         autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        logins = admin.execute(
            "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid"
            " JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = ANY(%s)",
            (list(group_roles(name).values()),)).fetchall()
        for (login,) in logins:
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')
        for group in group_roles(name).values():
            admin.execute(f'DROP ROLE IF EXISTS "{group}"')


@pytest.fixture
def login_url(server_db):
    """The database's URL with another login and password."""

    def make(name: str, password: str) -> str:
        parts = urlsplit(server_db)
        return urlunsplit(("postgresql", f"{name}:{password}@{parts.hostname}:{parts.port}",
                           *parts[2:]))

    return make


@pytest.fixture
def unique():
    """A login name no other test uses."""
    return lambda who: f"{who}_{uuid.uuid4().hex[:8]}"
