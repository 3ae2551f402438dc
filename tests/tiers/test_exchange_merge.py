"""A newer package merged field by field with the city's own corrections (tiers.exchange
.merge): a value the city changed and the county did not is kept (保留本市修改), one both
changed takes the county's (本市和区县都修改过), and the window of the city's edit is the
field's own, so that a package which kept the city's address while it updated the firm's
phone does not make the next package overwrite that address (a new-user tester's finding:
the county's next package, still blank there, wiped the address the city had verified)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from importers.undo import undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import merge, preview_package
from tiers.exchange.plan import plan_package
from tiers.model.orm import Change, Enterprise, Recognition
from tiers.progress import drain
from tiers.queries.history import history
from tiers.queries.imports import batch_enterprises
from tiers.services import enterprises, recognitions
from tiers.services.profile import save_profile

ADDRESS = "常州市武进区湖塘镇XX路1号"


def _firm(database, code: str) -> Enterprise:
    with database.session() as session:
        firm = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        session.expunge(firm)
        return firm


def _later(days: int) -> dt.datetime:
    return DAY + dt.timedelta(days=days)


def _corrected_by_the_city(county, city, tmp_path):
    """Package 1 (the firm's address blank at the county) imported; the city fills in the
    address and corrects the phone. The county's firm (id, code, name)."""
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        firm.address, firm.contact_phone = "", "0519-1000"
        here = (firm.id, firm.credit_code, firm.name)
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with city.session() as session:
        save_profile(session, _firm(city, here[1]).id,
                     {"address": ADDRESS, "contact_phone": "0519-2000"}, user="市局")
    return here


def _county_changes(county, firm_id: int, values: dict) -> None:
    with county.session() as session:
        enterprises.update(session, firm_id, values)


def test_the_citys_value_is_kept_where_the_county_did_not_change_it(county, city, tmp_path):
    firm_id, code, name = _corrected_by_the_city(county, city, tmp_path)
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    second = sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))
    with city.session() as session:
        preview = preview_package(session, second)
    assert preview.kept == 1 and preview.as_json()["kept"] == 1
    assert preview.kept_values == [f"保留本市修改：{name}：地址 {ADDRESS}（本市）；区县数据包仍为（空）"]
    assert preview.city_edits_overwritten == 1
    assert preview.updated_values == [
        f"本市和区县都修改过：{name}：联系电话 0519-2000（本市） → 0519-3000（区县数据包）"]
    result = imported(city, second)
    assert result.kept == 1 and result.as_json()["kept"] == 1
    firm = _firm(city, code)
    assert (firm.address, firm.contact_phone) == (ADDRESS, "0519-3000")

    # package 3 changes another field of the same firm: the address is still the city's
    # (the record came from package 2 by then; the window is the address's own)
    _county_changes(county, firm_id, {"notes": "第三个数据包的备注"})
    third = sent(county, tmp_path / "wj3.zip", WUJIN, _later(2))
    with city.session() as session:
        preview = preview_package(session, third)
    assert preview.kept == 1, preview.updated_values
    assert preview.updated_values == [f"{name}：备注 （空） → 第三个数据包的备注"]
    assert imported(city, third).kept == 1
    firm = _firm(city, code)
    assert (firm.address, firm.contact_phone, firm.notes) == (ADDRESS, "0519-3000",
                                                               "第三个数据包的备注")


def test_the_same_package_twice_changes_nothing(county, city, tmp_path):
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    second = sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))
    imported(city, second)
    again = imported(city, second)
    assert not again.changes() and again.batch_id is None and again.kept == 1
    firm = _firm(city, code)
    assert (firm.address, firm.contact_phone) == (ADDRESS, "0519-3000")


def test_a_package_that_only_keeps_changes_nothing(county, city, tmp_path):
    """The county sends again what it sent: the firm the city corrected is no update at all
    (its provenance stays; nothing written), and the next package still keeps the address."""
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    first_source = _firm(city, code).source_package_id
    same = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1)))
    assert same.kept == 2 and not same.changes()
    assert _firm(city, code).source_package_id == first_source
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj3.zip", WUJIN, _later(2)))
    assert preview.kept == 1 and preview.city_edits_overwritten == 1


def test_undoing_the_package_puts_everything_back(county, city, tmp_path):
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    before = _firm(city, code)
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    second = sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))
    batch = imported(city, second).batch_id
    with city.session() as session:
        drain(undo_batch(session, batch, user="市局"))
    firm = _firm(city, code)
    assert (firm.address, firm.contact_phone, firm.source_package_id) == (
        ADDRESS, "0519-2000", before.source_package_id)
    with city.session() as session:  # and previewed again, the same merge
        preview = preview_package(session, second)
    assert preview.kept == 1 and preview.city_edits_overwritten == 1


