"""On a server, a commit that wrote tells the other clients (PostgreSQL NOTIFY, delivered at
commit only); a rolled-back or read-only transaction tells nobody; the listener comes back
by itself when its connection is cut; a commit of the listener's own login made by another
program is told apart from another officer's."""

from __future__ import annotations

import queue

import pytest
from sqlalchemy import text

from tests.server_helpers import admin, login, with_login
from tiers.services import enterprises
from tiers.storage import notify
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only


@pytest.fixture
def two_clients(db_target):
    """Two officers' clients: two logins."""
    with login(db_target) as colleague:
        mine, theirs = open_database(db_target), open_database(with_login(db_target, colleague))
        yield mine, theirs
        mine.dispose()
        theirs.dispose()


@pytest.fixture
def heard(two_clients):
    """What the first client's listener hears."""
    mine, _theirs = two_clients
    messages: queue.Queue[str] = queue.Queue()
    listener = notify.ChangeListener(mine.engine, messages.put)
    listener.start()
    assert listener.listening.wait(10)
    yield messages
    listener.stop()
    assert not listener.running


def firm(code):
    return {"credit_code": code(1), "name": "常州通知测试科技有限公司", "county": "武进区"}


def test_a_commit_of_another_client_is_heard(two_clients, heard, code):
    _mine, theirs = two_clients
    with theirs.session() as session:
        enterprises.create(session, firm(code))
    assert heard.get(timeout=5) == notify.origin(theirs.engine)


def test_a_rolled_back_write_tells_nobody(two_clients, heard, code):
    _mine, theirs = two_clients
    with pytest.raises(RuntimeError), theirs.session() as session:
        enterprises.create(session, firm(code))
        raise RuntimeError("the officer's action failed half-way")
    with theirs.session() as session:  # reading only
        session.execute(text("SELECT count(*) FROM enterprise")).scalar()
    with pytest.raises(queue.Empty):
        heard.get(timeout=1.5)


def test_its_own_commits_are_not_heard_again(two_clients, heard, code):
    mine, theirs = two_clients
    with mine.session() as session:
        enterprises.create(session, firm(code))
    with theirs.session() as session:
        session.execute(text("UPDATE enterprise SET town = '湖塘镇'"))
    assert heard.get(timeout=5) == notify.origin(theirs.engine)  # theirs only
    with pytest.raises(queue.Empty):
        heard.get(timeout=1)


def test_the_listener_comes_back_after_its_connection_is_cut(two_clients, heard, code,
                                                              monkeypatch, db_target):
    _mine, theirs = two_clients
    monkeypatch.setattr(notify.ChangeListener, "RETRY_SECONDS", (0.2,))
    with admin(db_target) as connection:  # as when the server restarts
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE query LIKE 'LISTEN tiers_changes%' AND pid <> pg_backend_pid() "
                           "AND datname = current_database()")
    assert heard.get(timeout=10) == notify.LOST  # said at once (tester27's finding 5)
    assert heard.get(timeout=10) == notify.RECONNECTED  # what was missed: refresh once
    with theirs.session() as session:
        enterprises.create(session, firm(code))
    assert heard.get(timeout=5) == notify.origin(theirs.engine)


def test_a_transaction_that_failed_ends_as_it_did_without_notifications(two_clients, heard):
    """A statement failed and the caller went on to commit: the server rolls it back
    quietly, as before; no notification and no error of ours on top."""
    from sqlalchemy.exc import DBAPIError

    _mine, theirs = two_clients
    with theirs.session() as session, pytest.raises(DBAPIError):
        session.execute(text("SELECT no_such_function()"))
    with pytest.raises(queue.Empty):
        heard.get(timeout=1)


def test_a_commit_of_the_same_login_from_another_program_is_told_apart(
        two_clients, heard, code, db_target):
    """The officer's own login in another program (the command line, a second window):
    not another officer (the window said 其他用户修改了数据 for such)."""
    elsewhere = open_database(db_target)  # the first client's login, another engine
    try:
        with elsewhere.session() as session:
            enterprises.create(session, firm(code))
    finally:
        elsewhere.dispose()
    assert heard.get(timeout=5) == notify.SAME_LOGIN


def test_a_payload_without_a_login_is_another_officers(two_clients):
    """(A client of an older version sends its origin alone.)"""
    mine, _theirs = two_clients
    listener = notify.ChangeListener(mine.engine, lambda sender: None)
    assert listener.sender("0123456789abcdef", "postgres") == "0123456789abcdef"
    assert listener.sender(f"{notify.origin(mine.engine)}:postgres", "postgres") is None
    assert listener.sender("0123456789abcdef:postgres", "postgres") == notify.SAME_LOGIN
    assert listener.sender("0123456789abcdef:wujin01", "postgres") == "0123456789abcdef"
