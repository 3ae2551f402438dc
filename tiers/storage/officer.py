"""Who the officer at this computer is: the name (操作人 of every write, 填报人 of the reports)
and the phone (联系电话), in a small file of the user's app-data folder (officer.json beside
the default database and the import mappings) that the client's 设置 writes and the core
and the command line read. They lived in the client's Qt settings alone, so imports done
with the command line recorded the system account (root) and its reports had 填报人 and 联系电话
empty (tester28a #2); the client moves the old values here at its first start
(ui.app_settings). ``TIERS_OFFICER_FILE`` names another file.

A file that is there but cannot be read (broken JSON, another program's file named by
TIERS_OFFICER_FILE: 不是有效的设置文件; no right to read it: 无法读取) is read as empty, as before, but ``problem`` says
so for the faces to tell (the CLI on stderr, the client in its status bar), and ``save``
refuses to write over it: it used to be replaced whole, its contents lost (review of
session 28, #1). Keys of a readable file that are not ours are kept. A UTF-8 file with a
BOM (Notepad's) is readable."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tiers import beside
from tiers.errors import Refused, os_reason
from tiers.storage.location import data_folder

FILE_NAME = "officer.json"
FIELDS = ("name", "phone")


@dataclass(frozen=True)
class Officer:
    name: str = ""  # 填报人 / 操作人
    phone: str = ""  # 联系电话


class Unreadable(Refused):
    """``save`` refused: the file there cannot be read, and writing would lose it."""


@dataclass(frozen=True)
class _Stored:
    officer: Officer = Officer()
    problem: str = ""  # why the file there cannot be read; "" when it can, or is absent
    others: dict[str, Any] = field(default_factory=dict)  # its keys that are not ours


def path() -> Path:
    override = os.environ.get("TIERS_OFFICER_FILE")
    return Path(override) if override else data_folder() / FILE_NAME


def read() -> Officer:
    """The stored officer; empty texts when none is stored or the file cannot be read (the
    computer's user name is then used for writes, as before; ``problem`` says why)."""
    return _current().officer


def problem() -> str:
    """What is wrong with the officer file, in Chinese with its path ("" when nothing is:
    it is readable, or there is none yet); each face says it once in its own place."""
    return _current().problem


def _current() -> _Stored:
    where = path()
    try:
        stamp = where.stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return _Stored()
    except OSError as exc:
        return _Stored(problem=_cannot_read(where, os_reason(exc)))
    return _read(str(where), stamp)


@lru_cache(maxsize=4)
def _read(where: str, _stamp: int) -> _Stored:
    """(Read again when the file changes: every write asks who writes.)"""
    return _load(Path(where))


def _load(where: Path) -> _Stored:
    try:
        text = where.read_bytes().decode("utf-8-sig")
    except (FileNotFoundError, NotADirectoryError):
        return _Stored()
    except OSError as exc:
        return _Stored(problem=_cannot_read(where, os_reason(exc)))
    except UnicodeDecodeError:
        return _Stored(problem=_unreadable(where, "不是 UTF-8 文本"))
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        reason = f"第 {line} 行不是有效的 JSON" if line else "不是有效的 JSON"
        return _Stored(problem=_unreadable(where, reason))
    if not isinstance(data, dict):
        return _Stored(problem=_unreadable(where, "内容不是一组“名称: 值”"))
    return _Stored(Officer(*(str(data.get(key) or "").strip() for key in FIELDS)),
                   others={key: value for key, value in data.items() if key not in FIELDS})


def _unreadable(where: Path, reason: str) -> str:
    """Its content is not an officer file's."""
    return f"{where} 不是有效的设置文件（{reason}）"


def _cannot_read(where: Path, reason: str) -> str:
    """The system refused to read it (no right to, a folder of that name…): nothing is
    known of its content, which may well be valid."""
    return f"无法读取 {where}（{reason}）"


def save(*, name: str | None = None, phone: str | None = None) -> Officer:
    """Store the name and/or the phone (None: left as stored), keeping the file's other
    keys; written to a temporary file of its own beside it, then moved into place. Raises
    Unreadable (nothing written) when the file there cannot be read, OSError when the
    folder cannot be written."""
    where = path()
    now = _load(where)  # (not the cached read: what is there now is kept)
    if now.problem:
        raise Unreadable(f"{now.problem}，填报人和联系电话未保存；请修正或删除该文件后再保存")
    stored = Officer(now.officer.name if name is None else name.strip(),
                     now.officer.phone if phone is None else phone.strip())
    where.parent.mkdir(parents=True, exist_ok=True)
    temporary = beside.temporary_beside(where)  # (mkstemp: two saves at once, two files)
    try:
        temporary.write_text(json.dumps({**now.others, "name": stored.name,
                                         "phone": stored.phone},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, where)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _read.cache_clear()  # (a write within the same tick of the clock is read again too)
    return stored
