"""Firms without a county (（未填区县）: a county's 开发区 firms, ``--county none``) belong at
the city to the unit whose package sent them, not to one "county" every package shares.

溧阳市 and 金坛区 each send their own 开发区 firms with their county: 金坛's then showed as
conflicts with 溧阳's, a newer package of 溧阳 binned 金坛's, and 报送情况 had one line for
both. Now the owner of a firm without a county is the sending unit: different firms of the
two units never conflict, each unit's newer package replaces only its own, a firm (same
credit code) truly in both is still a conflict naming both units, and 报送情况 counts each
unit's apart; undo and a package imported twice hold."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from importers.undo import undo_batch
from importers.undo.types import UndoRefused
from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, carried, imported
from tiers.exchange import export_package, preview_package, read_package
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise, ImportBatch
from tiers.progress import drain
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database

LIYANG, JINTAN = "320481", "320413"
LY_UNIT, JT_UNIT = "溧阳市工业和信息化局", "常州市金坛区工业和信息化局"
SHARED = make_code(99, "320400")  # a 开发区 firm both units send (it moved, or a mistake)


def _laptop(path, county: str, serial: int, zone: str):
    """A county's database: two firms of the county, two of its 开发区 (no county code, each
    with a recognition) and the firm both send."""
    database = open_database(path)
    with database.session() as session:
        for offset in range(2):
            enterprises.create(session, {"credit_code": make_code(serial + offset, county),
                                         "county": county, "name": f"{zone}本县{offset}有限公司"})
        for offset in range(2):
            firm = enterprises.create(session, {
                "credit_code": make_code(serial + 10 + offset, "320400"), "county": zone,
                "name": f"{zone}园区{offset}有限公司", "contact_phone": "0519-80000000"})
            assert firm.county_code is None
            recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2025,
                                                "batch_label": "2025年度"})
        enterprises.create(session, {"credit_code": SHARED, "county": zone,
                                     "name": "常州两地园区有限公司"})
    return database


def _sent(database, path, county, unit, when):
    with database.session() as session:
        drain(export_package(session, path, counties=[county, ""], source_unit=unit, now=when))
    return read_package(path)


def _firm(database, code):
    with database.session() as session:
        return session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).first()


def _zone_lines(city):
    with city.session() as session:
        lines = [line for line in package_status(session, city_code="320400",
                                                 year=DAY.year) if not line.code]
    return {line.source_unit: line for line in lines}


@pytest.fixture
def laptops(new_target):
    liyang = _laptop(new_target("liyang.sqlite3"), LIYANG, 1, "溧阳高新区")
    jintan = _laptop(new_target("jintan.sqlite3"), JINTAN, 21, "金坛经开区")
    yield liyang, jintan
    liyang.dispose()
    jintan.dispose()


def test_each_units_firms_without_a_county_are_its_own(laptops, city, tmp_path):
    liyang, jintan = laptops
    ly_code, ly_gone = make_code(11, "320400"), make_code(12, "320400")
    jt_codes = [make_code(31, "320400"), make_code(32, "320400")]
    first = imported(city, _sent(liyang, tmp_path / "ly.zip", LIYANG, LY_UNIT, DAY))
    assert first.conflicts == [] and first.created["enterprises"] == 5

    # (exported before 溧阳's: not refused as older than 溧阳's firms without a county)
    jt = _sent(jintan, tmp_path / "jt.zip", JINTAN, JT_UNIT, DAY - dt.timedelta(hours=1))
    with city.session() as session:
        preview = preview_package(session, jt)
    # only the firm both units sent conflicts, named with both units
    assert [c["credit_code"] for c in preview.conflicts] == [SHARED]
    message = preview.conflicts[0]["message"]
    assert f"“{LY_UNIT}”" in message and f"“{JT_UNIT}”" in message
    assert "未填区县" in message
    assert not any("不替换" in problem for problem in preview.problems)
    # the preview says whose the firms without a county are (both read （未填区县）)
    assert (f"本数据包中未填区县的 3 家企业是“{JT_UNIT}”报送的，只与“{JT_UNIT}”先前报送的未填区县"
            f"企业比对、替换；其他单位报送的未填区县企业（“{LY_UNIT}” 3 家）不受影响") in " ".join(
        preview.problems)
    second = imported(city, jt)
    assert second.created["enterprises"] == 4 and len(second.conflicts) == 1
    for code in jt_codes:
        assert _firm(city, code).deleted_at is None

    lines = _zone_lines(city)  # 报送情况: one line per sending unit
    assert set(lines) == {LY_UNIT, JT_UNIT}
    assert (lines[LY_UNIT].firms, lines[LY_UNIT].conflicts) == (3, 0)
    assert (lines[JT_UNIT].firms, lines[JT_UNIT].conflicts) == (2, 1)
    assert lines[LY_UNIT].batch_id == first.batch_id
    assert lines[JT_UNIT].batch_id == second.batch_id
    assert not lines[LY_UNIT].by_other_unit and lines[LY_UNIT].state == "已报送"
    assert LY_UNIT in lines[LY_UNIT].name and JT_UNIT in lines[JT_UNIT].name
    [shared] = lines[JT_UNIT].conflict_firms
    assert shared.credit_code == SHARED
    assert LY_UNIT in shared.text and JT_UNIT in shared.text

    # 溧阳 drops one 开发区 firm and corrects another's phone; its newer package
    with liyang.session() as session:
        enterprises.soft_delete(session, enterprises.by_code(session, ly_gone).id)
        enterprises.update(session, enterprises.by_code(session, ly_code).id,
                           {"contact_phone": "0519-81111111"})
    newer = _sent(liyang, tmp_path / "ly2.zip", LIYANG, LY_UNIT, DAY + dt.timedelta(hours=2))
    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.deleted_firms == ["溧阳高新区园区1有限公司"]  # 金坛's are not 溧阳's
    assert preview.conflicts == []
    third = imported(city, newer)
    assert _firm(city, ly_gone).deleted_at is not None
    assert _firm(city, ly_code).contact_phone == "0519-81111111"
    for code in jt_codes:
        firm = _firm(city, code)
        assert firm.deleted_at is None and firm.contact_phone == "0519-80000000"
    assert _firm(city, SHARED).deleted_at is None
    lines = _zone_lines(city)
    assert lines[LY_UNIT].batch_id == third.batch_id and lines[LY_UNIT].firms == 2
    assert lines[JT_UNIT].batch_id == second.batch_id and lines[JT_UNIT].conflicts == 1

    # imported twice: nothing changes
    after = carried(city)
    with city.session() as session:
        again = preview_package(session, read_package(tmp_path / "ly2.zip"))
    assert not again.changes() and not again.deleted_firms and again.conflicts == []
    imported(city, read_package(tmp_path / "ly2.zip"))
    assert carried(city) == after

    # undo: 溧阳's own batches, newest first, are not held up by 金坛's — but for the first,
    # which brought SHARED: 金坛's package in effect reports SHARED too (a conflict, not
    # merged), and undoing 溧阳's would delete it with no trace that 金坛 reports it (undo29b).
    # Refused, naming 金坛's batch; undone after it, and 金坛's package imported again makes
    # SHARED 金坛's.
    with city.session() as session:
        standing = sorted(session.scalars(select(ImportBatch.id).where(
            ImportBatch.undone_at.is_(None), ImportBatch.id != second.batch_id)), reverse=True)
    assert standing[-1] == first.batch_id
    for batch_id in standing[:-1]:
        with city.session() as session:
            drain(undo_batch(session, batch_id, user="市局"))
    with city.session() as session, pytest.raises(
            UndoRefused, match=f"请先撤销批次 {second.batch_id}，再撤销批次 {first.batch_id}"):
        drain(undo_batch(session, first.batch_id, user="市局"))
    assert _firm(city, SHARED).deleted_at is None  # (nothing written)
    for batch_id in (second.batch_id, first.batch_id):
        with city.session() as session:
            drain(undo_batch(session, batch_id, user="市局"))
    assert _firm(city, ly_code) is None and _firm(city, ly_gone) is None
    assert _firm(city, SHARED) is None
    again = imported(city, read_package(tmp_path / "jt.zip"))
    assert again.conflicts == []
    for code in [*jt_codes, SHARED]:
        assert _firm(city, code).deleted_at is None
    lines = _zone_lines(city)
    assert set(lines) == {JT_UNIT}
    assert lines[JT_UNIT].firms == 3 and lines[JT_UNIT].conflicts == 0


def test_the_command_line_counts_each_units_firms_without_a_county(tmp_path, capsys):
    """``tiers package import --json`` and ``tiers package list --json`` count them right:
    金坛's package creates its own 开发区 firms, with the one firm 溧阳 sent too as its only
    conflict; 报送情况 has one line of firms without a county per unit."""
    import json

    from ui.cli.main import main

    liyang = _laptop(tmp_path / "liyang.sqlite3", LIYANG, 1, "溧阳高新区")
    jintan = _laptop(tmp_path / "jintan.sqlite3", JINTAN, 21, "金坛经开区")
    try:
        _sent(liyang, tmp_path / "ly.zip", LIYANG, LY_UNIT, DAY)
        _sent(jintan, tmp_path / "jt.zip", JINTAN, JT_UNIT, DAY + dt.timedelta(hours=1))
    finally:
        liyang.dispose()
        jintan.dispose()
    city = str(tmp_path / "city.sqlite3")
    assert main(["--db", city, "package", "import", str(tmp_path / "ly.zip"), "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", city, "package", "import", str(tmp_path / "jt.zip"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["created"]["enterprises"] == 4
    [conflict] = result["conflicts"]
    assert conflict["credit_code"] == SHARED
    assert [county["name"] for county in conflict["counties"]] == [
        f"（未填区县，{LY_UNIT}）", f"（未填区县，{JT_UNIT}）"]
    assert main(["--db", city, "package", "list", "--city", "320400", "--year",
                 str(DAY.year), "--json"]) == 0
    lines = [line for line in json.loads(capsys.readouterr().out) if not line["code"]]
    assert sorted((line["source_unit"], line["firms"], line["conflicts"])
                  for line in lines) == [(JT_UNIT, 2, 1), (LY_UNIT, 3, 0)]
    [shared] = next(line for line in lines if line["source_unit"] == JT_UNIT)["conflict_firms"]
    assert shared["credit_code"] == SHARED
    assert LY_UNIT in shared["held_by_name"]
    assert main(["--db", city, "package", "list", "--city", "320400", "--year",
                 str(DAY.year)]) == 0
    listing = capsys.readouterr().out
    assert f"（未填区县，{LY_UNIT}）" in listing and f"（未填区县，{JT_UNIT}）" in listing


def test_a_firm_moved_into_another_units_zone_is_handed_to_that_unit(laptops, city, tmp_path):
    """A 溧阳 firm moved into 金坛's 开发区: 金坛's package sends it without a county (a
    conflict, 溧阳's package brought it); 溧阳's next package drops it, and it is handed to
    金坛's firms without a county, not binned: 金坛's package imported again then sets it
    with 金坛's data (it said conflict again, the firm still taken for 溧阳's)."""
    liyang, jintan = laptops
    moved = make_code(1, LIYANG)
    with jintan.session() as session:
        enterprises.create(session, {"credit_code": moved, "county": "金坛经开区",
                                     "name": "溧阳高新区本县0有限公司",
                                     "contact_phone": "0519-82222222"})
    imported(city, _sent(liyang, tmp_path / "ly.zip", LIYANG, LY_UNIT, DAY))
    jt = _sent(jintan, tmp_path / "jt.zip", JINTAN, JT_UNIT, DAY + dt.timedelta(hours=1))
    taken = imported(city, jt)
    assert {c["credit_code"] for c in taken.conflicts} == {moved, SHARED}
    with liyang.session() as session:
        enterprises.soft_delete(session, enterprises.by_code(session, moved).id)
    newer = _sent(liyang, tmp_path / "ly2.zip", LIYANG, LY_UNIT, DAY + dt.timedelta(hours=2))
    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.deleted_firms == []
    note = next(problem for problem in preview.problems if moved in problem)
    assert f"（未填区县，{JT_UNIT}）的数据包（导入批次 {taken.batch_id}）报送了这家企业" in note
    assert "县（市、区）为（未填区县）" in note
    handed = imported(city, newer)
    firm = _firm(city, moved)
    assert firm.deleted_at is None and not firm.county_code and firm.source_county == ""
    with city.session() as session:
        again = preview_package(session, read_package(tmp_path / "jt.zip"))
    assert [c["credit_code"] for c in again.conflicts] == [SHARED]  # 金坛's now
    imported(city, read_package(tmp_path / "jt.zip"))
    firm = _firm(city, moved)
    assert firm.county_name == "金坛经开区" and firm.contact_phone == "0519-82222222"
    with city.session() as session:  # 溧阳's next package leaves it to 金坛
        later = preview_package(session, _sent(liyang, tmp_path / "ly3.zip", LIYANG, LY_UNIT,
                                               DAY + dt.timedelta(hours=3)))
    assert later.deleted_firms == [] and not any(moved in p for p in later.problems)
    assert handed.batch_id
