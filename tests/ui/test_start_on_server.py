"""A start on the bureau's server: without a lock file or backups beside anything; when the
server cannot be used (unreachable, wrong password, no such database, a newer schema) the
officer is told why in Chinese and offered 重试 / 修改连接 / 改用本机数据库, never a
traceback; the password comes from the credential store or is asked for, with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.server_helpers import (  # noqa: F401
    admin,
    checks_passwords,
    closed_port,
    login,
    memory_keyring,
    no_keyring,
    with_login,
)
from tiers.storage import connection_faults, credentials, instance
from tiers.storage.credentials import ServerAddress
from ui import app as app_module
from ui.app_settings import AppSettings
from ui.connect_dialog import ConnectDialog, ConnectFailedDialog, PasswordDialog
from ui.main_window import MainWindow


@pytest.fixture
def started(monkeypatch):
    """What the event loop would have shown: the main windows, their database and whether
    they listen for the others' changes (looked at before the client shuts down)."""
    seen: list[dict] = []

    def look(self=None) -> int:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                listener = window.server_changes.listener
                seen.append({"path": window.database.path,
                             "dialect": window.database.engine.dialect.name,
                             "listening": listener is not None and listener.listening.wait(10),
                             "listener": type(listener).__name__})
                window.close()
                window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", look)
    monkeypatch.setattr(app_module, "is_empty", lambda database: False)
    return seen


@pytest.fixture
def choices(monkeypatch):
    """Answers the failure question in turn (None: 退出) and records what it was told."""
    told: list[str] = []
    answers: list[str | None] = []

    def ask(cls, parent, message):
        told.append(message)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(ConnectFailedDialog, "ask", classmethod(ask))
    return told, answers


def test_an_unreachable_server_is_told_and_quitting_is_clean(qtbot, started, choices):
    told, _answers = choices
    assert app_module.run(f"postgresql://zhang@127.0.0.1:{closed_port()}/tiers") == 1
    assert started == []
    (message,) = told
    assert connection_faults.UNREACHABLE in message and "Traceback" not in message


def test_retry_asks_again(qtbot, started, choices):
    told, answers = choices
    answers.extend([ConnectFailedDialog.RETRY, None])
    assert app_module.run(f"postgresql://zhang@127.0.0.1:{closed_port()}/tiers") == 1
    assert len(told) == 2


def test_the_local_database_instead(qtbot, started, choices, tmp_path):
    _told, answers = choices
    answers.append(ConnectFailedDialog.LOCAL)
    settings = AppSettings()
    settings.database_path = str(tmp_path / "desk.sqlite3")
    settings.uses_server = True
    assert app_module.run(f"postgresql://zhang@127.0.0.1:{closed_port()}/tiers") == 0
    assert started[0]["path"] == tmp_path / "desk.sqlite3"
    # no server's notifications: the file's own look for other programs' commits
    assert started[0]["listener"] == "FileChangeListener"
    assert not AppSettings().uses_server  # the next start opens the file too
    assert not instance.lock_path(tmp_path / "desk.sqlite3").exists()  # given back


def test_change_the_connection(qtbot, started, choices, monkeypatch):
    told, answers = choices
    answers.append(ConnectFailedDialog.EDIT)
    asked: list[str] = []
    monkeypatch.setattr(ConnectDialog, "ask", classmethod(
        lambda cls, parent, settings, runner, message="", password=None:
        asked.append(message)))  # the officer cancels the dialog: asked again, then 退出
    assert app_module.run(f"postgresql://zhang@127.0.0.1:{closed_port()}/tiers") == 1
    assert asked == told[:1] and len(told) == 2


@pytest.mark.server_only
def test_a_start_on_the_server_makes_no_files(qtbot, started, db_target, tmp_path):
    home = Path(os.environ["HOME"])
    before = sorted(home.rglob("*"))
    assert app_module.run(db_target) == 0
    (window,) = started
    assert window["path"] is None and window["dialect"] == "postgresql"
    assert window["listening"]
    # no lock file, no backups folder, no daily copy: only the settings and the log
    made = [path for path in sorted(home.rglob("*")) if path not in before]
    assert not [path for path in made if path.suffix in {".lock", ".sqlite3"}
                or path.name == "backups"], made


def _server_in_the_settings(url: str, monkeypatch) -> ServerAddress:
    """The server chosen last time in 设置 (TIERS_DB, which would come first, unset)."""
    monkeypatch.delenv("TIERS_DB")
    address, _ = ServerAddress.from_url(url)
    settings = AppSettings()
    settings.server = address
    settings.uses_server = True
    return address


@pytest.mark.server_only
def test_the_server_of_the_settings_with_the_kept_password(qtbot, started, db_target,
                                                           memory_keyring, monkeypatch):  # noqa: F811
    address = _server_in_the_settings(db_target, monkeypatch)
    credentials.remember_password(address, "kept")
    monkeypatch.setattr(PasswordDialog, "ask", classmethod(
        lambda cls, *a: pytest.fail("the kept password was not used")))
    assert app_module.run(None) == 0
    assert started and started[0]["path"] is None


@pytest.mark.server_only
def test_without_a_store_the_password_is_asked_with_the_reason(qtbot, started, db_target,
                                                               no_keyring, monkeypatch):  # noqa: F811
    _server_in_the_settings(db_target, monkeypatch)
    reasons: list[str] = []
    monkeypatch.setattr(PasswordDialog, "ask", classmethod(
        lambda cls, parent, asked_for, reason="": reasons.append(reason) or "typed"))
    assert app_module.run(None) == 0
    assert reasons == [credentials.NO_STORE] and started[0]["path"] is None


@pytest.mark.server_only
def test_a_wrong_password_at_start(qtbot, started, choices, db_target):
    told, _answers = choices
    with login(db_target, password="right") as user:
        if not checks_passwords(db_target, user):
            pytest.skip("this server trusts every local login: no password is checked")
        assert app_module.run(with_login(db_target, user, "wrong")) == 1
    assert connection_faults.WRONG_PASSWORD in told[0] and "wrong" not in told[0]


@pytest.mark.server_only
def test_a_newer_schema_at_start(qtbot, started, choices, db_target):
    told, _answers = choices
    with admin(db_target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    assert app_module.run(db_target) == 1
    assert "请升级 Tiers" in told[0]


@pytest.mark.server_only
def test_retry_after_the_administrator_made_the_database(qtbot, started, choices, db_target,
                                                         server):
    told, answers = choices
    base, _, name = db_target.rpartition("/")
    missing = f"{base}/{name}_later"

    def make_it_then_retry():
        with admin(server) as connection:
            connection.execute(f'CREATE DATABASE "{name}_later" TEMPLATE "{name}"')
        return ConnectFailedDialog.RETRY

    answers.append(None)
    original = ConnectFailedDialog.ask
    ConnectFailedDialog.ask = classmethod(
        lambda cls, parent, message: told.append(message) or make_it_then_retry())
    try:
        assert app_module.run(missing) == 0
    finally:
        ConnectFailedDialog.ask = original
        with admin(server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}_later" WITH (FORCE)')
    assert connection_faults.NO_SUCH_DATABASE in told[0]
    assert started and started[0]["path"] is None
