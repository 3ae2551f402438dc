"""``tiers import`` on a file with several lists (填报说明, 第五批, 第六批) names the lists it did
not take and how to import them (it once took 第五批 without a word about 第六批)."""

from __future__ import annotations

import json

import xlsxwriter

from importers.read import sources
from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from ui.cli.main import main

HINT = "文件中还有其他名单工作表"


def _list(first: int, title: str) -> list[list[object]]:
    return [[title], ["企业名称", "统一社会信用代码"],
            [f"甲{first}有限公司", make_code(first)], [f"乙{first}有限公司", make_code(first + 1)]]


def _multi_sheet(tmp_path):
    return write_xlsx(tmp_path / "multi_sheet.xlsx", {
        "填报说明": [["填报说明：请如实填写"], ["企业名称", "统一社会信用代码"], ["示例有限公司", "……"]],
        "第五批": _list(1, "第五批专精特新“小巨人”企业名单"),
        "第六批": _list(11, "第六批专精特新“小巨人”企业名单"),
        "汇总": [["说明文字"], ["甲", "乙"]],  # no recognisable header
        "第七批 复核": [["企业名称", "统一社会信用代码"]],  # a header, but no data rows
    })


def _run(target, *args):
    return main(["--db", str(target), "import", *map(str, args)])


def test_text_output_names_the_other_list_and_how_to_import_it(tmp_path, db_target, capsys):
    path = _multi_sheet(tmp_path)
    assert _run(db_target, path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "工作表：第五批" in out
    lines = [line for line in out.splitlines() if HINT in line]
    assert lines == ["文件中还有其他名单工作表：第六批（用 --sheet 第六批 导入）"]


def test_the_named_option_imports_that_sheet(tmp_path, db_target, capsys):
    path = _multi_sheet(tmp_path)
    assert _run(db_target, path, "--sheet", "第六批", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "工作表：第六批" in out and "甲11有限公司" in out
    assert HINT not in out  # the user chose the sheet: nothing to point out


def test_json_keeps_its_keys_and_says_it_on_stderr(tmp_path, db_target, capsys):
    path = _multi_sheet(tmp_path)
    assert _run(db_target, path, "--dry-run", "--json") == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    # a recognition list also says what it was taken as, and who a final list left out
    assert list(data) == ["file", "sheet", "kind", "rows", "created", "updated", "unchanged",
                          "unmatched", "errors", "outside", "other_unit", "batch_id", "fill_blanks_only",
                          "overwrites",
                          "problems", "short_names", "taken_as", "not_in_final_list"]
    assert data["sheet"] == "第五批"
    assert "第六批（用 --sheet 第六批 导入）" in captured.err


def test_single_list_hidden_sheet_and_quoted_names(tmp_path, db_target, capsys):
    alone = write_xlsx(tmp_path / "alone.xlsx", {"名单": _list(1, "第五批名单")})
    assert _run(db_target, alone, "--dry-run") == 0
    assert HINT not in capsys.readouterr().out

    path = tmp_path / "hidden.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows, hidden in (("第五批", _list(1, "第五批"), False),
                               ("旧名单", _list(21, "第四批"), True),
                               ("第六批 (补充)", _list(11, "第六批"), False)):
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, str(value))
        if hidden:
            sheet.hide()
    workbook.close()
    assert _run(db_target, path, "--dry-run") == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if HINT in line]
    assert lines == ['文件中还有其他名单工作表：第六批 (补充)（用 --sheet "第六批 (补充)" 导入）']


def test_thirty_sheets_are_read_once_each(tmp_path, db_target, capsys, monkeypatch):
    path = write_xlsx(tmp_path / "many.xlsx", {
        f"第{n}批": _list(100 + 10 * n, f"第{n}批名单") for n in range(1, 31)})
    reads = []
    original = sources.fill_merged
    monkeypatch.setattr(sources, "fill_merged", lambda rows, merged: (reads.append(1),
                                                                      original(rows, merged)))
    assert _run(db_target, path, "--dry-run") == 0
    assert len(reads) == 30  # detect() read each sheet; naming the others read none again
    line = next(line for line in capsys.readouterr().out.splitlines() if HINT in line)
    assert line.count("--sheet") == 29
