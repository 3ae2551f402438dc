"""A folder seen read-only through a bind mount: root is stopped by no file's or folder's
mode, but by a read-only mount (the tests of a database on read-only media, session 31)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def bind_read_only(source: Path, view: Path) -> None:
    """``source`` seen read-only at ``view`` (made if missing); the test is skipped where
    mount is missing or refused, and a bind left half made is taken down first. The caller
    ends it with unmount(view)."""
    view.mkdir(exist_ok=True)
    if shutil.which("mount") is None or _run("mount", "--bind", str(source), str(view)):
        pytest.skip("a read-only bind mount needs root and mount")
    if _run("mount", "-o", "remount,ro,bind", str(view)):
        unmount(view)
        pytest.skip("a read-only bind mount needs root and mount")


def unmount(view: Path) -> None:
    _run("umount", str(view))


def _run(*command: str) -> int:
    return subprocess.run(command, capture_output=True).returncode
