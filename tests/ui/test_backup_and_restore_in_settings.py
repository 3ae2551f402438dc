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
