"""``tiers bulk --codes 文件``: the codes file as Notepad, Excel and WPS save it (the break
campaign of #17). A GBK file (Notepad's ANSI on a Chinese Windows, a name beside each code)
ended in "程序内部错误（UnicodeDecodeError）"; Excel's “Unicode 文本” (UTF-16, tab-separated)
read each line whole as a code."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_code
from tiers.services import enterprises
from ui.cli.main import main


@pytest.mark.parametrize(("encoding", "separator"), [("gbk", ","), ("utf-16", "\t"),
                                                     ("utf-8-sig", ","), ("utf-8", ";")])
def test_a_codes_file_saved_by_any_of_them_is_read(database, db_target, tmp_path, capsys,
                                                   encoding, separator):
    with database.session() as session:
        for serial in (1, 2):
            enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                         "name": f"常州命令{serial}有限公司"})
    codes = tmp_path / "代码.txt"
    codes.write_bytes("".join(f"{make_code(serial)}{separator}常州命令{serial}有限公司\r\n"
                              for serial in (1, 2)).encode(encoding))
    assert main(["--db", str(db_target), "bulk", "trash", "--codes", str(codes), "--dry-run",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 2


def test_a_codes_file_of_no_known_encoding_is_refused_in_chinese(database, db_target,
                                                                  tmp_path, capsys):
    codes = tmp_path / "代码.txt"
    codes.write_bytes(b"\x81\x20\xff\xfe\x00")
    assert main(["--db", str(db_target), "bulk", "trash", "--codes", str(codes)]) != 0
    err = capsys.readouterr().err
    assert "无法识别代码文件" in err and "文字编码" in err and "Decode" not in err


def test_quoted_cells_are_read_as_an_imported_csv_is(database, db_target, tmp_path, capsys):
    """Excel and WPS quote a cell holding the separator, and many programs every cell: the
    file is read by the importers' text reader, so "代码" is the code, not "\"代码\""."""
    with database.session() as session:
        for serial in (1, 2):
            enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                         "name": f"常州命令{serial}有限公司"})
    codes = tmp_path / "代码.csv"
    codes.write_text("".join(f'"{make_code(serial)}","常州命令{serial}有限公司,武进区"\r\n'
                             for serial in (1, 2)), encoding="utf-8-sig")
    assert main(["--db", str(db_target), "bulk", "trash", "--codes", str(codes), "--dry-run",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 2
