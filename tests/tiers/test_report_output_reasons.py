"""A report that cannot be put in place says why in Chinese: the operating system's own
text ("No space left on device", "Read-only file system") was put in the sentence (the
break campaign of #17)."""

from __future__ import annotations

import errno
import os
import tempfile

import pytest

from tiers.reports import output


def test_a_temporary_file_that_cannot_be_made_says_why(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(output.TargetError) as refused:
        output.temporary_beside(tmp_path / "名单.xlsx")
    assert str(refused.value) == f"无法在“{tmp_path}”中创建文件：磁盘已满"


def test_a_file_that_cannot_be_moved_into_place_says_why(tmp_path, monkeypatch):
    temporary = output.temporary_beside(tmp_path / "名单.xlsx")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(output.TargetError) as refused:
        output.move_into_place(temporary, tmp_path / "名单.xlsx")
    assert str(refused.value) == f"无法保存“{tmp_path / '名单.xlsx'}”：磁盘或文件夹是只读的"
    assert list(tmp_path.iterdir()) == []
