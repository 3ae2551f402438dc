"""新北区's database (tester28b): the notes of a 公示 or final list say what is written.
- The province's 公示 list read again after its final list, with ``--take-row 7`` (only that
  one of the other counties' rows): the note “……的 N 家企业（第 7、9 行）不在其中，将记为
  公示中” counted the rows left out (不导入（不属本单位区县）) as written too.
- The firms a final list leaves out of a 2026年度 batch were listed as “2026年度（2026年）”:
  a batch label naming its year is shown once, as the rosters show it (batch_text)."""

from __future__ import annotations

from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, write_xlsx
from tiers.services import unit as unit_service

XINBEI, WUJIN = "320411", "320412"
OWN = ("常州海纳智能装备有限公司", make_code(1, XINBEI), "新北区")
OWN_DROPPED = ("常州龙城新材料科技有限公司", make_code(2, XINBEI), "新北区")
WUJIN_A = ("常州武进恒达电机有限公司", make_code(3, WUJIN), "武进区")
WUJIN_B = ("常州武进华宇机械有限公司", make_code(4, WUJIN), "武进区")


def _gongshi(tmp_path, firms, name="2026年度省专精特新拟认定名单公示.xlsx"):
    return write_xlsx(tmp_path / name, {"公示名单": [
        ["2026年度江苏省专精特新中小企业拟认定名单（公示）"],
        ["序号", "所在地区", "企业名称", "统一社会信用代码"],
        *[[n, county, firm, code] for n, (firm, code, county) in enumerate(firms, start=1)]]})


def _final(tmp_path, firms):
    return write_xlsx(tmp_path / "2026年度省专精特新名单.xlsx", {"Sheet1": [
        ["2026年度江苏省专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        *[[n, county, firm, code] for n, (firm, code, county) in enumerate(firms, start=1)]]})


def _late_notes(plan) -> list[str]:
    return [p.message for p in plan.all_problems() if "不在其中" in p.message]


def test_the_late_publicity_note_lists_only_the_rows_taken(database, tmp_path):
    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    import_file(database, _final(tmp_path, [OWN]))  # the final list: 1 firm 有效
    late = _gongshi(tmp_path, [OWN, WUJIN_A, WUJIN_B])  # rows 3, 4, 5
    plan = plan_file(database, late, take_rows=(4,))
    assert plan.taken_in_rows == {4}
    assert _late_notes(plan) == [
        "省级专精特新中小企业 2026年度已有 1 家企业认定有效（认定名单已导入），"
        "这份公示名单上的 1 家企业（第 4 行）不在其中，将记为“公示中”："
        "如认定名单已公布，这些企业多半未入选，这份公示名单可不必导入"]
    # none taken: none written, no note of firms “将记为公示中”
    assert _late_notes(plan_file(database, late)) == []
    # all taken: both said
    assert "2 家企业（第 4、5 行）" in _late_notes(
        plan_file(database, late, take_other_counties=True))[0]


def test_a_batch_label_naming_its_year_is_shown_once(database, tmp_path):
    from importers.report import not_in_final_list_lines

    import_file(database, _gongshi(tmp_path, [OWN, OWN_DROPPED]))
    plan = plan_file(database, _final(tmp_path, [OWN]))
    assert [firm["name"] for firm in plan.not_in_final_list] == [OWN_DROPPED[0]]
    lines = not_in_final_list_lines(plan, limit=5)
    assert lines[1] == f"  {OWN_DROPPED[0]} {OWN_DROPPED[1]}  省级专精特新中小企业 2026年度"
