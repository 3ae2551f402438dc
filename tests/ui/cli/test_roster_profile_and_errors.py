import json

import pytest

from tests.conftest import make_code
from ui.cli.main import main


@pytest.fixture
def db(new_target):
    """A database not yet holding firms: a file in tmp_path, or a server's database."""
    return str(new_target("cli.sqlite3"))


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_then_enterprises_json(capsys, db):
    status, out, err = run(capsys, "--db", db, "demo", "--enterprises", "40")
    assert status == 0 and "演示数据" in out
    assert "None" not in out and db.rpartition("/")[2] in out  # where it was written
    status, out, _ = run(capsys, "--db", db, "enterprises", "--format", "json")
    rows = json.loads(out)
    assert status == 0 and len(rows) == 40
    assert {"credit_code", "name", "county", "town", "tier"} <= set(rows[0])
    status, _, err = run(capsys, "--db", db, "demo")
    assert status == 1 and "已有企业数据" in err


def test_filters_and_csv(capsys, db):
    run(capsys, "--db", db, "demo", "--enterprises", "120")
    _, out, _ = run(capsys, "--db", db, "enterprises", "--tier", "小巨人", "--format", "json")
    giants = json.loads(out)
    assert giants and all(r["tier_code"] in {"little_giant", "single_champion"} for r in giants)
    _, out, _ = run(capsys, "--db", db, "enterprises", "--county", "新北区", "--format", "csv")
    lines = out.strip().splitlines()
    assert lines[0].startswith('\ufeff"统一社会信用代码","企业名称"') and all("新北区" in line for line in lines[1:])


def test_show_json_has_the_profile_parts(capsys, db):
    run(capsys, "--db", db, "demo", "--enterprises", "30")
    _, out, _ = run(capsys, "--db", db, "enterprises", "--format", "json")
    code = json.loads(out)[0]["credit_code"]
    status, out, _ = run(capsys, "--db", db, "show", code.lower(), "--json")
    profile = json.loads(out)
    assert status == 0 and profile["credit_code"] == code
    assert {"recognitions", "support_measures", "figures", "chains"} <= set(profile)
    status, out, _ = run(capsys, "--db", db, "show", code)
    assert status == 0 and "梯度认定" in out


def test_errors_are_one_chinese_line(capsys, db):
    run(capsys, "--db", db, "demo", "--enterprises", "3")
    status, out, err = run(capsys, "--db", db, "show", make_code(99))
    assert status == 1 and err.startswith("错误：找不到") and "Traceback" not in err
    status, _, err = run(capsys, "--db", db, "enterprises", "--tier", "金牌")
    assert status == 1 and err.strip() == "错误：未知的梯度层级：金牌"


@pytest.mark.parametrize("argv, expected", [
    (["enterprises", "--year", "abc"], "参数 --year 应为整数，而不是“abc”"),
    (["enterprises", "--expiring", "-5"], "不能为负数"),
    (["enterprises", "--format", "xml"], "取值“xml”无效"),
    (["enterprises", "--bogus"], "无法识别的参数：--bogus"),
    (["show"], "缺少必填参数"),
])
def test_bad_command_lines_are_refused_in_chinese(capsys, db, argv, expected):
    with pytest.raises(SystemExit) as info:
        main(["--db", db, *argv])
    err = capsys.readouterr().err
    assert info.value.code == 2 and expected in err and "usage" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.sqlite_only  # about files
def test_a_mistyped_database_is_not_created(capsys, tmp_path):
    status, _, err = run(capsys, "--db", str(tmp_path / "typo.sqlite3"), "enterprises")
    assert status == 1 and "数据库文件不存在" in err
    assert not (tmp_path / "typo.sqlite3").exists()
    status, _, err = run(capsys, "--db", str(tmp_path / "nodir" / "x.sqlite3"), "demo")
    assert status == 1 and "文件夹不存在" in err and not (tmp_path / "nodir").exists()


