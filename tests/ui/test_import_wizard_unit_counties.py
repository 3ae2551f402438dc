"""The import wizard in a county's database that records its unit's counties (本单位负责的
区县): a province list's rows of other counties read 不导入（不属本单位区县） in the preview
with their county, are counted apart and said above the table; the one choice 一并导入这些行
plans again with them taken in, and 导入 writes what was chosen."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from tiers.model.orm import Enterprise
from tiers.services import unit as unit_service
from ui.import_wizard import PREVIEW, RESULT
from ui.plan_table_model import PROBLEMS_COLUMN


def _province_list(tmp_path):
    return write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, "320412")],
        [3, "江阴市", "江阴市澄江轴承有限公司", make_code(3, "320281")],
    ]})


def _names(database):
    with database.session() as session:
        return sorted(session.scalars(select(Enterprise.name)))


def _take_other_counties(qtbot, wizard):
    """Tick 一并导入这些行 and wait for the plan made again with those rows."""
    wizard.preview_page.take_other_counties.click()
    qtbot.waitUntil(lambda: wizard.plan.other_counties_taken and not wizard._busy(),
                    timeout=15_000)


def test_other_counties_left_out_then_taken_in_by_one_choice(
        qtbot, database, settings, runner, tmp_path):
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    wizard = open_wizard(qtbot, database, settings, runner, _province_list(tmp_path),
                         PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert "新增 1" in page.counts.text() and "不导入（不属本单位区县） 2" in page.counts.text()
    assert page.other_counties_box.isVisibleTo(wizard)
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 2 行不导入（各行“问题”中写明所属区县）")
    assert not page.take_other_counties.isChecked()
    model = wizard.plan_model
    assert [model.data(model.index(n, 1)) for n in range(3)] == [
        "新增", "不导入（不属本单位区县）", "不导入（不属本单位区县）"]
    assert model.data(model.index(1, PROBLEMS_COLUMN)) == (
        "B列：不属本单位区县（武进区；本单位：溧阳市），不导入")

    page.take_other_counties.click()  # planned again with them
    qtbot.waitUntil(lambda: wizard.plan.other_counties_taken and not wizard._busy(),
                    timeout=15_000)
    assert "新增 3" in page.counts.text() and "不属本单位" not in page.counts.text()
    assert page.other_counties_summary.text() == "本单位负责的区县为溧阳市：不属这些区县的 2 行一并导入"
    assert page.take_other_counties.isChecked()
    page.take_other_counties.click()  # and back
    qtbot.waitUntil(lambda: not wizard.plan.other_counties_taken and not wizard._busy(),
                    timeout=15_000)
    assert "不导入（不属本单位区县） 2" in page.counts.text()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert _names(database) == ["溧阳市天目湖精密机械有限公司"]


def test_nothing_recorded_shows_no_choice(qtbot, database, settings, runner, tmp_path):
    wizard = open_wizard(qtbot, database, settings, runner, _province_list(tmp_path),
                         PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert not wizard.preview_page.other_counties_box.isVisibleTo(wizard)
    assert "新增 3" in wizard.preview_page.counts.text()


def test_the_rows_without_a_code_are_not_said_to_be_taken_in(
        qtbot, database, settings, runner, tmp_path):
    """一并导入 says what it imports: a row of another county without a credit code nor a
    firm of its name stays 未匹配 when taken in, said apart with why; when every such row
    is one, the choice does not say 导入 at all."""
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, "320412")],
        [3, "武进区", "常州武进未报代码有限公司", ""],
        [4, "江阴市", "江阴市未报代码有限公司", ""],
    ]})
    wizard = open_wizard(qtbot, database, settings, runner, path, PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 3 行不导入（各行“问题”中写明所属区县）；"
        "其中 2 行未提供信用代码、库中没有该企业，一并导入也是“未匹配”，不会新建")
    assert page.take_other_counties.text() == "一并导入其中 1 行(&O)"
    _take_other_counties(qtbot, wizard)
    assert "新增 2" in page.counts.text() and "未匹配 2" in page.counts.text()
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 3 行中 1 行一并导入；"
        "另 2 行未提供信用代码、库中没有该企业，为“未匹配”，不导入（可指定关联）")
    assert page.take_other_counties.text() == "一并导入其中 1 行(&O)"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert _names(database) == ["常州武进恒通阀门有限公司", "溧阳市天目湖精密机械有限公司"]


def test_when_none_can_be_written_the_choice_does_not_say_import(
        qtbot, database, settings, runner, tmp_path):
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    wizard = open_wizard(qtbot, database, settings, runner, path, PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 1 行不导入（各行“问题”中写明所属区县）；"
        "这 1 行都未提供信用代码、库中没有该企业，一并列入也是“未匹配”，不会新建")
    assert page.take_other_counties.text() == "列为未匹配，以便指定关联(&O)"
    _take_other_counties(qtbot, wizard)
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 1 行都未提供信用代码、库中没有该企业，"
        "为“未匹配”，不导入（可指定关联）")


def test_a_gongshi_taken_in_is_confirmed_by_its_final_list(
        qtbot, database, settings, runner, tmp_path):
    """tester28a #1: 新北区 takes in the 公示's 开发区 and 武进 rows with 一并导入这些行; the
    final list then updates them all (they were 不导入 and stayed 公示中 for good)."""
    from tests.importers.test_import_unit_taken_in import _final, _gongshi, _pending

    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    wizard = open_wizard(qtbot, database, settings, runner, _gongshi(tmp_path), PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert "不导入（不属本单位区县） 2" in wizard.preview_page.counts.text()
    _take_other_counties(qtbot, wizard)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    wizard.close()

    wizard = open_wizard(qtbot, database, settings, runner, _final(tmp_path), PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert "更新 3" in page.counts.text() and "不属本单位" not in page.counts.text()
    assert not page.other_counties_box.isVisibleTo(wizard)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert set(_pending(database).values()) == {False}


def test_one_row_taken_in_from_the_preview(qtbot, database, settings, runner, tmp_path):
    """一并导入这些行 is all or nothing; 导入此行 takes the selected row alone (the officer's
    own 开发区 firm), 武进's stays out; pressed again, the row is left out again."""
    from tests.importers.test_import_unit_taken_in import ZONE, _gongshi

    with database.session() as session:
        unit_service.set_unit_counties(session, ["新北区"])
    wizard = open_wizard(qtbot, database, settings, runner, _gongshi(tmp_path), PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    wizard.select_plan_row(3)  # the firm of 新北区 itself: nothing to take in
    assert not page.take_row_button.isEnabled()
    wizard.select_plan_row(4)  # 常州滨江经济开发区
    assert page.take_row_button.isEnabled() and page.take_row_button.text() == "导入此行(&T)"
    page.take_row_button.click()
    qtbot.waitUntil(lambda: wizard.plan.taken_in_rows == {4} and not wizard._busy(),
                    timeout=15_000)
    assert "新增 2" in page.counts.text() and "不导入（不属本单位区县） 1" in page.counts.text()
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为新北区：不属这些区县的 2 行中 1 行导入（导入此行），其余 1 行不导入"
        "（各行“问题”中写明所属区县）")
    assert wizard.current_plan_row().row == 4
    assert page.take_row_button.text() == "不导入此行(&T)"
    page.take_row_button.click()
    qtbot.waitUntil(lambda: not wizard.plan.taken_in_rows and not wizard._busy(),
                    timeout=15_000)
    assert "不导入（不属本单位区县） 2" in page.counts.text()
    page.take_row_button.click()
    qtbot.waitUntil(lambda: wizard.plan.taken_in_rows == {4} and not wizard._busy(),
                    timeout=15_000)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert ZONE[0] in _names(database) and len(_names(database)) == 2


