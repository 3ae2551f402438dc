"""A county that imports the package it wrote itself (by mistake: the officer meant to send
it) is told so before anything is written: every firm in it is the county's own, so the
import changes none of them and only brings back what the county deleted since."""

from __future__ import annotations

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.exchange.format import ENTERPRISES
from tiers.model.orm import Enterprise, Recognition
from tiers.services import recognitions


def test_a_county_importing_its_own_older_package_is_told_what_it_does(county, tmp_path):
    package = sent(county, tmp_path / "武进区数据包.zip", WUJIN, DAY)
    with county.session() as session:  # the county deletes a recognition after sending
        deleted = session.scalars(select(Recognition).join(Enterprise).where(
            Enterprise.county_code == WUJIN)).first()
        recognitions.delete(session, deleted.id, user="县科员")
        session.commit()
    with county.session() as session:
        preview = preview_package(session, package)
    assert preview.created["recognitions"] == 1  # what the import would bring back
    firms = package.table(ENTERPRISES).count
    said = preview.problems[0]
    assert f"数据包中的 {firms} 家企业全部是本库自行录入的" in said, preview.problems
    assert "如果这是本库自己导出的数据包，不必导回本库" in said
    assert "删除的认定" in said and "重新加回" in said


def test_a_city_knowing_a_few_of_the_firms_is_told_as_before(county, city, tmp_path):
    package = sent(county, tmp_path / "wj.zip", WUJIN, DAY)
    imported(city, package)  # the city's firms come from a package: not its own
    with city.session() as session:
        preview = preview_package(session, package)
    assert not any("全部是本库自行录入" in problem for problem in preview.problems)
