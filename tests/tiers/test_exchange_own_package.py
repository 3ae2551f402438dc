"""A county that imports the package it wrote itself (by mistake: the officer meant to send
it) is told so before anything is written: every firm in it is the county's own, so the
import changes none of them and only brings back what the county deleted since."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.importers.helpers import import_file, write_xlsx
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



def _county_list(database, path):
    """The county's firms of 武进区 as its own 名单 (name, code, county, phone): what a city
    keeps when it gets the county's lists, not its packages."""
    with database.session() as session:
        firms = session.execute(select(Enterprise.name, Enterprise.credit_code).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).all()
    return write_xlsx(path, {"Sheet1": [
        ["武进区企业名录"], ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "联系电话"],
        *([number, name, code, "武进区", f"0519-{number:04d}"]
          for number, (name, code) in enumerate(firms, start=1))]})


@pytest.mark.parametrize("county_history", [True, False])
def test_a_city_whose_firms_came_from_the_countys_lists_is_not_told_it_is_its_own(
        county, city, tmp_path, county_history):
    """A city that took in the county's lists (roster imports) holds every firm of the
    county's first package as entered here: that is no package of its own (user16's note
    said it was, and that it need not be imported). The county's firms have changes of
    their own, or none (the demo county's: the package counts none; the city imports the
    county's list after the package was written)."""
    roster = _county_list(county, tmp_path / "名录.xlsx")
    if county_history:
        import_file(county, roster)  # the county's own changes, before it sends its package
        import_file(city, roster)
    package = sent(county, tmp_path / "武进区数据包.zip", WUJIN, dt.datetime.now())
    if not county_history:
        import_file(city, roster)
    with city.session() as session:
        preview = preview_package(session, package)
    firms = package.table(ENTERPRISES).count
    assert not any("全部是本库自行录入" in problem for problem in preview.problems)
    assert any(problem.startswith(f"{firms} 家企业是本库自行录入的")
               for problem in preview.problems), preview.problems


def test_a_county_with_a_history_importing_its_own_package_is_told_so(county, tmp_path):
    """The county's firms came from its lists (each with its changes), it sends its package
    and changes some more: its own package read back is still known as its own."""
    import_file(county, _county_list(county, tmp_path / "名录.xlsx"))
    package = sent(county, tmp_path / "武进区数据包.zip", WUJIN, dt.datetime.now())
    with county.session() as session:
        deleted = session.scalars(select(Recognition).join(Enterprise).where(
            Enterprise.county_code == WUJIN)).first()
        recognitions.delete(session, deleted.id, user="县科员")
        session.commit()
    with county.session() as session:
        preview = preview_package(session, package)
    assert "如果这是本库自己导出的数据包，不必导回本库" in preview.problems[0], preview.problems
