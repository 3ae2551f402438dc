"""A county's own package takes its county over from a unit that only carried it (tester26):
金坛区's laptop sent 溧阳's firms too (from the province's lists) under 常州市工业和信息化局;
溧阳's own package (溧阳市工业和信息化局) was then refused as a whole at the city, and 报送情况
showed 溧阳 as reported. Now the preview says who sent it before and the own package replaces
that data (one batch, undone with it); 报送情况 flags a county only another unit carried; a
conflict names the unit of each side."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from importers.undo import undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, carried, imported
from tiers.exchange import export_package, preview_package, read_package
from tiers.exchange.plan import PackageOutdated
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise, ExchangePackage
from tiers.progress import drain
from tiers.services import enterprises

CITY_BUREAU = "常州市工业和信息化局"
XINBEI_BUREAU = "常州市新北区工业和信息化局"


def _sent(database, path, counties, unit, when):
    with database.session() as session:
        drain(export_package(session, path, counties=counties, source_unit=unit, now=when))
    return read_package(path)


def _status(city, code):
    with city.session() as session:
        return next(line for line in package_status(session, city_code="320400")
                    if line.code == code)


def _sources(city, county):
    with city.session() as session:
        return {unit for (unit,) in session.execute(
            select(ExchangePackage.source_unit).join(
                Enterprise, Enterprise.source_package_id == ExchangePackage.id)
            .where(Enterprise.county_code == county, Enterprise.deleted_at.is_(None)))}


def test_the_countys_own_package_takes_over_what_another_unit_carried(county, city, tmp_path,
                                                                   capsys):
    carrier = _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY)
    imported(city, carrier)
    carried_line = _status(city, XINBEI)
    assert carried_line.sent and carried_line.by_other_unit
    assert carried_line.state == "他单位带来"
    assert "不是新北区自己的单位报送的" in carried_line.other_unit_line
    before = carried(city, county=XINBEI)
    if city.path:  # (tiers package list says it too)
        from ui.cli.main import main

        assert main(["--db", str(city.path), "package", "list", "--city", "320400"]) == 0
        listing = capsys.readouterr().out
        assert "新北区  他单位带来" in listing
        assert "新北区：数据只来自“常州市工业和信息化局”的数据包（导入批次 1）" in listing
    with county.session() as session:  # 新北 corrects a phone and drops a firm since
        firms = session.scalars(select(Enterprise).where(Enterprise.county_code == XINBEI)
                                .order_by(Enterprise.id)).all()
        enterprises.update(session, firms[0].id, {"contact_phone": "0519-86660000"})
        enterprises.soft_delete(session, firms[1].id)
        dropped_name = firms[1].name

    own = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY + dt.timedelta(hours=1))
    with city.session() as session:
        preview = preview_package(session, own)
    [note] = preview.takeovers  # (said first, apart from the other notes)
    assert "新北区的数据先前由“常州市工业和信息化局”的数据包（all.zip，导入批次 1" in note
    assert "导入后由它接管新北区" in note and "撤销本次导入即恢复原状" in note
    assert preview.conflicts == []

    assert preview.deleted_firms == [dropped_name]

    result = imported(city, own)
    assert result.conflicts == []
    assert carried(city, county=XINBEI) == carried(county, county=XINBEI)  # 新北's own now
    # (what it sends unchanged is its package's too: it no longer came from the carrier)
    assert _sources(city, XINBEI) == {XINBEI_BUREAU}
    assert _sources(city, WUJIN) == {CITY_BUREAU}  # the other county stays the carrier's
    line = _status(city, XINBEI)
    assert line.batch_id == result.batch_id and line.source_unit == XINBEI_BUREAU
    assert line.state == "已报送" and not line.by_other_unit and not line.other_unit_line

    with city.session() as session:  # undone: as it was
        drain(undo_batch(session, result.batch_id, user="市局"))
    assert carried(city, county=XINBEI) == before
    assert _sources(city, XINBEI) == {CITY_BUREAU}
    assert _status(city, XINBEI).by_other_unit


def test_an_own_package_older_than_the_carriers_is_refused_saying_what_to_do(
        county, city, tmp_path):
    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    older = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU,
                  DAY - dt.timedelta(hours=1))
    with city.session() as session, pytest.raises(PackageOutdated) as refused:
        preview_package(session, older)
    message = str(refused.value)
    assert "本应接管新北区" in message and "请新北区重新导出数据包后再导入" in message
    # undoing the carrier's batch would take 武进区 too: not suggested, warned against
    assert "先在“导入记录”中撤销" not in message
    assert "不要为此撤销导入批次 1：那会把它一并带来的武进区的数据也撤销" in message


def test_the_refusal_warns_of_no_undo_when_the_carrier_brought_that_county_only(
        county, city, tmp_path):
    imported(city, _sent(county, tmp_path / "xb-city.zip", [XINBEI], CITY_BUREAU, DAY))
    older = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU,
                  DAY - dt.timedelta(hours=1))
    with city.session() as session, pytest.raises(PackageOutdated) as refused:
        preview_package(session, older)
    assert str(refused.value).endswith("请新北区重新导出数据包后再导入")


def test_a_carriers_package_after_the_own_one_names_both_units(county, city, tmp_path):
    imported(city, _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY))
    carrier = _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU,
                    DAY + dt.timedelta(hours=1))
    with city.session() as session:
        preview = preview_package(session, carrier)
    assert any("新北区的数据由“常州市新北区工业和信息化局”的数据包（xb.zip，导入批次 1" in problem
               and "不替换它" in problem for problem in preview.problems)
    assert preview.conflicts
    message = preview.conflicts[0]["message"]
    assert ("已由“常州市新北区工业和信息化局”的数据包作为新北区企业报送，"
            "本数据包（“常州市工业和信息化局”报送）中也有") in message
    assert "新北区的数据以“常州市新北区工业和信息化局”报送的为准" in message
    assert _status(city, XINBEI).source_unit == XINBEI_BUREAU


def _live_firm(database, code):
    with database.session() as session:
        firm = enterprises.by_code(session, code, include_deleted=True)
        return (firm.name, firm.contact_phone, firm.county_code, firm.deleted_at,
                firm.source_package_id)


def test_the_citys_own_firm_of_the_county_stays_through_a_takeover(county, city, tmp_path):
    """本市自行录入的不动 (review26 #8): a firm the city entered itself in 新北区 is not
    binned when 新北's own package takes the county over, nor changed, nor when undone."""
    from tests.conftest import make_code

    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    code = make_code(991, XINBEI)
    with city.session() as session:
        enterprises.create(session, {"credit_code": code, "county": "新北区",
                                     "name": "常州新北市局自录有限公司",
                                     "contact_phone": "0519-85550000"})
    entered = _live_firm(city, code)
    assert entered[3] is None and entered[4] is None
    own = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY + dt.timedelta(hours=1))
    with city.session() as session:
        preview = preview_package(session, own)
    assert preview.takeovers and "常州新北市局自录有限公司" not in preview.deleted_firms
    result = imported(city, own)
    assert _live_firm(city, code) == entered
    with city.session() as session:
        drain(undo_batch(session, result.batch_id, user="市局"))
    assert _live_firm(city, code) == entered


