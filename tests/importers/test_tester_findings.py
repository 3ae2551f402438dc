"""Findings of a new-user tester: each test failed before its fix."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from importers import ImportRefused, detect, open_source
from importers.plan import CREATE, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model import credit_code
from tiers.model.orm import AnnualFigures, Enterprise, FormerName, Recognition
from tiers.services import enterprises
from ui.cli.main import main


def _enterprise(database, name, serial, **values):
    with database.session() as session:
        data = {"credit_code": make_code(serial), "name": name, "county": "武进区", **values}
        return enterprises.create(session, data).id


# --- 1. year sub-columns under a two-row header ---------------------------------------

def _year_columns(tmp_path):
    return write_xlsx(tmp_path / "年度数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", None, "研发费用（万元）", None],
        [None, None, "2024年", "2025年", "2024年", "2025年"],
        ["甲科技有限公司", make_code(1), 1000, 1200, 50, 60],
        ["乙科技有限公司", make_code(2), 2000, 2500, 80, 90],
    ]}, merges={"Sheet1": [("A1:A2", "企业名称"), ("B1:B2", "统一社会信用代码"),
                           ("C1:D1", "营业收入（万元）"), ("E1:F1", "研发费用（万元）")]})


def test_year_sub_columns_give_one_figures_record_per_year(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    _enterprise(database, "乙科技有限公司", 2)
    plan = plan_file(database, _year_columns(tmp_path))
    assert plan.kind == "figures"
    first = by_row(plan)[3]
    figures = {r.values["year"]: r.values for r in first.records}
    assert set(figures) == {2024, 2025}
    assert figures[2024]["revenue"] == Decimal(1000) and figures[2024]["rd_expense"] == Decimal(50)
    assert figures[2025]["revenue"] == Decimal(1200) and figures[2025]["rd_expense"] == Decimal(60)


def test_year_option_limits_year_sub_columns(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    _enterprise(database, "乙科技有限公司", 2)
    _, batch_id = import_file(database, _year_columns(tmp_path), batch_year=2025)
    assert batch_id is not None
    with database.session() as session:
        rows = session.execute(select(AnnualFigures.year, AnnualFigures.revenue)
                               .order_by(AnnualFigures.enterprise_id)).all()
    assert [(y, r) for y, r in rows] == [(2025, Decimal(1200)), (2025, Decimal(2500))]


def test_year_group_header_above_a_column_sets_its_year(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "数据.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "2023年数据", None],
        [None, None, "营业收入（万元）", "研发费用（万元）"],
        ["甲科技有限公司", make_code(1), 900, 40],
    ]}, merges={"Sheet1": [("C1:D1", "2023年数据")]})
    plan = plan_file(database, path)
    (record,) = by_row(plan)[3].records
    assert record.values["year"] == 2023
    assert record.values["revenue"] == Decimal(900)


# --- 2. a city in the county column -----------------------------------------------------

def test_city_in_county_column_never_replaces_the_county(database, tmp_path):
    _enterprise(database, "甲科技有限公司", 1)
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
    _enterprise(database, "甲科技有限公司", 1)
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


def test_county_change_shown_once(database, tmp_path, capsys):
    _enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "所在地"],
        ["甲科技有限公司", make_code(1), "新北区"],
    ]})
    assert main(["--db", str(database.path), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("县（市、区）：") == 1
    assert "县（市、区）：武进区（320412） → 新北区（320411）" in out


# --- 5. the county of a new firm, and firms from elsewhere on national lists -------------

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
    assert [p.message for p in plan.problems if "推断" in p.message] == [
        "1 家新企业表中未写县（市、区），按信用代码第3–8位推断为武进区（320412）（第 2 行），请核对"]


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


# --- 3. matched by credit code, but the name differs ------------------------------------

def test_list_row_matched_by_code_with_another_name_is_warned(database, tmp_path):
    _enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["江苏乙机械有限公司", make_code(1)],
    ]})
    (row,) = plan_file(database, path).rows
    assert row.action == UPDATE and row.matched_by == "信用代码"
    assert [p.message for p in row.problems if p.severity == "warning"] == [
        "名称与库中不一致：文件为“江苏乙机械有限公司”，库中为“常州甲科技有限公司”，请核对信用代码"]


def test_list_row_under_a_former_name_is_not_warned(database, tmp_path):
    enterprise_id = _enterprise(database, "常州甲科技有限公司", 1)
    with database.session() as session:
        enterprises.add_former_name(session, enterprise_id, "武进甲机械厂")
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["武进甲机械厂", make_code(1)],
    ]})
    (row,) = plan_file(database, path).rows
    assert not any("名称与库中不一致" in p.message for p in row.problems)


def test_roster_renames_by_code_with_a_warning(database, tmp_path):
    _enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["江苏甲科技股份有限公司", make_code(1)],
    ]})
    plan, _ = import_file(database, path, kind="roster")
    (row,) = plan.rows
    assert [(c.old, c.new) for c in row.changes] == [("常州甲科技有限公司", "江苏甲科技股份有限公司")]
    assert any("名称与库中不一致" in p.message and "曾用名" in p.message for p in row.problems)
    with database.session() as session:
        assert session.scalars(select(FormerName.name)).all() == ["常州甲科技有限公司"]


# --- 4. the year of a numbered batch, and a warning when there is none -------------------

def test_numbered_batch_gets_its_year_and_validity(database, tmp_path):
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
    ]})
    plan, _ = import_file(database, path)
    assert plan.metadata["batch_year"] == 2023
    assert not any("未给出认定年度" in p.message for p in plan.all_problems())
    with database.session() as session:
        assert session.execute(select(Recognition.batch_label, Recognition.batch_year,
                                      Recognition.valid_until)).one() == (
            "第五批", 2023, dt.date(2026, 12, 31))


def test_list_without_a_year_warns_that_validity_is_unknown(database, tmp_path, capsys):
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["省级专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
        ["乙科技有限公司", make_code(2)],
    ]})
    plan = plan_file(database, path)
    warnings = [p.message for p in plan.problems if "未给出认定年度" in p.message]
    # the library names what is missing; the CLI adds where to give it (as it always read)
    assert warnings == ["未给出认定年度，无法推算有效期（第 3、4 行，共 2 行）：请指定年度"]
    assert [p.hint_field for p in plan.problems if "未给出认定年度" in p.message] == ["year"]
    assert main(["--db", str(database.path), "import", str(path), "--dry-run"]) == 0
    assert ("未给出认定年度，无法推算有效期（第 3、4 行，共 2 行）：请指定年度"
            "（导入向导中的“年度”，命令行用 --year）") in capsys.readouterr().out
    plan = plan_file(database, path, batch_year=2024)
    assert not any("未给出认定年度" in p.message for p in plan.all_problems())
    assert plan.rows[0].records[0].values["valid_until"] == dt.date(2027, 12, 31)


# --- 6. impossible tier/level combinations ------------------------------------------------

def _plain_list(tmp_path, title="2023年度企业名单"):
    return write_xlsx(tmp_path / "名单.xlsx", {"S": [
        [title], ["企业名称", "统一社会信用代码"], ["甲科技有限公司", make_code(1)]]})


def test_tier_and_level_that_cannot_go_together_are_refused(database, tmp_path, capsys):
    detection = detect(open_source(_plain_list(tmp_path)))
    with pytest.raises(ImportRefused, match="创新型中小企业的认定级别只能是省级、市级，不能是国家级"):
        detection.with_options(kind="recognitions", tier="创新型", level="国家级")
    assert main(["--db", str(database.path), "import", str(_plain_list(tmp_path)),
                 "--tier", "创新型", "--level", "国家级", "--dry-run"]) == 2
    assert "不能是国家级" in capsys.readouterr().err
    ok = detection.with_options(kind="recognitions", tier="创新型", level="市级")
    assert ok.metadata.level == "市级"


def test_tier_override_against_the_title_warns_and_takes_the_tiers_level(database, tmp_path):
    path = _plain_list(tmp_path, "第五批专精特新“小巨人”企业名单")
    detection = detect(open_source(path)).with_options(tier="省级专精特新")
    assert detection.metadata.tier == "zjtx" and detection.metadata.level == "省级"
    assert any("标题写的是" in p.message for p in detection.problems)
    plan = plan_file(database, path, tier="省级专精特新")
    assert any("标题写的是" in p.message for p in plan.problems)
    assert plan.rows[0].records[0].values["level"] == "省级"


# --- 7. messages --------------------------------------------------------------------------

def test_undo_and_batch_list_speak_chinese(database, tmp_path, capsys):
    db = ["--db", str(database.path)]
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
    ]})
    assert main([*db, "import", str(path)]) == 0
    with database.session() as session:
        from tiers.model.orm import ImportBatch
        session.add(ImportBatch(file_name="演示数据", sha256="demo", sheet="", kind="demo",
                                mapping="{}", counts="{}"))
    capsys.readouterr()
    assert main([*db, "imports"]) == 0
    listing = capsys.readouterr().out
    assert "认定名单" in listing and "演示数据" in listing
    assert "recognitions" not in listing and "demo" not in listing and "[]" not in listing
    assert main([*db, "undo-import", "1"]) == 0
    out = capsys.readouterr().out
    assert "删除 认定 1，企业 1" in out and "recognition" not in out


@pytest.mark.parametrize("argv,message", [
    (["undo-import", "abc"], "批次编号应为"),
    (["import", "x.xlsx", "--year", "二〇二四"], "年度（--year）应为"),
])
def test_integer_options_are_checked_in_chinese(database, argv, message, capsys):
    assert main(["--db", str(database.path), *argv]) != 0
    err = capsys.readouterr().err
    assert message in err and "invalid" not in err


def test_importing_a_folder_says_it_is_a_folder(database, tmp_path, capsys):
    folder = tmp_path / "名单"
    folder.mkdir()
    assert main(["--db", str(database.path), "import", str(folder)]) == 2
    assert "是一个文件夹" in capsys.readouterr().err


# --- 8. number formatting and the 类型 column ---------------------------------------------

def test_old_and_new_amounts_are_formatted_alike(database, tmp_path, capsys):
    from importers.plan import display_value

    assert display_value(Decimal("89372.9900")) == "89372.99"
    assert display_value(Decimal("12345.6")) == "12345.6"
    assert display_value(Decimal("100.0000")) == "100"
    assert display_value(Decimal("1E+2")) == "100"
    enterprise_id = _enterprise(database, "甲科技有限公司", 1)
    with database.session() as session:
        from tiers.services import figures
        figures.set_year(session, enterprise_id, 2024, {"revenue": Decimal("89372.99")})
    path = write_xlsx(tmp_path / "数据.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "年度", "营业收入（万元）"],
        ["甲科技有限公司", make_code(1), 2024, 12345.6],
    ]})
    assert main(["--db", str(database.path), "import", str(path), "--dry-run"]) == 0
    assert "营业收入：89372.99 → 12345.6" in capsys.readouterr().out


def test_type_column_marks_review_rows(database, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["第六批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码", "类型"],
        ["甲科技有限公司", make_code(1), "新认定"],
        ["乙科技有限公司", make_code(2), "复核通过"],
        ["丙科技有限公司", make_code(3), "制造类"],
    ]})
    rows = by_row(plan_file(database, path))
    assert rows[3].records[0].values["is_review"] is False
    assert rows[4].records[0].values["is_review"] is True
    assert rows[5].action == CREATE and rows[5].records[0].values["is_review"] is False
    assert any("未识别" in p.message for p in rows[5].problems)


def test_type_column_does_not_make_a_roster_a_list(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "联系人", "类型"],
        ["甲科技有限公司", make_code(1), "王丽", "民营"],
    ]})
    assert detect(open_source(path)).kind == "roster"


# --- GUI tester: a titled list with roster columns, and a 合计 | 5家 footer ------------

def test_titled_list_with_roster_columns_is_a_recognition_list_and_count_footer_skipped(
        database, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"2026年第一批": [
        ["2026年度武进区创新型中小企业名单（第一批）", None, None, None, None],
        ["填报单位：武进区工信局", None, None, None, None],
        ["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品"],
        [1, "常州甲精工科技有限公司", make_code(31), "湖塘镇", "齿轮"],
        [2, "常州乙智能装备有限公司", make_code(32), "牛塘镇", "机器人"],
        ["合计", "2家", None, None, None],
    ]}, merges={"2026年第一批": [("A1:E1", "2026年度武进区创新型中小企业名单（第一批）"),
                                ("A2:E2", "填报单位：武进区工信局")]})
    plan = plan_file(database, path)
    assert plan.kind == "recognitions"
    assert sorted(by_row(plan)) == [4, 5]  # the 合计 row is not data
    assert all(r.action == CREATE for r in plan.rows)


def test_a_plain_roster_with_a_tier_free_title_stays_a_roster(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"Sheet1": [
        ["武进区重点企业名录", None, None],
        ["企业名称", "统一社会信用代码", "所在镇（街道）"],
        ["常州丙科技有限公司", make_code(33), "湖塘镇"],
    ]})
    assert plan_file(database, path).kind == "roster"


def test_undo_keeps_the_former_name_of_a_rename_that_stays(database, tmp_path):
    """A roster renamed 甲 → 乙 (甲 became a former name); someone renamed 乙 → 丙 since.
    Undoing the roster keeps 丙 (edited since) and so must keep 甲 as a former name; a
    rename that is put back takes its former name with it."""
    from tiers.services import enterprises as enterprise_service

    first = _enterprise(database, "常州甲科技有限公司", 1)
    second = _enterprise(database, "常州丁科技有限公司", 2)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["常州乙科技有限公司", make_code(1)],
        ["常州戊科技有限公司", make_code(2)],
    ]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:
        enterprise_service.update(session, first, {"name": "常州丙科技有限公司"})
    result = undo(database, batch)
    assert any(k["field"] == "name" for k in result.kept)
    with database.session() as session:
        names = dict(session.execute(select(Enterprise.id, Enterprise.name)).all())
        formers = sorted(session.execute(select(FormerName.enterprise_id, FormerName.name))
                         .all())
    assert names == {first: "常州丙科技有限公司", second: "常州丁科技有限公司"}
    assert formers == [(first, "常州乙科技有限公司"), (first, "常州甲科技有限公司")]


def test_an_unknown_size_alone_is_a_warning_not_a_crash(database, tmp_path):
    """A row whose only text field is an unknown 企业规模 (规上) is planned with a warning."""
    path = write_xlsx(tmp_path / "size.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码", "企业规模"],
        ["常州示例机械有限公司", make_code(1), "中型"],
        ["常州示例电子有限公司", make_code(2), "规上"],
    ]})
    plan = plan_file(database, path)
    assert [row.action for row in plan.rows] == [CREATE, CREATE]
    assert plan.rows[0].create_values["size"] == "中型"
    assert "size" not in plan.rows[1].create_values
    assert any("企业规模应为" in p.message for p in plan.rows[1].problems)


def test_an_old_registration_number_in_the_code_column_is_kept_as_legacy_code(
        database, tmp_path):
    existing = _enterprise(database, "常州示例机械有限公司", 1)
    path = write_xlsx(tmp_path / "old.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码"],
        ["常州示例机械有限公司", "320412000012345"],
    ]})
    plan, _ = import_file(database, path, kind="roster")
    (row,) = plan.rows
    assert row.action == UPDATE and row.enterprise_id == existing
    assert [(c.field, c.new) for c in row.changes] == [("legacy_code", "320412000012345")]
    with database.session() as session:
        assert session.get(Enterprise, existing).legacy_code == "320412000012345"


def test_undo_after_renaming_back_leaves_no_former_name_equal_to_the_name(database, tmp_path):
    from tiers.services import enterprises as enterprise_service

    firm = _enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["常州乙科技有限公司", make_code(1)]]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:  # the officer puts the old name back by hand
        enterprise_service.update(session, firm, {"name": "常州甲科技有限公司"})
    undo(database, batch)
    with database.session() as session:
        assert session.get(Enterprise, firm).name == "常州甲科技有限公司"
        formers = session.scalars(select(FormerName.name).where(
            FormerName.enterprise_id == firm)).all()
    assert "常州甲科技有限公司" not in formers


def test_undo_logs_in_full_what_it_removes_from_a_firm_that_stays(database, tmp_path):
    """The import's own Change row only names the record it created; when undo removes
    that record from a firm that stays, the delete row keeps its values."""
    import json

    from tiers.model.orm import Change
    from tiers.queries import history
    from tiers.text.changes import describe

    firm = _enterprise(database, "常州示例机械有限公司", 1)
    path = write_xlsx(tmp_path / "2023年度数据.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "研发费用（万元）", "年度"],
        ["常州示例机械有限公司", make_code(1), 1234.5, 88, 2023]]})
    _, batch = import_file(database, path, kind="figures")
    undo(database, batch)
    with database.session() as session:
        deleted = session.execute(select(Change.old_value).where(
            Change.entity == "annual_figures", Change.action == "delete")).scalar_one()
        changes = history.history(session, firm)
    assert json.loads(deleted) == {"year": 2023, "revenue": "1234.5", "rd_expense": "88",
                                   "undo_of_batch": batch}
    lines = [describe(h) for h in changes if h["entity"] == "annual_figures"]
    assert [(line.action, line.subject) for line in lines] == [("删除", "2023年"),
                                                               ("新增", "2023年")]


def test_a_credit_code_saved_as_a_number_says_so(database, tmp_path):
    """A code Excel or LibreOffice turned into a number (9.13E+17, or 9132…4E82 read as
    9.13E+82): the message says what happened and what to do, not only "应为18位"."""
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", 9.13204123305083e+17],
        ["乙科技有限公司", "9.1320412243014E+82"],
        ["丙科技有限公司", "91320412ABC"],
    ]})
    rows = by_row(plan_file(database, path, kind="roster"))
    for number in (2, 3):
        assert rows[number].action == "error"
        assert any("当成了数字" in p.message and p.column == "B" for p in rows[number].problems)
    assert not any("当成了数字" in p.message for p in rows[4].problems)
    # the preview's code column shows the cell as the spreadsheet does, not blank
    assert [rows[n].code_as_written for n in (2, 3, 4)] == [
        "9.13204E+17", "9.1320412243014E+82", "91320412ABC"]
    assert all(rows[n].credit_code == "" for n in (2, 3, 4))


def test_the_file_imported_before_note_names_the_kind_when_it_differs(database, tmp_path):
    path = write_xlsx(tmp_path / "2024年度专精特新中小企业名单.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "年度"],
        ["甲科技有限公司", make_code(11), 100, 2024],
    ]})
    import_file(database, path, kind="roster")
    again = plan_file(database, path, kind="roster")
    assert any("重复导入不会产生变化" in p.message for p in again.problems)
    other = plan_file(database, path, kind="recognitions", tier="省级专精特新")
    notes = [p.message for p in other.problems if "导入过" in p.message]
    assert notes and "按“企业名录”导入过" in notes[0] and "不会产生变化" not in notes[0]
    # and the figure columns a recognition list leaves out are named
    assert any("C 营业收入" in p.message and "年度数据" in p.message for p in other.problems)


def test_a_list_titled_with_a_tier_and_carrying_figures_is_a_recognition_list(tmp_path):
    """“2024年度武进区专精特新中小企业名单” with 镇街, 规模 and 营业收入 columns announces
    recognised firms: it is read as a 认定名单 (it was read as a 企业名录, whose import
    records no title while the wizard showed the tier it had found)."""
    path = write_xlsx(tmp_path / "list.xlsx", {"武进区": [
        ["2024年度常州市武进区专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码", "镇（街道）", "企业规模", "营业收入（万元）"],
        ["甲科技有限公司", make_code(12), "湖塘镇", "小型", 100],
    ]})
    detection = detect(open_source(path))
    assert (detection.kind, detection.metadata.tier, detection.metadata.batch_year) == (
        "recognitions", "zjtx", 2024)


def test_the_preview_lists_what_a_new_firm_will_hold(database, tmp_path):
    """A 新增 row showed nothing in 将写入的内容: now the firm's fields and its figures."""
    from importers.plan import content_lines

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "镇街", "联系电话", "营业收入（万元）", "年度"],
        ["甲科技有限公司", make_code(13, "320412"), "湖塘镇", "13800000000", 1234.5, 2024],
    ]})
    (row,) = plan_file(database, path, kind="roster").rows
    assert content_lines(row) == [
        "县（市、区）：武进区（320412）", "镇街/园区：湖塘镇", "联系电话：13800000000",
        "新增 2024年 年度数据（营业收入 1234.5）"]


