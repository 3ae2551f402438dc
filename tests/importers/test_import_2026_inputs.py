"""The 2026 办法's inputs arrive by import under the headers rosters use, and a 科技型中小企业
list keeps its 入库编号 as the recognition's number (issue #17)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, undo, write_xlsx
from tiers.model.orm import AnnualFigures, Recognition


def test_new_inputs_import_as_annual_figures_and_undo(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "2025年度数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "年度", "营业收入（万元）", "专精特新发展评价得分",
         "国内细分市场排名", "主导产品收入占比（%）", "国家级研发机构", "省级研发机构",
         "国家级科技奖励排名", "省部级科技奖励排名", "合格机构实缴股权投资（万元）"],
        ["甲科技有限公司", make_code(1), 2025, 5200, 72.5, 2, 61.5, 0, 1, None, 3, 800],
    ]})
    plan, batch_id = import_file(database, path)
    assert plan.kind == "figures" and batch_id is not None
    with database.session() as session:
        row = session.scalars(select(AnnualFigures)).one()
    assert row.year == 2025 and row.revenue == Decimal(5200)
    assert row.development_score == Decimal("72.5") and row.domestic_rank == 2
    assert row.lead_product_ratio == Decimal("61.5")
    assert (row.national_rd_centers, row.provincial_rd_centers) == (0, 1)
    assert (row.national_award_rank, row.provincial_award_rank) == (None, 3)
    assert row.equity_financing == Decimal(800)  # 实缴股权投资 is the 2022 rules' 新增股权融资
    undo(database, batch_id)
    with database.session() as session:
        assert session.scalars(select(AnnualFigures)).first() is None


def test_a_tech_sme_list_keeps_its_registration_number(database, tmp_path):
    add_enterprise(database, "乙科技有限公司", 2)
    path = write_xlsx(tmp_path / "科技型中小企业入库名单.xlsx", {"Sheet1": [
        ["序号", "企业名称", "统一社会信用代码", "入库编号", "梯度层级", "认定年度"],
        [1, "乙科技有限公司", make_code(2), "202532041200012345", "科技型中小企业", 2025],
    ]})
    _plan, batch_id = import_file(database, path)
    assert batch_id is not None
    with database.session() as session:
        recognition = session.scalars(select(Recognition)).one()
    assert recognition.tier_code == "tech_sme"
    assert recognition.document_number == "202532041200012345"
    assert recognition.valid_until.year == 2026  # one year
