"""Issue #14 item 4: a file dialog that lists the database's folder must not open the
database's files. On Linux closing any descriptor of a file drops all of the process's POSIX
locks on it; another ``tiers`` process then believes it is alone and deletes the -wal and
-shm under the running client, whose later writes no other connection can see."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QListView

from tiers.storage.database import open_database
from ui.ask import file_dialog

pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="POSIX advisory locks and inotify are Linux's"),
              pytest.mark.sqlite_only]  # the SQLite file's locks

IN_OPEN = 0x20
IN_NONBLOCK = os.O_NONBLOCK
DB_FILTER = "Tiers 数据库 (*.sqlite3 *.db);;所有文件 (*)"


class OpenWatch:
    """The names of the files opened in a folder (by anyone) while it watches: inotify,
    so that the check needs neither strace nor a patch of Qt's own file access."""

    def __init__(self, folder: Path) -> None:
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = self.libc.inotify_init1(IN_NONBLOCK)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        assert self.libc.inotify_add_watch(self.fd, str(folder).encode(), IN_OPEN) >= 0

    def opened(self) -> set[str]:
        names: set[str] = set()
        while True:
            try:
                buffer = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            offset = 0
            while offset < len(buffer):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", buffer, offset)
                name = buffer[offset + 16: offset + 16 + length].rstrip(b"\0").decode()
                names.add(name)
                offset += 16 + length

    def close(self) -> None:
        os.close(self.fd)


def another_tiers_process_opens_and_closes(path: Path) -> None:
    """What ``tiers info`` does to the file: open, read, close (the last connection to
    close checkpoints and deletes the -wal and -shm)."""
    subprocess.run([sys.executable, "-c", "import sqlite3, sys\n"
                    "c = sqlite3.connect(sys.argv[1])\n"
                    "c.execute('select count(*) from sqlite_master').fetchall()\n"
                    "c.close()", str(path)], check=True, timeout=60)


def still_shared(path: Path, connection: sqlite3.Connection) -> bool:
    """The -wal and -shm are still there, and a write of ``connection`` after the other
    process has gone is seen by a new connection."""
    sidecars = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    connection.execute("INSERT INTO probe VALUES (2)")
    connection.commit()
    third = sqlite3.connect(path)
    try:
        seen = third.execute("SELECT count(*) FROM probe").fetchone()[0]
    except sqlite3.Error:
        seen = None  # "disk I/O error": the client is writing into a deleted -wal
    finally:
        third.close()
    return sidecars and seen == 2


def wal_database(folder: Path) -> tuple[Path, sqlite3.Connection]:
    """A database in WAL mode with a connection that stays open, as the client's does. Named
    .db (the 设置 dialogs offer it): Qt's MIME database knows *.sqlite3 by name but sniffs a
    .db's first bytes, and the lock that matters is the one on the database file itself
    (losing the -shm's alone lets the other process rebuild the index but not delete)."""
    path = folder / "probe.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE probe (x)")
    connection.execute("INSERT INTO probe VALUES (1)")
    connection.commit()
    return path, connection


def test_a_connection_keeps_its_wal_while_no_descriptor_is_closed(tmp_path):
    path, connection = wal_database(tmp_path)
    another_tiers_process_opens_and_closes(path)
    assert still_shared(path, connection)
    connection.close()


def test_closing_any_descriptor_of_the_files_loses_the_wal(tmp_path):
    """The hazard itself: what a dialog sniffing the files' types did."""
    path, connection = wal_database(tmp_path)
    for suffix in ("", "-wal", "-shm"):
        os.close(os.open(f"{path}{suffix}", os.O_RDONLY))
    another_tiers_process_opens_and_closes(path)
    assert not still_shared(path, connection)
    connection.close()


def list_folder(qtbot, dialog: QFileDialog, folder: Path) -> None:
    """Show the dialog in its detail view and ask for every cell a view would paint (the
    类型 column and the icons are where Qt's own provider reads the files)."""
    dialog.setViewMode(QFileDialog.Detail)
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    root = model.index(str(folder))
    qtbot.waitUntil(lambda: model.rowCount(root) >= 4, timeout=10_000)
    for row in range(model.rowCount(root)):
        for column in range(model.columnCount(root)):
            for role in (0, 1):  # display, decoration
                model.data(model.index(row, column, root), role)
    deadline = time.monotonic() + 0.5  # the file-info thread, should it open anything late
    while time.monotonic() < deadline:
        qtbot.wait(20)


@pytest.mark.parametrize("ours", [False, True], ids=["plain Qt dialog", "ui.ask dialog"])
def test_a_file_dialog_on_the_database_folder(qtbot, tmp_path, ours):
    database = open_database(tmp_path / "tiers.sqlite3")
    path, connection = wal_database(tmp_path)
    watch = OpenWatch(tmp_path)
    try:
        if ours:
            dialog = file_dialog(None, "备份数据库", str(tmp_path), DB_FILTER, mode="save")
        else:
            dialog = QFileDialog(None, "备份数据库", str(tmp_path), DB_FILTER)
            dialog.setOption(QFileDialog.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.selectNameFilter("所有文件 (*)")
        list_folder(qtbot, dialog, tmp_path)
        opened = {name for name in watch.opened() if name.startswith(("tiers.", "probe."))}
        dialog.close()
    finally:
        watch.close()
    another_tiers_process_opens_and_closes(path)
    if ours:
        assert opened == set()
        assert still_shared(path, connection)
    else:  # the failure of issue #14, so that this test is known to see it
        assert {"tiers.sqlite3-wal", "tiers.sqlite3-shm", "probe.db"} <= opened
        assert not still_shared(path, connection)
    connection.close()
    database.dispose()


def test_the_files_beside_a_database_are_not_listed(qtbot, tmp_path):
    database = open_database(tmp_path / "tiers.sqlite3")
    (tmp_path / "tiers.sqlite3.lock").write_text("{}")
    (tmp_path / "名单.xlsx").write_bytes(b"")
    dialog = file_dialog(None, "选择", str(tmp_path), DB_FILTER, mode="open")
    qtbot.addWidget(dialog)
    dialog.selectNameFilter("所有文件 (*)")
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(tmp_path))) >= 4, timeout=10_000)
    view = dialog.findChild(QListView, "listView")
    root = view.rootIndex()
    shown = {view.model().index(row, 0, root).data() for row in range(view.model().rowCount(root))}
    assert shown == {"tiers.sqlite3", "名单.xlsx"}
    database.dispose()
