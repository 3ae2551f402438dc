"""Firms an import took in with 一并导入这些行 (outside the unit's counties by its rule) are
sent in the unit's package as its own when they have no county code (未填区县, ticked with the
unit's counties): the export says so, how many and which (county officer, session 30: they
were packaged as the county's own with no hint). The import batch records them
(tiers.services.unit.taken_in); the export counts them by the county it sends them under."""

from __future__ import annotations

from sqlalchemy import update

from tests.importers.helpers import undo
from tests.tiers.unit_helpers import LISTED_LIYANG as LIYANGS
from tests.tiers.unit_helpers import LISTED_ZONE as ZONE
from tests.tiers.unit_helpers import LISTED_ZONE2 as MOVED
from tests.tiers.unit_helpers import LIYANG, WUJIN, taken_in_from_a_list
from tiers.exchange.scope import TakenIn, package_scope, taken_in_by_county
from tiers.model.orm import Enterprise


def test_the_firms_taken_in_are_counted_by_the_county_they_are_sent_under(database, tmp_path):
    batch = taken_in_from_a_list(database, tmp_path)
    with database.session() as session:
        assert taken_in_by_county(session) == {
            LIYANG: TakenIn(1, (LIYANGS[0],)), "": TakenIn(2, (ZONE[0], MOVED[0]))}
        # one given the unit's county since is the unit's own: not counted
        session.execute(update(Enterprise).where(Enterprise.name == MOVED[0])
                        .values(county_code=WUJIN, county_name="武进区"))
    with database.session() as session:
        assert taken_in_by_county(session) == {
            LIYANG: TakenIn(1, (LIYANGS[0],)), "": TakenIn(1, (ZONE[0],))}
    undo(database, batch)  # the import undone: none taken in
    with database.session() as session:
        assert taken_in_by_county(session) == {}


def test_the_package_note_counts_those_sent_as_the_units_own(database, tmp_path):
    taken_in_from_a_list(database, tmp_path)
    with database.session() as session:
        scope = package_scope(session)
    assert scope.default == [WUJIN, ""]
    note = scope.taken_in_note()  # the default's: 武进区 and 未填区县
    assert note == ("所导出的企业中有 2 家是导入名单时“一并导入”的，当时不能认定属于本单位的区县"
                    f"（未填区县 2 家，如{ZONE[0]}、{MOVED[0]}）：数据包以本单位的名义报送，"
                    "市里会把它们当作本单位负责的区县（武进区）的企业")
    assert scope.taken_in_note([WUJIN, ""]) == note
    assert scope.taken_in_note([WUJIN]) == ""  # the zones' firms not sent
    # 溧阳市 ticked too: the city keeps its firms apart (carried says so), not counted here
    assert scope.taken_in_note([WUJIN, "", LIYANG]) == note
    assert scope.carried([WUJIN, "", LIYANG]).startswith("溧阳市不是本单位负责的区县")
