"""新北区's database (tester28a #1): the province's 公示 list imported with 一并导入这些行,
then its final list. Its 常州滨江经济开发区 firm (no county code, registered at the city) was
left out of the final list as 不导入（不属本单位区县） and stayed 公示中 for good, not even
listed as 公示过但不在本认定名单中: a zone named by the unit's own city (常州…) was read as
certainly another place's, before the rule that a firm already in the database is the
unit's. And a firm the officer took in (武进's, by 一并导入) was left out of every later list,
its 公示 never confirmed."""

from __future__ import annotations

from sqlalchemy import select

from importers.plan import OTHER_UNIT, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, import_file, plan_file, undo, write_xlsx
from tiers.model.orm import Enterprise, Recognition
from tiers.services import unit as unit_service

XINBEI, WUJIN, CITY = "320411", "320412", "320400"
OWN = ("常州海纳智能装备有限公司", make_code(1, XINBEI), "新北区")
ZONE = ("常州江南石化装备有限公司", make_code(2, CITY), "常州滨江经济开发区")
WUJINS = ("常州武进恒达电机有限公司", make_code(3, WUJIN), "武进区")
NEW_ZONE = ("常州滨江新能源科技有限公司", make_code(4, CITY), "常州经开区")


def _gongshi(tmp_path):
    return write_xlsx(tmp_path / "2026年度省专精特新拟认定名单公示.xlsx", {"公示名单": [
        ["2026年度江苏省专精特新中小企业拟认定名单（公示）"],
        ["序号", "所在地区", "企业名称", "统一社会信用代码"],
        *[[n, county, name, code] for n, (name, code, county)
          in enumerate((OWN, ZONE, WUJINS), start=1)]]})


def _final(tmp_path, firms=(OWN, ZONE, WUJINS, NEW_ZONE)):
    """The final list, as the province prints it: no credit codes."""
    return write_xlsx(tmp_path / "2026年度省专精特新名单.xlsx", {"Sheet1": [
        ["2026年度江苏省专精特新中小企业名单"],
        ["序号", "设区市", "县（市、区）", "企业名称"],
        *[[n, "常州市", county, name] for n, (name, _code, county)
          in enumerate(firms, start=1)]]})


def _pending(database) -> dict[str, bool]:
    with database.session() as session:
        return dict(session.execute(select(Enterprise.name, Recognition.is_pending)
                                    .join(Recognition.enterprise)).all())


def _gongshi_taken_in(database, tmp_path):
    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    plan, batch = import_file(database, _gongshi(tmp_path), take_other_counties=True)
    assert plan.other_unit_rows == 2 and batch is not None  # the zone's and 武进's
    return batch


def test_the_final_list_confirms_the_firms_taken_in_from_the_gongshi(database, tmp_path):
    _gongshi_taken_in(database, tmp_path)
    plan = plan_file(database, _final(tmp_path))
    rows = by_row(plan)
    assert [rows[n].action for n in (3, 4, 5)] == [UPDATE, UPDATE, UPDATE], [
        p.message for n in (3, 4, 5) for p in rows[n].problems]
    # a firm of the list not in the database: no code to create it by, as before
    assert rows[6].action == UNMATCHED
    assert plan.not_in_final_list == []
    _plan, batch = import_file(database, _final(tmp_path))
    assert batch is not None
    assert _pending(database) == dict.fromkeys((OWN[0], ZONE[0], WUJINS[0]), False)


def test_an_existing_firm_of_a_zone_named_by_the_units_city_is_the_units():
    """常州滨江经济开发区 for 新北区: a zone named by the city around the unit's county tells
    nothing (the city's zones lie in its counties, 新北区's too); a firm in the database is
    the unit's, a new one is not told (一并导入, or 县（市、区）). A zone named by another
    county (武进高新区) is still that county's."""
    xinbei = unit_service.UnitCounties(((XINBEI, "新北区"),))
    assert xinbei.covers_firm(None, ZONE[2], ZONE[1], existing=True)
    assert not xinbei.covers_firm(None, ZONE[2], ZONE[1], existing=False)
    assert not xinbei.covers_firm(None, "武进高新区", ZONE[1], existing=True)
    assert not xinbei.covers_firm(None, "无锡经开区", make_code(5, "320200"), existing=True)


def test_taken_in_no_more_once_the_import_that_took_it_is_undone(database, tmp_path):
    """The officer's choice is the import's: 武进's firm, here before the unit was recorded,
    taken in by the 公示's import, is the unit's for the final list; that import undone,
    it is not."""
    add_enterprise(database, WUJINS[0], 3, county=WUJINS[2], credit_code=WUJINS[1])
    batch = _gongshi_taken_in(database, tmp_path)
    final = _final(tmp_path, (OWN, WUJINS))
    assert by_row(plan_file(database, final))[4].action == UPDATE
    undo(database, batch)
    assert by_row(plan_file(database, final))[4].action == OTHER_UNIT


