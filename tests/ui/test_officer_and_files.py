"""The officer's name as 操作人, and file dialogs that speak Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel

from tiers.queries import history
from ui.app import ensure_officer
from ui.ask import OperatorDialog, file_dialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.settings_dialog import backup_folder


def test_first_start_asks_for_the_officer_once(settings, monkeypatch):
    asked = []

    def answer(cls, parent):
        asked.append(parent)
        return "  王丽 "

    monkeypatch.setattr(OperatorDialog, "ask", classmethod(answer))
    assert ensure_officer(settings) == "王丽"
    assert settings.officer == "王丽"
    assert ensure_officer(settings) == "王丽"
    assert len(asked) == 1  # not again once known


def test_cancelled_question_leaves_the_setting_empty(settings, monkeypatch):
    monkeypatch.setattr(OperatorDialog, "ask", classmethod(lambda cls, parent: None))
    assert ensure_officer(settings) == ""


def test_gui_writes_record_the_officer_not_the_login(qtbot, database, settings, runner,
                                                     save_and_wait, code):
    settings.officer = "陈晓东"
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("credit_code", code(41))
    dialog.set_field("name", "常州操作人测试有限公司")
    assert save_and_wait(dialog)
    with database.session() as session:
        rows = history.history(session, dialog.enterprise_id)
    assert rows and {row["user"] for row in rows} == {"陈晓东"}


def test_file_dialog_is_qt_and_chinese(qtbot, tmp_path):
    for mode in ("open", "save", "folder"):
        dialog = file_dialog(None, "选择", str(tmp_path), "Excel 工作簿 (*.xlsx)", mode=mode)
        qtbot.addWidget(dialog)
        assert dialog.testOption(QFileDialog.DontUseNativeDialog)
        labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "Look in" not in labels and "Files of" not in labels, labels
        assert "查找范围" in labels and "文件类型" in labels
    save = file_dialog(None, "保存", str(tmp_path / "a"), "Excel 工作簿 (*.xlsx)", mode="save")
    qtbot.addWidget(save)
    assert save.defaultSuffix() == "xlsx"


@pytest.mark.sqlite_only  # the folder beside a file
def test_backup_dialog_opens_in_the_backups_folder_beside_the_database(database, settings):
    folder = Path(database.path).parent
    assert backup_folder(database, settings) == folder / "backups"
    settings.remember_folder("backup", str(folder / "x.sqlite3"))  # never the database's own
    assert backup_folder(database, settings) == folder / "backups"
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    settings.remember_folder("backup", str(elsewhere / "x.sqlite3"))
    assert backup_folder(database, settings) == elsewhere
