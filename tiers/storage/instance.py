"""One desktop client per database file: a lock file beside the database says who has it
open, so that a second client can tell the officer instead of working on the same file.

SQLite itself would let two clients write in turn; but each would show data the other
changes underneath it and undo the other's imports in confusion. The command line is not
held back by it (a ``tiers`` command beside the running client is what its own locks are
for). The lock is a plain file, ``tiers.sqlite3.lock``, with the holder's process id, user,
computer and the time it was taken; a lock whose process is gone from this computer is
stale (the client was killed) and is taken over."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tiers.errors import Conflict

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a database open."""

    pid: int
    user: str
    host: str
    since: str  # ISO time, local, to the second

    @classmethod
    def this_process(cls) -> Holder:
        return cls(pid=os.getpid(), user=_user_name(), host=socket.gethostname(),
                   since=dt.datetime.now().isoformat(timespec="seconds"))

    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_gone(self) -> bool:
        """Its process has ended on this computer. A holder on another computer is taken to
        be alive: from here there is no telling (its lock goes when it closes)."""
        return self.host == socket.gethostname() and not pid_alive(self.pid)

    def describe(self) -> str:
        if self is UNKNOWN_HOLDER:
            return self.user
        since = self.since.replace("T", " ")
        return f"{self.user}（计算机 {self.host}）自 {since} 起"


UNKNOWN_HOLDER = Holder(pid=0, user="另一个窗口", host="?", since="刚才")


class DatabaseInUse(Conflict):
    """Another desktop client has this database open; nothing was opened or changed."""

    def __init__(self, path: Path, holder: Holder) -> None:
        super().__init__(f"数据库 {path} 已被 {holder.describe()}打开。"
                         "同一个数据库同时只能在一个窗口中使用，请先关闭那个窗口。")
        self.holder = holder


def lock_path(database: Path | str) -> Path:
    database = Path(database)
    return database.with_name(database.name + LOCK_SUFFIX)


def claim(database: Path | str) -> bool:
    """Take the database for this process, or raise DatabaseInUse naming who has it. True
    when it was taken now, False when this process held it already (a restore reopens the
    file) or no lock file can be written there (a read-only folder: opening the database
    tells the officer what is wrong)."""
    path = lock_path(database)
    for _attempt in range(20):  # a stale lock removed, or one released meanwhile: try again
        try:
            _create(path, Holder.this_process())
            return True
        except FileExistsError:
            pass
        except OSError:
            return False
        holder = read_holder(path)
        if holder is not None and holder.is_this_process():
            return False
        if holder is not None and not holder.is_gone():
            raise DatabaseInUse(Path(database), holder)
        if holder is None and _written_just_now(path):
            time.sleep(0.05)  # another client is writing its lock this very moment
            continue
        path.unlink(missing_ok=True)  # stale, or unreadable (killed while writing it)
    raise DatabaseInUse(Path(database), read_holder(path) or UNKNOWN_HOLDER)


def release(database: Path | str) -> None:
    """Give the database up, if this process holds it (another's lock is never removed)."""
    path = lock_path(database)
    holder = read_holder(path)
    if holder is not None and holder.is_this_process():
        path.unlink(missing_ok=True)


def read_holder(path: Path) -> Holder | None:
    """The holder named in a lock file; None when there is none or it cannot be read."""
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        return Holder(pid=int(values["pid"]), user=str(values["user"]),
                      host=str(values["host"]), since=str(values["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _written_just_now(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < 1.0
    except OSError:
        return False


def _create(path: Path, holder: Holder) -> None:
    """Write the lock file only if there is none: O_EXCL makes the check and the creation
    one step, so two clients started at once cannot both win."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(asdict(holder), handle, ensure_ascii=False)


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "未知用户"


def pid_alive(pid: int) -> bool:
    """Whether a process of this id runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only the check
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill on Windows would terminate the process: ask for a handle instead
    import ctypes

    kernel32 = ctypes.windll.kernel32
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
