"""The client makes the day's automatic backup when it starts, in the background, once a
day; a failure is told in the status bar, in Chinese."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication

from tiers.storage import autobackup
from tiers.storage.faults import DatabaseError
from ui import app as app_module
from ui.main_window import MainWindow


def start_client(path, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "is_empty", lambda database: False)
    def work_until_the_backup_is_done(self=None) -> int:
        """The event loop, until the runner has nothing more to do (it starts its tasks
        on the loop's next turn)."""
        windows = [window for window in QApplication.topLevelWidgets()
                   if isinstance(window, MainWindow) and window.isVisible()]
        deadline = time.monotonic() + 30
        while any(window.runner.busy for window in windows) and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        return 0

    monkeypatch.setattr(QApplication, "exec", work_until_the_backup_is_done)
    assert app_module.run(str(path)) == 0
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.close()
            window.deleteLater()


@pytest.mark.sqlite_only  # a file's daily copy
def test_the_first_start_of_the_day_backs_up(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "county.sqlite3"
    start_client(path, monkeypatch)
    made = autobackup.automatic_backups(path)
    assert len(made) == 1
    start_client(path, monkeypatch)
    assert autobackup.automatic_backups(path) == made


@pytest.mark.sqlite_only
def test_a_failed_automatic_backup_is_told_in_the_status_bar(qtbot, database, settings, runner,
                                                            monkeypatch):
    def fail(_path, now=None):
        raise DatabaseError("备份失败：磁盘已满，无法写入数据库；请腾出磁盘空间后重试")

    monkeypatch.setattr(autobackup, "back_up_daily", fail)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    task = app_module.start_automatic_backup(window)
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: "磁盘已满" in window.statusBar().currentMessage(), timeout=10_000)
    assert "自动备份未完成" in window.statusBar().currentMessage()


@pytest.mark.server_only
def test_a_server_gets_no_automatic_backup(qtbot, database, settings, runner, monkeypatch):
    """A server's backups are its administrator's (tiers backup): no copy, no folder."""
    monkeypatch.setattr(autobackup, "back_up_daily", lambda *a, **k: pytest.fail("backed up"))
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    assert app_module.start_automatic_backup(window) is None