def test_an_edit_taken_back_by_hand_is_not_the_citys(county, city, tmp_path):
    firm_id, code, name = _corrected_by_the_city(county, city, tmp_path)
    with city.session() as session:  # the address and phone put back as the county sent them
        save_profile(session, _firm(city, code).id, {"address": "", "contact_phone": "0519-1000"},
                     user="市局")
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1)))
    assert preview.kept == 0 and preview.city_edits_overwritten == 0
    assert preview.updated_values == [f"{name}：联系电话 0519-1000 → 0519-3000"]


def test_a_record_an_undo_puts_back_is_not_the_citys_edit(county, city, tmp_path):
    """Package 1 brings a recognition with a note; the city corrects its 文号; package 2
    drops the recognition and is undone (the undo's create line puts it back, no batch);
    package 3 sends it with the note cleared: the county's clearing comes in (the undo's
    create line started no window: every field looked city-edited, with an empty base),
    and the city's 文号 is kept."""
    with county.session() as session:
        record = session.scalars(select(Recognition).join(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Recognition.id)).first()
        record.note, record.document_number = "区县备注", "县1号"
        code, county_id = record.enterprise.credit_code, record.id
        columns = {c.name: getattr(record, c.name) for c in Recognition.__table__.columns}
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with city.session() as session:
        here = session.scalars(select(Recognition.id).join(Enterprise).where(
            Enterprise.credit_code == code, Recognition.document_number == "县1号")).one()
        recognitions.edit(session, here, {"document_number": "市改1号"}, user="市局")
    with county.session() as session:
        session.delete(session.get(Recognition, county_id))
    dropped = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))).batch_id
    with city.session() as session:
        drain(undo_batch(session, dropped, user="市局"))
    with county.session() as session:
        session.add(Recognition(**{**columns, "note": ""}))  # the county clears its note
    third = sent(county, tmp_path / "wj3.zip", WUJIN, _later(2))
    with city.session() as session:
        preview = preview_package(session, third)
    assert preview.kept == 1 and preview.city_edits_overwritten == 0, preview.kept_values
    imported(city, third)
    with city.session() as session:
        back = session.get(Recognition, here)
        assert (back.note or "", back.document_number) == ("", "市改1号")


def _markers(database) -> list[tuple[int, str, str | None, int]]:
    with database.session() as session:
        return [tuple(row) for row in session.execute(
            select(Change.entity_id, Change.field, Change.new_value, Change.import_batch_id)
            .where(Change.action == "update", Change.old_value == Change.new_value)
            .order_by(Change.id))]


@pytest.mark.parametrize("chunk", [900, 2])
def test_a_package_agreeing_with_the_citys_value_starts_the_window(county, city, tmp_path,
                                                                   monkeypatch, chunk):
    """(chunk 2: the records read as many, one query for the table's lines not a
    package's.) The recommended workflow: the city corrects the phone, the county makes the same
    correction and its package 2 sends it (nothing to write: the same value); the city
    changes it again; package 3, still sending the county's value, keeps the city's newer
    one (the base was package 1's value: 本市和区县都修改过, and the city's was lost). Package
    2 writes one marker line (old == new), once, shown nowhere, and its undo stays exact."""
    monkeypatch.setattr(merge, "CHUNK", chunk)
    firm_id, code, name = _corrected_by_the_city(county, city, tmp_path)
    city_id = _firm(city, code).id
    _county_changes(county, firm_id, {"contact_phone": "0519-2000"})  # the county agrees
    second = sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))
    result = imported(city, second)
    assert result.kept == 1 and not result.changes()  # (the address)
    assert _markers(city) == [(city_id, "contact_phone", '"0519-2000"', result.batch_id)]
    again = imported(city, second)  # the same package twice: nothing written
    assert again.batch_id is None and len(_markers(city)) == 1
    with city.session() as session:  # the marker is in no history nor 导入记录's firms
        lines = history(session, city_id)
        assert all(line["old"] != line["new"] for line in lines if line["action"] == "update")
        assert batch_enterprises(session, result.batch_id) == []
        save_profile(session, city_id, {"contact_phone": "0519-5000"}, user="市局")
    third = sent(county, tmp_path / "wj3.zip", WUJIN, _later(2))
    with city.session() as session:
        preview = preview_package(session, third)
    assert preview.kept == 2 and preview.city_edits_overwritten == 0, preview.updated_values
    assert f"保留本市修改：{name}：联系电话 0519-5000（本市）；区县数据包仍为0519-2000" in \
        preview.kept_values
    assert imported(city, third).kept == 2
    assert _firm(city, code).contact_phone == "0519-5000"
    assert len(_markers(city)) == 1  # package 3 sends another value: kept, no marker

    # the county changes the phone after all: its value comes in, and both changed
    _county_changes(county, firm_id, {"contact_phone": "0519-3000"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj4.zip", WUJIN,
                                                _later(3)))
    assert preview.kept == 1 and preview.city_edits_overwritten == 1


