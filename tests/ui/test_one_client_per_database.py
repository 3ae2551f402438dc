"""A second desktop client on the same database is told who has it open and quits; the
client gives the database back when it closes or switches to another file."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from tiers.storage import instance
from tiers.storage.database import open_database
from ui import app as app_module
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.sqlite_only  # the lock file beside a database file


@pytest.fixture
def other_client(tmp_path):
    """A lock held by another live process on this computer."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    path = tmp_path / "shared.sqlite3"
    instance.lock_path(path).write_text(json.dumps(
        {"pid": child.pid, "user": "李四", "host": socket.gethostname(),
         "since": "2026-05-06T09:15:00"}), encoding="utf-8")
    yield path
    child.kill()
    child.wait()


def windows_shown(monkeypatch) -> list:
    shown: list = []
    monkeypatch.setattr(QApplication, "exec", lambda self=None: shown.append(
        [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
         and w.isVisible()]) or 0)
    return shown


def close_all(shown) -> None:
    for windows in shown:
        for window in windows:
            window.close()
            window.deleteLater()


def test_a_second_client_is_refused_with_the_holder(qtbot, other_client, monkeypatch,
                                                     messages):
    shown = windows_shown(monkeypatch)
    assert app_module.run(str(other_client)) == 1
    assert shown == []
    assert not other_client.exists()  # not even created
    (kind, text), = messages
    assert kind == "error" and "李四" in text and "2026-05-06 09:15:00" in text
    assert "退出" in text


def test_the_client_holds_its_database_until_it_quits(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "mine.sqlite3"
    monkeypatch.setattr(app_module, "is_empty", lambda database: False)
    held = []
    monkeypatch.setattr(QApplication, "exec", lambda self=None: held.append(
        instance.read_holder(instance.lock_path(path))) or 0)
    assert app_module.run(str(path)) == 0
    assert held[0] is not None and held[0].is_this_process()
    assert not instance.lock_path(path).exists()
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.close()
            window.deleteLater()


def test_settings_will_not_open_another_clients_database(qtbot, database, settings, runner,
                                                         other_client, messages):
    open_database(other_client).dispose()  # a real database, held by the other client
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    chosen = []
    dialog.database_chosen.connect(chosen.append)
    task = dialog._open(str(other_client))
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.wait(50)
    assert chosen == []
    assert any("李四" in text for kind, text in messages if kind == "error")


def test_switching_takes_the_new_database_and_gives_the_old_one_back(
        qtbot, database, settings, runner, tmp_path):
    instance.claim(database.path)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    dialog = SettingsDialog(database, settings, runner, window)
    dialog.database_chosen.connect(window.switch_database)
    other = tmp_path / "other.sqlite3"
    with qtbot.waitSignal(dialog.database_chosen, timeout=10_000):
        dialog._open(str(other))
    assert instance.read_holder(instance.lock_path(other)).is_this_process()
    assert not instance.lock_path(database.path).exists()
    window.database.dispose()
    instance.release(other)
