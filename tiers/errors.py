"""One root for every failure a user can be told about, with a kind.

Each layer raises the subclass that names its situation (a refused file, a value the services
refuse, a record that does not exist); every face catches ``TiersError`` alone, shows
``str(error)`` and may add a hint of its own (a CLI flag, a wizard field). The messages are
Chinese and free of widget names and command-line flags: the core does not know its faces.

Anything that is not a ``TiersError`` (nor an ``OSError`` from a file the user chose) is a
bug and deserves a traceback in the log.
"""

from __future__ import annotations

import errno
from enum import StrEnum


class Kind(StrEnum):
    INVALID = "invalid"  # a value or a request that is not acceptable
    NOT_FOUND = "not_found"  # the record named does not exist
    REFUSED = "refused"  # a whole file or action is refused; nothing was changed
    CONFLICT = "conflict"  # the data moved underneath (another writer); nothing was changed
    STORAGE = "storage"  # the database cannot be opened, read or written
    CANCELLED = "cancelled"  # the user stopped it; nothing was changed


class TiersError(Exception):
    """The root: ``kind`` says what sort of failure it is, ``str()`` what to tell the user."""

    kind: Kind = Kind.INVALID

    def __init__(self, *args: object, hint_field: str = "") -> None:
        super().__init__(*args)
        # what the user could give to settle it ("tier", "code", "year"): each face adds
        # where to give it (see with_hint), so the message names no widget and no option
        self.hint_field = hint_field

    @property
    def message(self) -> str:
        return str(self) or type(self).__name__


class InvalidInput(TiersError, ValueError):
    """A value or request the core refuses (ValueError too, for code that expects one)."""

    kind = Kind.INVALID


class NotFound(TiersError, LookupError):
    """The record named does not exist (or is in the 回收站 where that matters)."""

    kind = Kind.NOT_FOUND


class Refused(TiersError):
    """A whole file or action is refused; the message says why and what to do."""

    kind = Kind.REFUSED


class Conflict(TiersError):
    """Someone else changed the data since it was read; nothing was written."""

    kind = Kind.CONFLICT


class StorageError(TiersError, RuntimeError):
    """The database cannot be opened, upgraded, read or written."""

    kind = Kind.STORAGE


class Cancelled(TiersError):
    """The user stopped the work; nothing was written."""

    kind = Kind.CANCELLED


# What a face shows as a message rather than as a bug: our own errors and the operating
# system's refusals of a file the user chose (a missing folder, a full disk, no rights).
EXPECTED: tuple[type[BaseException], ...] = (TiersError, OSError)


def with_hint(message: str, hint: str) -> str:
    """A face's hint added to a core message: before its closing 。 or ）, else at the
    end (请指定。 → 请指定（命令行用 --year）。)."""
    if not hint:
        return message
    if message.endswith(("。", "）")):
        return message[:-1] + hint + message[-1]
    return message + hint


# The operating system's reasons, as an officer reads them (its own text is English).
OS_REASONS = {errno.ENOENT: "文件或文件夹不存在", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
              errno.ENOSPC: "磁盘已满", errno.EROFS: "磁盘或文件夹是只读的",
              errno.EISDIR: "这是一个文件夹，不是文件", errno.ENOTDIR: "路径中有一段不是文件夹",
              errno.EEXIST: "文件已存在", errno.EIO: "磁盘读写出错"}


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Chinese (磁盘已满), without the file."""
    return OS_REASONS.get(error.errno or 0, "无法读写文件")


def os_error_text(error: OSError) -> str:
    """The refusal and the file it concerns: 没有权限：/home/…/名单.xlsx."""
    reason = os_reason(error)
    return f"{reason}：{error.filename}" if error.filename else reason
