"""The county of a firm: a city in the county column never replaces it, unknown text fills
only a blank one, a city column tells apart counties of one name, a new firm gets the
county of its credit code with one note, and a list leaves firms of other provinces
unmatched."""

from __future__ import annotations

from sqlalchemy import select

from importers.plan import CREATE, UNMATCHED
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, import_file, plan_file, write_xlsx
from tiers.model import credit_code
from tiers.model.orm import Enterprise
from ui.cli.main import main


def test_city_in_county_column_never_replaces_the_county(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "地区", "镇街"],
        ["甲科技有限公司", make_code(1), "常州市", "湖塘镇"],
    ]})
    plan = plan_file(database, path, kind="roster")
    row = plan.rows[0]
    assert [c.field for c in row.changes] == ["town"]
    import_file(database, path, kind="roster")
    with database.session() as session:
        assert session.execute(select(Enterprise.county_code, Enterprise.county_name)).one() == (
            "320412", "武进区")


def test_unknown_county_text_fills_only_a_blank_county(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "所在地"],
        ["甲科技有限公司", make_code(1), "常州经开区"],
    ]})
    assert plan_file(database, path, kind="roster").rows[0].changes == []


def test_city_column_decides_between_counties_of_one_name(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "设区市", "县（市、区）"],
        ["甲科技有限公司", make_code(1, "320100"), "南京市", "鼓楼区"],
        ["乙科技有限公司", make_code(2, "320300"), "徐州", "鼓楼区"],
    ]})
    rows = by_row(plan_file(database, path, kind="roster"))
    assert rows[2].create_values["county_code"] == "320106"
    assert rows[3].create_values["county_code"] == "320302"


def test_county_change_shown_once(database, tmp_path, capsys, db_target):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "所在地"],
        ["甲科技有限公司", make_code(1), "新北区"],
    ]})
    assert main(["--db", str(db_target), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("      县（市、区）：") == 1  # in the row (the overwrite list has its own)
    assert "第2行 甲科技有限公司 县（市、区）：武进区（320412） → 新北区（320411）" in out
    assert "县（市、区）：武进区（320412） → 新北区（320411）" in out


def test_new_firm_gets_the_county_of_its_credit_code_with_a_warning(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1, "320412")],
        ["乙科技有限公司", make_code(2, "320400")],  # registered by the city: no county
    ]})
    plan = plan_file(database, path, kind="roster")
    rows = by_row(plan)
    assert (rows[2].create_values["county_code"], rows[2].create_values["county_name"]) == (
        "320412", "武进区")
    assert "county_code" not in rows[3].create_values
    # one note for the file naming the rows, not a warning on each row
    assert not any("推断" in p.message for p in rows[2].problems)
    assert [p.message for p in plan.problems if "推断为" in p.message] == [
        "1 家新企业表中未写县（市、区），按信用代码第3–8位推断为武进区（320412）（第 2 行），请核对"]
    assert rows[3].problems == [] and [p.value for p in plan.problems if "未能推断" in p.message] == [
        "320400"]


def test_county_column_wins_over_the_credit_code(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        ["甲科技有限公司", make_code(1, "320412"), "新北区"],
    ]})
    (row,) = plan_file(database, path, kind="roster").rows
    assert row.create_values["county_code"] == "320411"
    assert not any("推断" in p.message for p in row.problems)


def test_recognition_list_leaves_firms_of_other_provinces_unmatched(database, tmp_path):
    outside = credit_code.make("91330100MA000001")  # registered in 杭州
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1, "320412")],
        ["杭州乙科技有限公司", outside],
    ]})
    rows = by_row(plan_file(database, path))
    assert rows[3].action == CREATE and rows[3].create_values["county_code"] == "320412"
    assert rows[4].action == UNMATCHED
    assert any("浙江" in p.message and "不新建" in p.message for p in rows[4].problems)
    # the county's own roster creates every firm it lists
    roster = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["杭州乙科技有限公司", outside]]})
    assert plan_file(database, roster).rows[0].action == CREATE


