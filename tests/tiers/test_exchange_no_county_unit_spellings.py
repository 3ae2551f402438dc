"""A county's 开发区 firms (no county code) sent under two spellings of its own bureau are one
unit's (tester27b #1): 溧阳 sent first as 溧阳市工业和信息化局, then as 溧阳工信局. Its coded
county was already taken as the same sender (test_exchange_unit_spellings), but its firms
without a county are owned per sending unit, compared by spelling: all of them came up as
conflicts with its own first package, the correction was not written, the firm it deleted
not binned, and 报送情况 showed the one bureau on two lines. A unit is now compared as the
sender it is (tiers.queries.package_owners.sender) everywhere an owner key is made: the plan,
the batch, 报送情况, the conflicts and the undo's order; a different unit stays apart."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from importers.undo import UndoRefused, undo_batch
from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, carried, imported
from tests.tiers.test_exchange_no_county_per_unit import (
    JINTAN,
    JT_UNIT,
    LIYANG,
    LY_UNIT,
    SHARED,
    _firm,
    _laptop,
)
from tiers.exchange import export_package, preview_package, read_package
from tiers.exchange.status import package_status
from tiers.progress import drain
from tiers.services import enterprises

SHORT = "溧阳工信局"  # 溧阳's own bureau, as some write it
ZONE_LINE = f"（未填区县，{LY_UNIT}）"
KEPT, GONE = make_code(11, "320400"), make_code(12, "320400")  # 溧阳's 开发区 firms
JT_ZONE = [make_code(31, "320400"), make_code(32, "320400")]


def _sent(database, path, unit, when, counties=(LIYANG, "")):
    with database.session() as session:
        drain(export_package(session, path, counties=list(counties), source_unit=unit,
                             now=when))
    return read_package(path)


def _zone_lines(city):
    with city.session() as session:
        return [line for line in package_status(session, city_code="320400", year=DAY.year)
                if not line.code]


def _delete_and_correct(liyang):
    """溧阳 bins one of its 开发区 firms and corrects another's phone."""
    with liyang.session() as session:
        enterprises.soft_delete(session, enterprises.by_code(session, GONE).id)
        enterprises.update(session, enterprises.by_code(session, KEPT).id,
                           {"contact_phone": "0519-81111111"})


@pytest.fixture
def laptops(new_target):
    liyang = _laptop(new_target("liyang.sqlite3"), LIYANG, 1, "溧阳高新区")
    jintan = _laptop(new_target("jintan.sqlite3"), JINTAN, 21, "金坛经开区")
    yield liyang, jintan
    liyang.dispose()
    jintan.dispose()


def test_a_countys_next_package_under_another_spelling_replaces_its_zone_firms(
        laptops, city, tmp_path):
    liyang, jintan = laptops
    first = imported(city, _sent(liyang, tmp_path / "ly1.zip", LY_UNIT, DAY))
    jt = imported(city, _sent(jintan, tmp_path / "jt.zip", JT_UNIT, DAY + dt.timedelta(hours=1),
                              counties=(JINTAN, "")))
    assert [c["credit_code"] for c in jt.conflicts] == [SHARED]  # 金坛 is another unit
    _delete_and_correct(liyang)

    second_package = _sent(liyang, tmp_path / "ly2.zip", SHORT, DAY + dt.timedelta(hours=2))
    with city.session() as session:
        preview = preview_package(session, second_package)
    assert preview.conflicts == []
    assert preview.deleted_firms == ["溧阳高新区园区1有限公司"]
    said = " ".join(preview.problems)
    assert (f"本数据包中未填区县的 2 家企业是“{SHORT}”报送的，只与“{SHORT}”（即“{LY_UNIT}”，"
            "换了写法也算同一单位）先前报送的未填区县企业比对、替换") in said
    assert "两个单位都报了" not in said
    # 金坛's firms without a county are still another unit's, named
    assert f"其他单位报送的未填区县企业（“{JT_UNIT}” 2 家）不受影响" in said
    assert f"“{LY_UNIT}”" not in said.split("其他单位报送的未填区县企业")[1]
    second = imported(city, second_package)
    assert second.conflicts == [] and second.updated["enterprises"] == 1
    assert _firm(city, KEPT).contact_phone == "0519-81111111"
    assert _firm(city, GONE).deleted_at is not None
    for code in JT_ZONE:  # 金坛's untouched
        firm = _firm(city, code)
        assert firm.deleted_at is None and firm.contact_phone == "0519-80000000"

    # 报送情况: one line of 溧阳's firms without a county, its newest package's
    lines = _zone_lines(city)
    assert sorted(line.name for line in lines) == sorted([ZONE_LINE, f"（未填区县，{JT_UNIT}）"])
    [line] = [line for line in lines if line.name == ZONE_LINE]
    assert (line.batch_id, line.packages, line.source_unit) == (second.batch_id, 2, SHORT)
    assert (line.firms, line.conflicts, line.state) == (2, 0, "已报送")
    [jt_line] = [line for line in lines if line.name != ZONE_LINE]
    assert jt_line.conflicts == 1 and jt_line.conflict_firms[0].credit_code == SHARED
    assert LY_UNIT in jt_line.conflict_firms[0].text  # held by 溧阳's firms, by its name

    # imported twice: nothing changes
    after = carried(city)
    with city.session() as session:
        again = preview_package(session, read_package(tmp_path / "ly2.zip"))
    assert not again.changes() and not again.deleted_firms and again.conflicts == []
    imported(city, read_package(tmp_path / "ly2.zip"))
    assert carried(city) == after

    # back to the full name: the same sender still
    third = imported(city, _sent(liyang, tmp_path / "ly3.zip", "江苏省" + LY_UNIT,
                                 DAY + dt.timedelta(hours=3)))
    assert third.conflicts == [] and not third.deleted_firms
    assert [line.batch_id for line in _zone_lines(city) if line.name == ZONE_LINE] == [
        third.batch_id]
    assert first.batch_id


