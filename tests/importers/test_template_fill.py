"""The province's own 报送模板 (#19): header found, columns mapped once and remembered,
rows filled in the template's formats with its title, merged cells, formulas and print
setup kept; the template itself never written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.styles import Border, Font, Side

from importers.errors import ImportRefused
from importers.template import layout as template_layout
from importers.template.fill import fill_steps
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.services import figures, recognitions

TODAY = dt.date(2026, 11, 21)
THIN = Side(style="thin")


def make_template(path, *, empty_rows=5):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报送表"
    sheet["A1"] = "2026年度专精特新企业培育情况报送表"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "填报单位（盖章）："
    headers = ["序号", "企业名称", "统一社会信用代码", "所在县区", "营业收入（万元）",
               "研发费用（万元）", "研发费用占比", "备注"]
    for column, text in enumerate(headers, start=1):
        sheet.cell(row=3, column=column, value=text).font = Font(bold=True)
    for row in range(4, 4 + empty_rows):
        sheet.cell(row=row, column=1, value=row - 3)
        for column in range(1, 9):
            sheet.cell(row=row, column=column).border = Border(left=THIN, right=THIN,
                                                               top=THIN, bottom=THIN)
        sheet.cell(row=row, column=6).number_format = "#,##0.00"
        sheet.cell(row=row, column=7, value=f"=IF(E{row}=0,\"\",F{row}/E{row})")
        sheet.row_dimensions[row].height = 20
    total = 4 + empty_rows
    sheet.cell(row=total, column=1, value="合计")
    sheet.merge_cells(start_row=total, start_column=1, end_row=total, end_column=4)
    sheet.cell(row=total, column=5, value=f"=SUM(E4:E{total - 1})")
    sheet.cell(row=total + 1, column=1, value="填报人：            联系电话：")
    sheet.merge_cells(start_row=total + 1, start_column=1, end_row=total + 1, end_column=8)
    sheet.row_dimensions[total + 1].height = 30
    sheet.print_area = f"A1:H{total + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "3:3"
    book.create_sheet("填表说明")["A1"] = "请于12月20日前报送"
    book.save(path)
    return path


@pytest.fixture
def firms(session, enterprise_factory):
    made = []
    for number in range(7):
        firm = enterprise_factory(f"常州模板{number}号科技有限公司")
        recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025,
                                            "recognized_on": dt.date(2025, 6, 1)})
        figures.set_year(session, firm.id, 2025, {"revenue": Decimal(1000 + number),
                                                  "rd_expense": Decimal(50)})
        made.append(firm)
    evil = enterprise_factory("常州公式测试有限公司")
    evil.name = "=HYPERLINK(\"http://x\",\"y\")公司"  # the service would clean it; older data may not
    recognitions.add(session, evil.id, {"tier_code": "创新型", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 6, 1)})
    session.flush()
    return made


@pytest.fixture(autouse=True)
def own_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))


def test_the_header_and_its_columns_are_found(tmp_path):
    layout = template_layout.read_layout(make_template(tmp_path / "模板.xlsx"))
    assert layout.sheet == "报送表" and layout.header_rows == (3,)
    assert layout.first_data_row == 4 and layout.footer_row == 9 and layout.empty_rows == 5
    suggested = {c.label: c.suggested for c in layout.columns}
    assert suggested["序号"] == "seq" and suggested["企业名称"] == "name"
    assert suggested["统一社会信用代码"] == "credit_code" and suggested["所在县区"] == "county"
    assert suggested["营业收入（万元）"] == "revenue"
    assert suggested["研发费用占比"] == "" and suggested["备注"] == ""


def test_filling_keeps_the_template_and_grows_its_total(session, firms, tmp_path):
    template = make_template(tmp_path / "模板.xlsx")
    before = template.read_bytes()
    layout = template_layout.read_layout(template)
    mapping = {c.index: c.suggested for c in layout.columns}
    mapping[5] = "rd_expense"  # 研发费用（万元）: the officer's choice
    target = tmp_path / "已填写.xlsx"
    request = ReportRequest(today=TODAY)
    assert drain(fill_steps(session, layout, mapping, target, request, year=2025)) == target
    assert template.read_bytes() == before  # the template itself is never written
    sheet = openpyxl.load_workbook(target)["报送表"]
    assert sheet["A1"].value == "2026年度专精特新企业培育情况报送表"
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    names = [sheet.cell(row=r, column=2).value for r in range(4, 12)]
    evil = names.index("=HYPERLINK(\"http://x\",\"y\")公司")
    assert sheet.cell(row=4 + evil, column=2).data_type == "s"  # a name is never a formula
    assert "常州模板6号科技有限公司" in names
    assert [sheet.cell(row=r, column=1).value for r in range(4, 12)] == list(range(1, 9))
    # 8 firms in 5 rows: the 合计 and the 填报人 line moved down by 3 with their merges
    assert sheet["A12"].value == "合计" and sheet["E12"].value == "=SUM(E4:E11)"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A12:D12", "A13:H13"} <= merged and "A9:D9" not in merged
    assert sheet.row_dimensions[13].height == 30
    assert sheet["G11"].value == "=IF(E11=0,\"\",F11/E11)"  # the computed column follows
    assert sheet["F11"].number_format == "#,##0.00" and sheet["A11"].border.left.style == "thin"
    assert sheet.print_area.endswith("$A$1:$H$13")
    revenue = [sheet.cell(row=r, column=5).value for r in range(4, 12)]
    assert sorted(v for v in revenue if v) == [1000 + n for n in range(7)]
    assert openpyxl.load_workbook(target)["填表说明"]["A1"].value == "请于12月20日前报送"


def test_fewer_firms_than_rows_leave_the_rest_blank(session, firms, tmp_path):
    layout = template_layout.read_layout(make_template(tmp_path / "模板.xlsx", empty_rows=12))
    mapping = {c.index: c.suggested for c in layout.columns}
    target = tmp_path / "已填写.xlsx"
    drain(fill_steps(session, layout, mapping, target, ReportRequest(today=TODAY)))
    sheet = openpyxl.load_workbook(target)["报送表"]
    assert [sheet.cell(row=r, column=1).value for r in range(4, 16)] == \
        [*range(1, 9), None, None, None, None]
    assert sheet["A16"].value == "合计" and sheet["E16"].value == "=SUM(E4:E15)"


def test_the_mapping_is_remembered_per_layout(tmp_path):
    layout = template_layout.read_layout(make_template(tmp_path / "模板.xlsx"))
    mapping = {c.index: c.suggested for c in layout.columns}
    mapping[5], mapping[7] = "rd_expense", "contact_person"
    template_layout.remember(layout, mapping)
    again = template_layout.read_layout(make_template(tmp_path / "明年的模板.xlsx"))
    assert {c.index: c.suggested for c in again.columns} == mapping


def test_refusals_are_chinese_and_write_nothing(session, firms, tmp_path):
    template = make_template(tmp_path / "模板.xlsx")
    layout = template_layout.read_layout(template)
    mapping = {c.index: c.suggested for c in layout.columns}
    with pytest.raises(ImportRefused, match="不能覆盖上级发来的模板"):
        drain(fill_steps(session, layout, mapping, template, ReportRequest(today=TODAY)))
    with pytest.raises(ImportRefused, match="没有任何一列"):
        drain(fill_steps(session, layout, {}, tmp_path / "x.xlsx", ReportRequest(today=TODAY)))
    blank = tmp_path / "空白.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(ImportRefused, match="找不到表头"):
        template_layout.read_layout(blank)
    fake = tmp_path / "不是表格.xlsx"
    fake.write_bytes(b"not a workbook at all")
    with pytest.raises(ImportRefused):
        template_layout.read_layout(fake)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == \
        ["不是表格.xlsx", "模板.xlsx", "空白.xlsx"]
