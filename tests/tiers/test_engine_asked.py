"""What differs between a server and a file is asked of the storage, not decided by the
service or the window that needs it (mends27: audit.current_user and the window's change
listener each read the engine's name themselves)."""

from __future__ import annotations

from sqlalchemy import create_engine

from tiers.services.audit import current_user
from tiers.storage.database import Database
from tiers.storage.dialect import server_login
from tiers.storage.file_changes import FileChangeListener
from tiers.storage.notify import ChangeListener


def test_the_listener_for_others_changes_is_the_engines_own(database, on_postgres):
    listener = database.others_changes(lambda sender: None)
    assert type(listener) is (ChangeListener if on_postgres else FileChangeListener)
    assert not listener.running  # the window starts it
    listener.start()
    try:
        assert listener.listening.wait(10)
    finally:
        listener.stop()
    assert not listener.running


def test_a_database_in_memory_has_no_one_else_to_listen_for():
    engine = create_engine("sqlite://")
    try:
        assert Database(engine, None).others_changes(lambda sender: None) is None
    finally:
        engine.dispose()


def test_the_login_written_is_the_servers_on_a_server_only(database, on_postgres,
                                                          monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "本机用户")
    with database.session() as session:
        login = server_login(session)
        if on_postgres:
            assert login and login == session.info["tiers_login"] == current_user(session)
        else:
            assert login is None and current_user(session) == "本机用户"
    assert current_user() == "本机用户"