def test_the_undo_order_holds_across_spellings_of_a_zone_only_package(laptops, city, tmp_path):
    """溧阳's second package carries only its firms without a county (``--county none``), as
    溧阳工信局: it is still the later package of those firms, so 溧阳's first import is not
    undone under it (that would take back firms the second one set); undone newest first,
    the city is as before."""
    liyang, _jintan = laptops
    before = carried(city)
    first = imported(city, _sent(liyang, tmp_path / "ly1.zip", LY_UNIT, DAY))
    _delete_and_correct(liyang)
    second = imported(city, _sent(liyang, tmp_path / "ly2.zip", SHORT,
                                  DAY + dt.timedelta(hours=2), counties=("",)))
    assert second.conflicts == [] and second.deleted_firms == ["溧阳高新区园区1有限公司"]
    assert _firm(city, KEPT).contact_phone == "0519-81111111"
    assert [line.packages for line in _zone_lines(city)] == [2]

    with city.session() as session, pytest.raises(UndoRefused) as refused:
        drain(undo_batch(session, first.batch_id, user="市局"))
    assert f"批次 {second.batch_id}" in str(refused.value)
    with city.session() as session:
        drain(undo_batch(session, second.batch_id, user="市局"))
    assert _firm(city, KEPT).contact_phone == "0519-80000000"
    assert _firm(city, GONE).deleted_at is None
    [line] = _zone_lines(city)
    assert (line.batch_id, line.packages) == (first.batch_id, 1)
    with city.session() as session:
        drain(undo_batch(session, first.batch_id, user="市局"))
    assert carried(city) == before and _zone_lines(city) == []


def test_another_unit_sending_the_zone_firms_stays_apart(laptops, city, tmp_path):
    """The city's bureau (which names none of its counties) sending 溧阳's 开发区 firms is not
    溧阳's bureau: they are conflicts, nothing of 溧阳's is binned or changed, and it has
    its own line."""
    liyang, _jintan = laptops
    imported(city, _sent(liyang, tmp_path / "ly1.zip", SHORT, DAY))
    _delete_and_correct(liyang)
    other = imported(city, _sent(liyang, tmp_path / "city.zip", "常州市工业和信息化局",
                                 DAY + dt.timedelta(hours=1), counties=("",)))
    assert sorted(c["credit_code"] for c in other.conflicts) == sorted([KEPT, SHARED])
    assert other.deleted_firms == []
    assert _firm(city, GONE).deleted_at is None
    assert _firm(city, KEPT).contact_phone == "0519-80000000"
    [line] = [line for line in _zone_lines(city) if line.name == ZONE_LINE]
    assert line.source_unit == SHORT and line.packages == 1


def test_the_command_line_lists_the_bureau_once(tmp_path, capsys):
    """``tiers package export --unit 溧阳工信局`` after a package under the full name, as the
    tester did: the import neither conflicts nor leaves the deletion out, and ``tiers
    package list`` has one line of 溧阳's firms without a county."""
    from ui.cli.main import main

    liyang = _laptop(tmp_path / "liyang.sqlite3", LIYANG, 1, "溧阳高新区")
    liyang.dispose()
    county, city = str(tmp_path / "liyang.sqlite3"), str(tmp_path / "city.sqlite3")
    assert main(["--db", county, "package", "export", str(tmp_path / "ly1.zip"),
                 "--unit", LY_UNIT]) == 0
    assert main(["--db", city, "package", "import", str(tmp_path / "ly1.zip")]) == 0
    from tiers.storage.database import open_database

    laptop = open_database(tmp_path / "liyang.sqlite3")
    try:
        _delete_and_correct(laptop)
    finally:
        laptop.dispose()
    assert main(["--db", county, "package", "export", str(tmp_path / "ly2.zip"),
                 "--unit", SHORT]) == 0
    capsys.readouterr()
    assert main(["--db", city, "package", "import", str(tmp_path / "ly2.zip"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["conflicts"] == [] and result["deleted"]["enterprises"] == 1
    assert main(["--db", city, "package", "list", "--city", "320400", "--json"]) == 0
    lines = [line for line in json.loads(capsys.readouterr().out) if not line["code"]
             and line["source_unit"]]
    assert [(line["name"], line["source_unit"], line["conflicts"]) for line in lines] == [
        (ZONE_LINE, SHORT, 0)]
