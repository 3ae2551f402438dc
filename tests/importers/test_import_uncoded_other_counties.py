"""A province's list without credit codes, its 所在地区 column in merged cells (tester27b
#3): in 金坛's database the rows of 溧阳市, 溧阳经开区 and 武进区 are 不导入（不属本单位区县）,
counted as a coded list's are, and no row is offered a firm of another county than the one
it writes — neither as 可能是 nor as 按简称匹配."""

from __future__ import annotations

import openpyxl
import pytest

from importers import build_plan, detect, open_source
from importers.plan import OTHER_UNIT, UNMATCHED
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, plan_file
from tiers.progress import drain
from tiers.services import unit as unit_service
from tiers.text.counts import counts_text

JINTAN, LIYANG, CITY = "320413", "320481", "320400"


def _province_list(path):
    """Rows 4–12: 溧阳市 ×3, 溧阳经开区 ×1, 金坛区 ×2, 金坛经开区 ×1, 武进区 ×2, each county
    written once in a merged cell, as the province prints it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    rows = [
        ["2023年度江苏省专精特新中小企业名单", None, None, None],
        ["（按地区排列）", None, None, None],
        ["序号", "企业名称", "所在地区", "所属领域"],
        [1, "溧阳市动力智能", "溧阳市", "新材料"],
        [2, "溧阳市电子新能", None, "新材料"],
        [3, "天目精工", None, "新材料"],
        [4, "传动化工", "溧阳经开区", "新材料"],
        [5, "常州市金坛动力新能", "金坛区", "新材料"],
        [6, "常州市金坛机械精工", None, "新材料"],
        [7, "常州市金坛经开区化工动力", "金坛经开区", "新材料"],
        [8, "常州市武进区龙城精密", "武进区", "机械"],
        [9, "常州市武进区湖塘机电", None, "机械"],
    ]
    for row in rows:
        sheet.append(row)
    for merged in ("A1:D1", "A2:D2", "C4:C6", "C8:C9", "C11:C12"):
        sheet.merge_cells(merged)
    book.save(path)
    return path


@pytest.fixture
def firms(database):
    """金坛's database: its own firms, a 金坛经开区 one (no county code), and some of 溧阳's
    (a 溧阳 firm of the same short name as a row, and one a 金坛 row reads much like)."""
    add_enterprise(database, "常州市金坛动力新能有限公司", 1, county="金坛区",
                   credit_code=make_code(1, JINTAN))
    add_enterprise(database, "常州市金坛经开区化工动力有限公司", 2, county="金坛经开区",
                   credit_code=make_code(2, CITY))
    add_enterprise(database, "溧阳市电子新能有限公司", 3, county="溧阳市",
                   credit_code=make_code(3, LIYANG))
    add_enterprise(database, "溧阳市机械精工有限公司", 4, county="溧阳市",
                   credit_code=make_code(4, LIYANG))
    add_enterprise(database, "天目精工有限公司", 5, county="金坛区",
                   credit_code=make_code(5, JINTAN))
    add_enterprise(database, "传动化工有限公司", 6, county="金坛经开区",
                   credit_code=make_code(6, CITY))


def _set(database, text):
    with database.session() as session:
        unit_service.set_unit_counties(session, [text] if text else [])


def _offered(row) -> list[str]:
    """The firms a row is offered: 可能是, or 按简称匹配."""
    return [s["name"] for s in row.suggestions]


def test_other_counties_rows_without_codes_are_left_out(database, firms, tmp_path):
    _set(database, "金坛区")
    plan = plan_file(database, _province_list(tmp_path / "省级名单.xlsx"))
    rows = by_row(plan)
    assert [rows[n].action for n in range(4, 13)] == [
        OTHER_UNIT, OTHER_UNIT, OTHER_UNIT, OTHER_UNIT,  # 溧阳市 (merged), 溧阳经开区
        UNMATCHED, UNMATCHED, UNMATCHED,  # 金坛区, 金坛经开区: the unit's, offered 简称
        OTHER_UNIT, OTHER_UNIT]  # 武进区 (merged)
    assert plan.counts()["other_unit"] == 6 and plan.other_unit_rows == 6
    assert "不导入（不属本单位区县） 6" in counts_text(plan.counts())
    for n in (4, 5, 6, 7, 11, 12):  # said once, at the 所在地区 cell; nothing offered
        assert len(rows[n].problems) == 1 and rows[n].problems[0].column == "C"
        assert _offered(rows[n]) == [] and rows[n].short_match is None
    assert rows[5].problems[0].message == "不属本单位区县（溧阳市；本单位：金坛区），不导入"
    assert rows[5].problems[0].value == "溧阳市"  # the merged cell's county, on each row
    assert rows[7].problems[0].message == (
        "不属本单位区县（溧阳经开区（溧阳市）；本单位：金坛区），不导入")
    assert rows[12].problems[0].message.startswith("不属本单位区县（武进区；")
    # the unit's own rows are offered their firms as before
    assert _offered(rows[8]) == ["常州市金坛动力新能有限公司"]
    assert _offered(rows[10]) == ["常州市金坛经开区化工动力有限公司"]


def test_taken_in_they_are_offered_only_their_own_countys_firms(database, firms, tmp_path):
    _set(database, "金坛区")
    path = _province_list(tmp_path / "省级名单.xlsx")
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path)), take_other_counties=True))
    rows = by_row(plan)
    assert (plan.other_unit_rows, plan.other_counties_taken) == (6, True)
    assert plan.other_unit_unmatched == 6 and plan.other_unit_importable == 0  # none written
    assert "other_unit" not in plan.counts()
    assert rows[5].action == UNMATCHED
    assert _offered(rows[5]) == ["溧阳市电子新能有限公司"]  # 溧阳's, as the row writes
    # 溧阳市动力智能 was offered 金坛's 常州市金坛动力新能有限公司 (可能是)
    assert "常州市金坛动力新能有限公司" not in _offered(rows[4])
    assert not any("可能是：常州市金坛" in p.message for p in rows[4].problems)
    # 天目精工 (溧阳市) is not 金坛's 天目精工有限公司; 传动化工 (溧阳经开区) is not 金坛经开区's
    for n in (6, 7):
        assert rows[n].short_match is None and _offered(rows[n]) == [], n


def test_no_unit_recorded_still_offers_no_other_countys_firm(database, firms, tmp_path):
    """Nothing recorded: every row stays 未匹配 as before, but 常州市金坛机械精工 (金坛区)
    is not offered 溧阳's 溧阳市机械精工有限公司, nor 天目精工 (溧阳市) 金坛's."""
    _set(database, "")
    rows = by_row(plan_file(database, _province_list(tmp_path / "省级名单.xlsx")))
    assert {rows[n].action for n in range(4, 13)} == {UNMATCHED}
    assert "溧阳市机械精工有限公司" not in _offered(rows[9])
    assert rows[6].short_match is None and rows[7].short_match is None
    assert rows[8].short_match is not None  # the row's own county's firm still is


def test_a_zone_is_placed_by_how_its_name_begins():
    zone_area = unit_service.zone_area
    assert zone_area("溧阳经开区") == LIYANG and zone_area("常州市金坛经开区") == JINTAN
    assert zone_area("常州经开区") == CITY and zone_area("高新区") is None
    jintan = unit_service.UnitCounties(((JINTAN, "金坛区"),))
    assert jintan.written_elsewhere(LIYANG, "溧阳市")
    assert jintan.written_elsewhere(None, "溧阳经开区")
    assert not jintan.written_elsewhere(None, "金坛经开区")
    assert not jintan.written_elsewhere(None, "常州国家高新区")  # the city's: not told
    assert not jintan.written_elsewhere(None, "高新区")


def test_the_lists_field_of_focus_is_not_the_industry(database, firms, tmp_path):
    """所属领域 (新材料, 机械) is the list's 重点领域, not 国民经济行业分类 (tester27b #6: it
    was mapped to it, and 新材料 printed in the roster's 所属行业): left out, and said."""
    from importers import columns

    _set(database, "")
    plan = plan_file(database, _province_list(tmp_path / "省级名单.xlsx"))
    assert "industry" not in plan.mapping.values()
    assert plan.mapping.get(3) in (None, columns.IGNORE)
    assert any(p.message == "D 列“所属领域”未导入：所属领域是名单的重点领域（如新材料、高端装备），"
               "不是国民经济行业分类，Tiers 不保存" for p in plan.problems)
    assert not any(change.field == "industry" for row in plan.rows for change in row.changes)
    assert columns.match_header("所属行业")[0] == "industry"  # the industry's own still is
