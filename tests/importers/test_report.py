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
