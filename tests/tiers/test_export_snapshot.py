"""An export reads one moment of the database (tiers.storage.snapshot): a package, or an
Excel report, written while an officer saves (another client of a server; on a file, the
desktop client while the command line exports) holds the data as it stood when the export
began, never firms of one moment and records of the next.

Before: each statement of an export saw the newest data (SQLite's driver reads outside a
transaction; PostgreSQL's READ COMMITTED takes a snapshot per statement). A firm added with
its recognition between the read of the firms and that of the recognitions went out as a
recognition whose firm was not in enterprises.csv, and the city refused the whole package
("信用代码 … 不是数据包中的企业"); a firm binned in that moment went out without its records.
A report's 合计, read before its rows, left out a firm its rows listed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from tests.conftest import TODAY, make_code
from tiers import reports
from tiers.exchange import export_package, read_package
from tiers.model.orm import Enterprise, Recognition
from tiers.progress import drain
from tiers.reports import ReportRequest, collection, collection_data
from tiers.reports import figures as figures_report
from tiers.reports.collection_book import Letter
from tiers.services import demo, enterprises, figures, recognitions

WUJIN = "320412"
DAY = dt.datetime(2026, 12, 1, 9, 0)
LATE = "常州后来精密机械有限公司"


def _recognised(session, firm_id: int, tier: str = "创新型") -> None:
    recognitions.add(session, firm_id, {
        "tier_code": tier, "batch_year": 2025, "recognized_on": dt.date(2025, 6, 1),
        "valid_until": dt.date(2028, 5, 31)})


def _officer_saves(database, serial: int = 900_001) -> tuple[str, str]:
    """Another session commits a new firm of 武进区 with a recognition and 2025's figures,
    and moves a recognised firm of 武进区 to the 回收站; (the new code, the binned code)."""
    with database.session() as other:
        firm = enterprises.create(other, {"credit_code": make_code(serial), "name": LATE,
                                          "county": "武进区", "town": "湖塘镇"})
        _recognised(other, firm.id)
        figures.set_year(other, firm.id, 2025, {"revenue": "1000", "employees": 10})
        binned = other.execute(
            select(Enterprise.id, Enterprise.credit_code)
            .where(Enterprise.county_code == WUJIN, Enterprise.deleted_at.is_(None),
                   Enterprise.id != firm.id,
                   Enterprise.id.in_(select(Recognition.enterprise_id)))
            .order_by(Enterprise.id)).first()
        enterprises.soft_delete(other, binned.id, user="王明")
        return firm.credit_code, binned.credit_code


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _codes(path: Path, member: str) -> set[str]:
    lines = _members(path)[member].decode("utf-8").splitlines()[1:]
    return {line.split(",", 1)[0] for line in lines}


def test_a_package_holds_the_firms_and_records_of_the_moment_it_began(database, tmp_path):
    with database.session() as session:
        drain(demo.generate(session, enterprises=12, seed=7, today=TODAY))
    before = tmp_path / "before.zip"
    with database.reading() as session:
        drain(export_package(session, before, counties=[WUJIN], now=DAY))
    meanwhile = tmp_path / "meanwhile.zip"
    with database.session() as session:  # as the command line's export
        steps = export_package(session, meanwhile, counties=[WUJIN], now=DAY)
        next(steps)  # the firms are read (their codes checked), no record yet
        new, binned = _officer_saves(database)
        drain(steps)
    read_package(meanwhile)  # was refused: 信用代码 … 不是数据包中的企业
    assert _members(meanwhile) == _members(before)  # the moment it began, whole
    after = tmp_path / "after.zip"
    with database.reading() as session:  # the next package has what was saved meanwhile
        drain(export_package(session, after, counties=[WUJIN], now=DAY))
    assert new in _codes(after, "enterprises.csv") and new in _codes(after, "recognitions.csv")
    assert binned not in _codes(after, "enterprises.csv") | _codes(after, "recognitions.csv")
    assert binned in _codes(before, "recognitions.csv")


def _sheet(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_a_report_total_sums_the_rows_it_lists(database, tmp_path, monkeypatch):
    with database.session() as session:
        for serial, revenue in ((1, "3000"), (2, "500")):
            firm = enterprises.create(session, {
                "credit_code": make_code(serial), "name": f"常州先有{serial}机械有限公司",
                "county": "武进区", "town": "湖塘镇"})
            _recognised(session, firm.id)
            figures.set_year(session, firm.id, 2025, {"revenue": revenue})
    totals_of = figures_report.Totals.of

    def totals_then_a_save(session, request, year):
        totals = totals_of(session, request, year)  # the 合计: read before the rows
        _officer_saves(database)
        return totals

    monkeypatch.setattr(figures_report.Totals, "of", totals_then_a_save)
    target = tmp_path / "figures.xlsx"
    with database.reading() as session:  # as the command line's export
        drain(reports.export_steps(session, "figures", target, ReportRequest(
            year=2025, county="all", unit="常州市武进区工业和信息化局", filled_on=TODAY,
            today=TODAY)))
    rows = _sheet(target)
    header = next(index for index, row in enumerate(rows) if row[0] == "序号")
    revenue = rows[header].index("营业收入")
    listed = [row for row in rows if isinstance(row[0], float)]
    total = next(row for row in rows if str(row[0]).startswith("合计"))
    names = {row[2] for row in listed}
    assert LATE not in names and len(names) == 2, names  # the rows of the moment it began
    assert total[revenue] == sum(row[revenue] for row in listed) == 3500
    assert str(total[0]) == "合计（2 家）"
    with database.reading() as session:  # (the save itself was committed)
        assert session.scalar(select(func.count()).where(Enterprise.name == LATE)) == 1


def _in_transaction(session) -> bool:
    """Whether the session's connection holds a transaction on the database itself."""
    driver = session.connection().connection.dbapi_connection
    if isinstance(driver, sqlite3.Connection):
        return driver.in_transaction
    return driver.info.transaction_status != 0  # psycopg: IDLE