def test_show_by_name_and_partial_area_names(capsys, db):
    run(capsys, "--db", db, "demo", "--enterprises", "60")
    _, out, _ = run(capsys, "--db", db, "enterprises", "--format", "json")
    first = json.loads(out)[0]
    status, out, _ = run(capsys, "--db", db, "show", first["name"])
    assert status == 0 and first["credit_code"] in out
    status, _, err = run(capsys, "--db", db, "show", "常州")
    assert status == 1 and "对应多家企业" in err
    _, out, _ = run(capsys, "--db", db, "enterprises", "--county", "武进", "--format", "json")
    _, full, _ = run(capsys, "--db", db, "enterprises", "--county", "武进区", "--format", "json")
    assert json.loads(out) == json.loads(full) and json.loads(out)
    town = first["town"]
    _, out, _ = run(capsys, "--db", db, "enterprises", "--town", town[:-1], "--format", "json")
    assert first["credit_code"] in {r["credit_code"] for r in json.loads(out)}


def test_csv_starts_with_a_bom_for_excel(capsys, db):
    run(capsys, "--db", db, "demo", "--enterprises", "3")
    _, out, _ = run(capsys, "--db", db, "enterprises", "--format", "csv")
    assert out.startswith("\ufeff\"统一社会信用代码\"")


@pytest.mark.sqlite_only  # another program's file
def test_unopenable_database_is_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello", encoding="utf-8")
    status, _, err = run(capsys, "--db", str(bad), "enterprises")
    assert status == 1 and "不是 Tiers 数据库" in err and len(err.strip().splitlines()) == 1


@pytest.mark.sqlite_only  # a copy of the file (a server's backup is pg_dump's)
def test_backup(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo", "--enterprises", "10")
    status, out, _ = run(capsys, "--db", db, "backup", str(tmp_path / "b.sqlite3"))
    assert status == 0 and (tmp_path / "b.sqlite3").exists()


def test_env_var_chooses_the_database(capsys, monkeypatch, new_target):
    target = new_target("env.sqlite3")
    monkeypatch.setenv("TIERS_DB", str(target))
    assert run(capsys, "demo", "--enterprises", "5")[0] == 0
    status, out, _ = run(capsys, "--db", str(target), "enterprises", "--format", "json")
    assert status == 0 and len(json.loads(out)) == 5


@pytest.mark.server_only
def test_a_password_in_the_url_is_never_printed(capsys, new_target):
    """The throw-away server trusts 127.0.0.1, so any password connects: it must not show."""
    user, _, rest = new_target().partition("@")
    url = f"{user}:geheim@{rest}"
    for command in (["demo", "--enterprises", "3"], ["info"]):
        status, out, err = run(capsys, "--db", url, *command)
        assert status == 0 and "geheim" not in out + err and "***" in out


def test_an_os_error_is_one_chinese_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    """/dev/full, a folder that vanished, no rights: the reason in Chinese and the path."""
    from ui.cli import main as cli

    def full_disk(_args):
        raise OSError(28, "No space left on device", str(tmp_path / "out.csv"))

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(full_disk))
    assert cli.main(["info"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"错误：磁盘已满：{tmp_path / 'out.csv'}"
    assert "Traceback" not in err and "No space" not in err


def _parser_running(handler):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.set_defaults(handler=handler)
    return parser


def test_show_prints_every_basic_field_of_the_firm_window(capsys, db_target, database):
    """地址 was missing (tester22): `tiers show` prints each 基本信息 field the firm
    window's form shows, in its order, a blank one as —, a note of two lines indented."""
    from tiers.queries.profiles import BASIC_FIELDS
    from tiers.services import enterprises
    from tiers.text import fields
    from ui.enterprise_dialog.basic_form import BASIC_FIELDS as FORM_FIELDS

    assert tuple(FORM_FIELDS) == BASIC_FIELDS
    with database.session() as session:
        enterprises.create(session, {
            "credit_code": make_code(5), "name": "常州甲科技有限公司", "town": "湖塘镇",
            "address": "武进区湖塘镇长虹路8号", "industry": "通用设备制造业",
            "legal_representative": "王强", "notes": "第一行\n第二行"})
    status, out, _ = run(capsys, "--db", str(db_target), "show", make_code(5))
    lines = out.splitlines()
    assert status == 0 and lines[0] == f"常州甲科技有限公司（{make_code(5)}）"
    assert "  地址：武进区湖塘镇长虹路8号" in lines
    assert "  法定代表人：王强" in lines and "  上市情况：—" in lines
    assert "  备注：第一行" in lines and "    第二行" in lines
    printed = [line.split("：")[0].strip() for line in lines[1:] if line.startswith("  ")
               and "：" in line]
    wanted = [fields.label("enterprise", key) for key in BASIC_FIELDS[2:]]
    assert [label for label in printed if label in wanted] == wanted
