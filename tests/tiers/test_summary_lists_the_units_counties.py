"""A city's 汇总表 lists every county of the city, those without a firm with zeros (and, in a
database that receives packages, those that have not sent one marked 未报送): the city's
table listed only 新北区 and 武进区, and a 科长 sending it to the province would not notice
that 天宁区, 钟楼区, 金坛区 and 溧阳市 were missing (tester29). The unit's counties are the
unit scope's (本单位负责的区县: a 设区市 stands for its counties, or several counties
recorded); a county's own table is kept as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.conftest import TODAY, make_code
from tiers import reports
from tiers.exchange import export_package, import_package, read_package
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.services import enterprises, recognitions
from tiers.services.unit import set_unit_counties
from tiers.storage.database import open_database

XINBEI, WUJIN = "320411", "320412"
CHANGZHOU = ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"]  # in code order


def _firm(session, serial, county):
    firm = enterprises.create(session, {"credit_code": make_code(serial, county),
                                        "county_code": county, "name": f"常州测试{serial}有限公司"})
    recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": TODAY.year,
                                        "recognized_on": TODAY - dt.timedelta(days=30),
                                        "valid_until": TODAY + dt.timedelta(days=60)})


def _export(session, tmp_path: Path, **filters) -> list[list]:
    target = tmp_path / f"summary-{len(list(tmp_path.iterdir()))}.xlsx"
    drain(reports.export_steps(session, "summary", target,
                               ReportRequest(**filters, filled_on=TODAY, today=TODAY)))
    return CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()


def _areas(rows: list[list]) -> list[str]:
    """The 县（市、区） of the area rows (those numbered)."""
    return [row[1] for row in rows if isinstance(row[0], (int, float)) and row[1]]


def _two_counties(session, *unit):
    _firm(session, 1, XINBEI)
    _firm(session, 2, WUJIN)
    _firm(session, 3, WUJIN)
    if unit:
        set_unit_counties(session, list(unit))
    session.flush()


def test_a_citys_table_lists_each_of_its_counties(session, tmp_path):
    _two_counties(session, "常州市")
    rows = _export(session, tmp_path)
    assert _areas(rows) == CHANGZHOU
    tianning = next(row for row in rows if row[1] == "天宁区")
    assert tianning[2:] and not any(tianning[2:])  # zeros, not blanks
    assert next(row for row in rows if row[0] == "合计")[6] == 3  # 创新型 累计: unchanged
    # by town: the counties without a firm are listed too, their town blank
    by_town = _export(session, tmp_path, group="town")
    assert [row[1] for row in by_town if isinstance(row[0], (int, float))] == [
        "天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"]
    assert next(row for row in by_town if row[1] == "天宁区")[2] == ""


def test_the_counties_recorded_are_listed(session, tmp_path):
    _firm(session, 1, XINBEI)
    set_unit_counties(session, ["新北区", "武进区"])
    session.flush()
    assert _areas(_export(session, tmp_path)) == ["新北区", "武进区"]


def test_a_countys_table_is_kept_as_it_was(session, tmp_path):
    _two_counties(session, "新北区")
    assert _areas(_export(session, tmp_path)) == ["新北区"]


def test_a_chosen_county_or_no_unit_lists_what_it_did(session, tmp_path):
    _two_counties(session)
    assert _areas(_export(session, tmp_path)) == ["新北区", "武进区"]
    set_unit_counties(session, ["常州市"])
    session.flush()
    assert _areas(_export(session, tmp_path, county="武进区")) == ["武进区"]


def test_the_counties_that_sent_no_package_are_marked(tmp_path):
    county = open_database(tmp_path / "新北区.sqlite3")
    city = open_database(tmp_path / "常州市.sqlite3")
    try:
        with county.session() as session:
            _firm(session, 1, XINBEI)
        package = tmp_path / "新北区.zip"
        with county.session() as session:
            drain(export_package(session, package, counties=[XINBEI],
                                 source_unit="常州市新北区工业和信息化局",
                                 now=dt.datetime(TODAY.year, 11, 1, 9, 0)))
        with city.session() as session:
            drain(import_package(session, read_package(package), user="市局"))
        with city.session() as session:
            set_unit_counties(session, ["常州市"])
            _firm(session, 2, WUJIN)  # entered at the city: 武进区 has a firm, no package
        with city.session() as session:
            rows = _export(session, tmp_path)
    finally:
        county.dispose()
        city.dispose()
    assert _areas(rows) == ["天宁区（未报送）", "钟楼区（未报送）", "新北区", "武进区（未报送）",
                            "金坛区（未报送）", "溧阳市（未报送）"]
    notes = [row[0] for row in rows if str(row[0]).startswith("注")]
    assert any("未报送" in note and "数据包" in note for note in notes), notes


def test_a_county_viewer_is_listed_only_the_counties_he_reads(session, tmp_path, monkeypatch):
    """On the city's server a viewer of some counties sees only their firms: the counties he
    cannot read are not listed as zeros (nor marked 未报送)."""
    from tiers.queries import unit_scope
    from tiers.storage.write_rights import WriteRights

    _two_counties(session, "常州市")
    viewer = WriteRights(counties=frozenset(), may_write=False, role="viewer",
                         reads=frozenset({XINBEI, "320413"}))
    monkeypatch.setattr(unit_scope, "write_rights", lambda _session: viewer, raising=False)
    assert unit_scope.listed_counties(session) == [(XINBEI, "新北区"), ("320413", "金坛区")]
