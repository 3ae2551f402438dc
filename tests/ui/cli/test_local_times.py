"""The command line shows stored moments (naive UTC) in the machine's local time: with TZ
Asia/Shanghai, ``tiers imports`` after ``tiers demo`` at 11:41 listed the batch at 03:41,
and so did the messages that name when a batch was imported or undone."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from tests.zones import (
    beijing,  # noqa: F401 (fixture)
    in_beijing,
)
from ui.cli.main import main


def _utc(stored: str) -> str:
    return f"{dt.datetime.fromisoformat(stored):%Y-%m-%d %H:%M}"


def test_imports_and_undo_say_local_times(beijing, database, capsys, db_target):  # noqa: F811
    from tiers.services import demo

    with database.session() as session:
        list(demo.generate(session, enterprises=5))
    db = ["--db", str(db_target)]
    assert main([*db, "imports", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)[0]["created_at"]  # as stored: UTC
    assert main([*db, "imports"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"1  {in_beijing(created)}  "), line  # (stripped)
    assert _utc(created) not in line
    assert main([*db, "undo-import", "1", "--user", "张三"]) == 0
    capsys.readouterr()
    assert main([*db, "imports", "--json"]) == 0
    undone = json.loads(capsys.readouterr().out)[0]["undone_at"]
    assert main([*db, "imports"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"已撤销 {in_beijing(undone)}（张三）")
    assert main([*db, "undo-import", "1"]) == 2  # undone before: when, in local time
    err = capsys.readouterr().err
    assert f"已于 {in_beijing(undone)} 撤销过" in err, err


def test_a_file_imported_before_says_when_in_local_time(
        beijing, tmp_path, database, capsys, db_target):  # noqa: F811
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "所属区县"], ["甲有限公司", make_code(1), "溧阳市"]]})
    db = ["--db", str(db_target)]
    assert main([*db, "import", str(path)]) == 0
    capsys.readouterr()
    assert main([*db, "imports", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)[0]["created_at"]
    assert main([*db, "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"此文件已于 {in_beijing(created)} 导入过" in out, out
