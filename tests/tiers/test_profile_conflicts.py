"""No lost updates: two officers open one firm, both edit, both save. The second save is
checked against the version it was made from; one-sided changes merge by themselves, fields
both changed differently come back as a conflict with base, theirs and mine, and nothing
the first officer saved is lost (on SQLite and, with --postgres, on PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiers.model.orm import Enterprise
from tiers.queries import profiles
from tiers.services import enterprises, figures, measures, recognitions, versions
from tiers.services.profile import (
    DELETED,
    EDITED,
    NEW,
    SAVED,
    Choice,
    ProfileConflict,
    RecordEdit,
    Resolutions,
    load,
    save_profile,
)
from tiers.services.profile_merge import KEEP_MINE, KEEP_THEIRS, MERGED


@pytest.fixture
def firm(database, code) -> int:
    with database.session() as session:
        firm_id = enterprises.create(session, {
            "credit_code": code(1), "name": "常州甲机械有限公司", "county": "武进区",
            "town": "湖塘镇", "address": "湖塘路1号", "main_product": "齿轮"}).id
        recognitions.add(session, firm_id, {"tier_code": "innovative", "batch_year": 2024,
                                            "document_number": "常工信〔2024〕1号"})
        figures.set_year(session, firm_id, 2024, {"revenue": "1000", "employees": "50"})
        measures.add(session, firm_id, {"kind": "资金奖励", "name": "首台套", "amount": "10",
                                        "year": 2024})
    return firm_id


def _open(database, firm_id):
    with database.session() as session:
        return load(session, firm_id)


def _save(database, firm_id, base, basic=None, **edits):
    with database.session() as session:
        return save_profile(session, firm_id, basic or {}, base=base, user="officer", **edits)


def _stored(database, firm_id):
    with database.session() as session:
        return profiles.profile(session, firm_id)


def _row_edit(row, state, **values):
    form = {k: v for k, v in row.items() if k != "id"}  # what a form gives: no id
    return RecordEdit(state, row["id"], {**form, **values}, dict(row))


def test_every_write_to_a_firm_or_its_records_raises_its_version(database, firm):
    with database.session() as session:
        before = versions.current(session, firm)
        recognition_id = profiles.profile(session, firm)["recognitions"][0]["id"]
    with database.session() as session:
        recognitions.edit(session, recognition_id, {"tier_code": "innovative",
                                                    "batch_year": 2024, "note": "复查"})
    with database.session() as session:
        assert versions.current(session, firm) == before + 1  # once per transaction
        enterprises.update(session, firm, {"address": "新址", "main_product": "轴承"})
    with database.session() as session:
        assert versions.current(session, firm) == before + 2


def test_the_second_save_of_the_same_field_is_a_conflict_with_three_values(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号"})
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, {"address": "湖塘路9号"})
    conflict = raised.value
    assert "保存前，officer 已修改了这家企业" in str(conflict)  # named: the change log says who
    [item] = conflict.conflicts
    assert (item.key, item.subject, item.base, item.theirs, item.mine) == (
        "basic:address", "地址", "湖塘路1号", "湖塘路8号", "湖塘路9号")
    assert item.editable
    assert _stored(database, firm)["address"] == "湖塘路8号"  # nothing of the second written


def test_fields_only_one_side_changed_merge_and_nothing_is_lost(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号"})
    saved = _save(database, firm, second, {"main_product": "减速机"})
    assert "地址" in saved.merged_theirs
    stored = _stored(database, firm)
    assert (stored["address"], stored["main_product"]) == ("湖塘路8号", "减速机")


def test_the_same_change_on_both_sides_is_no_conflict(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号"})
    _save(database, firm, second, {"address": "湖塘路8号"})
    assert _stored(database, firm)["address"] == "湖塘路8号"


@pytest.mark.parametrize(("keep", "text", "expected"), [
    (KEEP_THEIRS, "", "湖塘路8号"), (KEEP_MINE, "", "湖塘路9号"),
    (MERGED, "湖塘路8-9号", "湖塘路8-9号")])
def test_a_settled_conflict_saves_against_the_new_version(database, firm, keep, text,
                                                          expected):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号", "notes": "甲的备注"})
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, {"address": "湖塘路9号"})
    settled = Resolutions(raised.value.version, {"basic:address": Choice(keep, text)})
    with database.session() as session:
        save_profile(session, firm, {"address": "湖塘路9号"}, base=second,
                     resolutions=settled)
    stored = _stored(database, firm)
    assert (stored["address"], stored["notes"]) == (expected, "甲的备注")


def test_choices_made_on_an_older_version_do_not_overwrite_a_newer_save(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号"})
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, {"address": "湖塘路9号"})
    # while the second officer chooses, a third one saves
    _save(database, firm, _open(database, firm), {"address": "湖塘路10号"})
    settled = Resolutions(raised.value.version, {"basic:address": Choice(KEEP_MINE)})
    with pytest.raises(ProfileConflict) as again, database.session() as session:
        save_profile(session, firm, {"address": "湖塘路9号"}, base=second,
                     resolutions=settled)
    assert again.value.conflicts[0].theirs == "湖塘路10号"
    assert _stored(database, firm)["address"] == "湖塘路10号"


def test_a_record_field_both_changed_is_a_conflict_others_merge(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    [row] = first.profile["recognitions"]
    _save(database, firm, first, recognition_edits=[
        _row_edit(row, EDITED, document_number="常工信〔2024〕2号", note="甲")])
    [row] = second.profile["recognitions"]
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, recognition_edits=[
            _row_edit(row, EDITED, document_number="常工信〔2024〕3号", issuer="常州市工信局")])
    [item] = raised.value.conflicts
    assert item.key == f"recognitions:{row['id']}:document_number"
    assert (item.base, item.theirs, item.mine) == (
        "常工信〔2024〕1号", "常工信〔2024〕2号", "常工信〔2024〕3号")
    settled = Resolutions(raised.value.version, {item.key: Choice(KEEP_MINE)})
    _save(database, firm, second, recognition_edits=[
        _row_edit(row, EDITED, document_number="常工信〔2024〕3号", issuer="常州市工信局")],
        resolutions=settled)
    [stored] = _stored(database, firm)["recognitions"]
    assert (stored["document_number"], stored["note"], stored["issuer"]) == (
        "常工信〔2024〕3号", "甲", "常州市工信局")


def test_a_record_the_other_side_deleted_is_never_silently_recreated(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    [measure] = first.profile["support_measures"]
    _save(database, firm, first, measure_edits=[RecordEdit(DELETED, measure["id"],
                                                           original=dict(measure))])
    [measure] = second.profile["support_measures"]
    edit = _row_edit(measure, EDITED, amount="12")
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, measure_edits=[edit])
    [item] = raised.value.conflicts
    assert (item.key, item.theirs) == (f"measures:{measure['id']}", "（已删除）")
    assert "12" in item.mine
    assert _stored(database, firm)["support_measures"] == []
    _save(database, firm, second, measure_edits=[edit], resolutions=Resolutions(
        raised.value.version, {item.key: Choice(KEEP_THEIRS)}))
    assert _stored(database, firm)["support_measures"] == []
    _save(database, firm, second, measure_edits=[edit], resolutions=Resolutions(
        raised.value.version + 1, {item.key: Choice(KEEP_MINE)}))
    [recreated] = _stored(database, firm)["support_measures"]
    assert recreated["amount"] == Decimal("12")


def test_deleting_a_record_the_other_side_changed_asks(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    [row] = first.profile["figures"]
    _save(database, firm, first, figures_edits=[_row_edit(row, EDITED, revenue="1200")])
    [row] = second.profile["figures"]
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, figures_edits=[RecordEdit(DELETED, row["id"],
                                                                original=dict(row))])
    [item] = raised.value.conflicts
    assert item.mine == "删除" and "1200" in item.theirs
    assert _stored(database, firm)["figures"][0]["revenue"] == Decimal("1200")


def test_a_year_both_added_is_a_conflict_not_an_overwrite(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, figures_edits=[RecordEdit(NEW, values={
        "year": 2025, "revenue": "1500"})])
    with pytest.raises(ProfileConflict) as raised:
        _save(database, firm, second, figures_edits=[RecordEdit(NEW, values={
            "year": 2025, "revenue": "1600"})])
    assert raised.value.conflicts[0].key == "figures:new:2025"
    stored = {f["year"]: f["revenue"] for f in _stored(database, firm)["figures"]}
    assert stored[2025] == Decimal("1500")


def test_a_new_record_and_untouched_rows_merge_without_asking(database, firm):
    first, second = _open(database, firm), _open(database, firm)
    _save(database, firm, first, {"address": "湖塘路8号"})
    [row] = second.profile["recognitions"]
    saved = _save(database, firm, second, recognition_edits=[
        RecordEdit(SAVED, row["id"], {}, dict(row)),
        RecordEdit(NEW, values={"tier_code": "zjtx", "batch_year": 2025})])
    assert saved.merged_theirs == ("地址",)
    assert len(_stored(database, firm)["recognitions"]) == 2


def test_a_save_without_anyone_in_between_needs_no_merge(database, firm):
    base = _open(database, firm)
    saved = _save(database, firm, base, {"address": "湖塘路8号"})
    assert saved.merged_theirs == ()
    with database.session() as session:
        assert versions.current(session, firm) == base.version + 1


@pytest.mark.server_only
def test_two_officers_on_two_engines_against_the_server(db_target, code):
    """Two clients (each its own engine and connections) on the real server."""
    from tiers.storage.database import open_database

    first_client, second_client = open_database(db_target), open_database(db_target)
    try:
        with first_client.session() as session:
            firm_id = enterprises.create(session, {
                "credit_code": code(77),
                "name": "常州乙有限公司", "county": "武进区", "address": "旧址"}).id
        first, second = _open(first_client, firm_id), _open(second_client, firm_id)
        _save(first_client, firm_id, first, {"address": "甲写的地址", "main_product": "电机"})
        with pytest.raises(ProfileConflict) as raised:
            _save(second_client, firm_id, second, {"address": "乙写的地址"})
        [item] = raised.value.conflicts
        assert (item.base, item.theirs, item.mine) == ("旧址", "甲写的地址", "乙写的地址")
        _save(second_client, firm_id, second, {"address": "乙写的地址"},
              resolutions=Resolutions(raised.value.version,
                                      {item.key: Choice(MERGED, "甲乙商定的地址")}))
        with second_client.session() as session:
            stored = session.get(Enterprise, firm_id)
            assert (stored.address, stored.main_product) == ("甲乙商定的地址", "电机")
    finally:
        first_client.dispose()
        second_client.dispose()

