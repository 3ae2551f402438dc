"""A county's own bureau is recognised by its whole name (review26 #2): 淮安区's and 连云区's
names in part ("淮安", "连云") are inside 淮安市工业和信息化局 and 连云港市工业和信息化局, and
inside every neighbour district's bureau of those cities, so a package carried under the
city's bureau counted as the district's own: 报送情况 never said 他单位带来 and the takeover
never happened."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_code
from tiers.exchange import export_package, import_package, read_package
from tiers.exchange.status import names_county, package_status
from tiers.progress import drain
from tiers.services import enterprises
from tiers.storage.database import open_database

HUAIAN_DISTRICT, QINGJIANGPU, LIANYUN = "320803", "320812", "320703"


@pytest.mark.parametrize(("unit", "code", "name"), [
    ("淮安市淮安区工业和信息化局", HUAIAN_DISTRICT, "淮安区"),
    ("淮安区工业和信息化局", HUAIAN_DISTRICT, "淮安区"),
    ("淮安市淮安区工信局", HUAIAN_DISTRICT, "淮安区"),
    ("连云港市连云区工业和信息化局", LIANYUN, "连云区"),
    ("连云区工信局", LIANYUN, "连云区"),
    ("溧阳市工业和信息化局", "320481", "溧阳市"),
    ("溧阳工信局", "320481", "溧阳市"),
    ("溧阳工业和信息化局", "320481", "溧阳市"),
    ("江苏省溧阳市工业和信息化局", "320481", "溧阳市"),
    ("常州市武进区工业和信息化局", "320412", "武进区"),
    ("武进区工业和信息化局", "320412", "武进区"),
    ("常州市武进区 工信局", "320412", "武进区"),
    ("武进区", "320412", "武进区"),  # a package sent with no unit known: its county's name
    ("淮安区", HUAIAN_DISTRICT, "淮安区"),
])
def test_a_countys_own_bureau_is_recognised(unit, code, name):
    assert names_county(unit, code, name)


@pytest.mark.parametrize(("unit", "code", "name"), [
    ("淮安市工业和信息化局", HUAIAN_DISTRICT, "淮安区"),  # the city's
    ("淮安市工信局", HUAIAN_DISTRICT, "淮安区"),
    ("淮安市清江浦区工业和信息化局", HUAIAN_DISTRICT, "淮安区"),  # a neighbour's
    ("淮安工信局", HUAIAN_DISTRICT, "淮安区"),  # 淮安 alone: the city as much as the district
    ("连云港市工业和信息化局", LIANYUN, "连云区"),
    ("连云港市海州区工业和信息化局", LIANYUN, "连云区"),
    ("常州市工业和信息化局", "320481", "溧阳市"),
    ("常州市金坛区工业和信息化局", "320481", "溧阳市"),
    ("常州市工业和信息化局", "320412", "武进区"),
    ("常州市武进区工业和信息化局", "320411", "新北区"),
    ("武进工信局", "320412", "武进区"),
    ("", "320412", "武进区"),
    ("淮安市", HUAIAN_DISTRICT, "淮安区"),
    ("武进区、新北区", "320412", "武进区"),  # two counties' names: a database of both
])
def test_a_city_or_neighbours_bureau_is_not_the_countys(unit, code, name):
    assert not names_county(unit, code, name)


def test_a_district_carried_under_its_citys_bureau_is_said_so_and_taken_over(tmp_path):
    """淮安区's firms carried by the city's bureau: 他单位带来; 淮安区's own package takes over."""
    county = open_database(tmp_path / "county.sqlite3")
    city = open_database(tmp_path / "city.sqlite3")
    try:
        with county.session() as session:
            for serial in (1, 2):
                enterprises.create(session, {"credit_code": make_code(serial, HUAIAN_DISTRICT),
                                             "county": "淮安区", "name": f"淮安淮安区{serial}有限公司"})
        when = dt.datetime(2026, 12, 1, 9, 0)
        carried_path, own_path = tmp_path / "carried.zip", tmp_path / "own.zip"
        with county.session() as session:
            drain(export_package(session, carried_path, counties=[HUAIAN_DISTRICT],
                                 source_unit="淮安市工业和信息化局", now=when))
            drain(export_package(session, own_path, counties=[HUAIAN_DISTRICT],
                                 source_unit="淮安市淮安区工业和信息化局",
                                 now=when + dt.timedelta(hours=1)))
        with city.session() as session:
            drain(import_package(session, read_package(carried_path), user="市局"))
        with city.session() as session:
            line = next(line for line in package_status(session, city_code="320800")
                        if line.code == HUAIAN_DISTRICT)
        assert line.by_other_unit and line.state == "他单位带来"
        with city.session() as session:
            result = drain(import_package(session, read_package(own_path), user="市局"))
        assert any("由它接管淮安区" in line for line in result.takeovers)
        with city.session() as session:
            line = next(line for line in package_status(session, city_code="320800")
                        if line.code == HUAIAN_DISTRICT)
        assert line.state == "已报送" and not line.by_other_unit
        assert line.source_unit == "淮安市淮安区工业和信息化局"
    finally:
        county.dispose()
        city.dispose()
