"""The import preview's table: near misses and the county in one line, problem colours
that tell errors from warnings, and a bad code shown as written."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from importers import detect, open_source
from tests.importers.helpers import write_xlsx
from tiers.services import enterprises
from ui.plan_table_model import PROBLEMS_COLUMN, PlanTableModel


def test_preview_shows_near_miss_suggestions_and_one_county_line(database, tmp_path, qtmodeltester,
                                                                 code):
    from importers import build_plan, detect, drain, open_source

    with database.session() as session:
        enterprises.create(session, {"credit_code": code(1), "name": "常州恒立液压有限公司",
                                     "county": "武进区"})
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["第五批专精特新“小巨人”企业名单"])
    sheet.append(["企业名称", "统一社会信用代码", "县区"])
    sheet.append(["江苏恒立液压股份有限公司", None, None])
    book.save(path)
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path))))
    model = PlanTableModel(plan)
    qtmodeltester.check(model)
    assert model.headerData(7, Qt.Horizontal) == "可能是"
    assert "常州恒立液压有限公司" in model.data(model.index(0, 7))
    assert "可能是：常州恒立液压有限公司" in model.data(model.index(0, 2), Qt.ToolTipRole)


def test_problem_colour_tells_errors_from_warnings(database, tmp_path, code):
    from PySide6.QtCore import Qt as QtNamespace

    from importers import build_plan, detect, drain, open_source

    path = tmp_path / "名录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码", "企业规模"])
    sheet.append(["常州甲科技有限公司", code(5), "巨型"])  # new, its size unknown: a warning
    sheet.append(["常州乙科技有限公司", code(6)[:-1] + ("0" if code(6)[-1] != "0" else "1"), "小型"])
    book.save(path)
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path))))
    model = PlanTableModel(plan)
    colours = {model.data(model.index(r, 1)): model.data(model.index(r, PROBLEMS_COLUMN),
                                                          QtNamespace.ForegroundRole).color().name()
               for r in range(model.rowCount())}
    assert colours["错误"] == "#b00020" and colours["新增"] == "#8a5a00"


def test_an_error_rows_code_is_shown_as_written(database, tmp_path):
    """The preview's code column of a row whose code is not valid shows what the cell holds
    (it was blank, the bad value only inside the problem text)."""
    from importers import build_plan, drain
    from ui.plan_table_model import PlanTableModel

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["甲科技有限公司", "91320412abc"]]})
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path)).with_options(kind="roster")))
    model = PlanTableModel(plan)
    assert model.data(model.index(0, 3)) == "91320412abc"
    assert model.data(model.index(0, 1)) == "错误"


def test_preview_sorts_row_numbers_as_numbers_and_names_by_pinyin(database, tmp_path,
                                                                  qtmodeltester, code):
    from importers import build_plan, drain

    names = ["东方机械有限公司", "阿里科技有限公司", "的卢科技有限公司"] + [
        f"常州{n}号有限公司" for n in range(9)]
    path = write_xlsx(tmp_path / "名录.xlsx", {"名单": [
        ["企业名称", "统一社会信用代码", "县区"],
        *[[name, code(500 + n), "武进区"] for n, name in enumerate(names)]]})
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path))))
    model = PlanTableModel(plan)
    model.sort(0, Qt.DescendingOrder)
    assert [model.data(model.index(r, 0)) for r in range(3)] == ["13", "12", "11"]
    model.sort(2, Qt.AscendingOrder)
    shown = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert shown[:1] == ["阿里科技有限公司"]
    assert shown.index("的卢科技有限公司") < shown.index("东方机械有限公司")
    qtmodeltester.check(model)