def test_the_same_own_package_imported_twice_changes_nothing_the_second_time(county, city,
                                                                             tmp_path):
    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    own = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY + dt.timedelta(hours=1))
    first = imported(city, own)
    after_first = carried(city)
    status_first = _status(city, XINBEI)
    with city.session() as session:
        again = preview_package(session, read_package(tmp_path / "xb.zip"))
    assert again.takeovers == []  # 新北's own already: nothing taken over
    assert not again.changes() and not again.deleted_firms and again.conflicts == []
    assert not again.updated_values and not again.unbinned_firms
    second = imported(city, read_package(tmp_path / "xb.zip"))
    assert second.takeovers == [] and not second.changes()
    assert carried(city) == after_first
    assert _sources(city, WUJIN) == {CITY_BUREAU}
    line = _status(city, XINBEI)
    assert line.source_unit == XINBEI_BUREAU and not line.by_other_unit
    assert line.firms == status_first.firms
    assert first.batch_id != second.batch_id


def test_the_takeover_is_undone_after_a_later_package_of_that_county_is(county, city,
                                                                          tmp_path):
    """撤销即恢复原状 holds after 新北 sends again: the later package is undone first (the
    undo of the takeover says so until then), then the takeover's, and the carrier's data
    is back as it was."""
    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    before = carried(city)
    takeover = imported(city, _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU,
                                    DAY + dt.timedelta(hours=1)))
    with county.session() as session:  # 新北 corrects a phone, then sends again
        firm = session.scalars(select(Enterprise).where(Enterprise.county_code == XINBEI)
                               .order_by(Enterprise.id)).first()
        enterprises.update(session, firm.id, {"contact_phone": "0519-87770000"})
    later = imported(city, _sent(county, tmp_path / "xb2.zip", [XINBEI], XINBEI_BUREAU,
                                 DAY + dt.timedelta(hours=2)))
    assert later.changes("updated")
    from tiers.errors import Refused

    with pytest.raises(Refused, match=f"请先撤销批次 {later.batch_id}"), city.session() as session:
        drain(undo_batch(session, takeover.batch_id, user="市局"))
    with city.session() as session:
        drain(undo_batch(session, later.batch_id, user="市局"))
    with city.session() as session:
        drain(undo_batch(session, takeover.batch_id, user="市局"))
    assert carried(city) == before
    assert _sources(city, XINBEI) == {CITY_BUREAU}
    assert _status(city, XINBEI).by_other_unit


