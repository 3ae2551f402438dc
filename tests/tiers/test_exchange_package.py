"""Exchange packages between counties and their city: two counties' packages into one city
database, a newer package from one of them with deletions and corrections, idempotence,
conflicts, older packages, the city's own records, and undo; on both engines."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from importers.undo import undo_batch
from tests.tiers.exchange_helpers import (
    DAY,
    WUJIN,
    XINBEI,
    carried,
    county_database,
    imported,
    sent,
)
from tiers.exchange import (
    PackageOutdated,
    export_package,
    import_package,
    package_status,
    preview_package,
    read_package,
)
from tiers.model.orm import (
    Change,
    Enterprise,
    ExchangePackage,
    ImportBatch,
    Recognition,
    SupportMeasure,
)
from tiers.progress import drain
from tiers.services import enterprises, figures, measures, recognitions
from tiers.storage.database import open_database


def test_two_counties_then_a_newer_package_replaces_one_countys_data(county, city, tmp_path):
    wujin = sent(county, tmp_path / "wj1.zip", WUJIN, DAY)
    xinbei = sent(county, tmp_path / "xb1.zip", XINBEI, DAY)
    first = imported(city, wujin)
    second = imported(city, xinbei)
    assert first.batch_id and second.batch_id
    assert first.created["enterprises"] == len(wujin.rows(wujin_spec()))
    assert carried(city, county=WUJIN) == carried(county, county=WUJIN)
    assert carried(city, county=XINBEI) == carried(county, county=XINBEI)
    as_first_sent = carried(city, county=WUJIN)

    # the county deletes and corrects, then sends a newer package
    with county.session() as session:
        firm_ids = session.scalars(select(Enterprise.id).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).all()
        gone_recognition = session.scalars(select(Recognition.id).where(
            Recognition.enterprise_id.in_(firm_ids)).order_by(Recognition.id)).first()
        recognitions.delete(session, gone_recognition)
        measure = session.scalars(select(SupportMeasure).where(
            SupportMeasure.enterprise_id.in_(firm_ids)).order_by(SupportMeasure.id)).first()
        measures.edit(session, measure.id, {"amount": "12.5", "note": "更正，含\"引号\",逗号\n换行"})
        enterprises.soft_delete(session, firm_ids[-1])
        enterprises.update(session, firm_ids[0], {"address": "武进区新地址 1 号"})
        figures.set_year(session, firm_ids[1], 2019, {"revenue": "321.5", "employees": 12})
    newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=3))

    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.deleted["recognitions"] == 1
    assert preview.deleted["enterprises"] == 1 and len(preview.deleted_firms) == 1
    assert preview.updated["support_measures"] == 1 and preview.updated["enterprises"] == 1
    assert preview.created["annual_figures"] == 1
    assert preview.batch_id is None
    result = imported(city, newer)
    assert result.deleted == preview.deleted and result.updated == preview.updated
    assert carried(city, county=WUJIN) == carried(county, county=WUJIN)
    assert carried(city, county=XINBEI) == carried(county, county=XINBEI)  # not touched

    # undone, the city is back at the first package of 武进
    with city.session() as session:
        drain(undo_batch(session, result.batch_id, user="市局"))
    assert carried(city, county=WUJIN) == as_first_sent
    again = imported(city, newer)  # and the newer one again gives the same result
    assert again.deleted == preview.deleted and again.updated == preview.updated
    assert carried(city, county=WUJIN) == carried(county, county=WUJIN)


def wujin_spec():
    from tiers.exchange.format import ENTERPRISES

    return ENTERPRISES


def test_the_same_package_twice_changes_nothing(county, city, tmp_path):
    package = sent(county, tmp_path / "wj.zip", WUJIN, DAY)
    imported(city, package)
    with city.session() as session:
        batches = session.scalar(select(func.count(ImportBatch.id)))
        changes = session.scalar(select(func.count(Change.id)))
    again = imported(city, package)
    assert again.batch_id is None
    assert not any(again.created.values()) and not any(again.updated.values())
    assert not any(again.deleted.values())
    assert again.unchanged["enterprises"] == len(package.rows(wujin_spec()))
    with city.session() as session:
        assert session.scalar(select(func.count(ImportBatch.id))) == batches
        assert session.scalar(select(func.count(Change.id))) == changes


def test_undo_of_a_newer_package_puts_deleted_records_back(county, city, tmp_path):
    first = sent(county, tmp_path / "wj1.zip", WUJIN, DAY)
    imported(city, first)
    before = carried(city, county=WUJIN)
    with county.session() as session:
        for recognition_id in session.scalars(select(Recognition.id).join(Enterprise).where(
                Enterprise.county_code == WUJIN)).all()[:5]:
            recognitions.delete(session, recognition_id)
    newer = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(1)))
    assert newer.deleted["recognitions"] == 5
    with city.session() as session:
        result = drain(undo_batch(session, newer.batch_id))
    assert result.reinstated == 5
    assert carried(city, county=WUJIN) == before
    # and the first package's batch can then be undone as well: the city is empty again
    with city.session() as session:
        first_batch = session.scalar(select(func.min(ExchangePackage.import_batch_id)))
        drain(undo_batch(session, first_batch))
        assert session.scalar(select(func.count(Enterprise.id))) == 0
        assert session.scalar(select(func.count(Recognition.id))) == 0


def test_an_older_package_is_refused(county, city, tmp_path):
    old = sent(county, tmp_path / "old.zip", WUJIN, DAY)
    new = sent(county, tmp_path / "new.zip", WUJIN, DAY + dt.timedelta(days=1))
    imported(city, new)
    with pytest.raises(PackageOutdated, match="旧"), city.session() as session:
        drain(import_package(session, old))


def test_a_firm_in_two_counties_packages_is_a_conflict_left_as_it_is(county, city, tmp_path):
    wujin = sent(county, tmp_path / "wj.zip", WUJIN, DAY)
    imported(city, wujin)
    with county.session() as session:  # a firm moves from 武进 to 新北
        moved = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).first()
        code, name = moved.credit_code, moved.name
        enterprises.update(session, moved.id, {"county": "新北区", "town": "",
                                                "address": "新北区某路"})
    xinbei = sent(county, tmp_path / "xb.zip", XINBEI, DAY)
    result = imported(city, xinbei)
    assert [c["credit_code"] for c in result.conflicts] == [code]
    assert {c["name"] for c in result.conflicts[0]["counties"]} == {"武进区", "新北区"}
    assert "武进区" in result.conflicts[0]["message"] and name in result.conflicts[0]["message"]
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        assert firm.county_code == WUJIN and firm.address != "新北区某路"


def test_records_the_city_entered_are_never_touched(county, city, tmp_path, code):
    package = sent(county, tmp_path / "wj.zip", WUJIN, DAY)
    sample = package.rows(wujin_spec())[0]
    with city.session() as session:  # the city knew the firm already, with its own data
        own = enterprises.create(session, {"credit_code": sample["credit_code"],
                                           "name": "市里录入的名称", "county": "武进区"})
        own_measure = measures.add(session, own.id, {"kind": "资金奖励", "name": "市级奖励",
                                                     "amount": "50", "year": 2025})
        own_id, own_measure_id = own.id, own_measure.id
    result = imported(city, package)
    assert any("本库自行录入" in problem for problem in result.problems)
    newer = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(1)))
    assert not any(newer.deleted.values())
    with city.session() as session:
        firm = session.get(Enterprise, own_id)
        assert firm.name == "市里录入的名称" and firm.source_package_id is None
        assert session.get(SupportMeasure, own_measure_id).amount == 50


def test_package_status_lists_the_citys_counties(county, city, tmp_path):
    imported(city, sent(county, tmp_path / "wj.zip", WUJIN, dt.datetime(2026, 3, 1)))
    with city.session() as session:
        lines = {line.code: line for line in package_status(session, city_code="320400",
                                                            year=2026)}
    assert lines[WUJIN].sent and lines[WUJIN].firms > 0
    assert lines[WUJIN].package_date == dt.datetime(2026, 3, 1)
    assert not lines[XINBEI].sent and lines[XINBEI].package_date is None
    assert {"320481", "320413", "320402", "320404"} <= set(lines)
    with city.session() as session:
        batch = session.scalar(select(ExchangePackage.import_batch_id))
        drain(undo_batch(session, batch))
        assert not {line.code: line for line in package_status(
            session, city_code="320400", year=2026)}[WUJIN].sent
        assert json.loads(session.scalar(select(ImportBatch.counts).where(
            ImportBatch.id == batch)))["created"]["enterprises"] > 0


def test_package_status_of_an_earlier_year(county, city, tmp_path):
    """Looking back at last year's round (in January, the one being closed): a county that
    sent in 2025 and again in 2026 was sent in 2025, with its 2025 package; one whose first
    package came in 2026 had not sent in 2025 (both read as this year's newest package)."""
    imported(city, sent(county, tmp_path / "wj25.zip", WUJIN, dt.datetime(2025, 11, 20)))
    with county.session() as session:  # (a year's figures later)
        firm = session.scalars(select(Enterprise.id).where(Enterprise.county_code == WUJIN)
                               .order_by(Enterprise.id)).first()
        enterprises.update(session, firm, {"address": "武进区新地址 1 号"})
    imported(city, sent(county, tmp_path / "wj26.zip", WUJIN, dt.datetime(2026, 11, 20)))
    imported(city, sent(county, tmp_path / "xb26.zip", XINBEI, dt.datetime(2026, 3, 1)))
    with city.session() as session:
        last_year = {line.code: line for line in package_status(session, city_code="320400",
                                                                year=2025)}
        this_year = {line.code: line for line in package_status(session, city_code="320400",
                                                                year=2026)}
    assert last_year[WUJIN].sent and last_year[WUJIN].package_date == dt.datetime(2025, 11, 20)
    assert last_year[WUJIN].packages == 1
    assert not last_year[XINBEI].sent and last_year[XINBEI].package_date is None
    assert this_year[WUJIN].sent and this_year[WUJIN].package_date == dt.datetime(2026, 11, 20)
    assert this_year[XINBEI].sent and this_year[WUJIN].packages == 2


def test_a_newer_package_that_changes_nothing_is_recorded_as_sent(county, city, tmp_path):
    """A county sending again in January what it sent in December: nothing changes, but the
    city's 报送情况 must show it as sent this year (it showed 往年报送, and the city chased a
    county that had sent). The same package a second time still changes nothing at all, and
    undoing the receipt withdraws it."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, dt.datetime(2025, 12, 20)))
    again = sent(county, tmp_path / "wj2.zip", WUJIN, dt.datetime(2026, 1, 5))
    with city.session() as session:
        preview = preview_package(session, again)
        changes_before = session.scalar(select(func.count(Change.id)))
    assert preview.only_sent
    assert not any(sum(getattr(preview, key).values()) for key in ("created", "updated",
                                                                   "deleted"))
    receipt = imported(city, again)
    assert receipt.batch_id is not None and receipt.only_sent

    def wujin(year):
        with city.session() as session:
            return {line.code: line for line in package_status(
                session, city_code="320400", year=year)}[WUJIN]

    assert wujin(2026).sent and wujin(2026).package_date == dt.datetime(2026, 1, 5)
    with city.session() as session:
        assert session.scalar(select(func.count(Change.id))) == changes_before
    twice = imported(city, read_package(tmp_path / "wj2.zip"))
    assert twice.batch_id is None and not twice.only_sent
    with city.session() as session:
        drain(undo_batch(session, receipt.batch_id))
    assert not wujin(2026).sent and wujin(2026).package_date == dt.datetime(2025, 12, 20)


def test_a_package_never_replaces_a_county_another_unit_reports(tmp_path):
    """A county office's whole database lists its neighbours' firms too: exported without
    choosing counties, its package must not bin the firms the neighbour itself reported
    (#16 review: 武进's package put all of 新北's firms in the 回收站)."""
    from sqlalchemy import func, select

    from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI
    from tiers.exchange import import_package
    from tiers.exchange.status import suppliers
    from tiers.model.orm import Enterprise

    xinbei_office = county_database(str(tmp_path / "xb.sqlite3"), enterprises=40, seed=7)
    wujin_office = county_database(str(tmp_path / "wj.sqlite3"), enterprises=40, seed=8)
    city = open_database(str(tmp_path / "city.sqlite3"))

    def package(database, name, when, counties):
        with database.session() as session:
            drain(export_package(session, tmp_path / name, counties=counties, now=when))
        return read_package(tmp_path / name)

    def live_xinbei():
        with city.session() as session:
            return session.scalar(select(func.count()).where(
                Enterprise.county_code == XINBEI, Enterprise.deleted_at.is_(None)))

    with city.session() as session:
        drain(import_package(session, package(xinbei_office, "xb.zip", DAY, [XINBEI]),
                             user="市局"))
    before = live_xinbei()
    assert before
    everything = package(wujin_office, "wj.zip", DAY + dt.timedelta(hours=1), [])
    assert {XINBEI, WUJIN} <= everything.county_codes
    with city.session() as session:
        result = drain(import_package(session, everything, user="市局"))
        assert not result.deleted_firms
        assert any("新北区的数据由" in problem for problem in result.problems)
        reported = suppliers(session)
    assert live_xinbei() == before
    assert reported[XINBEI] == "新北区" and reported[WUJIN] != "新北区"
    city.dispose()


@pytest.mark.server_only
def test_a_first_big_package_leaves_every_table_to_other_officers(county, city, tmp_path,
                                                                   monkeypatch):
    """While a county's first package is being written on a server, other officers go on
    reading and saving: no table is held until the commit (DROP INDEX would hold it, and
    every read and save of it would queue behind the import). The writer is told the
    package is a million rows per table, as a large county's first package would be."""
    import psycopg

    from tiers.storage import bulk_postgres

    imported(city, sent(county, tmp_path / "xb.zip", XINBEI, DAY))
    with city.session() as session:
        neighbour = session.scalar(select(Enterprise.id).limit(1))
    package = sent(county, tmp_path / "wj.zip", WUJIN, DAY)
    told = bulk_postgres.PostgresBulkWriter.drop_secondary_indexes
    monkeypatch.setattr(bulk_postgres.PostgresBulkWriter, "drop_secondary_indexes",
                        lambda self, table, *, adding: told(self, table, adding=1_000_000))
    driver_url = city.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False)
    indexes = "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
    with psycopg.connect(driver_url) as other:
        before = other.execute(indexes).fetchone()[0]
        other.rollback()
    done_meanwhile = []

    def other_officers(progress):
        if progress.stage == "写入数据包" and progress.done == 2:  # rows written, not committed
            with psycopg.connect(driver_url) as other:
                other.execute("SET lock_timeout = '2s'")
                for table in ("enterprise", "recognition", "annual_figures", "change"):
                    other.execute(f"SELECT count(*) FROM {table}").fetchone()
                other.execute("UPDATE enterprise SET notes = '同事的修改' WHERE id = %s",
                              (neighbour,))
                other.execute("INSERT INTO change (at, \"user\", entity, entity_id, action, "
                              "field) VALUES (now(), '另一位科员', 'enterprise', %s, 'update', "
                              "'notes')", (neighbour,))
                assert other.execute(indexes).fetchone()[0] == before
                other.rollback()
                done_meanwhile.append(progress.done)

    with city.session() as session:
        result = drain(import_package(session, package, user="市局"), other_officers)
    assert done_meanwhile == [2] and result.created["enterprises"] > 0
