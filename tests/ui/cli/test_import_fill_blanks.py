"""tiers import --fill-blanks-only / --overwrite: the count of values firms already have in
--json, the list in the text, and only blanks filled with 只补空白."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.cli.main import main


def _setup(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "name": "常州甲机械有限公司",
                                     "county": "武进区", "main_product": "齿轮"})
    return write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "主导产品", "联系人"],
        ["常州甲机械有限公司", make_code(1), "减速机", "李四"],
    ]})


def _firm(database):
    with database.session() as session:
        firm = session.scalars(select(Enterprise)).one()
        return firm.main_product, firm.contact_person


def test_json_counts_the_overwrites_and_fill_blanks_only_keeps_them(
        database, db_target, tmp_path, capsys):
    path = _setup(database, tmp_path)
    db = ["--db", str(db_target)]
    assert main([*db, "import", str(path), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fill_blanks_only"] is False
    assert data["overwrites"] == {"enterprises": 1, "values": 1, "written": 1}
    assert main([*db, "import", str(path), "--fill-blanks-only", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overwrites"] == {"enterprises": 1, "values": 1, "written": 0}
    assert _firm(database) == ("齿轮", "李四")


def test_the_text_lists_old_and_new_and_overwrite_writes(database, db_target, tmp_path,
                                                         capsys):
    path = _setup(database, tmp_path)
    db = ["--db", str(db_target)]
    assert main([*db, "import", str(path), "--fill-blanks-only", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "只补空白：1 家企业的 1 个已有值保持不变（选“全部更新”才改写）；要改用另一种做法，加 --overwrite（全部更新）" in out
    assert "  第2行 常州甲机械有限公司 主导产品：齿轮 → 减速机" in out
    assert main([*db, "import", str(path), "--overwrite"]) == 0
    assert "将改写 1 家企业的 1 个已有值" in capsys.readouterr().out
    assert _firm(database) == ("减速机", "李四")
