import json

import pytest

from tests.conftest import make_code
from tiers.cli import main


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite3")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_then_enterprises_json(capsys, db):
    status, out, err = run(capsys, "--db", db, "demo", "--enterprises", "40")
    assert status == 0 and "演示数据" in out
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
    assert lines[0].startswith("统一社会信用代码,企业名称") and all("新北区" in l for l in lines[1:])


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
    status, out, err = run(capsys, "--db", db, "show", make_code(99))
    assert status == 1 and err.startswith("错误：找不到") and "Traceback" not in err
    status, _, err = run(capsys, "--db", db, "enterprises", "--tier", "金牌")
    assert status == 1 and err.strip() == "错误：未知的梯度层级：金牌"


def test_unopenable_database_is_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello", encoding="utf-8")
    status, _, err = run(capsys, "--db", str(bad), "enterprises")
    assert status == 1 and "不是 Tiers 数据库" in err and len(err.strip().splitlines()) == 1


def test_backup(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo", "--enterprises", "10")
    status, out, _ = run(capsys, "--db", db, "backup", str(tmp_path / "b.sqlite3"))
    assert status == 0 and (tmp_path / "b.sqlite3").exists()


def test_env_var_chooses_the_database(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TIERS_DB", str(tmp_path / "env.sqlite3"))
    run(capsys, "demo", "--enterprises", "5")
    assert (tmp_path / "env.sqlite3").exists()