def test_a_code_issued_before_a_boundary_change_gives_todays_county_and_says_so(
        database, tmp_path):
    """91320405… was registered in 戚墅堰区, merged into 武进区 in 2015 (issue #17)."""
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1, "320405")],
        ["乙科技有限公司", make_code(2, "320412")],
        ["丙科技有限公司", make_code(3, "320482")],
    ]})
    plan = plan_file(database, path, kind="roster")
    rows = by_row(plan)
    assert rows[2].create_values["county_code"] == "320412"
    assert rows[4].create_values["county_code"] == "320413"
    assert sorted(p.message for p in plan.problems if "推断" in p.message) == [
        "1 家新企业表中未写县（市、区），按信用代码第3–8位推断为金坛区（320413）"
        "（代码中的 320482 金坛市 已撤销，今属该区县）（第 4 行），请核对",
        "2 家新企业表中未写县（市、区），按信用代码第3–8位推断为武进区（320412）"
        "（代码中的 320405 戚墅堰区 已撤销，今属该区县）（第 2、3 行），请核对"]


def test_a_row_moving_a_firm_to_another_county_keeps_no_town_of_the_old_one(
        database, tmp_path):
    """As the enterprise window's save: a row that moves a 武进区 firm to 新北区 and leaves
    (or writes again) its 武进区 town is an error row, saying whose town it is; with a
    town of 新北区 or none it moves the firm (tester22: 湖塘镇 on a 新北区 firm)."""
    add_enterprise(database, "甲科技有限公司", 1, town="湖塘镇")
    add_enterprise(database, "乙科技有限公司", 2, town="湖塘镇")
    add_enterprise(database, "丙科技有限公司", 3, county="新北区", town="三井街道")
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区", "镇街"],
        ["甲科技有限公司", make_code(1), "新北区", None],
        ["乙科技有限公司", make_code(2), "新北区", "湖塘镇"],
    ]})
    rows = by_row(plan_file(database, path, kind="roster"))
    for row, column in ((2, "C"), (3, "D")):
        (problem,) = [p for p in rows[row].problems if p.severity == "error"]
        assert problem.message.startswith("镇街“湖塘镇”属于武进区，不属于新北区")
        assert (problem.sheet, problem.row, problem.column) == ("S", row, column)
    path = write_xlsx(tmp_path / "名录2.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区", "镇街"],
        ["甲科技有限公司", make_code(1), "新北区", "三井街道"],
    ]})
    import_file(database, path, kind="roster")
    with database.session() as session:
        assert session.execute(select(Enterprise.county_name, Enterprise.town).where(
            Enterprise.credit_code == make_code(1))).one() == ("新北区", "三井街道")


ZONE = "信用代码中的登记机关代码 320594 不是现行县级区划（可能为开发区、园区），未能推断区县"
ZONE_NOTE = f"{ZONE}，请在“县（市、区）”列填写"


