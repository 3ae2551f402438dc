"""``tiers fill-template``: the 报送模板 filled from the command line (#19)."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "importers"))
from test_template_fill import make_template  # noqa: E402

from tiers.services import demo  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402
from ui.cli import main as cli  # noqa: E402


@pytest.fixture(autouse=True)
def own_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))


@pytest.fixture
def db(new_target):
    target = new_target("cli.sqlite3")
    database = open_database(target)
    with database.session() as session:
        for _ in demo.generate(session, enterprises=40):
            pass
    database.dispose()
    return str(target)


def test_fill_with_a_column_set_by_hand(db, tmp_path, capsys):
    template = make_template(tmp_path / "模板.xlsx")
    out = tmp_path / "已填写.xlsx"
    assert cli.main(["--db", db, "fill-template", str(template), str(out),
                     "--map", "备注=contact_person", "--tier", "创新型"]) == 0
    printed = capsys.readouterr().out
    assert "备注 ← 联系人" in printed and "已填写并保存到" in printed
    sheet = openpyxl.load_workbook(out)["报送表"]
    assert sheet["B4"].value and sheet["H4"].value  # name and 联系人 filled


def test_mistakes_are_one_chinese_line(db, tmp_path, capsys):
    template = make_template(tmp_path / "模板.xlsx")
    out = tmp_path / "x.xlsx"
    assert cli.main(["--db", db, "fill-template", str(template), str(out),
                     "--map", "没有这列=name"]) != 0
    assert "模板中没有名为“没有这列”的列" in capsys.readouterr().err
    assert cli.main(["--db", db, "fill-template", str(template), str(out),
                     "--map", "备注=nonsense"]) != 0
    assert "没有名为“nonsense”的字段" in capsys.readouterr().err
    assert cli.main(["--db", db, "fill-template", str(template), str(template)]) != 0
    assert "不能覆盖上级发来的模板" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["fill-template", "--fields"]) == 0
    assert "rd_expense" in capsys.readouterr().out