def test_a_gongshi_the_final_list_leaves_out_is_said_on_its_row(database, tmp_path):
    """A firm of another county here before the unit was recorded, its 公示 imported with
    the list's others (not taken in): the final list leaves it out, and its row says the
    公示 stays unconfirmed and what to do — it was said nowhere (tester28a)."""
    add_enterprise(database, WUJINS[0], 3, county=WUJINS[2], credit_code=WUJINS[1])
    import_file(database, _gongshi(tmp_path))  # no unit recorded yet: every row goes in
    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    plan = plan_file(database, _final(tmp_path, (OWN, WUJINS)))
    row = by_row(plan)[4]
    assert row.action == OTHER_UNIT
    told = [p.message for p in row.problems]
    assert told[0] == "不属本单位区县（武进区；本单位：新北区），不导入"
    # the reason only: no widget, no option (design.md); each face adds its own way
    assert told[1] == ("这家企业的省专精特新 2026年度仍为“公示中”，本行不导入就不会确认："
                       "确未入选的，请在企业档案中删除这条认定；是本单位的企业，请一并导入本行")
    assert row.problems[1].hint_field == "take_in"
    from ui.cli.import_report import hinted as cli_hinted
    from ui.import_hints import hinted as wizard_hinted
    assert cli_hinted(told[1], "take_in").endswith(
        "请一并导入本行（加 --other-counties，或加 --take-row 行号）")
    assert wizard_hinted(told[1], "take_in").endswith(
        "请一并导入本行（勾选“一并导入这些行”，或选中本行点“导入此行”）")
    # it is in the list: not said as missing from it (the zone's firm, not listed, is)
    assert [m["name"] for m in plan.not_in_final_list] == [ZONE[0]]


def test_a_zone_the_rule_cannot_place_is_said_with_what_to_do(database, tmp_path):
    """tester28a #2: 常州滨江经济开发区 was called 不是已知的区县, and the hint's example,
    新北经开区, does not exist. Tiers knows no list of zones: the row says it cannot tell
    the zone's county, and names what the officer can do — take the row in, or write the
    county in the list (the unit's own, a real name)."""
    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    row = by_row(plan_file(database, _gongshi(tmp_path)))[4]
    assert row.action == OTHER_UNIT
    assert row.problems[-1].message == (
        "未能确定所属区县（写作“常州滨江经济开发区”，Tiers 看不出它在哪个区县），"
        "不属本单位区县（新北区）的企业不导入（本单位的企业（如本单位的开发区企业）可一并导入这些行，"
        "或在名单的县（市、区）一列写明企业所在的区县，如“新北区”）")


def test_one_row_may_be_taken_in_alone(database, tmp_path):
    """一并导入这些行 takes every row outside the unit; the officer may take one (the zone's,
    his own) and leave 武进's out: the row taken in is recorded as the unit's, as with all."""
    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    path = _gongshi(tmp_path)
    plan = plan_file(database, path, take_rows=[4])
    rows = by_row(plan)
    assert [rows[n].action for n in (3, 4, 5)] == ["create", "create", OTHER_UNIT]
    assert (plan.other_unit_rows, plan.counts()["other_unit"]) == (2, 1)
    assert plan.taken_in_rows == {4} and not plan.other_counties_taken
    assert plan_file(database, path, take_rows=[3, 99]).unused_take_rows == [3, 99]
    import_file(database, path, take_rows=[4])
    rows = by_row(plan_file(database, _final(tmp_path, (OWN, ZONE))))
    assert [rows[n].action for n in (3, 4)] == [UPDATE, UPDATE]


def test_a_firm_taken_in_is_the_units_in_the_reports_too(database, tmp_path):
    """One rule for the unit's firms (reviewer of land28): a firm the officer took in is the
    unit's for the later lists, so the reports and the 工作台 count it as the unit's too —
    a final list confirmed 武进's firm while the report said “未含武进区 1 家”."""
    from tiers.queries import dashboard, unit_scope

    add_enterprise(database, WUJINS[0], 3, county=WUJINS[2], credit_code=WUJINS[1])
    batch = _gongshi_taken_in(database, tmp_path)
    with database.session() as session:
        assert unit_scope.left_out(session) is None
        assert dashboard.overview(session)["enterprises"] == 3
        assert dashboard.overview(session, county="新北区")["enterprises"] == 3
    undo(database, batch)  # the choice undone: 武进's firm is 武进's again
    with database.session() as session:
        assert dashboard.overview(session)["enterprises"] == 0
        left = unit_scope.left_out(session)
        assert left is not None and "武进区 1 家" in left.text


def test_a_firm_taken_in_a_later_list_places_in_another_county_is_left_out(database, tmp_path):
    """A firm taken in stays the unit's only while a list does not say it is elsewhere: the
    final list writing 溧阳市 for 武进's firm (or the zone's), its values taken over the
    recorded ones (not 只补空白), moves it to another county than the unit's, so that row is
    left out as any other county's (it let it through)."""
    _gongshi_taken_in(database, tmp_path)
    moved = [(WUJINS[0], WUJINS[1], "溧阳市"), (ZONE[0], ZONE[1], "溧阳市")]
    rows = by_row(plan_file(database, _final(tmp_path, (OWN, *moved)),
                            fill_blanks_only=False))
    assert [rows[n].action for n in (3, 4, 5)] == [UPDATE, OTHER_UNIT, OTHER_UNIT], [
        p.message for n in (3, 4, 5) for p in rows[n].problems]
    assert rows[4].problems[0].message == "不属本单位区县（溧阳市；本单位：新北区），不导入"
    # written as the unit's own county, or as it is, it stays the unit's
    kept = [(WUJINS[0], WUJINS[1], "新北区"), ZONE]
    rows = by_row(plan_file(database, _final(tmp_path, (OWN, *kept)), fill_blanks_only=False))
    assert [rows[n].action for n in (3, 4, 5)] == [UPDATE, UPDATE, UPDATE]
