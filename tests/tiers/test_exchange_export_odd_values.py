"""A value another program stored where SQLite's type affinity let it (text in an amount,
a date or a year column) is never written into a package as it is: Tiers would refuse
its own package. The export stops with one Chinese sentence naming the firm, the table
and the column, and leaves no file; a date in another ISO form is written as 2026-12-04."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile

import pytest
from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database
from tiers.errors import InvalidInput
from tiers.exchange import export_package, read_package
from tiers.model.orm import Enterprise
from tiers.progress import drain

pytestmark = pytest.mark.sqlite_only  # a server keeps every column's type


@pytest.fixture
def county(tmp_path):
    database = county_database(tmp_path / "county.sqlite3", enterprises=12)
    yield database
    database.dispose()


def _store(database, sql: str, value) -> tuple[str, str]:
    """Write ``value`` with the bare driver (as another program would) into the rows of
    the first firm of the county with recognitions and figures; its name and credit code."""
    path = database.engine.url.database
    connection = sqlite3.connect(path)
    firm_id = connection.execute(
        "SELECT r.enterprise_id FROM recognition r JOIN enterprise e ON e.id = r.enterprise_id "
        "JOIN annual_figures f ON f.enterprise_id = e.id WHERE e.county_code = ? "
        "ORDER BY r.id LIMIT 1", (WUJIN,)).fetchone()[0]
    connection.execute(sql, (value, firm_id))
    connection.commit()
    connection.close()
    with database.session() as session:
        name, code = session.execute(select(Enterprise.name, Enterprise.credit_code)
                                     .where(Enterprise.id == firm_id)).one()
    return name, code


@pytest.mark.parametrize(("sql", "value", "table", "column"), [
    ("UPDATE annual_figures SET revenue = ? WHERE enterprise_id = ?", "abc", "年度数据", "营业收入"),
    ("UPDATE annual_figures SET revenue = ? WHERE enterprise_id = ?", float("inf"), "年度数据",
     "营业收入"),
    ("UPDATE annual_figures SET revenue = ? WHERE enterprise_id = ?", 1e15, "年度数据", "营业收入"),
    # a hair below the 5 integer digits of 细分市场年限 (6, 1), rounded up to 10000.0 as it
    # is written: the reader would refuse it
    ("UPDATE annual_figures SET niche_years = ? WHERE enterprise_id = ?", 99999.96, "年度数据",
     "细分市场年限"),
    ("UPDATE recognition SET recognized_on = ? WHERE enterprise_id = ?", "去年", "认定", "认定日期"),
    ("UPDATE recognition SET batch_year = ? WHERE enterprise_id = ?", "二〇二四", "认定", "认定年度"),
    ("UPDATE recognition SET is_review = ? WHERE enterprise_id = ?", "是", "认定", "复核通过"),
    ("UPDATE enterprise SET town = ? WHERE id = ?", "镇" * 300, "企业", "镇街/园区"),
    # a NUL, which SQLite keeps and no server stores: the city would refuse the package
    ("UPDATE enterprise SET notes = ? WHERE id = ?", "备注\x00尾", "企业", "备注"),
    ("UPDATE enterprise SET town = ? WHERE id = ?", "湖塘\x00镇", "企业", "镇街/园区"),
])
def test_a_value_the_package_cannot_carry_stops_the_export(county, tmp_path, sql, value, table,
                                                           column):
    name, code = _store(county, sql, value)
    target = tmp_path / "out.zip"
    with county.session() as session, pytest.raises(InvalidInput) as caught:
        drain(export_package(session, target, counties=[WUJIN], now=DAY))
    message = str(caught.value)
    assert name in message and code in message and f"的{table}中" in message
    assert f"“{column}”" in message and "无法导出数据包" in message
    assert not target.exists() and not list(tmp_path.glob(".tiers-package-*"))


def test_a_date_in_another_iso_form_is_written_as_the_format_says(county, tmp_path):
    _, code = _store(county, "UPDATE recognition SET recognized_on = ? WHERE id = "
                     "(SELECT min(id) FROM recognition WHERE enterprise_id = ?)", "2026-W49-5")
    target = tmp_path / "out.zip"
    with county.session() as session:
        drain(export_package(session, target, counties=[WUJIN], now=DAY))
    read_package(target)  # read back whole by Tiers itself
    with zipfile.ZipFile(target) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("recognitions.csv").decode())))
    dates = {row["recognized_on"] for row in rows if row["credit_code"] == code}
    assert "2026-12-04" in dates and "2026-W49-5" not in dates  # YYYY-MM-DD, as documented


def test_a_servers_nan_amount_is_an_odd_cell_not_a_decimal_error():
    """PostgreSQL's NUMERIC takes 'NaN' (from another program): no comparison takes it,
    and the export must name the cell in Chinese, not fail with InvalidOperation."""
    from decimal import Decimal

    from tiers.exchange.cells import OddCell, package_cells
    from tiers.model.orm import AnnualFigures

    rows = [("91320412MA1AAAAA1X", Decimal("1500.0000")), ("91320412MA1AAAAA2X", Decimal("NaN"))]
    with pytest.raises(OddCell) as odd:
        list(package_cells(AnnualFigures.__table__, ("credit_code", "revenue"), rows))
    assert (odd.value.row, odd.value.column) == (1, "revenue")
    assert "数字" in odd.value.expected