def test_the_unmatched_reason_is_the_plan_s(qtbot, database, settings, runner, tmp_path,
                                            monkeypatch):
    """The reason such rows stay 未匹配 was written in the wizard and in the command line
    apart (review of session 28, #3): both say the plan's."""
    from importers.plan.types import Plan
    from ui.cli.import_report import other_counties_line

    monkeypatch.setattr(Plan, "other_unit_unmatched_why", property(lambda _plan: "〔理由〕"))
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    wizard = open_wizard(qtbot, database, settings, runner, path, PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert "这 1 行都〔理由〕，" in wizard.preview_page.other_counties_summary.text()
    assert "这 1 行都〔理由〕，" in other_counties_line(wizard.plan)


def test_another_countys_binned_firm_is_left_out_and_said(
        qtbot, database, settings, runner, tmp_path):
    """tester29: a 武进区 row of a firm in 溧阳's 回收站 reads 不导入（不属本单位区县）, not
    “请先恢复再导入”; the line above says that, taken in, it is an error to restore first."""
    from tiers.services import enterprises

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(2, "320412"),
                                            "name": "常州武进恒通阀门有限公司", "county": "武进区"})
        enterprises.soft_delete(session, firm.id)
        unit_service.set_unit_counties(session, ["溧阳市"])
    wizard = open_wizard(qtbot, database, settings, runner, _province_list(tmp_path),
                         PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page, model = wizard.preview_page, wizard.plan_model
    assert model.data(model.index(1, 1)) == "不导入（不属本单位区县）"
    assert model.data(model.index(1, PROBLEMS_COLUMN)) == (
        "B列：不属本单位区县（武进区；本单位：溧阳市），不导入")
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 2 行不导入（各行“问题”中写明所属区县）；"
        "其中 1 行的企业在回收站中，一并导入也是错误，须先恢复")


def test_a_row_taken_in_is_not_counted_among_the_rest(qtbot, database, settings, runner,
                                                      tmp_path):
    """导入此行 beside rows without a code: the sentence counts the rest without the row
    taken, and 一并导入其中 M 行 counts what it would write of the rest (small29 #3)."""
    with database.session() as session:
        unit_service.set_unit_counties(session, ["溧阳市"])
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, "320412")],
        [3, "武进区", "常州武进兴达电机有限公司", make_code(3, "320412")],
        [4, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    wizard = open_wizard(qtbot, database, settings, runner, path, PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert page.take_other_counties.text() == "一并导入其中 2 行(&O)"
    wizard.select_plan_row(4)  # 恒通阀门
    page.take_row_button.click()
    qtbot.waitUntil(lambda: wizard.plan.taken_in_rows == {4} and not wizard._busy(),
                    timeout=15_000)
    assert page.other_counties_summary.text() == (
        "本单位负责的区县为溧阳市：不属这些区县的 3 行中 1 行导入（导入此行），其余 2 行不导入"
        "（各行“问题”中写明所属区县）；其中 1 行未提供信用代码、库中没有该企业，"
        "一并导入也是“未匹配”，不会新建")
    assert page.take_other_counties.text() == "一并导入其中 1 行(&O)"
