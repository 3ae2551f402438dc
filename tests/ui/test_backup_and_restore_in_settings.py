"""设置: restore offers the backups beside the database with their date, kind and firm count;
a storage failure of a backup is told in the storage layer's Chinese line."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3

import pytest

from tiers.queries import roster as queries
from tiers.services import enterprises
from tiers.storage import autobackup
from tiers.storage.database import Database
from ui.ask import BackupChoiceDialog, FileDialog
from ui.settings_dialog import SettingsDialog


def firm_names(database: Database) -> list[str]:
    with database.session() as session:
        return [row["name"] for row in queries.roster(session, queries.RosterFilter())]


@pytest.mark.sqlite_only  # the backups of a file
def test_restore_lists_the_backups_with_date_and_firms(qtbot, database, settings, runner,
                                                       enterprise_factory, session,
                                                       monkeypatch, code):
    enterprise_factory("常州备份前有限公司")
    session.commit()
    made = autobackup.back_up_daily(database.path, now=dt.datetime(2026, 3, 2, 8, 0))
    with database.session() as later:
        enterprises.create(later, {"credit_code": code(999), "name": "常州备份后有限公司"})
    offered = []

    def choose_first(cls, parent, labels):
        offered.extend(labels)
        return 0

    monkeypatch.setattr(BackupChoiceDialog, "ask", classmethod(choose_first))
    monkeypatch.setattr(FileDialog, "open_file", classmethod(
        lambda cls, *a: pytest.fail("no file dialog when a listed backup is chosen")))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.database_chosen, timeout=10_000) as chosen:
        dialog.restore()
    assert offered[0].startswith("2026-03-02 08:00") and "自动备份" in offered[0]
    assert "1 家企业" in offered[0] and made.name in offered[0]
    restored = chosen.args[0]
    assert firm_names(restored) == ["常州备份前有限公司"]
    restored.dispose()


@pytest.mark.sqlite_only  # the backups of a file
def test_restore_from_a_file_elsewhere(qtbot, database, settings, runner, monkeypatch,
                                       tmp_path):
    autobackup.back_up_daily(database.path)
    elsewhere = tmp_path / "u盘" / "备份.sqlite3"
    database.backup(elsewhere)
    monkeypatch.setattr(BackupChoiceDialog, "ask", classmethod(lambda cls, *a: -1))
    asked = []
    monkeypatch.setattr(FileDialog, "open_file", classmethod(
        lambda cls, *a: asked.append(a) or str(elsewhere)))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.database_chosen, timeout=10_000) as chosen:
        dialog.restore()
    assert asked
    chosen.args[0].dispose()


@pytest.mark.sqlite_only  # the backups of a file
def test_cancelling_the_choice_restores_nothing(qtbot, database, settings, runner,
                                                monkeypatch):
    autobackup.back_up_daily(database.path)
    monkeypatch.setattr(BackupChoiceDialog, "ask", classmethod(lambda cls, *a: None))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    task = dialog.restore()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert not list((database.path.parent / "backups").glob("*before-restore*"))


@pytest.mark.parametrize("failure", [
    sqlite3.OperationalError("disk I/O error"),
    OSError(errno.EIO, "Input/output error"),
], ids=["sqlite", "os"])
def test_a_backup_failure_is_told_in_chinese(qtbot, database, settings, runner, monkeypatch,
                                             messages, failure, tmp_path):
    def fail(self, target):
        raise failure

    monkeypatch.setattr(Database, "backup", fail)
    task = SettingsDialog.backup(None, database, settings, runner, str(tmp_path / "b.sqlite3"))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    (kind, text), = messages
    assert kind == "error"
    assert text == "备份失败：读写数据库时磁盘出错，请检查磁盘或存储设备后重试"


@pytest.mark.server_only
def test_on_a_server_the_file_actions_are_off(qtbot, database, settings, runner, monkeypatch):
    """Restoring and moving are about a file; a server's backup is pg_dump's (.dump)."""
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled() and "管理员" in dialog.restore_button.toolTip()
    assert not dialog.move_button.isEnabled()
    assert dialog.local_button.isEnabled()
    assert "服务器" in dialog.path_label.text() and "None" not in dialog.path_label.text()
    suggested = []
    monkeypatch.setattr(FileDialog, "save_file", classmethod(
        lambda cls, parent, title, path, filters: suggested.append((path, filters)) or ""))
    assert SettingsDialog.backup(dialog, database, settings, runner) is None
    (path, filters), = suggested
    assert path.endswith(".dump") and "*.dump" in filters


@pytest.mark.sqlite_only  # the backups of a file
def test_restore_says_what_it_brings_back_before_and_after(qtbot, database, settings, runner,
                                                           enterprise_factory, session,
                                                           monkeypatch, messages, tmp_path, questions):
    enterprise_factory("常州备份前有限公司")
    session.commit()
    elsewhere = tmp_path / "u盘" / "备份.sqlite3"
    database.backup(elsewhere)
    monkeypatch.setattr(BackupChoiceDialog, "ask", classmethod(lambda cls, *a: -1))
    monkeypatch.setattr(FileDialog, "open_file", classmethod(lambda cls, *a: str(elsewhere)))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.database_chosen, timeout=10_000) as chosen:
        dialog.restore()
    assert "其中 1 家企业" in questions[0] and "备份.sqlite3" in questions[0]
    assert dt.date.today().isoformat() in questions[0]  # the file's own date
    done = [text for kind, text in messages if kind == "info"]
    assert done and done[0].startswith("已恢复：") and "before-restore" in done[0]
    chosen.args[0].dispose()


@pytest.mark.sqlite_only  # the backups of a file
def test_restore_stops_the_window_s_file_listener_before_the_job(qtbot, tmp_path, settings,
                                                                  runner, monkeypatch):
    """The listener's connection is closed (in the GUI thread) before the restore job
    replaces the file, and listening starts again on the restored database (review: its
    open connection's locks were dropped, and another program's writes were lost)."""
    from tiers.storage import instance
    from tiers.storage.database import open_database
    from ui.main_window import MainWindow
    from ui.server_changes import ServerChanges

    local = tmp_path / "desk.sqlite3"
    instance.claim(local)
    window = MainWindow(open_database(local), settings, runner)
    qtbot.addWidget(window)
    watcher = ServerChanges.attach(window)
    assert watcher.listener is not None and watcher.listener.listening.wait(10)
    autobackup.back_up_daily(local)
    monkeypatch.setattr(BackupChoiceDialog, "ask", classmethod(lambda cls, *a: 0))
    dialog = window.open_settings()
    listening_when_queued = []
    queue = runner.submit

    def submit(name, *args, **kwargs):
        listening_when_queued.append((name, watcher.listener))
        return queue(name, *args, **kwargs)

    monkeypatch.setattr(runner, "submit", submit)
    with qtbot.waitSignal(window.database_switched, timeout=15_000):
        dialog.restore()  # the list of backups (queued), then the restore itself
    assert [listener for name, listener in listening_when_queued if name == "恢复"] == [None]
    assert watcher.listener is not None and watcher.listener.listening.wait(10)
    watcher.stop()
    window.database.dispose()
    instance.release(local)


@pytest.mark.sqlite_only  # files
def test_opening_the_database_already_open_only_says_so(qtbot, database, settings, runner,
                                                       monkeypatch):
    """设置 → 打开数据库… on the file already open: nothing is opened a second time (it was,
    and the header read dropped the first connection's locks), and the user is told."""
    from ui.ask import MessageDialog

    told = []
    monkeypatch.setattr(MessageDialog, "info", classmethod(
        lambda cls, parent, title, text: told.append(text)))
    monkeypatch.setattr(FileDialog, "open_file", classmethod(
        lambda cls, *a: str(database.path)))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    with qtbot.assertNotEmitted(dialog.database_chosen, wait=300):
        assert dialog.open_other() is None
    assert told == ["已是当前打开的数据库。"]
    assert dialog.database is database


@pytest.mark.sqlite_only  # files
def test_switching_in_settings_shows_the_new_database_s_unit(qtbot, tmp_path, settings,
                                                            runner):
    """填报单位 is per database: after 打开数据库… inside 设置, the field shows the new
    database's unit, and 保存 does not store the old one's under the new database."""
    from tiers.storage.database import open_database

    city, county = open_database(tmp_path / "city.sqlite3"), open_database(
        tmp_path / "wujin.sqlite3")
    settings.set_organisation_of(city, "常州市工业和信息化局")
    settings.set_organisation_of(county, "常州市武进区工业和信息化局")
    dialog = SettingsDialog(city, settings, runner)
    qtbot.addWidget(dialog)
    dialog._use(county)  # what 打开数据库… does once the county's file is opened
    assert dialog.organisation.text() == "常州市武进区工业和信息化局"
    dialog.save()
    assert settings.organisation_of(county) == "常州市武进区工业和信息化局"
    assert settings.organisation_of(city) == "常州市工业和信息化局"
    city.dispose()
    county.dispose()
