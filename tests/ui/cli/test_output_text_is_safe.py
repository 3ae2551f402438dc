"""What the command line writes for other programs and for the terminal: a CSV cell or a
report cell that begins like a formula stays text (OWASP's CSV escaping; Excel's quote
prefix), and no control, bidi or zero-width character of a name reaches either."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import text

from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.cli.main import main

FORMULA_NAMES = ['=HYPERLINK("http://x","点我")', "+1", "-2", "@SUM(A1)", "＝1+1",
                 "\t=1+1", "常州甲科技有限公司"]
HIDDEN_NAMES = {"常州\x07乙科技有限公司": "常州乙科技有限公司",
                "常州\x1b[31m丙科技\x1b[0m有限公司": "常州丙科技有限公司",
                "常州\u202e丁科技有限公司": "常州丁科技有限公司",
                "常州\u200b戊\u200c科\u200d技\u2060有限公司\ufeff": "常州戊科技有限公司"}
INVISIBLE = ["\x07", "\x1b", "\u202e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def make_db(new_target, code, names) -> str:
    path = new_target("cli.sqlite3")  # a file in tmp_path, or a server's database
    database = open_database(path)
    with database.session() as session:
        for serial, name in enumerate(names, start=1):
            firm = enterprises.create(session, {"credit_code": code(serial), "name": name,
                                                "county": "武进区", "town": "湖塘镇"})
            recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025})
    database.dispose()
    return str(path)


def run(capsys, db: str, *argv: str) -> str:
    status = main(["--db", db, *argv])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_csv_cells_that_begin_like_a_formula_are_quoted(tmp_path, new_target, code, capsys):
    db = make_db(new_target, code, FORMULA_NAMES)
    out = run(capsys, db, "enterprises", "--format", "csv")
    assert out.startswith('\ufeff"统一社会信用代码","企业名称"')  # every field quoted
    table = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    names = {row[1] for row in table[1:]}
    # (stored NFKC-folded: ＝ as =, the brackets full-width; the TAB dropped as white space)
    assert names == {'\'=HYPERLINK（"http://x","点我"）', "'+1", "'-2", "'@SUM（A1）", "'=1+1",
                     "常州甲科技有限公司"}
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in table for cell in row)


def test_a_report_has_no_formula_cell_whatever_its_texts(tmp_path, new_target, code, capsys):
    db = make_db(new_target, code, FORMULA_NAMES)
    target = tmp_path / "名单.xlsx"
    run(capsys, db, "export", "roster", str(target), "--title", "=1+1", "--unit", "@单位",
        "--by=-王丽", "--phone=+86", "--quiet")
    book = openpyxl.load_workbook(target)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    title = book.active["A1"]
    assert title.value == "=1+1" and title.quotePrefix  # editing it keeps it text
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert all(cell.quotePrefix for cell in texts if cell.value.startswith(("=", "+", "-", "@")))


def test_names_with_invisible_characters_print_and_export_without_them(tmp_path, new_target, code,
                                                                        capsys):
    db = make_db(new_target, code, HIDDEN_NAMES)
    out = run(capsys, db, "enterprises")
    assert all(name in out for name in HIDDEN_NAMES.values())
    assert not any(ch in out for ch in INVISIBLE)
    target = tmp_path / "名单.xlsx"
    run(capsys, db, "export", "roster", str(target), "--quiet")
    with zipfile.ZipFile(target) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                      if name.endswith(".xml"))
    assert "_x0007_" not in xml and "_x001B_" not in xml
    assert all(name in xml for name in HIDDEN_NAMES.values())
    assert not any(ch in xml for ch in INVISIBLE)


@pytest.mark.parametrize("stored", ["常州\x07乙科技有限公司", "常州\x1b[31m乙科技有限公司",
                                    "常州\u202e乙科技有限公司"])
def test_the_table_drops_invisible_characters_stored_before_names_were_cleaned(
        tmp_path, new_target, code, capsys, stored):
    db = make_db(new_target, code, ["常州乙科技有限公司"])
    database = open_database(db)
    with database.session() as session:  # as an older version may have stored it
        session.execute(text("UPDATE enterprise SET name = :name"), {"name": stored})
    database.dispose()
    out = run(capsys, db, "enterprises")
    assert "常州乙科技有限公司" in out
    assert not any(ch in out for ch in INVISIBLE)
