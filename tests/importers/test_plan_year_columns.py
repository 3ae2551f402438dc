"""The year of a figure column: years under a field or a year group over fields in a
two-row header give one record per year; a year given picks its columns and says what it
left; two columns on one field and year take the first value with a note."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from importers import detect, open_source
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import AnnualFigures
from tiers.services import enterprises


def _year_columns(tmp_path):
    return write_xlsx(tmp_path / "年度数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", None, "研发费用（万元）", None],
        [None, None, "2024年", "2025年", "2024年", "2025年"],
        ["甲科技有限公司", make_code(1), 1000, 1200, 50, 60],
        ["乙科技有限公司", make_code(2), 2000, 2500, 80, 90],
    ]}, merges={"Sheet1": [("A1:A2", "企业名称"), ("B1:B2", "统一社会信用代码"),
                           ("C1:D1", "营业收入（万元）"), ("E1:F1", "研发费用（万元）")]})


def test_year_sub_columns_give_one_figures_record_per_year(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    add_enterprise(database, "乙科技有限公司", 2)
    plan = plan_file(database, _year_columns(tmp_path))
    assert plan.kind == "figures"
    first = by_row(plan)[3]
    figures = {r.values["year"]: r.values for r in first.records}
    assert set(figures) == {2024, 2025}
    assert figures[2024]["revenue"] == Decimal(1000) and figures[2024]["rd_expense"] == Decimal(50)
    assert figures[2025]["revenue"] == Decimal(1200) and figures[2025]["rd_expense"] == Decimal(60)


def test_year_option_limits_year_sub_columns(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    add_enterprise(database, "乙科技有限公司", 2)
    _, batch_id = import_file(database, _year_columns(tmp_path), batch_year=2025)
    assert batch_id is not None
    with database.session() as session:
        rows = session.execute(select(AnnualFigures.year, AnnualFigures.revenue)
                               .order_by(AnnualFigures.enterprise_id)).all()
    assert [(y, r) for y, r in rows] == [(2025, Decimal(1200)), (2025, Decimal(2500))]


def test_year_group_header_above_a_column_sets_its_year(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "2023年数据", None],
        [None, None, "营业收入（万元）", "研发费用（万元）"],
        ["甲科技有限公司", make_code(1), 900, 40],
    ]}, merges={"Sheet1": [("C1:D1", "2023年数据")]})
    plan = plan_file(database, path)
    (record,) = by_row(plan)[3].records
    assert record.values["year"] == 2023
    assert record.values["revenue"] == Decimal(900)


TWO_YEARS = Path(__file__).parent.parent / "data" / "figures_two_years_libreoffice.xls"


def _zhangjiagang_firms(database):
    codes = ["91320582070000014E", "913205820700000229", "913205820700000304",
             "91320582070000057U"]
    with database.session() as session:
        for number, code in enumerate(codes, 1):
            enterprises.create(session, {"credit_code": code, "name": f"张家港第{number}有限公司"})
        enterprises.create(session, {"credit_code": make_code(5), "name": "苏州锦程智能装备有限公司"})


def test_two_year_sheet_made_by_libreoffice(database):
    """2023年 | 2024年 groups over 营业收入 / 研发费用 / 研发费用占比, title “2023—2024年”:
    both years imported, the ratios not (they were stored as 研发费用 before)."""
    _zhangjiagang_firms(database)
    detection = detect(open_source(TWO_YEARS))
    assert detection.kind == "figures"
    mapped = {detection.headers[i]: k for i, k in detection.mapping.items() if k}
    assert "2023年/研发费用占比" not in mapped and "2024年/研发费用占比" not in mapped
    plan, batch_id = import_file(database, TWO_YEARS)
    assert batch_id is not None
    with database.session() as session:
        figures = {(f.enterprise_id, f.year): (f.revenue, f.rd_expense)
                   for f in session.scalars(select(AnnualFigures))}
    jincheng = next(r for r in plan.rows if r.name == "苏州锦程智能装备有限公司").enterprise_id
    assert figures[(jincheng, 2023)] == (Decimal(5000), Decimal(300))  # not the ratio 0.06
    assert (jincheng, 2024) not in figures  # 待定 and blanks: nothing
    assert len({year for _, year in figures}) == 2


def test_a_year_given_picks_its_group_and_says_what_it_left(database):
    _zhangjiagang_firms(database)
    plan = plan_file(database, TWO_YEARS, batch_year=2024)
    assert {r.description for row in plan.rows for r in row.records} == {"2024年 年度数据"}
    assert any("还有 2023 年的数据列" in p.message for p in plan.problems)


def test_two_columns_on_one_field_and_year_take_the_first_value(database, tmp_path):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "甲有限公司"}).id
    path = write_xlsx(tmp_path / "f.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "2023年营业收入", "2023年营业收入（万元）"],
        ["甲有限公司", make_code(1), 300, 0.06]]})
    plan = plan_file(database, path, kind="figures")
    assert any("C、D 列都对应“营业收入”（2023年）" in p.message for p in plan.problems)
    record = plan.rows[0].records[0]
    assert record.values["revenue"] == Decimal(300)
    assert plan.rows[0].enterprise_id == firm
