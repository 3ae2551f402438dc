"""Finding PostgreSQL's pg_dump and pg_restore, and saying what to install when they are
missing (no server needed)."""

from __future__ import annotations

import pytest

from tiers.errors import Refused
from tiers.storage.server import dump
from tiers.storage.server.roles import group_role


def test_the_newest_debian_tool_is_chosen(monkeypatch):
    monkeypatch.setattr(dump.shutil, "which", lambda name: None)
    monkeypatch.setattr(dump.sys, "platform", "linux")
    monkeypatch.setattr(dump.glob, "glob", lambda pattern: [
        "/usr/lib/postgresql/13/bin/pg_dump", "/usr/lib/postgresql/16/bin/pg_dump",
        "/usr/lib/postgresql/9.6/bin/pg_dump"])
    assert dump.find_tool("pg_dump") == "/usr/lib/postgresql/16/bin/pg_dump"


def test_windows_program_files_are_searched(monkeypatch):
    seen = []
    monkeypatch.setattr(dump.shutil, "which", lambda name: None)
    monkeypatch.setattr(dump.sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMFILES", r"C:\Program Files")
    monkeypatch.setattr(dump.glob, "glob", lambda pattern: seen.append(pattern) or [
        r"C:\Program Files\PostgreSQL\16\bin\pg_dump.exe"])
    assert dump.find_tool("pg_dump").endswith(r"16\bin\pg_dump.exe")
    assert any("PostgreSQL" in pattern for pattern in seen)


def test_a_missing_tool_says_what_to_install(monkeypatch):
    monkeypatch.setattr(dump.shutil, "which", lambda name: None)
    monkeypatch.setattr(dump.glob, "glob", lambda pattern: [])
    with pytest.raises(Refused) as missing:
        dump.find_tool("pg_dump")
    assert "pg_dump" in str(missing.value) and "安装 PostgreSQL" in str(missing.value)


def test_the_password_goes_to_the_environment_not_the_command_line():
    url, environment = dump._command_environment("postgresql://it:s%40cret@db.local:5432/tiers")
    assert url == "postgresql://it@db.local:5432/tiers"
    assert environment["PGPASSWORD"] == "s@cret"


def test_the_tools_english_becomes_one_chinese_line():
    assert dump._reason("pg_dump: error: aborting because of server version mismatch") \
        .startswith("这台电脑上的 PostgreSQL 工具比服务器旧")
    assert dump._reason('pg_restore: error: role "tiers_x_admin" does not exist') \
        .startswith("备份中的角色在这台服务器上不存在")
    assert dump._reason("something else entirely") == "PostgreSQL 工具报告了错误（详情见日志文件）"


def test_group_roles_are_named_per_database():
    assert group_role("tiers", "editor") == "tiers_tiers_editor"
    assert group_role("changzhou", "viewer") != group_role("wuxi", "viewer")
    odd = group_role("常州 工信局", "admin")
    assert odd.startswith("tiers_") and odd.endswith("_admin") and odd.isascii()
    assert len(group_role("x" * 200, "viewer")) <= 63
    assert group_role("A-b", "admin") != group_role("a_b", "admin")


def test_a_dated_dump_never_takes_the_name_of_one_already_there(tmp_path):
    """Two restores in one second: the second's dump of what was there must not write over
    the file being restored (it did, once, in a slow run of the suite)."""
    first = dump._unused(tmp_path, "tiers-20261204-221500-before-restore")
    assert first.name == "tiers-20261204-221500-before-restore.dump"
    first.write_bytes(b"PGDMP")
    second = dump._unused(tmp_path, "tiers-20261204-221500-before-restore")
    assert second.name == "tiers-20261204-221500-before-restore-2.dump"
