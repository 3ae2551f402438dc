"""导出报表 remembers the 填报人 and 联系电话 typed in it in the officer file the command line
reads too (tiers.storage.officer); when that file could not take them (unreadable, or
read-only), only 设置 said so (review fixd28 #2), and the export kept quiet: the officer
believed the name would be there next time. The export still runs with what he typed, and
says once, in Chinese, that the name was not kept and why, with the file's path
(recheck29 #3)."""

from __future__ import annotations

import errno
import os

import openpyxl
import pytest

from tiers.storage import officer
from ui.export_dialog import ExportDialog


@pytest.fixture
def officer_file(tmp_path, monkeypatch):
    path = tmp_path / "officer.json"
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(path))
    return path


def _export(qtbot, dialog, target) -> None:
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert dialog.status.text().startswith("已导出"), dialog.status.text()


def _signed_by(target) -> bool:
    return any("王科员" in str(cell) for row in openpyxl.load_workbook(target).active
               .iter_rows(values_only=True) for cell in row if cell)


def _typed(qtbot, database, settings, runner) -> ExportDialog:
    dialog = ExportDialog(database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.filled_by.setText("王科员")
    dialog.phone.setText("0519-8512 3456")
    return dialog


def test_an_unreadable_officer_file_is_said_once_and_the_export_runs(
        qtbot, demo_database, settings, runner, tmp_path, officer_file, messages):
    officer_file.write_text("[1, 2]", encoding="utf-8")
    dialog = _typed(qtbot, demo_database, settings, runner)
    _export(qtbot, dialog, tmp_path / "名单.xlsx")
    assert _signed_by(tmp_path / "名单.xlsx")  # the export used what he typed
    told = [text for _kind, text in messages]
    assert len(told) == 1, messages
    assert str(officer_file) in told[0] and "不是有效的设置文件" in told[0], told
    assert "填报人" in told[0] and "未能写入" in told[0] and "命令行" in told[0], told
    assert "客户端设置" in told[0], told  # where the client keeps them meanwhile
    assert officer_file.read_text(encoding="utf-8") == "[1, 2]"  # not written over
    _export(qtbot, dialog, tmp_path / "名单2.xlsx")  # the same again: said once
    assert len(messages) == 1, messages


def test_a_read_only_officer_file_is_said_and_the_export_runs(
        qtbot, demo_database, settings, runner, tmp_path, officer_file, messages,
        monkeypatch):
    """A read-only officer.json (Windows refuses the replace): the file keeps its own name,
    so the client fills that one in next time, not the name typed."""
    officer.save(name="李科长", phone="0519-0000 0000")

    class ReadOnly:  # the officer file's os, whose replace of it is refused
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def replace(*_args, **_kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(officer, "os", ReadOnly())
    dialog = _typed(qtbot, demo_database, settings, runner)
    _export(qtbot, dialog, tmp_path / "名单.xlsx")
    assert _signed_by(tmp_path / "名单.xlsx")
    told = [text for _kind, text in messages]
    assert len(told) == 1, messages
    assert str(officer_file) in told[0] and "没有权限" in told[0], told
    assert "Permission denied" not in told[0]  # the system's English
    assert "下次" in told[0] and "不会" in told[0], told  # not kept for next time
    assert officer.read().name == "李科长"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    _export(qtbot, dialog, tmp_path / "名单2.xlsx")
    assert len(messages) == 1, messages


def test_nothing_said_when_the_officer_file_took_the_name(
        qtbot, demo_database, settings, runner, tmp_path, officer_file, messages):
    dialog = _typed(qtbot, demo_database, settings, runner)
    _export(qtbot, dialog, tmp_path / "名单.xlsx")
    assert messages == [] and officer.read() == officer.Officer("王科员", "0519-8512 3456")


def test_nothing_said_when_nothing_was_typed(qtbot, demo_database, settings, runner, tmp_path,
                                             officer_file, messages):
    """The file unreadable, the name offered left as it was: nothing to keep, nothing said
    here (the status bar says the file is unreadable, ui.app)."""
    officer_file.write_text("[1, 2]", encoding="utf-8")
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    _export(qtbot, dialog, tmp_path / "名单.xlsx")
    assert messages == []
