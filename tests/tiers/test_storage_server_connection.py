"""A server that cannot be used is one Chinese line, the same for the CLI and the client:
unreachable, silent, wrong password, no such user or database, no rights, another
program's database, another version's. Nothing on the server is changed."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from tests.server_helpers import (
    admin,
    checks_passwords,
    closed_port,
    login,
    silent_server,
    with_login,
)
from tiers.storage import connection_faults as faults
from tiers.storage import server_schema
from tiers.storage.database import DatabaseError, open_database
from tiers.storage.faults import FileRefused

# libpq's texts, in English and as a PostgreSQL with Chinese lc_messages sends its part
TEXTS = [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection '
     'refused\n\tIs the server running on that host and accepting TCP/IP connections?',
     faults.UNREACHABLE),
    ("connection failed: connection to server at \"10.0.0.5\", port 5432 failed: timeout "
     "expired", faults.TIMEOUT),
    ("failed to resolve host 'tiers-server': [Errno -2] Name or service not known",
     faults.UNKNOWN_HOST),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
     'password authentication failed for user "zhang"', faults.WRONG_PASSWORD),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: 致命错误:  '
     '用户 "zhang" Password 认证失败', faults.WRONG_PASSWORD),
    ("connection failed: fe_sendauth: no password supplied", faults.NO_PASSWORD),
    ('connection failed: FATAL:  database "tiers" does not exist', faults.NO_SUCH_DATABASE),
    ('connection failed: 致命错误:  数据库 "tiers" 不存在', faults.NO_SUCH_DATABASE),
    ('connection failed: FATAL:  role "zhang" does not exist', faults.NO_SUCH_USER),
    ('connection failed: 致命错误:  角色 "zhang" 不存在', faults.NO_SUCH_USER),
    ('connection failed: FATAL:  role "zhang" is not permitted to log in',
     faults.LOGIN_DISABLED),
    ('connection failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "zhang", '
     'database "tiers", no encryption', faults.NOT_ALLOWED_HERE),
    ('connection failed: FATAL:  permission denied for database "tiers"\nDETAIL:  User does '
     'not have CONNECT privilege.', faults.NO_RIGHTS),
    ("connection failed: FATAL:  sorry, too many clients already", faults.TOO_MANY),
    ("connection failed: FATAL:  the database system is starting up", faults.STARTING),
    ("server closed the connection unexpectedly\n\tThis probably means the server terminated "
     "abnormally", faults.CONNECTION_LOST),
]


@pytest.mark.parametrize(("text", "line"), TEXTS)
def test_each_connection_failure_has_its_line(text, line):
    assert faults.explain_connection_text(text) == line


def test_an_unknown_text_is_not_guessed():
    assert faults.explain_connection_text("something else entirely") is None


def test_an_unreachable_server_is_told_in_chinese_with_where():
    url = f"postgresql://zhang@127.0.0.1:{closed_port()}/tiers"
    with pytest.raises(DatabaseError) as refused:
        open_database(url)
    message = str(refused.value)
    assert faults.UNREACHABLE in message and "127.0.0.1" in message and "zhang" in message
    assert "psycopg" not in message and "Connection refused" not in message


def test_a_silent_server_gives_up_within_seconds(monkeypatch):
    monkeypatch.setattr(server_schema, "CONNECT_TIMEOUT_SECONDS", 2)
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="超时"):
            open_database(f"postgresql://zhang@127.0.0.1:{port}/tiers")
    assert time.monotonic() - started < 10


def test_the_password_never_shows_in_a_message():
    with pytest.raises(DatabaseError) as refused:
        open_database(f"postgresql://zhang:s3cret-pw@127.0.0.1:{closed_port()}/tiers")
    assert "s3cret-pw" not in str(refused.value)



@pytest.mark.server_only
def test_a_wrong_password(db_target):
    with login(db_target, password="right-pw") as user:
        if not checks_passwords(db_target, user):
            pytest.skip("this server trusts every local login: no password is checked")
        with pytest.raises(DatabaseError, match="用户名或密码不对"):
            open_database(with_login(db_target, user, "wrong-pw"))
        open_database(with_login(db_target, user, "right-pw")).dispose()


@pytest.mark.server_only
def test_no_such_user_and_no_such_database(db_target):
    with pytest.raises(DatabaseError, match="没有这个用户名"):
        open_database(with_login(db_target, "nobody_here"))
    base, _, _ = db_target.rpartition("/")
    with pytest.raises(DatabaseError, match="没有这个数据库"):
        open_database(f"{base}/no_such_database_at_all")


@pytest.mark.server_only
def test_a_login_without_rights(db_target):
    with login(db_target, rights=False) as user, pytest.raises(
            FileRefused, match="没有使用这个 Tiers 数据库的权限"):
        open_database(with_login(db_target, user))


@pytest.mark.server_only
def test_a_login_with_rights_opens_it(db_target):
    with login(db_target) as user:
        database = open_database(with_login(db_target, user))
        database.dispose()


@pytest.mark.server_only
def test_a_newer_schema_is_refused_untouched(db_target):
    with admin(db_target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(FileRefused, match="请升级 Tiers"):
        open_database(db_target)
    with admin(db_target) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0999",)


@pytest.mark.server_only
def test_an_older_schema_asks_for_the_administrator(db_target):
    with admin(db_target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
    # an officer's login: he may not change the tables' structure
    with login(db_target) as user, pytest.raises(
            FileRefused, match="请管理员运行 tiers server init 升级"):
        open_database(with_login(db_target, user))
    with admin(db_target) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0002",)


@pytest.mark.server_only
def test_another_programs_database_is_refused_untouched(new_target):
    target = new_target(migrated=False)
    with admin(target) as connection:
        connection.execute("CREATE TABLE customers (id integer)")
    with pytest.raises(FileRefused, match="不是 Tiers 数据库.*customers"):
        open_database(target)
    with admin(target) as connection:
        tables = {name for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"customers"}


@pytest.mark.server_only
def test_probe_reads_without_writing(db_target, database):
    state = server_schema.probe(db_target)
    assert state.firms == 0 and state.revision is not None and state.login


@pytest.mark.server_only
def test_after_the_server_dropped_its_connections_the_next_session_just_works(database,
                                                                                db_target):
    """As after a restart of the server: the pooled connection is dead; the next unit of
    work takes a new one instead of failing once."""
    with database.session() as session:
        session.execute(text("SELECT 1"))
    with admin(db_target) as connection:
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM enterprise")).scalar() == 0


def test_the_command_line_says_the_same_in_one_line(capsys):
    from ui.cli.main import main

    port = closed_port()
    assert main(["--db", f"postgresql://zhang:pw@127.0.0.1:{port}/tiers", "info"]) != 0
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and faults.UNREACHABLE in error
    assert "Traceback" not in error and ":pw@" not in error


@pytest.mark.server_only
def test_the_command_line_with_a_wrong_password(capsys, db_target):
    from ui.cli.main import main

    with login(db_target, password="right-pw") as user:
        if not checks_passwords(db_target, user):
            pytest.skip("this server trusts every local login: no password is checked")
        assert main(["--db", with_login(db_target, user, "wrong-pw"), "info"]) != 0
    error = capsys.readouterr().err.strip()
    assert faults.WRONG_PASSWORD in error and "wrong-pw" not in error


def test_a_mistyped_port_is_one_chinese_line_without_the_password():
    from tiers.errors import InvalidInput
    from tiers.storage.address import engine_url

    with pytest.raises(InvalidInput) as refused:
        engine_url("postgresql://zhang:secret@10.0.0.5:5432x/tiers")
    assert str(refused.value) == ("数据库地址中的端口不对：postgresql://zhang:***@10.0.0.5:5432x/tiers"
                                  "（端口应为数字，如 5432）")


def test_a_percent_encoded_database_name_is_the_servers_name():
    from tiers.storage.server.connection import database_name
    from tiers.storage.server.roles import group_role

    assert database_name("postgresql://u@h/%E6%A2%AF%E5%BA%A6") == "梯度"
    # two databases whose names differ in case do not share their groups
    assert group_role("T1", "editor") != group_role("t1", "editor")
