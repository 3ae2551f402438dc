"""A bureau on the real test server: a database made a Tiers server database by
``init_server``, logins of each role (names unique per test: roles are the server's, shared
by every database on it), one firm of 武进区 and one of 新北区. Removed afterwards, roles
included."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tiers.services import enterprises
from tiers.storage.database import open_database
from tiers.storage.server.roles import group_roles
from tiers.storage.server.setup import init_server
from tiers.storage.server.users import add_user

PASSWORD = "bureau-secret-1"
WUJIN, XINBEI = "320412", "320411"


@dataclass
class Bureau:
    url: str  # the superuser's (the IT person's) URL of the database
    logins: dict[str, str] = field(default_factory=dict)  # who → login name
    wujin_firm: int = 0
    xinbei_firm: int = 0

    def url_of(self, who: str, password: str = PASSWORD) -> str:
        """The database's URL with the login of ``who`` (admin, editor, viewer, …)."""
        parts = urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{self.logins[who]}:{password}@{parts.hostname}{port}"
        return urlunsplit(("postgresql", netloc, *parts[2:]))

    def connect_as(self, who: str) -> psycopg.Connection:
        """A plain psql-like connection with the officer's own login (a crafted client)."""
        return psycopg.connect(self.url_of(who))

    def add(self, who: str, role: str, counties: list[str]) -> str:
        name = f"{who}_{uuid.uuid4().hex[:8]}"
        add_user(self.url, name, role, counties, PASSWORD)
        self.logins[who] = name
        return name


def _superuser(url: str) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(("postgresql", parts.netloc, "/postgres", "", "")),
                           autocommit=True)


@pytest.fixture
def bureau(new_target, code) -> Iterator[Bureau]:
    url = new_target()
    init_server(url)
    office = Bureau(url.replace("postgresql+psycopg://", "postgresql://"))
    office.add("admin", "admin", [])
    office.add("editor", "editor", [WUJIN])
    office.add("viewer", "viewer", [])
    office.add("xinbei_viewer", "viewer", [XINBEI])
    database = open_database(url)
    try:
        with database.session() as session:
            office.wujin_firm = enterprises.create(session, {
                "credit_code": code(1, WUJIN), "name": "常州武进精密机械有限公司", "county": "武进区"}).id
            office.xinbei_firm = enterprises.create(session, {
                "credit_code": code(2, XINBEI), "name": "常州新北智能装备有限公司", "county": "新北区"}).id
    finally:
        database.dispose()
    yield office
    name = urlsplit(url).path.strip("/")
    with _superuser(office.url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for login in [*office.logins.values(), *group_roles(name).values()]:
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')