def test_the_problem_workbook_prints_readably(database, tmp_path):
    """Each problem on its own line in a row tall enough for it (LibreOffice and WPS do not
    grow rows by themselves), landscape, one page wide, the header on every page."""
    import openpyxl

    from importers.report import write_error_report

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "成立日期"],
        ["甲科技有限公司", "ABC123", "2007-02-30"],
        ["乙科技有限公司", make_code(14), "2015-03-08"],
    ]})
    plan = plan_file(database, path, kind="roster")
    out = tmp_path / "问题行.xlsx"
    assert write_error_report(plan, out) == 1
    sheet = openpyxl.load_workbook(out).active
    problem = sheet.cell(row=2, column=5).value
    assert problem.count("\n") == 1 and "C列" in problem and "B列" in problem
    assert sheet.row_dimensions[2].height >= 2 * 15
    assert sheet.page_setup.orientation == "landscape"
    setup = sheet.page_setup  # fitToWidth left out means 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0
    assert sheet.print_title_rows in ("1:1", "$1:$1")


def test_a_row_that_writes_nothing_lists_nothing_to_write(database, tmp_path):
    from importers.plan import content_lines

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "镇街", "营业收入（万元）", "年度"],
        ["甲科技有限公司", "ABC123", "湖塘镇", 100, 2024],
    ]})
    (row,) = plan_file(database, path, kind="roster").rows
    assert row.action == "error" and content_lines(row) == []
