"""The note that a report of a county's database also lists the neighbours' firms only the
province's lists brought in (review27 #8): decided in the core
(tiers.exchange.scope.listed_neighbours) for ``tiers export`` and the 导出报表 dialog alike.
Its advice was malformed: “请加 --county 320413、” when the database had firms without a
county, and two codes for --county, which takes one; and it named the city's own counties
as 外县 when the unit recorded is the city."""

from __future__ import annotations

import pytest

from tests.tiers.unit_helpers import (
    JINTAN,
    LIYANG,
    county_laptop,
)
from tests.tiers.unit_helpers import (
    zone_firm as _zone_firm,
)
from ui.cli.main import main

WUJIN = "320412"


def _roster(db_target, tmp_path, capsys, *more) -> str:
    capsys.readouterr()
    assert main(["--db", str(db_target), "export", "roster", str(tmp_path / "名单.xlsx"),
                 "--quiet", *more]) == 0
    return capsys.readouterr().out


def test_with_firms_without_a_county_the_advice_names_one_county(database, db_target,
                                                                 tmp_path, capsys):
    county_laptop(database)
    _zone_firm(database)
    out = _roster(db_target, tmp_path, capsys)
    assert "注意：表中含只从上级名单导入的外县企业（溧阳市 2 家）；只要本县的，请加 --county 320413\n" in out
    assert "、\n" not in out


def test_a_unit_of_two_counties_is_told_what_its_report_leaves_out(database, db_target, tmp_path,
                                                              capsys):
    county_laptop(database, from_lists=WUJIN)
    county_laptop(database, own=LIYANG, from_lists=WUJIN, own_firms=0, listed=0)
    from tests.conftest import make_code
    from tiers.services import enterprises

    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(41, LIYANG),
                                     "county_code": LIYANG, "name": "溧阳41有限公司"})
    assert main(["--db", str(db_target), "unit", "--set", "金坛区", "溧阳市"]) == 0
    out = _roster(db_target, tmp_path, capsys)
    # the unit recorded: its report is of 金坛区 and 溧阳市 already (tester28a), and the note
    # says what it leaves out instead (tiers.queries.unit_scope)
    assert ("注意：本单位负责的区县为金坛区、溧阳市：报表默认只含金坛区、溧阳市的企业及按规则属于本单位的"
            "未填区县企业，未含武进区 2 家；要包含它们，请加 --county all（全部区县）") in out
    assert "外县企业" not in out and "320413、320481" not in out


@pytest.mark.parametrize("more", [["--county", JINTAN]])
def test_no_note_once_a_county_is_chosen(database, db_target, tmp_path, capsys, more):
    county_laptop(database)
    assert "外县企业" not in _roster(db_target, tmp_path, capsys, *more)


def test_the_citys_unit_has_no_outside_counties(database, db_target, tmp_path, capsys):
    """本单位负责的区县 常州市: 溧阳 (from lists) is one of its counties, not 外县."""
    county_laptop(database)
    assert main(["--db", str(db_target), "unit", "--set", "常州市"]) == 0
    assert "外县企业" not in _roster(db_target, tmp_path, capsys)


def test_a_report_without_a_county_filter_has_no_note(database, db_target, tmp_path, capsys):
    """企业档案 of one firm: --county is not one of its filters, the advice cannot be taken."""
    from tests.conftest import make_code

    county_laptop(database)
    capsys.readouterr()
    assert main(["--db", str(db_target), "export", "profile", str(tmp_path / "档案.xlsx"),
                 "--quiet", "--code", make_code(1, JINTAN)]) == 0
    assert "外县企业" not in capsys.readouterr().out
