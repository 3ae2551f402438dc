"""A workbook whose formulas hold no saved value (written by a program that does not
calculate: openpyxl, Apache POI behind many web systems) is refused, naming the cells as
Excel shows them, and nothing is written. The break campaign of #16 found such a year
(=2000+25) imported as no year, and such a credit code read as an empty cell.

A formula with its value saved (as Excel, WPS and XlsxWriter save it) is read as that value,
and a 报送模板 whose empty rows hold such formulas is still read for its layout."""

from __future__ import annotations

import openpyxl
import pytest

from importers import ImportRefused
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, plan_file, table_counts, write_xlsx

HEADER = ["企业名称", "统一社会信用代码", "县（市、区）", "认定年度"]


def test_formulas_without_their_values_are_refused_by_cell(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(HEADER)
    sheet.append(["常州甲机械有限公司", make_code(1), "武进区", "=2000+25"])
    sheet.append(["=A2", f'="{make_code(1)}"', "武进区", 2025])
    book.save(tmp_path / "名单.xlsx")
    before = table_counts(database)
    with pytest.raises(ImportRefused) as refused:
        plan_file(database, tmp_path / "名单.xlsx", kind="recognitions", tier="创新型中小企业")
    assert str(refused.value).startswith(
        "工作表“名单”的 D2（=2000+25）、A3（=A2）、B3（=\"")
    assert "请用 Excel 或 WPS 打开该文件，保存后再导入" in str(refused.value)
    assert table_counts(database) == before


def test_formulas_with_their_values_are_read_as_the_values(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [HEADER, ["常州甲机械有限公司", make_code(1),
                                                                "武进区", None]]},
                      formulas={"S": [("D2", "=2000+25", 2025), ("E1", '=IF(1,"","")', "")]})
    plan = plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    assert [[record.values.get("batch_year") for record in row.records]
            for row in plan.rows] == [[2025]]


def _rewritten(path, old: bytes, new: bytes):
    """The workbook with its first sheet's XML edited (as another program writes it)."""
    import zipfile

    copy = path.with_name(f"{path.stem}+.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(info, data)
    return copy


def _openpyxl_roster(tmp_path, year_cell: str):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(HEADER)
    sheet.append(["常州甲机械有限公司", make_code(1), "武进区", year_cell])
    book.save(tmp_path / "名单.xlsx")
    return tmp_path / "名单.xlsx"


def test_an_empty_saved_value_of_a_number_is_no_value(database, tmp_path):
    """openpyxl with lxml installed writes <v></v> after the formula (review): read, the
    cell is empty, so it is refused like <v/>; in a cell of type t="str" (Excel's empty
    text result) it is a value, and read."""
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = _openpyxl_roster(tmp_path, "=2000+25")
    formula = b"<f>2000+25</f>"
    lxml_style = _rewritten(path, formula + b"<v />", formula + b"<v></v>")
    with pytest.raises(ImportRefused, match="D2（=2000\\+25）"):
        plan_file(database, lxml_style, kind="recognitions", tier="创新型中小企业")
    text_result = _rewritten(lxml_style, b'<c r="D2"', b'<c r="D2" t="str"')
    plan_file(database, text_result, kind="recognitions", tier="创新型中小企业")


def test_a_title_formula_above_the_header_is_no_reason_to_refuse(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(['="2025年度"&"创新型中小企业名单"'])
    sheet.append(HEADER)
    sheet.append(["常州甲机械有限公司", make_code(1), "武进区", 2025])
    book.save(tmp_path / "名单.xlsx")
    plan = plan_file(database, tmp_path / "名单.xlsx", kind="recognitions",
                     tier="创新型中小企业")
    assert [[record.values.get("batch_year") for record in row.records]
            for row in plan.rows] == [[2025]]
    sheet.append(["常州乙机械有限公司", make_code(2), "武进区", '=IF(1>0,2025,"")'])
    book.save(tmp_path / "名单.xlsx")
    with pytest.raises(ImportRefused) as refused:  # the formula as written, not as XML
        plan_file(database, tmp_path / "名单.xlsx", kind="recognitions",
                  tier="创新型中小企业")
    assert 'D4（=IF(1>0,2025,"")）' in str(refused.value)
