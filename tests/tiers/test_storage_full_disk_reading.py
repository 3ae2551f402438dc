"""A database on a disk that is full cannot even be read (SQLite must grow the WAL's
shared-memory file beside it): the break campaign of #16 found every command, reports
included, refused with "读写数据库时磁盘出错，请检查磁盘或存储设备", which sent the officer to
look for a broken disk. It is the full disk, and now says so."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections import namedtuple

import pytest

from tiers.storage import faults, schema
from tiers.storage.database import DatabaseError, open_database

pytestmark = pytest.mark.sqlite_only  # a database file and its disk

Usage = namedtuple("Usage", "total used free")


def _disk_error(*_arguments):
    raise sqlite3.OperationalError("disk I/O error")


@pytest.mark.parametrize(("free", "said"), [(0, "磁盘已满"), (500 << 20, "磁盘出错")])
def test_a_disk_error_on_a_full_disk_is_the_full_disk(tmp_path, monkeypatch, free, said):
    open_database(tmp_path / "tiers.sqlite3").dispose()
    monkeypatch.setattr(schema, "_tables_and_versions", _disk_error)
    monkeypatch.setattr(faults.shutil, "disk_usage", lambda _folder: Usage(1 << 30, 0, free))
    with pytest.raises(DatabaseError, match=said):
        open_database(tmp_path / "tiers.sqlite3")


def test_on_a_really_full_disk(tmp_path):
    point = tmp_path / "full"
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        open_database(point / "tiers.sqlite3").dispose()
        with (point / "filler").open("wb", buffering=0) as filler:
            for size in (65536, 1):
                with contextlib.suppress(OSError):
                    while filler.write(b"\0" * size):
                        pass
        with pytest.raises(DatabaseError, match="磁盘已满"):
            open_database(point / "tiers.sqlite3")
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)
