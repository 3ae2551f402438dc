"""What the libraries log (pg_dump's English, psycopg's warnings) is not printed beside the
command's Chinese line: a backup of a server onto a full disk said
"pg_dump: pg_dump: error: could not write to output file: No space left on device" and
then "错误：备份失败：磁盘已满"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
pytestmark = pytest.mark.server_only


@pytest.fixture
def full_disk(tmp_path):
    point = tmp_path / "full"
    point.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs (a real full disk) needs root")
    handle = os.open(point / ".filler", os.O_WRONLY | os.O_CREAT)
    try:  # filled up: the kernel's own ENOSPC
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(handle)
    yield point
    subprocess.run(["umount", str(point)], capture_output=True)


def _backup(server_db, target, **env):
    return subprocess.run([sys.executable, "-m", "ui.cli", "--db", server_db, "backup",
                           str(target)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})


def test_a_server_backup_onto_a_full_disk_is_one_chinese_line(server_db, full_disk):
    result = _backup(server_db, full_disk / "备份.dump")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["错误：备份失败：磁盘已满"]
    assert [p.name for p in full_disk.iterdir()] == [".filler"]  # no partial dump left


def test_tiers_debug_still_shows_them(server_db, full_disk):
    result = _backup(server_db, full_disk / "备份.dump", TIERS_DEBUG="1")
    assert "No space left on device" in result.stderr


def test_a_server_backup_refused_exits_2_as_the_file_backup(server_db, tmp_path):
    """A file it will not write over is a refusal, status 2, as ``tiers backup`` of a file
    and every other command that keeps files (it was 1: tester27b); a failure stays 1."""
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(b"PK\x03\x04 the officer's list")
    result = _backup(server_db, roster)
    assert result.returncode == 2, result.stderr
    assert "已存在且不是服务器数据库备份，不会覆盖它" in result.stderr
    assert roster.read_bytes() == b"PK\x03\x04 the officer's list"
