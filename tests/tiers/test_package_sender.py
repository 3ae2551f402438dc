"""The 报送单位 proposed for a package (tiers.exchange.scope.package_sender) is whoever sends
it, whichever counties it carries (review27 #2), while a report's 填报单位 still follows the
county it is for (unit_proposal)."""

from __future__ import annotations

from sqlalchemy import select

from tests.tiers.test_proposed_unit import firm, record_a_received_package
from tiers.exchange.scope import package_sender
from tiers.exchange.status import FROM_FIRMS, FROM_PACKAGES, FROM_UNIT, proposed_unit
from tiers.model.orm import ExchangePackage, ExchangePackageCounty
from tiers.services.unit import set_unit_counties


def test_the_recorded_unit_sends_a_neighbours_county(session):
    """review27's up.py: unit 武进区, 新北区 chosen proposed 常州市新北区工业和信息化局."""
    firm(session, 1, "320412")
    firm(session, 2, "320411")
    set_unit_counties(session, ["武进区"])
    for chosen in ([], ["320412"], ["320411"], ["320411", "320412"], [""]):
        assert package_sender(session, chosen).unit == "常州市武进区工业和信息化局", chosen
    assert package_sender(session, ["320411"]).reason == FROM_UNIT
    # a report of 新北 is still signed by 新北's bureau
    assert proposed_unit(session, ["320411"]) == "常州市新北区工业和信息化局"


def test_a_countys_database_that_took_in_a_neighbours_package_sends_as_itself(session):
    firm(session, 1, "320481")
    record_a_received_package(session)
    package_id = session.scalar(select(ExchangePackage.id))
    session.add(ExchangePackageCounty(package_id=package_id, county_code="320411",
                                      county_name="新北区", firms=1))
    neighbour = firm(session, 3, "320411")
    neighbour.source_package_id, neighbour.source_county = package_id, "320411"
    session.flush()
    found = package_sender(session, ["320411"])
    assert (found.unit, found.reason) == ("溧阳市工业和信息化局", FROM_FIRMS)
    firm(session, 4, "320411")  # now the city's (its own entries in a county a package reports)
    session.flush()
    found = package_sender(session, ["320481"])
    assert (found.unit, found.reason) == ("常州市工业和信息化局", FROM_PACKAGES)
