"""The command line speaks Chinese: the batch list and undo name kinds and records in
Chinese, integer options are checked in Chinese, a folder is said to be a folder."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from ui.cli.main import main


def test_undo_and_batch_list_speak_chinese(database, tmp_path, capsys, db_target):
    db = ["--db", str(db_target)]
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
    ]})
    assert main([*db, "import", str(path)]) == 0
    with database.session() as session:
        from tiers.model.orm import ImportBatch
        session.add(ImportBatch(file_name="演示数据", sha256="demo", sheet="", kind="demo",
                                mapping="{}", counts="{}"))
    capsys.readouterr()
    assert main([*db, "imports"]) == 0
    listing = capsys.readouterr().out
    assert "认定名单" in listing and "演示数据" in listing
    assert "recognitions" not in listing and "demo" not in listing and "[]" not in listing
    assert main([*db, "undo-import", "1"]) == 0
    out = capsys.readouterr().out
    assert "删除 认定 1，企业 1" in out and "recognition" not in out


@pytest.mark.parametrize("argv,message", [
    (["undo-import", "abc"], "批次编号应为"),
    (["import", "x.xlsx", "--year", "二〇二四"], "年度（--year）应为"),
])
def test_integer_options_are_checked_in_chinese(database, argv, message, capsys, db_target):
    assert main(["--db", str(db_target), *argv]) != 0
    err = capsys.readouterr().err
    assert message in err and "invalid" not in err


def test_importing_a_folder_says_it_is_a_folder(database, tmp_path, capsys, db_target):
    folder = tmp_path / "名单"
    folder.mkdir()
    assert main(["--db", str(db_target), "import", str(folder)]) == 2
    assert "是一个文件夹" in capsys.readouterr().err
