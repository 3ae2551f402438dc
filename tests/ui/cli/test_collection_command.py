"""``tiers export collection`` and ``tiers import FILE FILE …`` (#17): the 采集表 sent out
per firm and the filled files imported in one command."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from sqlalchemy import select

from tiers.model.orm import AnnualFigures
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli import main as cli


def make_database(new_target, code):
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        for serial, (name, town) in enumerate((("常州恒立液压科技有限公司", "湖塘镇"),
                                               ("常州创新电子有限公司", "牛塘镇")), start=1):
            enterprises.create(session, {"credit_code": code(serial), "name": name,
                                         "county": "武进区", "town": town})
    database.dispose()
    return path


def test_export_per_firm_then_import_the_filled_files_at_once(new_target, code, tmp_path,
                                                             capsys):
    db = str(make_database(new_target, code))
    folder = tmp_path / "采集表"
    assert cli.main(["--db", db, "export", "collection", str(folder), "--year", "2025",
                     "--county", "武进区", "--per", "firm", "--deadline", "2026-03-31",
                     "--return-to", "wjgxj@example.cn"]) == 0
    assert "已导出 2 份采集表" in capsys.readouterr().out
    files = sorted(folder.iterdir())
    for number, path in enumerate(files, start=1):
        book = openpyxl.load_workbook(path)
        book["采集表"]["F5"] = 1000 * number  # 营业收入
        book.save(path)
    assert cli.main(["--db", db, "import", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "第 2/2 个文件" in out and "Tiers 采集表（2025 年度）" in out
    database = open_database(db)
    with database.session() as session:
        revenues = sorted(session.scalars(select(AnnualFigures.revenue)
                                          .where(AnnualFigures.year == 2025)))
    database.dispose()
    assert revenues == [Decimal(1000), Decimal(2000)]


def test_one_refused_file_does_not_stop_the_others(new_target, code, tmp_path, capsys):
    db = str(make_database(new_target, code))
    out = tmp_path / "全部.xlsx"
    assert cli.main(["--db", db, "export", "collection", str(out), "--year", "2025"]) == 0
    book = openpyxl.load_workbook(out)
    book["采集表"]["F6"] = 5
    book.save(out)
    empty = tmp_path / "空.csv"
    empty.write_text("", encoding="utf-8")
    assert cli.main(["--db", db, "import", str(empty), str(out)]) == 2
    captured = capsys.readouterr()
    assert "未导入“" in captured.err and "已导入，批次" in captured.out


def test_options_of_the_collection_only(new_target, code, tmp_path, capsys):
    db = str(make_database(new_target, code))
    assert cli.main(["--db", db, "export", "roster", str(tmp_path / "r.xlsx"),
                     "--per", "firm"]) == 2
    assert "只用于采集表" in capsys.readouterr().err
    assert cli.main(["--db", db, "export", "collection", str(tmp_path / "c.xlsx"),
                     "--status", "有效"]) == 2
    assert "采集表不支持 --status" in capsys.readouterr().err
    assert cli.main(["--db", db, "import", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"),
                     "--sheet", "x"]) != 0
    assert "只能用于一个文件" in capsys.readouterr().err
    assert cli.main(["export", "--list"]) == 0
    assert "collection  企业数据采集表" in capsys.readouterr().out


def _titles(path) -> tuple[str, str]:
    book = openpyxl.load_workbook(path)
    found = [cell.value for sheet in ("采集表", "填表说明") for row in book[sheet].iter_rows(
        max_row=3) for cell in row if isinstance(cell.value, str) and "年度企业数据采集表" in cell.value]
    return found[0], found[-1]


def test_without_a_county_the_title_names_the_units_counties(new_target, code, tmp_path,
                                                             capsys):
    """As the roster's (tiers.reports.common.area_prefix): without --county the 采集表 is
    titled after 本单位负责的区县 (tiers unit), or the area of the database's firms when none
    is recorded, not left without an area; --county still names the county asked for."""
    db = str(make_database(new_target, code))
    database = open_database(db)
    with database.session() as session:  # a firm of another of the city's counties
        enterprises.create(session, {"credit_code": code(3), "name": "常州新北电子有限公司",
                                     "county": "新北区", "town": "薛家镇"})
    database.dispose()
    out = tmp_path / "采集表.xlsx"
    assert cli.main(["--db", db, "export", "collection", str(out), "--year", "2025"]) == 0
    assert _titles(out) == ("常州市2025年度企业数据采集表", "常州市2025年度企业数据采集表 填表说明")
    assert cli.main(["--db", db, "unit", "--set", "武进区"]) == 0
    assert cli.main(["--db", db, "export", "collection", str(out), "--year", "2025"]) == 0
    assert _titles(out) == ("武进区2025年度企业数据采集表", "武进区2025年度企业数据采集表 填表说明")
    assert cli.main(["--db", db, "export", "collection", str(out), "--year", "2025",
                     "--county", "新北区"]) == 0
    assert _titles(out)[0] == "新北区2025年度企业数据采集表"
    capsys.readouterr()
