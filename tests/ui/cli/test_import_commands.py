"""tiers import / imports / undo-import."""

import json

import openpyxl
import pytest

from tests.conftest import make_code
from tests.importers.helpers import table_counts, write_xlsx
from ui.cli.main import main


def _file(tmp_path):
    return write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2023年度省级专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码", "认定日期"],
        ["甲有限公司", make_code(1), "2023-12-01"],
        ["乙有限公司", "91320412MA00000X9Z", "2023-12-01"],
        ["丙有限公司", None, "明年"],
    ]})


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_import_json_shape_dry_run_then_apply_then_undo(tmp_path, database, capsys, db_target):
    db = ["--db", str(db_target)]
    path = _file(tmp_path)
    before = table_counts(database)
    assert main([*db, "import", str(path), "--dry-run", "--json"]) == 0
    data = _json(capsys)
    # a recognition list also says what it was taken as, and who a final list left out;
    # outside: rows of firms in other counties than an editor's, left out (0 here); other_unit:
    # rows outside the counties the database's unit answers for (0: none recorded)
    assert list(data) == ["file", "sheet", "kind", "rows", "created", "updated", "unchanged",
                          "unmatched", "errors", "outside", "other_unit", "batch_id", "fill_blanks_only", "overwrites",
                          "problems", "short_names", "taken_as", "not_in_final_list"]
    assert (data["file"], data["sheet"], data["kind"]) == ("名单.xlsx", "Sheet1", "recognitions")
    assert (data["rows"], data["created"], data["errors"], data["batch_id"]) == (3, 1, 2, None)
    problem = next(p for p in data["problems"] if p["row"] == 4)
    assert problem["sheet"] == "Sheet1" and problem["column"] == "B"
    assert problem["value"] == "91320412MA00000X9Z"
    assert set(problem) >= {"sheet", "row", "column", "value", "message"}
    assert table_counts(database) == before

    errors = tmp_path / "out" / "问题行.xlsx"
    assert main([*db, "import", str(path), "--json", "--errors", str(errors)]) == 0
    data = _json(capsys)
    assert isinstance(data["batch_id"], int) and data["created"] == 1
    sheet = openpyxl.load_workbook(errors).active
    values = list(sheet.values)
    assert values[0] == ("原行号", "企业名称", "统一社会信用代码", "认定日期", "问题说明")
    assert [row[0] for row in values[1:]] == [4, 5]
    assert "B列" in values[1][-1]

    assert main([*db, "imports", "--json"]) == 0
    batches = _json(capsys)
    assert batches[0]["id"] == data["batch_id"] and batches[0]["kind"] == "recognitions"
    assert main([*db, "undo-import", str(data["batch_id"]), "--json"]) == 0
    result = _json(capsys)
    assert result["removed"]["enterprise"] == 1
    assert main([*db, "undo-import", str(data["batch_id"])]) == 2
    assert main([*db, "undo-import", "999"]) == 2


def test_text_output_and_options(tmp_path, database, capsys, db_target):
    path = write_xlsx(tmp_path / "plain.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["甲有限公司", make_code(3)]]})
    assert main(["--db", str(db_target), "import", str(path), "--kind", "recognitions",
                 "--tier", "小巨人", "--batch", "第六批", "--year", "2024", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "认定名单" in out and "第六批" in out and "新增 小巨人 第六批" in out
    assert main(["--db", str(db_target), "import", str(path), "--tier", "不存在"]) == 2
    assert "未知的梯度层级" in capsys.readouterr().err


def test_refused_json(tmp_path, database, capsys, db_target):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert main(["--db", str(db_target), "import", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["refused"].startswith("“empty.csv”是空文件")


def test_undo_of_the_demo_batch(database, capsys, db_target):
    from tiers.services import demo

    with database.session() as session:
        list(demo.generate(session, enterprises=20))
    assert main(["--db", str(db_target), "undo-import", "1"]) == 0
    assert "企业 20" in capsys.readouterr().out
    counts = table_counts(database)
    assert counts["enterprise"] == counts["recognition"] == counts["annual_figures"] == 0


@pytest.mark.parametrize(("message", "hint_field", "printed"), [
    ("未能从标题、工作表名或文件名识别梯度层级（如 小巨人、省级专精特新），请指定。", "tier",
     "未能从标题、工作表名或文件名识别梯度层级（如 小巨人、省级专精特新），"
     "请指定（导入向导中的“梯度层级”，命令行用 --tier）。"),
    ("年度数据需要年度：表中没有“年度”列，标题和表头也没写年份，请指定。", "year",
     "年度数据需要年度：表中没有“年度”列，标题和表头也没写年份，"
     "请指定（导入向导中的“年度”，命令行用 --year）。"),
    ("表中有年度数据列（营业收入等），但未写明年度，这些列未导入；如需导入请指定年度", "year",
     "表中有年度数据列（营业收入等），但未写明年度，这些列未导入；"
     "如需导入请指定年度（导入向导中的“年度”，命令行用 --year）"),
    ("可能是：甲公司（913…）（未自动关联，请核对）", "link",
     "可能是：甲公司（913…）（未自动关联，请核对；如是同一家，可在预览中“指定关联”，命令行用 --link）"),
    ("C、D 列都对应“营业收入”：每行取其中第一个有值的列", "mapping",
     "C、D 列都对应“营业收入”：每行取其中第一个有值的列，如不对请在导入向导中改正列的对应"),
    ("库中有多家企业与此名称相同：甲（1）、乙（2），请补充信用代码", "code_or_link",
     "库中有多家企业与此名称相同：甲（1）、乙（2），请补充信用代码或在预览中指定关联"),
    ("缺少企业名称和统一社会信用代码，无法确定是哪家企业", "",
     "缺少企业名称和统一社会信用代码，无法确定是哪家企业"),
])
def test_the_cli_adds_its_hint_to_library_messages_as_they_always_read(
        message, hint_field, printed):
    """The library names what is missing (hint_field); the command line says where to give
    it, so its output reads byte for byte as before the messages left the library."""
    from ui.cli.import_report import hinted as _hinted

    assert _hinted(message, hint_field) == printed


def test_imports_says_who_undid_a_batch_and_when(database, capsys, db_target):
    """导入记录's 状态 (已撤销 time（who）) in ``tiers imports``, plain and --json: the plain
    list said only when, so a batch undone by a colleague read as if nobody had."""
    import datetime as dt

    from tiers.services import demo
    from tiers.text.counts import batch_state
    from tiers.text.values import local_moment

    with database.session() as session:
        list(demo.generate(session, enterprises=5))
    db = ["--db", str(db_target)]
    assert main([*db, "imports", "--json"]) == 0
    assert _json(capsys)[0]["state"] == "有效"
    assert main([*db, "undo-import", "1", "--user", "张三"]) == 0
    capsys.readouterr()
    assert main([*db, "imports", "--json"]) == 0
    batch = _json(capsys)[0]
    undone_at = dt.datetime.fromisoformat(batch["undone_at"])
    words = f"已撤销 {local_moment(undone_at):%Y-%m-%d %H:%M}（张三）"  # stored UTC, shown local
    assert (batch["undone_by"], batch["state"]) == ("张三", words)
    assert main([*db, "imports"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.endswith(f"  {words}"), line
    # the client's 导入记录 shows the same words (its 状态 column calls batch_state)
    assert batch_state({"undone_at": undone_at, "undone_by": "张三"}) == words
    assert batch_state({"undone_at": undone_at, "undone_by": ""}) == words.split("（")[0]
