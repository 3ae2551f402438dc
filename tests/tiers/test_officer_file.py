"""officer.json (the officer's name and phone, shared by the client and the command line)
that cannot be read was read silently as empty (the operator became the system user, 填报人
empty, nothing said), and the next save rewrote the whole file, losing what was in it; a
UTF-8 file with a BOM (as Notepad saves it) was such a file; and every save wrote the same
temporary name (officer.json.partial), so two processes saving at once trod on each other
(review of session 28, #1)."""

from __future__ import annotations

import json
import os

import pytest

from tiers.storage import officer


@pytest.fixture
def where(tmp_path, monkeypatch):
    target = tmp_path / "settings" / "officer.json"
    target.parent.mkdir()
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(target))
    return target


def test_a_file_notepad_saved_with_a_bom_is_read(where):
    where.write_text(json.dumps({"name": "王科员", "phone": "0519-1234"}, ensure_ascii=False),
                     encoding="utf-8-sig")
    assert officer.read() == officer.Officer("王科员", "0519-1234")
    assert officer.problem() == ""


@pytest.mark.parametrize("content", [b'{"name": "\xe7\x8e\x8b",', b"\xff\xfe\x00n", b'["name"]'],
                         ids=["broken", "not-utf8", "not-an-object"])
def test_an_unreadable_file_is_said_and_not_written_over(where, content):
    where.write_bytes(content)
    assert officer.read() == officer.Officer()
    said = officer.problem()
    assert str(where) in said and "不是有效的设置文件" in said, said
    with pytest.raises(officer.Unreadable) as refused:
        officer.save(name="李科长")
    assert str(where) in str(refused.value) and "未保存" in str(refused.value)
    assert where.read_bytes() == content  # nothing written
    assert [p.name for p in where.parent.iterdir()] == ["officer.json"]  # no leftover


@pytest.mark.parametrize("how", ["permission", "a-folder"])
def test_a_file_that_cannot_be_read_is_not_called_invalid(where, monkeypatch, how):
    """(review of session 28, fixd28 #3) A file the officer has no right to read was called
    “不是有效的设置文件（没有权限）”: the OS's refusal says 无法读取 it, with the reason; bad
    content alone is 不是有效的设置文件."""
    if how == "a-folder":
        where.mkdir()
    else:
        where.write_text('{"name": "王科员"}', encoding="utf-8")
        real = type(where).read_bytes

        def refused(self):
            if self == where:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(type(where), "read_bytes", refused)
    said = officer.problem()
    assert said.startswith(f"无法读取 {where}（") and said.endswith("）"), said
    assert "不是有效的设置文件" not in said
    if how == "permission":
        assert "没有权限" in said, said
    with pytest.raises(officer.Unreadable) as refused_save:
        officer.save(name="李科长")
    assert str(refused_save.value).startswith(f"无法读取 {where}（"), refused_save.value


def test_a_missing_file_is_no_problem(where):
    assert officer.read() == officer.Officer() and officer.problem() == ""
    officer.save(name="李科长")
    assert officer.read() == officer.Officer("李科长", "")


def test_keys_of_others_are_kept(where):
    where.write_text(json.dumps({"name": "王科员", "phone": "1", "theme": "dark",
                                 "recent": [1, 2]}), encoding="utf-8")
    officer.save(phone="0519-2")
    assert json.loads(where.read_text(encoding="utf-8")) == {
        "name": "王科员", "phone": "0519-2", "theme": "dark", "recent": [1, 2]}


def test_each_save_writes_its_own_temporary_file(where, monkeypatch):
    (where.parent / "officer.json.partial").mkdir()  # (the one fixed name, taken)
    moved = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (moved.append(str(a)), replace(a, b))[1])
    officer.save(name="王科员")
    officer.save(phone="0519-3")
    assert officer.read() == officer.Officer("王科员", "0519-3")
    assert len(set(moved)) == 2 and all(os.path.dirname(m) == str(where.parent) for m in moved)
    assert sorted(p.name for p in where.parent.iterdir()) == ["officer.json",
                                                               "officer.json.partial"]
