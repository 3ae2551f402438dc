"""A county's next package under another spelling of its own bureau replaces its first
(review27 #3): 武进 sent under “武进区工信局”, then under “常州市武进区工业和信息化局”; the
city compared the two names exactly and refused the second for the whole county (created 0,
updated 0, every firm a conflict). Two units are the same sender of a county when both name
it (tiers.exchange.status.names_county, the rule takeover and 报送情况 use)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported
from tiers.exchange import export_package, read_package
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises


def _sent(database, path, unit, when, counties=(WUJIN,)):
    with database.session() as session:
        drain(export_package(session, path, counties=list(counties), source_unit=unit,
                             now=when))
    return read_package(path)


def _wujin_firms(database):
    with database.session() as session:
        return [(firm.id, firm.name, firm.credit_code) for firm in session.scalars(
            select(Enterprise).where(Enterprise.county_code == WUJIN,
                                     Enterprise.deleted_at.is_(None)).order_by(Enterprise.id))]


def test_a_countys_next_package_under_another_spelling_of_its_bureau_replaces_the_first(
        county, city, tmp_path):
    first = imported(city, _sent(county, tmp_path / "p1.zip", "武进区工信局", DAY))
    assert first.created["enterprises"] > 2 and not first.conflicts
    firms = _wujin_firms(county)
    with county.session() as session:  # 武进 corrects a phone and drops a firm since
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-86660001"})
        enterprises.soft_delete(session, firms[1][0])

    second = imported(city, _sent(county, tmp_path / "p2.zip", "常州市武进区工业和信息化局",
                                  DAY + dt.timedelta(hours=1)))
    assert second.conflicts == []
    assert not [problem for problem in second.problems if "不替换它" in problem]
    assert second.updated["enterprises"] == 1
    assert second.deleted_firms == [firms[1][1]]
    with city.session() as session:
        phone = session.scalar(select(Enterprise.contact_phone)
                               .where(Enterprise.credit_code == firms[0][2]))
        binned = session.scalar(select(Enterprise.deleted_at)
                                .where(Enterprise.credit_code == firms[1][2]))
        [line] = [line for line in package_status(session, city_code="320400")
                  if line.code == WUJIN]
    assert phone == "0519-86660001" and binned is not None
    assert line.source_unit == "常州市武进区工业和信息化局" and line.packages == 2
    assert line.state == "已报送" and line.conflicts == 0

    # and back to the short spelling: the same sender still
    third = imported(city, _sent(county, tmp_path / "p3.zip", "武进区工业和信息化局",
                                 DAY + dt.timedelta(hours=2)))
    assert third.conflicts == [] and not [p for p in third.problems if "不替换它" in p]


def test_a_neighbours_bureau_is_still_not_the_countys_sender(county, city, tmp_path):
    """Both names must name the county: 新北's bureau sending 武进's firms after 武进's own
    package replaces nothing of 武进's (as before)."""
    imported(city, _sent(county, tmp_path / "p1.zip", "武进区工信局", DAY))
    other = imported(city, _sent(county, tmp_path / "p2.zip", "常州市新北区工业和信息化局",
                                 DAY + dt.timedelta(hours=1), counties=(WUJIN, XINBEI)))
    assert [problem for problem in other.problems
            if "武进区的数据由“武进区工信局”" in problem and "不替换它" in problem]
    assert other.deleted_firms == []
