"""An error nobody caught is written to the rotating log in the user's log folder and shown
in Chinese with the log's place and 复制错误信息; the client keeps running."""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import error_log
from ui.ask import UnexpectedErrorDialog


@pytest.fixture
def installed(tmp_path):
    errors = error_log.install(tmp_path / "log")
    yield errors
    errors.uninstall()


@pytest.fixture
def shown(monkeypatch):
    dialogs: list[tuple] = []
    monkeypatch.setattr(UnexpectedErrorDialog, "show", classmethod(
        lambda cls, parent, summary, details, path: dialogs.append((summary, details, path))))
    return dialogs


def raise_and_hook(error: BaseException) -> None:
    try:
        raise error
    except BaseException:
        sys.excepthook(*sys.exc_info())


def test_an_uncaught_error_is_logged_and_shown(qapp, installed, shown, tmp_path):
    assert sys.excepthook == installed.excepthook
    raise_and_hook(ZeroDivisionError("除以零"))
    (summary, details, path), = shown
    assert summary == "ZeroDivisionError: 除以零"
    assert "Traceback" in details and "raise_and_hook" in details
    assert path == tmp_path / "log" / "tiers.log"
    installed.handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "未处理的错误" in text and "ZeroDivisionError: 除以零" in text


def test_errors_while_the_dialog_is_open_are_only_logged(qapp, installed, monkeypatch):
    count = []

    def show_and_fail_again(cls, *args):
        count.append(args)
        raise_and_hook(ValueError("又一个"))  # e.g. a repaint behind the dialog

    monkeypatch.setattr(UnexpectedErrorDialog, "show", classmethod(show_and_fail_again))
    raise_and_hook(RuntimeError("第一个"))
    assert len(count) == 1
    installed.handler.flush()
    assert "又一个" in installed.path.read_text(encoding="utf-8")


def test_the_log_rotates(installed):
    assert isinstance(installed.handler, RotatingFileHandler)
    assert installed.handler.maxBytes == error_log.LOG_BYTES
    assert installed.handler.backupCount == error_log.LOG_FILES_KEPT


def test_the_log_is_in_the_users_log_folder(monkeypatch, tmp_path):
    assert "Tiers" in error_log.log_folder().parts


def test_a_background_thread_error_is_logged(installed):
    import threading

    thread = threading.Thread(target=lambda: 1 / 0, name="后台")
    thread.start()
    thread.join()
    installed.handler.flush()
    text = installed.path.read_text(encoding="utf-8")
    assert "后台" in text and "ZeroDivisionError" in text


def test_qt_warnings_go_to_the_log(qapp, installed):
    from PySide6.QtCore import qWarning

    qWarning("一条 Qt 警告")
    installed.handler.flush()
    assert "一条 Qt 警告" in installed.path.read_text(encoding="utf-8")


def test_uninstall_puts_the_hooks_back(tmp_path):
    before = sys.excepthook
    errors = error_log.install(tmp_path)
    errors.uninstall()
    assert sys.excepthook is before
    assert errors.handler not in logging.getLogger().handlers


def test_the_dialog_copies_the_details_and_stays_open(qtbot, tmp_path):
    box = UnexpectedErrorDialog.build(None, "KeyError: 'x'", "Traceback …\nKeyError: 'x'",
                                      tmp_path / "tiers.log")
    qtbot.addWidget(box)
    assert "意外错误" in box.windowTitle() and str(tmp_path / "tiers.log") in box.text()
    box.show()
    copy = next(button for button in box.buttons()
                if button.text() == UnexpectedErrorDialog.COPY)
    copy.click()
    assert box.isVisible()
    clipboard = QApplication.clipboard().text()
    assert "Traceback" in clipboard and str(tmp_path / "tiers.log") in clipboard
    box.button(QMessageBox.Close).click()
    assert not box.isVisible()


def test_a_crash_in_c_is_written_beside_the_log(tmp_path):
    """faulthandler writes to faults.log in the log folder (a real segfault, in a child)."""
    import subprocess

    folder = tmp_path / "log"
    code = ("import ctypes, sys\nfrom pathlib import Path\nfrom ui import error_log\n"
            "error_log.install(Path(sys.argv[1]))\nctypes.string_at(0)\n")
    subprocess.run([sys.executable, "-c", code, str(folder)], timeout=60, check=False,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "Fatal Python error" in (folder / error_log.FAULTS_NAME).read_text(encoding="utf-8")
