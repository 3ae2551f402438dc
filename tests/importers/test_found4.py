"""What the fourth new-user test of the import found, each pinned: a ratio column is not the
amount it is a ratio of, two columns on one field and year take the first value (with a
note), a year given picks one group of a two-year sheet with a note, a support sheet's 文号
is the measure's 政策依据/文号, and 所在镇（区） is the town."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from importers import detect, open_source
from importers.columns import match_header
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import AnnualFigures, SupportMeasure
from tiers.services import enterprises

TWO_YEARS = Path(__file__).parent.parent / "data" / "figures_two_years_libreoffice.xls"


@pytest.mark.parametrize("header,expected", [
    ("研发费用占比", None), ("研发费用占营业收入比重", None), ("营业收入增长率", None),
    ("研发人员占比", None), ("人均营业收入", None),
    ("研发费用", "rd_expense"), ("研发费用（万元）", "rd_expense"), ("市场占有率", "market_share"),
    ("2023年研发费用", "rd_expense"), ("所在镇（区）", "town"), ("镇区", "town"),
])
def test_a_derived_quantity_is_not_its_field(header, expected):
    assert match_header(header)[0] == expected


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


def test_a_support_sheets_document_number_is_its_policy_basis(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "name": "甲有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "拨付日期", "文号"],
        ["甲有限公司", make_code(1), "奖补资金", 12.5, "2024-03-08", "张财企〔2024〕12号"]]})
    detection = detect(open_source(path))
    assert detection.kind == "support" and detection.mapping[5] == "policy_basis"
    # the same sheet read as a recognition list keeps 文号 as the 认定文号 … and back
    assert detection.with_options(kind="support").mapping[5] == "policy_basis"
    import_file(database, path)
    with database.session() as session:
        assert session.scalar(select(SupportMeasure.policy_basis)) == "张财企〔2024〕12号"


def test_a_new_firm_from_a_list_keeps_its_town(database, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"S": [
        ["2024年度创新型中小企业名单"], ["企业名称", "统一社会信用代码", "所在镇（区）"],
        ["甲有限公司", make_code(1), "锦丰镇"]]})
    row = by_row(plan_file(database, path))[3]
    assert row.create_values["town"] == "锦丰镇"
