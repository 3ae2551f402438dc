"""Writing a report over earlier files sets each aside under a hidden name first; when the
new file cannot take its place and the earlier one cannot be put back either, the officer's
file stays as that hidden ``.~name-xxxx.old``: the message must say where, and it is never
deleted (review of round 14: the message said 未写入任何文件 and nothing more)."""

from __future__ import annotations

import os

import pytest

from tiers.reports import output, output_folder


def test_an_earlier_file_that_cannot_be_put_back_is_named(tmp_path, monkeypatch):
    target = tmp_path / "汇总表.xlsx"
    target.write_bytes(b"the officer's own figures")
    temporary = tmp_path / "new.xlsx"
    temporary.write_bytes(b"the new report")
    real_replace = os.replace

    def replace(source, destination):
        if str(source).endswith(".old") or str(source) == str(temporary):
            raise PermissionError(13, "Permission denied")  # put in place, or put back
        return real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(output.TargetError) as refused:
        output_folder._move_all([(temporary, target)])
    monkeypatch.setattr(os, "replace", real_replace)
    hidden = [p for p in tmp_path.iterdir() if p.name.startswith(".~汇总表-")]
    assert len(hidden) == 1 and hidden[0].read_bytes() == b"the officer's own figures"
    message = str(refused.value)
    assert str(hidden[0]) in message and "请把它改回“汇总表.xlsx”" in message


def test_earlier_files_of_other_reports_not_put_back_are_named_too(tmp_path, monkeypatch):
    first, second = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    first.write_bytes("earlier 甲".encode())
    second.write_bytes("earlier 乙".encode())
    new_first, new_second = tmp_path / "n1", tmp_path / "n2"
    new_first.write_bytes("new 甲".encode())
    new_second.write_bytes("new 乙".encode())
    real_replace = os.replace

    def replace(source, destination):
        if str(source).endswith(".old") or str(source) == str(new_second):
            raise OSError(5, "Input/output error")
        return real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(output.TargetError) as refused:
        output_folder._move_all([(new_first, first), (new_second, second)])
    monkeypatch.setattr(os, "replace", real_replace)
    for name, earlier in (("甲", "earlier 甲".encode()), ("乙", "earlier 乙".encode())):
        hidden = [p for p in tmp_path.iterdir() if p.name.startswith(f".~{name}-")]
        assert len(hidden) == 1 and hidden[0].read_bytes() == earlier
        assert str(hidden[0]) in str(refused.value)