def _record_sources(city, county):
    """The units of the packages the county's live firms' records came from."""
    from tiers.exchange.format import RECORD_TABLES

    found = set()
    with city.session() as session:
        for spec in RECORD_TABLES:
            table = spec.model.__table__
            found |= {unit for (unit,) in session.execute(
                select(ExchangePackage.source_unit).join(
                    table, table.c.source_package_id == ExchangePackage.id)
                .join(Enterprise, Enterprise.id == table.c.enterprise_id)
                .where(Enterprise.county_code == county, Enterprise.deleted_at.is_(None)))}
    return found


def test_what_the_county_sends_unchanged_is_recorded_as_its_own_after_a_takeover(
        county, city, tmp_path):
    """Provenance (nocounty27): the firms and records 新北's own package sends unchanged
    kept the carrier's package as where they came from; they are 新北's package's now, still
    counted unchanged, undone with the takeover; the carrier's next package leaves them."""
    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    assert _sources(city, XINBEI) == _record_sources(city, XINBEI) == {CITY_BUREAU}
    own = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY + dt.timedelta(hours=1))
    with city.session() as session:
        preview = preview_package(session, own)
    assert preview.takeovers and not preview.changes()  # (all sent unchanged)
    result = imported(city, own)
    assert not result.changes() and sum(result.unchanged.values())
    assert _sources(city, XINBEI) == _record_sources(city, XINBEI) == {XINBEI_BUREAU}
    assert _sources(city, WUJIN) == _record_sources(city, WUJIN) == {CITY_BUREAU}
    line = _status(city, XINBEI)
    assert line.source_unit == XINBEI_BUREAU and line.batch_id == result.batch_id
    xinbei = carried(city, county=XINBEI)

    # the carrier's newer package: 新北's stays as 新北 sent it, its firms in conflict
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.county_code == XINBEI)
                               .order_by(Enterprise.id)).first()
        enterprises.update(session, firm.id, {"contact_phone": "0519-89990000"})
    carrier = _sent(county, tmp_path / "all2.zip", [WUJIN, XINBEI], CITY_BUREAU,
                    DAY + dt.timedelta(hours=2))
    with city.session() as session:
        again = preview_package(session, carrier)
    assert again.conflicts and not again.deleted_firms
    later = imported(city, carrier)
    assert carried(city, county=XINBEI) == xinbei
    assert _sources(city, XINBEI) == _record_sources(city, XINBEI) == {XINBEI_BUREAU}
    for batch_id in (later.batch_id, result.batch_id):
        with city.session() as session:
            drain(undo_batch(session, batch_id, user="市局"))
    assert _sources(city, XINBEI) == _record_sources(city, XINBEI) == {CITY_BUREAU}



def test_a_takeover_of_the_carriers_date_sending_all_unchanged_is_still_imported(
        county, city, tmp_path):
    """Exported at the carrier's very time and sending nothing new, the own package is not
    "newer", yet importing it records its county and provenance: the preview offers it
    (只登记这次报送), not 没有需要导入的变化 while the command line would write it."""
    imported(city, _sent(county, tmp_path / "all.zip", [WUJIN, XINBEI], CITY_BUREAU, DAY))
    own = _sent(county, tmp_path / "xb.zip", [XINBEI], XINBEI_BUREAU, DAY)
    with city.session() as session:
        preview = preview_package(session, own)
    assert preview.takeovers and not preview.changes()
    assert preview.writes and preview.only_sent
    result = imported(city, own)
    assert result.batch_id is not None
    assert _sources(city, XINBEI) == {XINBEI_BUREAU}
    assert _status(city, XINBEI).source_unit == XINBEI_BUREAU
