"""How the reports print: rows as tall as their text needs and no taller, the same for
neighbours that hold the same kind of text, and a 拟推荐企业名单 that fits more than a
handful of firms on an A4 page (the officer's walk found 5 a page, 扶持 and 产业链 rows of
uneven height). Read back with openpyxl (row heights) and python-calamine (values)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import TODAY, make_code
from tiers import assess, reports
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.reports import candidates as candidates_report
from tiers.reports.cells import LINE_HEIGHT
from tiers.services import demo

# a data row of one line: given its height like any other (left to the program, it printed
# cramped in LibreOffice under rows of two lines: tester26)
ONE_LINE = LINE_HEIGHT + 3


@pytest.fixture
def demo_county(session):
    for _ in demo.generate(session, enterprises=300, today=TODAY):
        pass
    session.flush()
    return session


def export(session, tmp_path: Path, name: str, **filters) -> Path:
    target = tmp_path / f"{name}.xlsx"
    drain(reports.export_steps(session, name, target, ReportRequest(**filters, today=TODAY)))
    return target


def data_rows(sheet) -> list[int]:
    """Sheet row numbers (1-based) of the numbered rows: 序号 in column A."""
    return [cell.row for cell in sheet["A"] if isinstance(cell.value, int)]


def test_support_rows_are_one_line_each(demo_county, tmp_path):
    # the demo's kinds (智改数转诊断服务) and projects (2021年度智改数转诊断服务) are the
    # longest of their columns: they were estimated at two lines where they fit one
    sheet = openpyxl.load_workbook(export(demo_county, tmp_path, "support")).active
    rows = data_rows(sheet)
    assert len(rows) > 50
    tall = {row: sheet.row_dimensions[row].height for row in rows
            if sheet.row_dimensions[row].height != ONE_LINE}
    assert tall == {}


def test_chain_rows_grow_only_for_a_second_leader(demo_county, tmp_path):
    sheet = openpyxl.load_workbook(export(demo_county, tmp_path, "chains")).active
    leaders_column = sheet.max_column
    assert "链主企业" in {sheet.cell(row, leaders_column).value for row in (4, 5)}
    rows = data_rows(sheet)
    assert rows
    seen_two = False
    for row in rows:
        leaders = sheet.cell(row, leaders_column).value or ""
        lines = leaders.count("\n") + 1
        height = sheet.row_dimensions[row].height
        if lines == 1:  # a long cluster name (汽车及零部件（含新能源汽车）集群) fits too
            assert height == ONE_LINE, (row, sheet.cell(row, 2).value, leaders)
        else:
            seen_two = True
            assert "、" not in leaders and height == lines * LINE_HEIGHT + 3
    assert seen_two, "the demo has a chain with two 链主"


def test_candidates_list_prints_many_firms_a_page_and_keeps_the_conditions(demo_county,
                                                                           tmp_path):
    path = export(demo_county, tmp_path, "candidates", tier="省级专精特新")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["拟推荐企业名单", candidates_report.MET_SHEET]
    listing, details = book.worksheets
    rows = data_rows(listing)
    assert len(rows) > 10
    # most rows are at most four lines tall (the met text made every row nine and more);
    # a long 差距 still wraps as far as it needs
    heights = sorted(listing.row_dimensions[row].height or LINE_HEIGHT for row in rows)
    assert heights[len(heights) // 2] <= 4 * LINE_HEIGHT + 3
    assert listing.print_title_rows  # header rows repeat on every page
    assert details.print_title_rows and details.page_setup.orientation == "landscape"

    want = assess.candidates_report_rows(demo_county, "省级专精特新", today=TODAY)
    values = CalamineWorkbook.from_path(str(path))
    listed = [row for row in values.get_sheet_by_index(0).to_python()
              if isinstance(row[0], float)]
    appendix = [row for row in values.get_sheet_by_index(1).to_python()
                if isinstance(row[0], float)]
    met = [key for key, _ in assess.CANDIDATE_REPORT_COLUMNS].index("met")
    assert len(listed) == len(appendix) == len(want)
    for shown, full, row in zip(listed, appendix, want, strict=True):
        assert shown[3] == full[1] == row["name"]
        assert full[0] == shown[0] == row["seq"]
        # the whole text, on the appendix (broken where a bracket would start a line)
        assert full[3].replace("\n", "") == row["met"]
        # the demo's rule sets have no ； inside a condition's title
        assert shown[met] == f"{len(row['met'].split('；'))} 项"
    subtitle = values.get_sheet_by_index(0).to_python()[1][0]
    assert "已满足的各项条件见“已满足条件明细”表" in subtitle


def test_roster_rows_are_each_given_the_height_their_text_needs(session, tmp_path):
    """The roster printed through LibreOffice had rows left to the program's default,
    squeezed against the borders, beside rows estimated a line too tall (tester26). Since
    the 名单 wraps its long texts to print readable on A4 (tester29), a tier's name
    (省级专精特新中小企业) and a name past 10 characters take two lines, and the longest
    name three: no row is left out or given a line more than its text needs."""
    from tiers.services import enterprises, recognitions

    names = ["常州市金坛区宏宇机械股份有限公司", "溧阳市远峰机械科技有限公司",
             "常州市金坛区新锋纺织机械科技股份有限公司有限公司分公司"]
    for serial, name in enumerate(names, start=1):
        firm = enterprises.create(session, {"credit_code": make_code(serial, "320413"),
                                            "name": name, "county_code": "320413"})
        recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                            "batch_year": 2025})
    session.flush()
    sheet = openpyxl.load_workbook(export(session, tmp_path, "roster")).active
    heights = {sheet.cell(row, 4).value: sheet.row_dimensions[row].height
               for row in data_rows(sheet)}
    assert heights == {names[0]: 2 * LINE_HEIGHT + 3, names[1]: 2 * LINE_HEIGHT + 3,
                       names[2]: 3 * LINE_HEIGHT + 3}


SIGNED = {"unit": "常州市武进区工业和信息化局", "filled_by": "张敏", "phone": "0519-86310000"}


def _span_width(sheet, cell) -> float:
    """The width (Excel character units) a cell's text has to print in: its merged range's
    columns, or its own column."""
    first, last = cell.column, cell.column
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            first, last = merged.min_col, merged.max_col
    widths = {}
    for dimension in sheet.column_dimensions.values():  # (a range of equal widths: one)
        for col in range(dimension.min, dimension.max + 1):
            widths[col] = dimension.width
    return sum(widths.get(col, 8.43) for col in range(first, last + 1))


@pytest.mark.parametrize("name", [d.name for d in reports.REPORTS])
def test_the_signature_lines_print_whole_on_every_sheet(demo_county, tmp_path, name):
    """填报人：张敏 was cut to 填报人： on the 已满足条件明细 sheet: a third of its four
    columns was the 序号 column alone (tester29). Each 落款 text has room for itself (11
    points: a tenth wider than the body's measure) on every sheet of every report."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.reports.cells import display_width

    codes = demo_county.scalars(select(Enterprise.credit_code).order_by(Enterprise.id)
                                .limit(2)).all()
    filters = {"profile": {"code": ",".join(codes)},
               "candidates": {"tier": "省级专精特新"}}.get(name, {})
    book = openpyxl.load_workbook(export(demo_county, tmp_path, name, **SIGNED, **filters))
    assert len(book.worksheets) == (2 if name in ("profile", "candidates") else 1)
    for sheet in book.worksheets:
        cells = [cell for row in sheet.iter_rows(min_row=max(1, sheet.max_row - 3))
                 for cell in row if any(start in str(cell.value or "") for start in
                                        ("填报人：", "联系电话：", "填报日期："))]
        said = "".join(cell.value for cell in cells)
        assert "填报人：张敏" in said and "联系电话：0519-86310000" in said, sheet.title
        assert "填报日期：" in said, sheet.title
        for cell in cells:  # (texts may share a cell where the columns are few)
            needed = display_width(cell.value) * 1.1 + 1
            assert _span_width(sheet, cell) >= needed, (sheet.title, cell.value)


def _print_scale(sheet) -> float:
    """The scale a program prints a sheet fitted to one A4 page's width at: the page's
    printable width over the table's, a column of width w being 7w + 5 pixels at 96 dpi
    (Excel's measure with the default font; the body's 10 points print at 10 × scale)."""
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    margins = sheet.page_margins
    printable = (11.69 - margins.left - margins.right) * 72
    widths = {}
    for dimension in sheet.column_dimensions.values():  # (a range of equal widths: one)
        for col in range(dimension.min, dimension.max + 1):
            widths[col] = dimension.width
    table = sum((widths[col] * 7 + 5) * 0.75 for col in range(1, sheet.max_column + 1))
    return min(1.0, printable / table)


def test_the_roster_prints_readable_on_a4(demo_county, tmp_path):
    """The 名单's 16 columns fitted to an A4 page's width printed its body at about 6
    points (tester29): the long texts (名称, 梯度层级, 文号, 产业链, 主导产品) wrap in
    narrower columns and the side margins are smaller, so it prints at 8 points or more;
    rows run to more pages (fitted to the width only)."""
    sheet = openpyxl.load_workbook(export(demo_county, tmp_path, "roster",
                                          status="全部")).active
    assert len(data_rows(sheet)) > 200
    assert _print_scale(sheet) >= 0.8
    assert int(sheet.page_setup.fitToWidth or 1) == 1 and int(sheet.page_setup.fitToHeight) == 0
