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
