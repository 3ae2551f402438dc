"""Who the officer at this computer is: the name (操作人 of every write, 填报人 of the reports)
and the phone (联系电话), in a small file of the user's app-data folder (officer.json beside
the default database and the import mappings) that the client's 设置 writes and the core
and the command line read. They lived in the client's Qt settings alone, so imports done
with the command line recorded the system account (root) and its reports had 填报人 and 联系电话
empty (tester28a #2); the client moves the old values here at its first start
(ui.app_settings). ``TIERS_OFFICER_FILE`` names another file."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tiers.storage.location import data_folder

FILE_NAME = "officer.json"


@dataclass(frozen=True)
class Officer:
    name: str = ""  # 填报人 / 操作人
    phone: str = ""  # 联系电话


def path() -> Path:
    override = os.environ.get("TIERS_OFFICER_FILE")
    return Path(override) if override else data_folder() / FILE_NAME


def read() -> Officer:
    """The stored officer; empty texts when none is stored (or the file cannot be read:
    the computer's user name is then used for writes, as before)."""
    where = path()
    try:
        stamp = where.stat().st_mtime_ns
    except OSError:
        return Officer()
    return _read(str(where), stamp)


@lru_cache(maxsize=4)
def _read(where: str, _stamp: int) -> Officer:
    """(Read again when the file changes: every write asks who writes.)"""
    try:
        data = json.loads(Path(where).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Officer()
    if not isinstance(data, dict):
        return Officer()
    return Officer(*(str(data.get(key) or "").strip() for key in ("name", "phone")))


def save(*, name: str | None = None, phone: str | None = None) -> Officer:
    """Store the name and/or the phone (None: left as stored); written whole, atomically."""
    now = read()
    stored = Officer(now.name if name is None else name.strip(),
                     now.phone if phone is None else phone.strip())
    where = path()
    where.parent.mkdir(parents=True, exist_ok=True)
    partial = where.with_name(where.name + ".partial")
    partial.write_text(json.dumps({"name": stored.name, "phone": stored.phone},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, where)
    _read.cache_clear()  # (a write within the same tick of the clock is read again too)
    return stored
