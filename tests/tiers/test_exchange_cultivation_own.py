"""A county's 培育库 entry for a firm and target the city already follows with its own open
entry is not imported beside it (the pair showed （重复） in the city's 培育库): the city's
stays, the county's is said in the problems; the same package again writes nothing, and
into an empty database the county's entry comes in as before."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import entry_kept, make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.model.orm import CultivationEntry, Enterprise
from tiers.services import cultivation, enterprises
from tiers.storage.database import open_database

YEAR = dt.date.today().year + 1


def _entries(database) -> list[tuple[str, int, str, int | None]]:
    with database.session() as session:
        return [tuple(row) for row in session.execute(
            select(CultivationEntry.target_tier, CultivationEntry.target_year,
                   CultivationEntry.status, CultivationEntry.source_package_id)
            .order_by(CultivationEntry.id))]


def test_the_citys_own_open_entry_keeps_the_countys_out(city, new_target, tmp_path):
    county = open_database(new_target("county.sqlite3"))
    try:
        with county.session() as session:
            firm = enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                                "name": "常州市培育测试有限公司"})
            county_firm = firm.id
        imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with city.session() as session:  # the city follows the firm itself
            here = session.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == make_code(1)))
            cultivation.add(session, here, {"target_tier": "zjtx", "target_year": YEAR},
                            user="市局")
        with county.session() as session:  # and so does the county, a year later
            entry_kept(session, county_firm, {"target_tier": "zjtx", "target_year": YEAR + 1})
            entry_kept(session, county_firm, {"target_tier": "innovative", "target_year": YEAR})
        newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    finally:
        county.dispose()
    with city.session() as session:
        preview = preview_package(session, newer)
    said = [problem for problem in preview.problems if problem.startswith("培育库：")]
    assert len(said) == 1, preview.problems
    assert said[0].startswith(f"培育库：常州市培育测试有限公司（{make_code(1)}）已有本市自己的在培记录"
                              f"“省级专精特新中小企业 {YEAR}年（培育中）”，数据包中区县的"
                              f"“省级专精特新中小企业 {YEAR + 1}年（培育中）”未导入"), said[0]
    assert preview.created["cultivation_entries"] == 1  # the other target comes in
    result = imported(city, newer)
    assert result.problems == preview.problems
    entries = _entries(city)
    assert [entry[:3] for entry in entries] == [("zjtx", YEAR, "培育中"), ("innovative", YEAR, "培育中")]
    assert entries[0][3] is None and entries[1][3] is not None

    again = imported(city, newer)  # the same package again: nothing written
    assert not again.changes() and again.batch_id is None
    assert [p for p in again.problems if p.startswith("培育库：")] == said
    assert _entries(city) == entries

    empty = open_database(new_target("empty.sqlite3"))
    try:  # into a database without the city's entry: the county's comes in
        imported(empty, newer)
        assert sorted(entry[:3] for entry in _entries(empty)) == [
            ("innovative", YEAR, "培育中"), ("zjtx", YEAR + 1, "培育中")]
    finally:
        empty.dispose()


def test_a_closed_entry_of_the_city_keeps_nothing_out(city, new_target, tmp_path):
    county = open_database(new_target("county.sqlite3"))
    try:
        with county.session() as session:
            firm = enterprises.create(session, {"credit_code": make_code(2), "county": "武进区",
                                                "name": "常州市培育测试二有限公司"})
            county_firm = firm.id
        imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with city.session() as session:
            here = session.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == make_code(2)))
            entry_kept(session, here, {"target_tier": "zjtx", "target_year": YEAR - 1,
                                       "status": "未通过"})
        with county.session() as session:
            entry_kept(session, county_firm, {"target_tier": "zjtx", "target_year": YEAR})
        newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    finally:
        county.dispose()
    result = imported(city, newer)
    assert not any(problem.startswith("培育库：") for problem in result.problems)
    assert result.created["cultivation_entries"] == 1


def test_a_package_without_a_status_column_is_no_traceback(city, new_target, tmp_path):
    """The reader takes a 培育库 table with no status column (each entry 培育中); the firm's
    entries here are read with their status all the same (names.index raised ValueError
    when the firm had an entry)."""
    county = open_database(new_target("county.sqlite3"))
    try:
        with county.session() as session:
            firm = enterprises.create(session, {"credit_code": make_code(2), "county": "武进区",
                                                "name": "常州市无状态列有限公司"})
            county_firm = firm.id
        imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with city.session() as session:
            here = session.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == make_code(2)))
            cultivation.add(session, here, {"target_tier": "zjtx", "target_year": YEAR},
                            user="市局")
        with county.session() as session:
            entry_kept(session, county_firm, {"target_tier": "zjtx", "target_year": YEAR + 1})
        newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    finally:
        county.dispose()
    table = newer.tables["cultivation_entries"]
    assert "status" in table.columns
    table.columns = tuple(column for column in table.columns if column != "status")
    table.values.pop("status", None)
    table.held.pop("status", None)
    with city.session() as session:
        preview = preview_package(session, newer)
    said = [problem for problem in preview.problems if problem.startswith("培育库：")]
    assert len(said) == 1 and "本市自己的在培记录“省级专精特新中小企业" in said[0], preview.problems
    assert f"{YEAR + 1}年（培育中）”未导入" in said[0]
    assert preview.created.get("cultivation_entries", 0) == 0