def test_a_firm_given_only_a_marker_line_is_among_the_firms_written(county, city, tmp_path):
    """On a server the import locks the firms it writes (plan.firms_written) before it
    writes: a firm that gets only a marker line was not among them, so an officer's edit
    saved between the plan and the writes landed before the marker, and the next package
    took the marker for the base and overwrote that edit."""
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    _county_changes(county, firm_id, {"contact_phone": "0519-2000"})
    package = sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))
    with city.session() as session:
        plan = plan_package(session, package)
    city_id = _firm(city, code).id
    assert [firm for _, _, firm, _, _ in plan.agreed] == [city_id]
    assert city_id in plan.firms_written()


def test_a_text_field_agreed_with_is_compared_as_text(county, city, tmp_path):
    """The phone 5123456 that the city corrected to 05123456 (the county agreeing) is a
    change: compared as numbers they were alike, no marker line was written, and the
    city's next correction was overwritten as 本市和区县都修改过."""
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        firm.contact_phone = "5123456"
        firm_id, code = firm.id, firm.credit_code
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    city_id = _firm(city, code).id
    with city.session() as session:
        save_profile(session, city_id, {"contact_phone": "05123456"}, user="市局")
    _county_changes(county, firm_id, {"contact_phone": "05123456"})
    result = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1)))
    assert _markers(city) == [(city_id, "contact_phone", '"05123456"', result.batch_id)]
    with city.session() as session:
        save_profile(session, city_id, {"contact_phone": "0519-5123456"}, user="市局")
        preview = preview_package(session, sent(county, tmp_path / "wj3.zip", WUJIN,
                                                _later(2)))
    assert preview.kept == 1 and preview.city_edits_overwritten == 0, preview.updated_values


@pytest.mark.parametrize("chunk", [900, 2])
def test_an_edit_a_later_package_overwrote_is_not_read_again(county, city, tmp_path,
                                                             monkeypatch, chunk):
    """Only the records whose edits here stand after the packages' lines for their field
    are read: a roster imported at the city wrote one line per firm, which the county's
    next package overwrote, and every newer package read every firm's change log (100,000
    firms: plan time doubled)."""
    monkeypatch.setattr(merge, "CHUNK", chunk)
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    city_id = _firm(city, code).id
    _county_changes(county, firm_id, {"contact_phone": "0519-3000", "address": "县地址"})
    imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1)))  # overwrites both
    read: list[int] = []
    lines = merge._lines
    monkeypatch.setattr(merge, "_lines", lambda session, entity, ids: (
        read.extend(ids), lines(session, entity, ids))[1])
    _county_changes(county, firm_id, {"contact_phone": "0519-4000"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj3.zip", WUJIN,
                                                _later(2)))
    assert preview.kept == 0 and preview.city_edits_overwritten == 0
    assert city_id not in read
    with city.session() as session:  # the city edits again: read, and kept
        save_profile(session, city_id, {"address": ADDRESS}, user="市局")
        preview = preview_package(session, sent(county, tmp_path / "wj4.zip", WUJIN,
                                                _later(3)))
    assert city_id in read and preview.kept == 1


def test_undoing_a_package_with_a_marker_line_is_exact(county, city, tmp_path):
    firm_id, code, _ = _corrected_by_the_city(county, city, tmp_path)
    _county_changes(county, firm_id, {"contact_phone": "0519-2000"})
    batch = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, _later(1))).batch_id
    assert len(_markers(city)) == 1
    before = _firm(city, code)
    with city.session() as session:
        undone = drain(undo_batch(session, batch, user="市局"))
    assert undone.restored == 0 and not undone.kept
    firm = _firm(city, code)
    assert (firm.address, firm.contact_phone, firm.source_package_id) == (
        before.address, before.contact_phone, before.source_package_id)
    with city.session() as session:  # undone: its marker starts no window any more
        save_profile(session, firm.id, {"contact_phone": "0519-5000"}, user="市局")
        preview = preview_package(session, sent(county, tmp_path / "wj3.zip", WUJIN,
                                                _later(2)))
    assert preview.city_edits_overwritten == 1 and preview.kept == 1
