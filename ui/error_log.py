"""The client's log file, and what happens to an error nobody caught.

Everything logged (the runner's tracebacks, Qt's warnings, an uncaught exception) goes to
``tiers.log`` in the user's log folder, rotating at 1 MB with 5 old files kept: enough for
weeks of use, never a disk filled. A crash in C (Qt, SQLite) is written by faulthandler to
``faults.log`` beside it: faulthandler keeps a raw descriptor, which would go on writing to
the renamed old file after a rotation. An uncaught exception in the GUI thread is logged and
shown in a Chinese dialog with the log's place and a 复制错误信息 button; the client keeps
running (Qt has already left the slot that raised)."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from tiers.storage.location import LOG_NAME
from tiers.storage.location import log_folder as log_folder
from ui.ask import UnexpectedErrorDialog

FAULTS_NAME = "faults.log"
LOG_BYTES = 1_000_000
LOG_FILES_KEPT = 5

log = logging.getLogger("tiers.client")

_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


@dataclass
class ErrorLog:
    """The installed log: its file, and how to put back what it replaced."""

    path: Path
    handler: logging.Handler
    faults: TextIO | None
    previous_hook: object = None
    previous_thread_hook: object = None
    previous_qt_handler: object = None
    faulthandler_was_on: bool = False  # (pytest's, in the tests)
    showing: bool = False  # a dialog is open: errors meanwhile are only logged

    def excepthook(self, kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            return
        log.critical("未处理的错误", exc_info=(kind, error, trace))
        details = "".join(traceback.format_exception(kind, error, trace))
        if self.showing or QApplication.instance() is None:
            return  # one dialog at a time: an error raised on every repaint must not stack
        self.showing = True
        try:
            UnexpectedErrorDialog.show(None, f"{kind.__name__}: {error}", details, self.path)
        except Exception:  # the dialog itself failed: the log has it, keep running
            log.exception("无法显示错误对话框")
        finally:
            self.showing = False

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """Another thread's error: logged only (a dialog belongs to the GUI thread; the
        background runner reports its jobs' failures itself)."""
        log.critical("线程 %s 中未处理的错误", getattr(args.thread, "name", "?"),
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    def uninstall(self) -> None:
        sys.excepthook = self.previous_hook or sys.__excepthook__
        threading.excepthook = self.previous_thread_hook or threading.__excepthook__
        qInstallMessageHandler(self.previous_qt_handler)
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        if self.faults is not None:
            faulthandler.disable()
            self.faults.close()
            if self.faulthandler_was_on and sys.__stderr__ is not None:
                faulthandler.enable(file=sys.__stderr__)


def install(folder: Path | None = None) -> ErrorLog:
    """Send the log to ``folder`` (the user's log folder) and catch what nobody caught."""
    folder = folder or log_folder()
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8")
        faults: TextIO | None = open(folder / FAULTS_NAME, "a", encoding="utf-8")  # noqa: SIM115
    except OSError:  # no log folder (a locked-down account): the client runs without one
        handler, faults = logging.StreamHandler(sys.stderr), None
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    installed = ErrorLog(path, handler, faults, sys.excepthook, threading.excepthook,
                         faulthandler_was_on=faulthandler.is_enabled())
    if faults is not None:
        faulthandler.enable(file=faults, all_threads=True)
    sys.excepthook = installed.excepthook
    threading.excepthook = installed.thread_excepthook
    installed.previous_qt_handler = qInstallMessageHandler(_log_qt_message)
    return installed


def _log_qt_message(kind: QtMsgType, context, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
