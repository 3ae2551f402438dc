"""The 报送单位 / 填报单位 proposed for a database with none remembered: one core function
(tiers.exchange.status.proposed_unit) that the export of reports and of packages both call,
by the counties' division codes, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tests.tiers.unit_helpers import record_a_received_package
from tiers.exchange.status import proposed_unit
from tiers.model.orm import ExchangePackage, ExchangePackageCounty
from tiers.services import enterprises


def firm(session, serial: int, county_code: str, **values):
    return enterprises.create(session, {
        "credit_code": make_code(serial, county_code), "name": f"测试{serial}有限公司",
        "county_code": county_code, **values})


@pytest.mark.parametrize(("counties", "proposed"), [
    ((), ""),
    (("320412", "320412"), "常州市武进区工业和信息化局"),
    # 鼓楼区 is a county of 南京 (320106) and of 徐州 (320302): the report dialog, which
    # went by the names the firms show, proposed nothing where the package dialog, by the
    # code, proposed 徐州's bureau
    (("320302",), "徐州市鼓楼区工业和信息化局"),
    # a county-level city's and a county's bureau are not named with the city (tester24:
    # 常州市溧阳市工业和信息化局 was proposed)
    (("320481",), "溧阳市工业和信息化局"),
    (("320321",), "丰县工业和信息化局"),
    (("320412", "320411"), "常州市工业和信息化局"),  # several counties of one city
    (("320412", "320106"), ""),  # two cities: no one bureau
])
def test_the_bureau_of_the_firms_counties(session, counties, proposed):
    for serial, county_code in enumerate(counties, start=1):
        firm(session, serial, county_code)
    session.flush()
    assert proposed_unit(session) == proposed


def test_firms_in_the_bin_and_without_a_code_do_not_count(session):
    firm(session, 1, "320412")
    binned = firm(session, 2, "320411")
    park = enterprises.create(session, {"credit_code": make_code(3), "name": "园区测试有限公司",
                                        "county": "武进高新区"})
    assert park.county_code is None  # a 园区: no division code
    enterprises.soft_delete(session, binned.id)
    session.flush()
    assert proposed_unit(session) == "常州市武进区工业和信息化局"


def test_a_database_that_receives_packages_is_the_citys(session):
    firm(session, 1, "320412")
    record_a_received_package(session)
    assert proposed_unit(session) == "常州市工业和信息化局"


def test_a_countys_database_that_took_in_a_neighbours_package_proposes_its_own(session):
    """溧阳's database that imported 新北's package: its own package is still 溧阳's
    (it proposed 常州市工业和信息化局: tester24); the neighbour's counties, the city's."""
    firm(session, 1, "320481")
    firm(session, 2, "320481")
    record_a_received_package(session)
    package_id = session.scalar(select(ExchangePackage.id))
    session.add(ExchangePackageCounty(package_id=package_id, county_code="320411",
                                      county_name="新北区", firms=1))
    neighbour = firm(session, 3, "320411")
    neighbour.source_package_id, neighbour.source_county = package_id, "320411"
    session.flush()
    assert proposed_unit(session) == "溧阳市工业和信息化局"
    assert proposed_unit(session, ["320481"]) == "溧阳市工业和信息化局"
    assert proposed_unit(session, ["320411"]) == "常州市工业和信息化局"
    assert proposed_unit(session, ["320481", "320411"]) == "常州市工业和信息化局"
    # the city's database: what it entered itself lies in a county a package reports
    firm(session, 4, "320411")
    session.flush()
    assert proposed_unit(session) == proposed_unit(session, ["320481"]) == "常州市工业和信息化局"


def test_a_report_of_one_county_proposes_that_countys_bureau(session):
    """A county's database with other counties' firms (from province lists): the unit of a
    report for 溧阳市, by code or by name, or of 溧阳's firms, is 溧阳's bureau; with no
    county told, the database's (the city's, for several counties), as before (tester25)."""
    from tiers.exchange.status import proposed_unit_for

    liyang = firm(session, 1, "320481")
    wujin = firm(session, 2, "320412")
    firm(session, 3, "320411")
    session.flush()
    own = "溧阳市工业和信息化局"
    assert proposed_unit_for(session, county="320481") == own
    assert proposed_unit_for(session, county="溧阳市") == own
    assert proposed_unit_for(session, county="武进区") == "常州市武进区工业和信息化局"
    assert proposed_unit_for(session, firm_ids=[liyang.id]) == own
    assert proposed_unit_for(session, firm_ids=[liyang.id, wujin.id]) == "常州市工业和信息化局"
    assert proposed_unit_for(session, county="天目湖开发区") == "常州市工业和信息化局"
    assert proposed_unit_for(session) == proposed_unit(session) == "常州市工业和信息化局"
