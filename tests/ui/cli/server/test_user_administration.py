"""``tiers user enable/password/set/log``: what the database's owner does for an officer
after adding him (back from leave, a forgotten password, moved to another county), each
change all or nothing, refused in Chinese for anyone else, and written to the logins'
history."""

from __future__ import annotations

import json

import psycopg
import pytest

from ui.cli import user as user_command
from ui.cli.main import main

PASSWORD = "county-pass-1"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_new_commands_refuse_a_file(capsys, tmp_path):
    for argv in (["user", "enable", "wang"], ["user", "password", "wang"],
                 ["user", "set", "wang", "--role", "viewer"], ["user", "log"]):
        status, out, err = run(capsys, "--db", str(tmp_path / "tiers.sqlite3"), *argv)
        assert status == 1 and out == "", argv
        assert "只用于服务器数据库" in err and "Traceback" not in err


def test_a_new_password_is_asked_twice_and_a_mismatch_changes_nothing(monkeypatch):
    monkeypatch.delenv("TIERS_PASSWORD", raising=False)
    monkeypatch.setattr(user_command.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["one-password", "another-one"])
    monkeypatch.setattr(user_command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(user_command.CliError, match="两次输入的密码不一致，密码未修改"):
        user_command.ask_password("wang", undone="密码未修改")


def test_the_password_is_not_an_argument(capsys):
    with pytest.raises(SystemExit):
        main(["user", "password", "wang", "new-password-1"])
    assert "unrecognized" not in capsys.readouterr().err


def _roles(server_db: str, name: str) -> tuple[bool, set[str], list[tuple[str, str]]]:
    with psycopg.connect(server_db) as connection:
        can_login = connection.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s",
                                       (name,)).fetchone()[0]
        groups = {row[0] for row in connection.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = %s", (name,))}
        counties = connection.execute(
            "SELECT county_code, county_name FROM tiers_user_county WHERE login = %s "
            "ORDER BY county_code", (name,)).fetchall()
    return can_login, groups, counties


@pytest.mark.server_only
def test_enable_password_and_set_by_the_owner(capsys, monkeypatch, server_db, login_url,
                                              unique):
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    database = server_db.rsplit("/", 1)[1]
    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    wang = unique("wang")
    assert run(capsys, "user", "add", wang, "--role", "editor", "--county", "320412",
               "--db", server_db)[0] == 0
    assert run(capsys, "user", "disable", wang, "--db", server_db)[0] == 0

    status, out, err = run(capsys, "user", "enable", wang, "--db", server_db)
    assert (status, out.strip()) == (0, f"已启用用户 {wang}（编辑，区县：武进区）：可以再登录"), err
    assert _roles(server_db, wang)[0] is True
    psycopg.connect(login_url(wang, PASSWORD)).close()  # he logs in again
    status, _out, err = run(capsys, "user", "enable", wang, "--db", server_db)
    assert status == 1 and "没有停用" in err

    # moved from 武进区 to 新北区
    status, out, err = run(capsys, "user", "set", wang, "--county", "320411", "--db", server_db)
    assert status == 0 and "编辑，区县：新北区" in out, err
    assert _roles(server_db, wang)[1:] == ({f"tiers_{database}_editor"}, [("320411", "新北区")])
    # a viewer of every county, then an admin (whose counties go)
    status, out, err = run(capsys, "user", "set", wang, "--role", "viewer", "--all-counties",
                           "--db", server_db)
    assert status == 0 and "查看，区县：全部" in out, err
    assert _roles(server_db, wang)[1:] == ({f"tiers_{database}_viewer"}, [])
    status, _out, err = run(capsys, "user", "set", wang, "--role", "editor", "--db", server_db)
    assert status == 1 and "编辑须指定其负责的区县" in err
    assert _roles(server_db, wang)[1:] == ({f"tiers_{database}_viewer"}, [])  # unchanged
    status, _out, err = run(capsys, "user", "set", wang, "--county", "999999", "--db", server_db)
    assert status == 1 and "未知的区县代码：999999" in err
    status, out, err = run(capsys, "user", "set", wang, "--role", "admin", "--db", server_db)
    assert status == 0 and "管理员" in out, err
    assert _roles(server_db, wang)[1:] == ({f"tiers_{database}_admin"}, [])
    status, _out, err = run(capsys, "user", "set", "nobody_here", "--role", "viewer",
                            "--db", server_db)
    assert status == 1 and "这个数据库没有用户 nobody_here" in err

    monkeypatch.setenv("TIERS_PASSWORD", "a-new-password-2")
    status, out, err = run(capsys, "user", "password", wang, "--db", server_db)
    assert (status, out.strip()) == (0, f"已重设用户 {wang} 的密码"), err
    with psycopg.connect(server_db) as connection:
        stored = connection.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                    (wang,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$")  # the verifier, never the plain password
    monkeypatch.setenv("TIERS_PASSWORD", "short")
    status, _out, err = run(capsys, "user", "password", wang, "--db", server_db)
    assert status == 1 and "密码太短" in err

    status, out, _err = run(capsys, "user", "log", wang, "--json", "--db", server_db)
    lines = json.loads(out)
    assert [line["action"] for line in lines] == ["add", "disable", "enable", "set", "set",
                                                  "set", "password"]
    assert {line["login"] for line in lines} == {wang}
    assert {line["by"] for line in lines} == {"postgres"}  # the login that did it
    assert lines[3]["detail"] == "区县：武进区 → 新北区"
    assert lines[4]["detail"] == "角色：编辑 → 查看；区县：新北区 → 全部"
    status, out, _err = run(capsys, "user", "log", "--db", server_db)
    assert status == 0 and "重设密码" in out and "区县：武进区 → 新北区" in out


@pytest.mark.server_only
def test_only_the_owner_administers_and_a_refusal_changes_nothing(capsys, monkeypatch,
                                                                  server_db, login_url, unique):
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    boss, wang, li = unique("boss"), unique("wang"), unique("li")
    for name, role in ((boss, ["admin"]), (wang, ["editor", "--county", "320412"]),
                       (li, ["viewer"])):
        assert run(capsys, "user", "add", name, "--role", *role, "--db", server_db)[0] == 0
    assert run(capsys, "user", "disable", li, "--db", server_db)[0] == 0
    before = _roles(server_db, wang), _roles(server_db, li)
    for who in (boss, wang):  # not even a Tiers admin (see users.py)
        url = login_url(who, PASSWORD)
        for argv in (["enable", li], ["password", wang], ["set", wang, "--county", "320411"],
                     ["set", li, "--role", "admin"]):
            status, out, err = run(capsys, "user", *argv, "--db", url)
            assert status == 1 and out == "", argv
            assert "只有数据库的所有者" in err and "重设密码" in err, err
    assert (_roles(server_db, wang), _roles(server_db, li)) == before
    status, _out, err = run(capsys, "user", "log", "--db", login_url(wang, PASSWORD))
    assert status == 1 and "只有管理员" in err  # an editor does not read the logins' history
    status, out, err = run(capsys, "user", "log", "--json", "--db", login_url(boss, PASSWORD))
    assert status == 0, err
    assert [line["action"] for line in json.loads(out)] == ["add", "add", "add", "disable"]
    with psycopg.connect(login_url(boss, PASSWORD)) as admin, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin.execute("INSERT INTO tiers_user_log (login, action) VALUES ('x', 'add')")


@pytest.mark.server_only
def test_rights_and_the_login_are_checked_before_the_password_is_asked(
        capsys, monkeypatch, server_db, login_url, unique):
    """An editor, a viewer or a Tiers admin running ``tiers user password`` or ``tiers user
    add`` is refused at once, not after typing a new password twice; so is the owner naming
    a login the database does not have (password) or one the server has (add)."""
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    boss, wang, li = unique("boss"), unique("wang"), unique("li")
    for name, role in ((boss, ["admin"]), (wang, ["editor", "--county", "320412"]),
                       (li, ["viewer"])):
        assert run(capsys, "user", "add", name, "--role", *role, "--db", server_db)[0] == 0
    monkeypatch.setattr(user_command, "ask_password",
                        lambda *args, **kwargs: pytest.fail("asked for a password"))
    newcomer = unique("zhao")
    for who in (boss, wang, li):
        url = login_url(who, PASSWORD)
        for argv in (["password", wang], ["password", who],
                     ["add", newcomer, "--role", "viewer"]):
            status, out, err = run(capsys, "user", *argv, "--db", url)
            assert status == 1 and out == "", (who, argv)
            assert err.startswith("错误：只有数据库的所有者") and err.count("\n") == 1, err
    status, out, err = run(capsys, "user", "password", "nobody_here", "--db", server_db)
    assert status == 1 and out == "" and "这个数据库没有用户 nobody_here" in err, err
    status, out, err = run(capsys, "user", "add", wang, "--role", "viewer", "--db", server_db)
    assert status == 1 and out == "" and f"用户 {wang} 已存在" in err, err
    with psycopg.connect(server_db) as connection:
        assert connection.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                                  (newcomer,)).fetchone()[0] == 0


@pytest.mark.server_only
def test_an_editor_is_granted_the_firms_without_a_county_with_none(
        capsys, monkeypatch, server_db, unique):
    """tiers user add/set --county … none (tester27 #1): the bureau's 开发区 firms, which
    have no county code; said in the list after his counties; an editor's only."""
    assert run(capsys, "server", "init", "--db", server_db)[0] == 0
    monkeypatch.setenv("TIERS_PASSWORD", PASSWORD)
    wang, li = unique("wang"), unique("li")
    status, out, err = run(capsys, "user", "add", wang, "--role", "editor", "--county", "320412",
                           "none", "--db", server_db)
    assert (status, out.strip()) == (0, f"已添加用户 {wang}（编辑，区县：武进区、未填区县的企业）"), err
    assert _roles(server_db, wang)[2] == [("", "未填区县的企业"), ("320412", "武进区")]
    status, out, err = run(capsys, "user", "list", "--json", "--db", server_db)
    listed = {user["name"]: user for user in json.loads(out)}
    assert listed[wang]["counties"] == ["武进区", "未填区县的企业"], err
    # the same again: nothing to change, whatever order they are written in
    status, _out, err = run(capsys, "user", "set", wang, "--county", "none", "320412",
                            "--db", server_db)
    assert status == 1 and "没有需要修改的内容" in err
    # the role alone, without --county: his counties as they are (review27b #1: the stored
    # grant was taken for an unknown county code); a viewer loses the grant, told so
    status, out, err = run(capsys, "user", "set", wang, "--role", "viewer", "--db", server_db)
    assert status == 0 and "查看，区县：武进区（" in out, err
    assert "注意：“未填区县的企业”的授权只用于编辑账号，改为查看账号后已去掉" in out
    assert _roles(server_db, wang)[2] == [("320412", "武进区")]
    status, out, err = run(capsys, "user", "set", wang, "--role", "editor", "--county", "320412",
                           "none", "--db", server_db)
    assert status == 0 and "编辑，区县：武进区、未填区县的企业（" in out, err
    status, out, err = run(capsys, "user", "set", wang, "--county", "320412", "--db", server_db)
    assert status == 0 and "编辑，区县：武进区（" in out, err  # the grant taken away
    assert _roles(server_db, wang)[2] == [("320412", "武进区")]
    status, _out, err = run(capsys, "user", "add", li, "--role", "viewer", "--county", "none",
                            "--db", server_db)
    assert status == 1 and "只用于编辑账号" in err