def test_a_code_of_no_county_leaves_the_county_blank_and_says_so_once_for_the_file(
        database, tmp_path, capsys, db_target):
    """苏州工业园区's registry writes 320594, no GB/T 2260 county: the new firm's county is
    left blank (no zone is mapped to a county), and the file says so and what to do (audit
    #7: it was left blank silently); a 设区市's own registration (320400) likewise. Without
    a county column a 园区's roster has it on every firm: one note per reason listing the
    rows, as for inferred counties, not the same warning on each row (reviewer, session
    30). An old code the division data maps (320684 海门市 → 320614 海门区) gives today's
    county."""
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1, "320594")],
        ["乙科技有限公司", make_code(2, "320400")],
        ["丙科技有限公司", make_code(3, "320684")],
        ["丁科技有限公司", make_code(4, "320571")],
        *[[f"园区{i}科技有限公司", make_code(i, "320594")] for i in range(10, 20)],
        ["园区10科技有限公司", make_code(10, "320594")],  # the same firm again: created once
    ]})
    plan = plan_file(database, path, kind="roster")
    rows = by_row(plan)
    assert rows[2].action == CREATE and "county_code" not in rows[2].create_values
    assert not rows[2].create_values.get("county_name")
    assert (rows[4].create_values["county_code"], rows[4].create_values["county_name"]) == (
        "320614", "海门区")
    assert not any("区县" in p.message for row in plan.rows for p in row.problems)
    notes = [p for p in plan.problems if "未能推断区县" in p.message]
    assert [(p.sheet, p.row, p.column, p.value, p.severity) for p in notes] == [
        ("S", None, "", "320594", "warning"), ("S", None, "", "320400", "warning"),
        ("S", None, "", "320571", "warning")]
    assert [p.message for p in notes] == [
        f"11 家新企业表中未写县（市、区），{ZONE}（第 2、6、7、8、9、10、11、12 等行），"
        "请在表中加“县（市、区）”列填写",
        "1 家新企业表中未写县（市、区），信用代码中的登记机关代码 320400 为常州市本级，"
        "不是县级区划，未能推断区县（第 3 行），请在表中加“县（市、区）”列填写",
        f"1 家新企业表中未写县（市、区），{ZONE.replace('320594', '320571')}（第 5 行），"
        "请在表中加“县（市、区）”列填写"]
    # the preview of the command line: three notes, not a warning on each of 13 rows
    assert main(["--db", str(db_target), "import", str(path), "--kind", "roster",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("未能推断区县") == 3
    assert notes[0].message in out
    assert "问题 5 条" in out  # with 海门区's and the second row of 园区10科技有限公司's


def test_a_code_of_no_county_points_at_the_blank_county_cell(database, tmp_path):
    """With a 县区 column left blank the note names its cell (the officer fills it there),
    one warning a row and no note for the file; a county written there is taken and
    nothing is said; an existing firm's row is not a new firm's county."""
    add_enterprise(database, "戊科技有限公司", 5)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "区县"],
        ["甲科技有限公司", make_code(1, "320594"), None],
        ["乙科技有限公司", make_code(2, "320594"), "吴中区"],
        ["丙科技有限公司", make_code(3, "320594"), "苏州工业园区"],
        ["戊科技有限公司", make_code(5), None],
        ["己科技有限公司", make_code(6, "320594"), None],
    ]})
    plan = plan_file(database, path, kind="roster")
    rows = by_row(plan)
    (note,) = rows[2].problems
    assert (note.row, note.column, note.value, note.message, note.severity) == (
        2, "C", "320594", ZONE_NOTE, "warning")
    assert rows[3].create_values["county_code"] == "320506" and rows[3].problems == []
    assert rows[4].create_values["county_name"] == "苏州工业园区" and rows[4].problems == []
    assert not any("区县" in p.message for p in rows[5].problems)
    assert [(p.row, p.column, p.message) for p in rows[6].problems] == [(6, "C", ZONE_NOTE)]
    assert not any("区县" in p.message for p in plan.problems)


def test_a_code_of_another_city_than_the_city_column_says_so(database, tmp_path):
    """The 设区市 column says 常州市, the code 苏州's 吴中区: no county is taken (as before),
    and now the file says why instead of leaving it blank silently: once for the rows of
    one code and one 设区市 without a county column, on the blank cell with one."""
    mismatch = ("信用代码中的登记机关代码 320506 为吴中区（苏州市），与表中设区市“常州市”不符，"
                "未能推断区县")
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "设区市"],
        ["甲科技有限公司", make_code(1, "320506"), "常州市"],
        ["乙科技有限公司", make_code(2, "320412"), "常州市"],
        ["丙科技有限公司", make_code(3, "320506"), "常州"],
        ["丁科技有限公司", make_code(4, "320506"), "无锡市"],
    ]})
    plan = plan_file(database, path, kind="roster")
    rows = by_row(plan)
    assert "county_code" not in rows[2].create_values
    assert rows[3].create_values["county_code"] == "320412"
    assert not any(row.problems for row in plan.rows)
    assert [p.message for p in plan.problems if "不符" in p.message] == [
        f"2 家新企业表中未写县（市、区），{mismatch}（第 2、4 行），请在表中加“县（市、区）”列填写",
        f"1 家新企业表中未写县（市、区），{mismatch.replace('常州市', '无锡市')}（第 5 行），"
        "请在表中加“县（市、区）”列填写"]
    path = write_xlsx(tmp_path / "名录2.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "设区市", "县（市、区）"],
        ["甲科技有限公司", make_code(1, "320506"), "常州市", None],
    ]})
    plan = plan_file(database, path, kind="roster")
    assert [(p.row, p.column, p.message) for p in plan.rows[0].problems] == [
        (2, "D", f"{mismatch}，请在“县（市、区）”列填写")]
    assert not any("不符" in p.message for p in plan.problems)
