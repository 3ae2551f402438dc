"""The frozen programs' one entry script. The bundle holds two executables built from it,
sharing one folder: ``tiers`` (console: the command line, and the client when given no
command) and ``tiers-client`` (windowed: the desktop client 梯度培育企业库, what the start
menu and the desktop entry open; on Windows it has no console, so it never runs commands
whose output would vanish). Which one runs is told by the name it was started by (on
Linux tiers-client is a symbolic link to tiers).

TIERS_SMOKE_PROBE=FOLDER (packaging/smoke_test.py only) makes the client note when each of
its first windows is painted, save a picture of it and of the screen there, answer a
question with its escape button (否 / 取消) and close the main window once it is painted:
the start-up time and the screenshot of a real, installed client without a person at it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STARTED = time.time()  # (after the bootloader: the smoke test also times from outside)
STAGES: dict[str, float] = {}  # when the client got past each step of its start (for the probe)
CLIENT_NAME = "tiers-client"


def is_client(executable: str, program: str) -> bool:
    """The windowed client: its own executable on Windows; on Linux, where a program has no
    console of its own to hide, tiers-client is a symbolic link to tiers (10 MB less)."""
    return CLIENT_NAME in (Path(executable).stem.lower(), Path(program).stem.lower())


def run_client(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog=CLIENT_NAME, add_help=False)
    parser.add_argument("--db", default=None)
    args, _unknown = parser.parse_known_args(argv)  # (a desktop may add a file or %U)
    probe = os.environ.get("TIERS_SMOKE_PROBE")
    if probe:
        install_probe(Path(probe))
    from ui.app import run

    STAGES["imported"] = time.time()
    return run(db_path=args.db)


def install_probe(folder: Path) -> None:
    """Wrap ui.app.make_application so that the application gets a watcher of first paints."""
    import json

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QWidget

    import ui.app as client

    folder.mkdir(parents=True, exist_ok=True)
    record: dict = {"entry_started": STARTED, "stages": STAGES, "windows": []}

    def save() -> None:
        (folder / "startup.json").write_text(json.dumps(record, ensure_ascii=False, indent=1),
                                             encoding="utf-8")

    class FirstPaints(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: set[int] = set()
            # the windows themselves are kept: an id is an address, and a closed dialog's
            # address may come back as the main window's (then its paint was never noted)
            self.kept: list[QWidget] = []

        def eventFilter(self, watched, event) -> bool:  # noqa: N802
            # a window counts as painted when anything in it is: a top-level widget that its
            # children cover entirely gets no paint event of its own (the main window, some
            # runs, under X11)
            if event.type() == QEvent.Paint and isinstance(watched, QWidget):
                window = watched.window()
                if id(window) not in self.seen:
                    self.seen.add(id(window))
                    self.kept.append(window)
                    QTimer.singleShot(0, lambda widget=window: self.painted(widget))
            return False

        def painted(self, widget: QWidget) -> None:
            number = len(record["windows"]) + 1
            kind = type(widget).__name__
            entry = {"kind": kind, "title": widget.windowTitle(), "painted": time.time(),
                     "icon_sizes": [size.width() for size in widget.windowIcon().availableSizes()]}
            widget.grab().save(str(folder / f"{number}-{kind}.png"))
            screen = QGuiApplication.primaryScreen()
            if screen is not None and QGuiApplication.platformName() not in ("offscreen",
                                                                             "minimal"):
                screen.grabWindow(0).save(str(folder / f"{number}-screen.png"))
            record["windows"].append(entry)
            save()
            if isinstance(widget, QMessageBox):
                button = widget.escapeButton() or widget.button(QMessageBox.No)
                if button is not None:
                    button.click()
                else:
                    widget.reject()
            elif isinstance(widget, QDialog):
                widget.reject()
            elif isinstance(widget, QMainWindow):
                QTimer.singleShot(500, widget.close)  # (let its first queries finish)

    original = client.make_application
    original_open = client.open_or_report

    def open_or_report(path):
        STAGES["opening"] = time.time()
        database = original_open(path)
        STAGES["opened"] = time.time()
        return database

    def make_application(argv=None):
        STAGES["application"] = time.time()
        app = original(argv)
        STAGES["application_made"] = time.time()
        watcher = FirstPaints()
        app.installEventFilter(watcher)
        app._tiers_probe = watcher  # kept alive as long as the application
        return app

    client.make_application = make_application
    client.open_or_report = open_or_report


def writable_in_chinese() -> None:
    """Output to a pipe or a file is in the ANSI code page (GBK on a Chinese Windows, UTF-8
    on Linux); where that cannot write Chinese at all (an English Windows, as on CI), write
    UTF-8 rather than fail on the first character."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if encoding is None:
            continue
        try:
            "梯度培育".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main() -> int:
    if is_client(sys.executable, sys.argv[0]):
        return run_client(sys.argv[1:])
    writable_in_chinese()
    from ui.cli.main import main as command_line

    return command_line()


if __name__ == "__main__":
    sys.exit(main())