def test_a_cancelled_export_ends_its_snapshot(database, tmp_path):
    """(a read transaction left going would hold SQLite's checkpoint back for as long as
    the window stays open, and show the session old data afterwards)"""
    with database.session() as session:
        _recognised(session, enterprises.create(session, {
            "credit_code": make_code(1), "name": "常州先有机械有限公司", "county": "武进区"}).id)
    with database.reading() as session:
        steps = export_package(session, tmp_path / "武进区.zip", counties=[WUJIN])
        next(steps)
        assert _in_transaction(session)  # the snapshot, while the export runs
        steps.close()  # (the window's 取消)
        assert not _in_transaction(session)
        _officer_saves(database)
        assert session.scalar(select(func.count()).where(Enterprise.name == LATE)) == 1
    assert not (tmp_path / "武进区.zip").exists()


def test_a_collection_workbook_lists_the_firms_it_counted(database, tmp_path, monkeypatch):
    with database.session() as session:
        for serial in (1, 2):
            _recognised(session, enterprises.create(session, {
                "credit_code": make_code(serial), "name": f"常州先有{serial}机械有限公司",
                "county": "武进区", "town": "湖塘镇"}).id)
    count = collection_data.count

    def count_then_a_save(session, **options):
        counted = count(session, **options)
        _officer_saves(database)
        return counted

    monkeypatch.setattr(collection_data, "count", count_then_a_save)
    steps: list = []
    letter = Letter(year=2026, unit="常州市武进区工业和信息化局", officer="王丽",
                    phone="0519-86310000", return_to="wjgxj@example.cn",
                    deadline=dt.date(2027, 3, 31), area="武进区")
    with database.reading() as session:
        [path] = drain(collection.export_steps(
            session, collection.CollectionRequest(letter=letter), tmp_path / "采集表.xlsx",
            replace_foreign=False), steps.append)
    assert steps[-1].done == steps[-1].total == 2  # 已写入 2 家 of the 2 counted
    names = {cell.value for row in openpyxl.load_workbook(path)["采集表"].iter_rows(min_row=5)
             for cell in row[3:4]}
    assert {"常州先有1机械有限公司", "常州先有2机械有限公司"} <= names and LATE not in names
