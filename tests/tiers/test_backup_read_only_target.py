"""A backup to a read-only place says so about the backup the officer named (the break
campaign of #17): the cleanup of the copy being written failed too, on the read-only
folder, and its error (naming the hidden ``.partial`` copy) replaced the explanation."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tiers.storage.backups import backup_file
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError

pytestmark = pytest.mark.sqlite_only


def test_a_read_only_folder_is_said_for_the_backup(tmp_path):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    point = tmp_path / "光盘"
    point.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(point)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a read-only tmpfs needs root")
    try:
        with pytest.raises(DatabaseError) as refused:
            backup_file(path, point / "备份.sqlite3")
        assert str(refused.value).startswith(f"备份失败（{point / '备份.sqlite3'}）：")
        assert "只读" in str(refused.value) and ".partial" not in str(refused.value)
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


def test_a_cleanup_that_fails_does_not_hide_why(tmp_path, monkeypatch):
    path = tmp_path / "tiers.sqlite3"
    open_database(path).dispose()
    target = tmp_path / "备份.sqlite3"
    unlink = Path.unlink

    def read_only(self, missing_ok=False):
        if self.name.startswith("备份.sqlite3.partial"):
            raise OSError(30, "Read-only file system", str(self))
        return unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)
    with pytest.raises(DatabaseError) as refused:
        backup_file(path, target)
    assert str(refused.value).startswith(f"备份失败（{target}）：")
    assert ".partial" not in str(refused.value)
