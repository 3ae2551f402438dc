"""What goes wrong with a database file, told to the user in one Chinese line.

SQLite's and the operating system's refusals (locked, disk full, read-only, a damaged
file) are conditions the user can act on: they become a DatabaseError whose message says
what happened and what to do, with the original kept as its cause for the log. Anything
else (a missing table, a bad statement) is a bug and keeps its traceback."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from tiers.errors import Kind, StorageError


class DatabaseError(StorageError):
    """A database that cannot be opened, migrated, backed up or restored; the message is
    for the user."""


class FileRefused(DatabaseError):
    """A file Tiers will not open or restore (another program's database, a newer schema);
    it was not changed."""

    kind = Kind.REFUSED


class ConnectionLost(DatabaseError):
    """The server's connection broke during a unit of work. Before the commit was asked
    for, the server dropped the unfinished transaction: nothing of it was written. During
    the commit itself (``at_commit``) whether it took cannot be known from here: the
    server may have committed before the answer was lost. (The message is the reason
    alone: what to do about the work differs with the work, and each face says it.)"""

    def __init__(self, message: str, *, at_commit: bool = False) -> None:
        super().__init__(message)
        self.at_commit = at_commit


LOCKED = "数据库正被另一个程序或窗口占用（正在写入），请稍后重试"
FULL = "磁盘已满，无法写入数据库；请腾出磁盘空间后重试"
READ_ONLY = "数据库文件或所在文件夹是只读的（或没有写入权限），无法写入"
DAMAGED = "数据库文件已损坏或不是数据库文件，请从备份恢复"
CANNOT_OPEN = "无法打开数据库文件（文件夹不存在、没有权限或文件被占用）"
DISK = "读写数据库时磁盘出错，请检查磁盘或存储设备后重试"

# SQLite's primary result codes (the name without an extended suffix such as _WRITE)
_BY_SQLITE_CODE = {
    "SQLITE_BUSY": LOCKED, "SQLITE_LOCKED": LOCKED, "SQLITE_FULL": FULL,
    "SQLITE_READONLY": READ_ONLY, "SQLITE_PERM": READ_ONLY, "SQLITE_AUTH": READ_ONLY,
    "SQLITE_CORRUPT": DAMAGED, "SQLITE_NOTADB": DAMAGED, "SQLITE_CANTOPEN": CANNOT_OPEN,
    "SQLITE_IOERR": DISK,
}
# when the driver gives no code: SQLite's own English texts
_BY_SQLITE_TEXT = (
    ("database is locked", LOCKED), ("database table is locked", LOCKED),
    ("database or disk is full", FULL), ("readonly database", READ_ONLY),
    ("disk image is malformed", DAMAGED), ("file is not a database", DAMAGED),
    ("unable to open database file", CANNOT_OPEN), ("disk i/o error", DISK),
)
_BY_ERRNO = {
    errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EACCES: READ_ONLY, errno.EPERM: READ_ONLY,
    errno.EROFS: READ_ONLY, errno.EIO: DISK,
}


def on_read_only_mount(path: Path) -> bool:
    """Whether the file system holding ``path`` (a resolved file) is mounted read-only (a
    disc, a write-protected stick); False where the platform cannot say (no statvfs on
    Windows: the modes say the rest)."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def read_only_reason(path: Path | str) -> tuple[str, str]:
    """Why this program may not write the database file at ``path``, and what the officer
    can do about it: a read-only mount (a disc, a write-protected stick), a file marked
    read-only, a file this account has no rights to (another account's: its owner may write
    it, and there is no attribute to remove), a folder that cannot be written. (A network
    share never gets here: shares.refuse_network_share refuses it first.)"""
    real = Path(path).resolve()
    copy = "把它复制到可以写入的文件夹（如“文档”）后再打开"
    if on_read_only_mount(real):
        return "所在的磁盘、光盘或 U 盘是只读的", f"请{copy}"
    try:
        mode = real.stat().st_mode
    except OSError:
        mode = 0o222
    if not mode & 0o222 and os.access(real.parent, os.W_OK | os.X_OK):
        return "文件设为只读", f"请去掉文件的“只读”属性，或{copy}"
    if not mode & 0o222:  # the attribute alone would not do: no -wal could be made beside it
        return "文件设为只读，所在的文件夹也不能写入", f"请{copy}"
    if not os.access(real, os.W_OK):
        return ("当前账号没有写入它的权限（文件属于别的账号）",
                f"请让文件的所有者给当前账号写入权限，或{copy}")
    return "所在的文件夹不能写入（或当前账号没有写入它的权限）", f"请{copy}"


def read_only_refusal(path: Path | str) -> str:
    """What a write to a database file opened read-only is told (database.open_database)."""
    what, cure = read_only_reason(path)
    return f"数据库 {path} 是只读的（{what}），Tiers 只读取它：可以查看和导出，不能修改。要修改，{cure}"


def cannot_read_only(path: Path | str) -> str:
    """A database file this program may not write, which others still may and which no
    program has open now (schema.unwritable_uri): refused at opening, unchanged."""
    what, cure = read_only_reason(path)
    return (f"无法打开数据库 {path}：{what}，Tiers 不能写入它；它却仍可能被修改（文件的所有者可以随时"
            f"写入或恢复写入权限），只读打开会读到过时的内容，所以也不能只读打开（文件未作改动）。{cure}")


def explain(error: BaseException) -> str | None:
    """One Chinese line for a storage condition the user can act on, None for a bug."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    refused = explain_permission(cause)
    if refused is not None:
        return refused
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", None) or ""
        primary = "_".join(name.split("_")[:2])
        if primary in _BY_SQLITE_CODE:
            return _BY_SQLITE_CODE[primary]
        text = str(cause).lower()
        return next((line for phrase, line in _BY_SQLITE_TEXT if phrase in text), None)
    if isinstance(cause, OSError):
        return _BY_ERRNO.get(cause.errno or 0)
    return _server_connection(cause)


def _server_connection(cause: BaseException) -> str | None:
    """A PostgreSQL server that cannot be reached or logged into (the wording is in
    connection_faults, with the English and Chinese texts libpq may give)."""
    from tiers.storage.connection_faults import explain_connection

    return explain_connection(cause)


def describe(error: BaseException) -> str:
    """``explain``, or for anything unforeseen its kind (the details go to the log)."""
    line = explain(error)
    if line is not None:
        return line
    cause = getattr(error, "orig", None) or error
    return f"意外错误（{getattr(cause, 'sqlite_errorname', None) or type(cause).__name__}）"


def storage_error(error: BaseException, context: str, *, folder: Path | None = None
                  ) -> DatabaseError:
    """``context：reason`` as a DatabaseError; raise it ``from error``. With the database's
    ``folder``: a disk error there on a disk with (almost) no room left is the full disk
    (SQLite cannot grow the WAL's shared-memory file and reports an I/O error)."""
    reason = describe(error)
    if reason == DISK and folder is not None and _nearly_full(folder):
        reason = FULL
    return DatabaseError(f"{context}：{reason}")


FULL_BELOW = 1 << 20  # bytes free: less than this is a full disk for a database


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW
    except OSError:
        return False


# --- a server's refusal of an officer's rights (roles and row-level security) -----------
NO_RIGHT = "您的账号没有这项操作的权限（如需要，请管理员调整您的角色）"
OUTSIDE_COUNTIES = "没有修改您负责的区县以外企业的权限"  # a new row a policy refused
COUNTY_REFUSED = "tiers: county refused"  # what tiers/storage/server/rights.py's guard raises
MOVE_REFUSED = "tiers: county move refused"  # the guard: his own firm moved out of his counties
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE, also for a row-level policy


def explain_permission(cause: BaseException) -> str | None:
    """A write PostgreSQL refused for the login's rights: the guard names the officer's
    counties (its DETAIL); a policy's refusal of a new row (a firm added in, or moved to,
    another county) cannot name them; other refusals (a viewer's write) are about the role. None for anything else. Read from the driver's diagnostics, duck-typed, so
    that this module needs no psycopg."""
    if getattr(cause, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    diagnostics = getattr(cause, "diag", None)
    if getattr(diagnostics, "message_primary", None) == MOVE_REFUSED:
        counties = _counties_said(getattr(diagnostics, "message_detail", None)) or "您负责的区县"
        return (f"编辑账号不能把企业改到{counties}以外的区县（企业迁往别的区县时，"
                "请管理员修改所属区县）")
    if getattr(diagnostics, "message_primary", None) == COUNTY_REFUSED:
        counties = _counties_said(getattr(diagnostics, "message_detail", None))
        if not getattr(diagnostics, "message_hint", None):  # the firm's county: none
            from tiers.storage.write_rights import NO_COUNTY_WHO

            return f"没有修改县（市、区）未填的企业的权限（{NO_COUNTY_WHO}）"
        if counties:
            return f"没有修改{counties}以外企业的权限"
    if "row-level security" in (getattr(diagnostics, "message_primary", None) or ""):
        return OUTSIDE_COUNTIES  # the policy's refusal cannot name the counties
    return NO_RIGHT


def _counties_said(detail: str | None) -> str:
    """The guard's DETAIL (tiers_my_counties(): 武进区、未填区县的企业) for a sentence that
    adds 以外企业: 武进区、未填区县 (not 未填区县的企业以外企业, review27b)."""
    if not detail:
        return ""
    from tiers.storage.write_rights import in_sentence

    return in_sentence(detail.split("、"))
