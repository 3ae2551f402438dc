"""A 报送模板 holding what openpyxl cannot carry into the filled copy is said so in Chinese
when it is read, and filled without English on stderr; a Strict Open XML template is refused
in Chinese (the break campaign of #17: “UserWarning: Data Validation extension is not
supported and will be removed”, and “程序内部错误（KeyError）”)."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from importers.errors import ImportRefused
from importers.template import layout as template_layout
from importers.template.fill import fill_steps
from importers.template.losses import losses_text
from tests.importers import test_template_fill
from tests.importers.test_strict_open_xml import strict_xlsx
from tiers.progress import drain
from tiers.reports import ReportRequest
from ui.cli import main as cli

make_template = test_template_fill.make_template
firms = test_template_fill.firms  # the fixtures: seven firms, and the mapping memory kept
own_memory = test_template_fill.own_memory  # in tmp_path

# a dropdown of 县区 taken from the 填表说明 sheet, as Excel 2010 and WPS write it
X14_LIST = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
    'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation '
    'type="list" allowBlank="1"><x14:formula1><xm:f>填表说明!$A$2:$A$9</xm:f></x14:formula1>'
    '<xm:sqref>D4:D8</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')


def _with_dropdown(template):
    path = template.with_name("带下拉列表.xlsx")
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", X14_LIST.encode() + b"</worksheet>")
            target.writestr(info, data)
    return path


def test_a_dropdown_from_another_sheet_is_said_and_filled_without_english(session, firms,
                                                                         tmp_path):
    path = _with_dropdown(make_template(tmp_path / "模板.xlsx"))
    layout = template_layout.read_layout(path)
    assert layout.losses == ["引用其他工作表的下拉列表（数据有效性）"]
    assert losses_text(layout.losses) == (
        "注意：模板中的引用其他工作表的下拉列表（数据有效性）在填好的文件中不能保留（模板本身不变）；"
        "如需要，请在填好的文件中补上。")
    mapping = {c.index: c.suggested for c in layout.columns}
    # (warnings are errors here: openpyxl's English UserWarning failed the fill)
    drain(fill_steps(session, layout, mapping, tmp_path / "已填写.xlsx",
                     ReportRequest(today=dt.date(2026, 11, 21))))


def test_a_chart_is_said_and_a_plain_template_says_nothing(tmp_path):
    plain = make_template(tmp_path / "模板.xlsx")
    assert template_layout.read_layout(plain).losses == []
    book = openpyxl.load_workbook(plain)
    chart = BarChart()
    chart.add_data(Reference(book["报送表"], min_col=5, min_row=3, max_row=8))
    book["填表说明"].add_chart(chart, "C3")
    book.save(tmp_path / "带图表.xlsx")
    assert template_layout.read_layout(tmp_path / "带图表.xlsx").losses == ["图表"]


def test_a_strict_open_xml_template_is_refused_in_chinese(tmp_path):
    path = strict_xlsx(tmp_path / "严格.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称'
                                               '</t></is></c></row>')
    with pytest.raises(ImportRefused, match="Strict Open XML 电子表格"):
        template_layout.read_layout(path)


def test_the_command_line_says_it_and_nothing_in_english(new_target, tmp_path, capsys,
                                                        monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))
    path = _with_dropdown(make_template(tmp_path / "模板.xlsx"))
    db = str(new_target())
    assert cli.main(["--db", db, "demo", "--enterprises", "5"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", db, "fill-template", str(path), str(tmp_path / "已填写.xlsx")]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("注意：模板中的引用其他工作表的下拉列表")
    assert captured.err == ""
