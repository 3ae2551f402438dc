"""The workbook of problem rows sent back to whoever filled the sheet."""

from __future__ import annotations

from tests.conftest import make_code
from tests.importers.helpers import plan_file, write_xlsx


def test_the_problem_workbook_prints_readably(database, tmp_path):
    """Each problem on its own line in a row tall enough for it (LibreOffice and WPS do not
    grow rows by themselves), landscape, one page wide, the header on every page."""
    import openpyxl

    from importers.report import write_error_report

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "成立日期"],
        ["甲科技有限公司", "ABC123", "2007-02-30"],
        ["乙科技有限公司", make_code(14), "2015-03-08"],
    ]})
    plan = plan_file(database, path, kind="roster")
    out = tmp_path / "问题行.xlsx"
    assert write_error_report(plan, out) == 1
    sheet = openpyxl.load_workbook(out).active
    problem = sheet.cell(row=2, column=5).value
    assert problem.count("\n") == 1 and "C列" in problem and "B列" in problem
    assert sheet.row_dimensions[2].height >= 2 * 15
    assert sheet.page_setup.orientation == "landscape"
    setup = sheet.page_setup  # fitToWidth left out means 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0
    assert sheet.print_title_rows in ("1:1", "$1:$1")


def test_the_rows_to_note_are_those_with_problems_or_not_imported():
    """The 完成 page lists them (the rule in importers, the page only shows it): a row with
    a warning is imported yet noted; a row left out is noted even without a problem."""
    from types import SimpleNamespace

    from importers import PlanRow
    from importers.errors import Problem
    from importers.plan import OTHER_UNIT, OUTSIDE
    from importers.report import NOT_IMPORTED, rows_to_note

    warned = PlanRow(row=2, action="update", problems=[Problem("S", 2, "C", "", "提示",
                                                               "warning")])
    rows = [PlanRow(row=1, action="update"), warned, PlanRow(row=3, action="unmatched"),
            PlanRow(row=4, action="create"), PlanRow(row=5, action=OUTSIDE),
            PlanRow(row=6, action=OTHER_UNIT), PlanRow(row=7, action="error")]
    assert [row.row for row in rows_to_note(SimpleNamespace(rows=rows))] == [2, 3, 5, 6, 7]
    assert {"create", "update", "unchanged"}.isdisjoint(NOT_IMPORTED)
