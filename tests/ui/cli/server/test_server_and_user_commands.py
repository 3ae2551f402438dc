"""``tiers server init`` and ``tiers user add/list/disable``: what the IT person sees, each
failure one Chinese line."""

from __future__ import annotations

import json

import pytest

from ui.cli import user as user_command
from ui.cli.main import main

PASSWORD = "county-pass-1"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- what needs no server -----------------------------------------------------------------

def test_server_commands_refuse_a_file(capsys, tmp_path):
    for argv in (["server", "init"], ["user", "list"], ["user", "disable", "wang"]):
        status, out, err = run(capsys, "--db", str(tmp_path / "tiers.sqlite3"), *argv)
        assert status == 1 and out == ""
        assert "只用于服务器数据库" in err and "postgresql://" in err
        assert "Traceback" not in err


def test_user_add_checks_before_asking_for_a_password(capsys, monkeypatch):
    monkeypatch.setattr(user_command, "ask_password",
                        lambda name: pytest.fail("asked for a password"))
    url = "postgresql://it@127.0.0.1:1/tiers"
    cases = {("wang", "--role", "editor"): "编辑须指定其负责的区县",
             ("wang", "--role", "editor", "--county", "999999"): "未知的区县代码：999999",
             ("wang", "--role", "editor", "--county", "320400"): "未知的区县代码：320400",
             ("王科长", "--role", "viewer"): "用户名“王科长”无效",
             ("wang", "--role", "viewer", "--county", "320684"):
                 "区县代码已停用：320684 海门市已改为 320614 海门区，请用新的代码",
             ("boss", "--role", "admin", "--county", "320412"): "管理员可以修改所有区县"}
    for argv, message in cases.items():
        status, _out, err = run(capsys, "user", "add", *argv, "--db", url)
        assert status == 1 and message in err, (argv, err)


def test_a_wrong_role_is_told_in_chinese(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["user", "add", "wang", "--role", "boss"])
    assert stopped.value.code == 2
    assert "参数 --role 的取值“boss”无效" in capsys.readouterr().err


