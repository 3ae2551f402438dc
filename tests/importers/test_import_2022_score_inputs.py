"""The 2022 13-indicator score's own inputs arrive by import under the headers the provincial
forms use, and a value out of its range is a problem that names its row and column (issue #17)."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, write_xlsx
from tiers.model.orm import AnnualFigures

HEADER = ["企业名称", "统一社会信用代码", "年度", "营业收入（万元）", "高价值Ⅰ类知识产权",
          "自主研发Ⅰ类知识产权", "市级研发机构", "市级以下研发机构", "数字化水平",
          "质量管理水平", "主导产品领域档次", "特色化得分"]


def test_score_inputs_import_as_annual_figures(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "2025年度评价数据.xlsx", {"Sheet1": [
        HEADER, ["甲科技有限公司", make_code(1), 2025, 5200, 1, 2, 1, 0, 3, 2, 1, 12]]})
    plan, batch_id = import_file(database, path)
    assert plan.kind == "figures" and batch_id is not None
    with database.session() as session:
        row = session.scalars(select(AnnualFigures)).one()
    assert (row.ip_class1_high_value, row.ip_class1_own) == (1, 2)
    assert (row.municipal_rd_centers, row.lower_rd_centers) == (1, 0)
    assert (row.digital_level, row.quality_items, row.lead_field_class) == (3, 2, 1)
    assert row.distinctive_score == 12


def test_a_level_out_of_range_is_refused_where_it_is(database, tmp_path):
    add_enterprise(database, "乙科技有限公司", 2)
    path = write_xlsx(tmp_path / "2025年度评价数据.xlsx", {"Sheet1": [
        HEADER, ["乙科技有限公司", make_code(2), 2025, 5200, 1, 2, 1, 0, 6, 2, 1, 12]]})
    plan, _ = import_file(database, path)
    problems = [p for p in plan.all_problems() if "数字化水平等级" in p.message]
    assert problems and (problems[0].row, problems[0].column) == (2, "I")
    assert "不能大于 4" in problems[0].message
    with database.session() as session:  # the row is not imported, nothing is guessed
        assert session.scalars(select(AnnualFigures)).first() is None
