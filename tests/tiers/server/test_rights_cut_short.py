"""A restore killed between pg_restore and the rights it sets after it (the break campaign of
#16: 2 of 13 restores killed at random) leaves the officers' groups without rights on the
tables. An officer then read "请管理员用 tiers user add 为您设定角色", which he has already:
the administrator re-added users to no avail. It says what to run instead; and running it
gives the rights back."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from tests.tiers.server.conftest import _superuser
from tiers.storage.database import open_database
from tiers.storage.server.roles import group_roles
from tiers.storage.server.setup import init_server
from tiers.storage.server_schema import ServerRefused

pytestmark = pytest.mark.server_only


def _cut_short(bureau) -> None:
    """The state a restore killed after pg_restore leaves: tables without the groups' grants."""
    name = bureau.url.rsplit("/", 1)[1]
    with psycopg.connect(bureau.url, autocommit=True) as owner:
        for group in group_roles(name).values():
            owner.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{group}"')


def test_an_officer_is_told_to_run_server_init_and_it_mends_the_rights(bureau):
    _cut_short(bureau)
    with pytest.raises(ServerRefused, match="tiers server init") as refused:
        open_database(bureau.url_of("editor"))
    assert "tiers user add" not in str(refused.value)
    init_server(bureau.url)
    database = open_database(bureau.url_of("editor"))
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM enterprise")).scalar() == 2
    database.dispose()


def test_a_login_without_a_role_still_hears_of_tiers_user_add(bureau):
    with _superuser(bureau.url) as admin:
        admin.execute("DROP ROLE IF EXISTS tiers_test_stranger")
        admin.execute("CREATE ROLE tiers_test_stranger LOGIN PASSWORD 'bureau-secret-1'")
    bureau.logins["stranger"] = "tiers_test_stranger"
    with pytest.raises(ServerRefused, match="tiers user add"):
        open_database(bureau.url_of("stranger"))