def test_the_password_is_asked_twice_and_must_match(monkeypatch):
    monkeypatch.delenv("TIERS_PASSWORD", raising=False)
    monkeypatch.setattr(user_command.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["one-password", "another-one"])
    monkeypatch.setattr(user_command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(user_command.CliError, match="两次输入的密码不一致"):
        user_command.ask_password("wang")


def test_without_a_terminal_the_password_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("TIERS_PASSWORD", raising=False)
    monkeypatch.setattr(user_command.sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(user_command.CliError, match="TIERS_PASSWORD"):
        user_command.ask_password("wang")
    monkeypatch.setenv("TIERS_PASSWORD", "from-a-script")
    assert user_command.ask_password("wang") == "from-a-script"


# --- on the server --------------------------------------------------------------------------

@pytest.mark.server_only
def test_init_add_list_disable(capsys, monkeypatch, server_db, login_url, unique):
    status, out, err = run(capsys, "server", "init", "--db", server_db)
    assert status == 0, err
    assert "已就绪" in out and "编辑角色：tiers_" in out and "enterprise" in out
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0  # again: idempotent

    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    boss, wang = unique("boss"), unique("wang")
    status, out, err = run(capsys, "user", "add", boss, "--role", "admin", "--db", server_db)
    assert (status, out.strip()) == (0, f"已添加用户 {boss}（管理员）"), err
    admin_url = login_url(boss, PASSWORD)
    status, out, err = run(capsys, "user", "add", wang, "--role", "editor", "--county", "320412",
                           "320411", "--db", server_db)  # the owner adds every login
    assert (status, out.strip()) == (0, f"已添加用户 {wang}（编辑，区县：武进区、新北区）"), err

    status, out, err = run(capsys, "user", "add", wang, "--role", "viewer", "--db", server_db)
    assert status == 1 and f"用户 {wang} 已存在" in err
    status, out, err = run(capsys, "user", "add", "li_x", "--role", "viewer", "--db", admin_url)
    assert status == 1 and "只有数据库的所有者" in err  # not even an admin: see users.py

    status, out, _ = run(capsys, "--db", admin_url, "user", "list", "--json")
    listed = {u["name"]: u for u in json.loads(out)}
    assert listed[wang] == {"name": wang, "role": "editor", "counties": ["新北区", "武进区"],
                            "enabled": True}
    assert listed[boss]["role"] == "admin"

    status, out, err = run(capsys, "user", "disable", wang, "--db", server_db)
    assert status == 0 and f"已停用用户 {wang}" in out, err
    status, out, _ = run(capsys, "user", "list", "--db", admin_url)
    line = next(row for row in out.splitlines() if row.startswith(wang))
    assert "编辑" in line and "已停用" in line

    status, _out, err = run(capsys, "user", "disable", "nobody_here", "--db", server_db)
    assert status == 1 and "这个数据库没有用户 nobody_here" in err


@pytest.mark.server_only
def test_only_the_owner_manages_users_and_inits(capsys, monkeypatch, server_db,
                                                            login_url, unique):
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    wang = unique("wang")
    assert run(capsys, "user", "add", wang, "--role", "editor", "--county", "320412",
               "--db", server_db)[0] == 0
    editor_url = login_url(wang, PASSWORD)
    status, _out, err = run(capsys, "user", "add", unique("li"), "--role", "viewer",
                            "--db", editor_url)
    assert status == 1 and "只有数据库的所有者" in err
    status, _out, err = run(capsys, "server", "init", "--db", editor_url)
    assert status == 1 and "只有数据库的所有者或超级用户才能运行 tiers server init" in err


@pytest.mark.server_only
def test_user_commands_before_init_say_what_to_do(capsys, server_db):
    status, _out, err = run(capsys, "user", "list", "--db", server_db)
    assert status == 1 and "请数据库所有者先运行 tiers server init" in err


@pytest.mark.server_only
def test_backup_and_restore_commands_on_a_server(capsys, monkeypatch, server_db, tmp_path):
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    status, out, err = run(capsys, "backup", str(tmp_path) + "/", "--db", server_db)
    assert status == 0, err
    made = out.strip().removeprefix("已备份到 ")
    assert made.endswith(".dump")
    database_name = server_db.rsplit("/", 1)[1]

    monkeypatch.setattr("builtins.input", lambda prompt: "not-the-name")
    status, _out, err = run(capsys, "restore", made, "--db", server_db)
    assert (status, err.strip()) == (2, "错误：未确认，数据库未作改动")

    monkeypatch.setattr("builtins.input", lambda prompt: database_name)
    status, out, err = run(capsys, "restore", made, "--db", server_db)
    assert status == 0 and f"恢复服务器数据库 {database_name}" in out, err

    other = tmp_path / "roster.xlsx"
    other.write_bytes(b"PK\x03\x04")
    status, _out, err = run(capsys, "restore", str(other), "--yes", "--db", server_db)
    assert status == 1 and "不是服务器数据库的备份" in err


@pytest.mark.server_only
def test_the_documented_way_a_database_owner_not_a_superuser(capsys, monkeypatch, server,
                                                             tmp_path, unique):
    """README's steps: the IT person's owner role (CREATEROLE, no superuser) owns an empty
    database, runs init, adds an admin and an editor; the admin backs up; the owner
    restores."""
    import psycopg

    from tiers.storage.server.roles import group_roles

    owner, name = unique("owner"), unique("bureau")
    base = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as superuser:
        superuser.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD 'owner-pass-1'")
        superuser.execute(f"CREATE DATABASE {name} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
    host = base.split("@", 1)[1].rsplit("/", 1)[0]
    owner_url = f"postgresql://{owner}:owner-pass-1@{host}/{name}"
    boss, wang = unique("boss"), unique("wang")
    try:
        status, out, err = run(capsys, "server", "init", "--db", owner_url)
        assert status == 0, err
        monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
        assert run(capsys, "user", "add", boss, "--role", "admin", "--db", owner_url)[0] == 0
        boss_url = f"postgresql://{boss}:{PASSWORD}@{host}/{name}"
        assert run(capsys, "user", "add", wang, "--role", "editor", "--county", "320412",
                   "--db", owner_url)[0] == 0
        status, out, err = run(capsys, "backup", str(tmp_path / "bureau.dump"), "--db", boss_url)
        assert status == 0, err
        status, out, err = run(capsys, "restore", str(tmp_path / "bureau.dump"), "--yes",
                               "--db", owner_url)
        assert status == 0, err
        assert run(capsys, "server", "init", "--db", owner_url)[0] == 0  # after an upgrade
    finally:
        with psycopg.connect(base, autocommit=True) as superuser:
            superuser.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (boss, wang, *group_roles(name).values(), owner):
                superuser.execute(f'DROP ROLE IF EXISTS "{role}"')
