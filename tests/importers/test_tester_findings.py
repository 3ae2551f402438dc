"""Findings of a new-user tester: each test failed before its fix."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from importers import ImportRefused, detect, open_source
from importers.plan import CREATE, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers import credit_code
from tiers.cli import main
from tiers.models import AnnualFigures, Enterprise, FormerName, Recognition
from tiers.services import enterprises


def _enterprise(database, name, serial, **values):
    with database.session() as session:
        data = {"credit_code": make_code(serial), "name": name, "county": "武进区", **values}
        return enterprises.create(session, data).id


# --- 1. year sub-columns under a two-row header ---------------------------------------

def _year_columns(tmp_path):
    return write_xlsx(tmp_path / "年度数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", None, "研发费用（万元）", None],
        [None, None, "2024年", "2025年", "2024年", "2025年"],
        ["甲科技有限公司", make_code(1), 1000, 1200, 50, 60],
        ["乙科技有限公司", make_code(2), 2000, 2500, 80, 90],
    ]}, merges={"Sheet1": [("A1:A2", "企业名称"), ("B1:B2", "统一社会信用代码"),
                           ("C1:D1", "营业收入（万元）"), ("E1:F1", "研发费用（万元）")]})


def test_year_sub_columns_give_one_figures_record_per_year(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    _enterprise(database, "乙科技有限公司", 2)
    plan = plan_file(database, _year_columns(tmp_path))
    assert plan.kind == "figures"
    first = by_row(plan)[3]
    figures = {r.values["year"]: r.values for r in first.records}
    assert set(figures) == {2024, 2025}
    assert figures[2024]["revenue"] == Decimal(1000) and figures[2024]["rd_expense"] == Decimal(50)
    assert figures[2025]["revenue"] == Decimal(1200) and figures[2025]["rd_expense"] == Decimal(60)


def test_year_option_limits_year_sub_columns(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    _enterprise(database, "乙科技有限公司", 2)
    _, batch_id = import_file(database, _year_columns(tmp_path), batch_year=2025)
    assert batch_id is not None
    with database.session() as session:
        rows = session.execute(select(AnnualFigures.year, AnnualFigures.revenue)
                               .order_by(AnnualFigures.enterprise_id)).all()
    assert [(y, r) for y, r in rows] == [(2025, Decimal(1200)), (2025, Decimal(2500))]


def test_year_group_header_above_a_column_sets_its_year(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "2023年数据", None],
        [None, None, "营业收入（万元）", "研发费用（万元）"],
        ["甲科技有限公司", make_code(1), 900, 40],
    ]}, merges={"Sheet1": [("C1:D1", "2023年数据")]})
    plan = plan_file(database, path)
    (record,) = by_row(plan)[3].records
    assert record.values["year"] == 2023
    assert record.values["revenue"] == Decimal(900)
