"""Qt fixtures: an isolated QSettings, a runner that is always shut down, a demo database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from tiers import demo
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog
from ui.background_runner import BackgroundRunner


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """No test reads or writes the user's settings; no test can hang on a message box."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.IniFormat, scope, str(tmp_path / "settings"))
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(MessageDialog, "info", classmethod(
        lambda cls, parent, title, text: messages.append(("info", text))))
    monkeypatch.setattr(MessageDialog, "error", classmethod(
        lambda cls, parent, title, text: messages.append(("error", text))))
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(lambda cls, *a, **k: "discard"))
    return messages


@pytest.fixture
def messages(isolated_settings):
    return isolated_settings


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "tiers.ini"), QSettings.IniFormat))


@pytest.fixture
def runner(qtbot):
    runner = BackgroundRunner()
    yield runner
    assert runner.shutdown(10_000), "a background thread outlived its test"


@pytest.fixture
def demo_database(database):
    with database.session() as session:
        for _ in demo.generate(session, enterprises=120):
            pass
    return database
