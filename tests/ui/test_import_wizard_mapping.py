"""The wizard's mapping page: the title fields (梯度, 级别, 批次) only for a recognition
list, and the 年度 read from a title, used as the plan will use it."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import (
    open_wizard,
    recognition_rows,
    roster_rows,
    wait_idle,
)
from tiers.services import enterprises
from ui.import_wizard import FILE, MAPPING, PREVIEW, ImportWizard


def test_title_fields_only_for_a_recognition_list(qtbot, database, settings, runner, tmp_path,
                                                  code):
    path = write_xlsx(tmp_path / "第五批小巨人.xlsx", {"名单": recognition_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    title_fields = (wizard.tier, wizard.level, wizard.batch_label, wizard.is_review)

    def shown(widget):
        label = wizard.meta_form.labelForField(widget)
        return widget.isVisibleTo(wizard) and (label is None or label.isVisibleTo(wizard))

    assert wizard.kind.currentData() == "recognitions"
    assert wizard.tier.currentData() == "little_giant"
    assert all(shown(w) for w in title_fields) and shown(wizard.batch_year)
    for kind in ("roster", "support", "figures"):
        wizard.kind.setCurrentIndex(wizard.kind.findData(kind))
        assert not any(shown(w) for w in title_fields), kind
        assert shown(wizard.batch_year), kind
        assert wizard.mapping_table.rowCount() == 4
        options = wizard.corrected_detection()
        assert options.kind == kind
    # back and forth: the fields and what they hold come back
    wizard.kind.setCurrentIndex(wizard.kind.findData("recognitions"))
    assert all(shown(w) for w in title_fields)
    assert wizard.tier.currentData() == "little_giant"
    assert wizard.corrected_detection().metadata.tier == "little_giant"
    # a 企业名录 of the same file imports firms, and records no title
    wizard.kind.setCurrentIndex(wizard.kind.findData("roster"))
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.plan.kind == "roster"
    assert not any(record.entity == "recognition" for row in wizard.plan.rows
                   for record in row.records)
    wizard.close()


def test_a_second_file_of_another_kind_hides_the_title_fields(qtbot, database, settings, runner,
                                                              tmp_path, code):
    recognitions = write_xlsx(tmp_path / "第五批小巨人.xlsx", {"名单": recognition_rows(code)})
    roster = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, recognitions, MAPPING)
    assert wizard.tier.isVisibleTo(wizard)
    wizard.show_step(FILE)
    wizard.path.setText(str(roster))
    wizard.next_button.click()
    wait_idle(qtbot, wizard, MAPPING)
    assert wizard.kind.currentData() == "roster"
    assert not wizard.tier.isVisibleTo(wizard) and wizard.batch_year.isVisibleTo(wizard)
    wizard.close()


def test_the_year_read_from_the_title_does_not_pick_one_group(qtbot, database, settings, runner):
    """A title “（2023—2024年）” fills in 年度 2024; left as it is, the wizard imports both
    year groups of the sheet (it used to pass the year on as given, dropping 2023)."""
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / "figures_two_years_libreoffice.xls"
    with database.session() as session:
        enterprises.create(session, {"credit_code": "91320582070000014E", "name": "甲有限公司"})
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and wizard.runner.settled, timeout=15_000)
    assert wizard.batch_year.value() == 2024
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == PREVIEW and wizard.runner.settled, timeout=15_000)
    row = next(r for r in wizard.plan.rows if r.credit_code == "91320582070000014E")
    assert [r.description for r in row.records] == ["2023年 年度数据", "2024年 年度数据"]
    # changed by the user, the year counts: only its group
    wizard.back()
    wizard.batch_year.setValue(2023)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == PREVIEW and wizard.runner.settled, timeout=15_000)
    row = next(r for r in wizard.plan.rows if r.credit_code == "91320582070000014E")
    assert [r.description for r in row.records] == ["2023年 年度数据"]


def test_a_numbered_batch_shows_its_year(qtbot, database, settings, runner, tmp_path, code):
    path = write_xlsx(tmp_path / "第六批.xlsx", {"S": [
        ["第六批专精特新“小巨人”企业名单"], ["企业名称", "统一社会信用代码"],
        ["甲有限公司", code(1)]]})
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and wizard.runner.settled, timeout=15_000)
    assert wizard.batch_year.value() == 2024  # as the plan will use it, not “(未知)”
    assert not wizard.corrected_detection().metadata.year_given


def test_a_review_lists_batch_column_is_shown_as_its_field(qtbot, database, settings, runner,
                                                           tmp_path, code):
    """A 复核 list's own 复核批次 column: the mapping page names it (it read 不导入, no header
    naming the field), and the preview's records take each row's batch."""
    from ui.import_wizard.field_chooser import FIELD_ROLE

    path = write_xlsx(tmp_path / "小巨人.xlsx", {"名单": [
        ["2026年专精特新“小巨人”企业复核通过名单"],
        ["序号", "企业名称", "统一社会信用代码", "复核批次"],
        [1, "常州复核一号科技有限公司", code(901), "第五批"],
        [2, "常州复核二号科技有限公司", code(902), "第二批复核"]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    table = wizard.mapping_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "复核批次")
    assert table.item(row, 3).data(FIELD_ROLE) == "review_of_batch"
    assert table.item(row, 3).text() == "复核批次"
    assert "第五批" in table.item(row, 2).text()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert [row.records[0].values["review_of_batch"] for row in wizard.plan.rows] == [
        "第五批", "第二批复核"]
    wizard.close()


def test_a_review_lists_year_set_to_its_batchs_own_keeps_the_title(qtbot, database, settings,
                                                                     runner, tmp_path, code):
    """tester27b #2 through the wizard: 年度 2020 for “第二批…复核通过名单” on a firm
    holding the 2020 第二批 title. The preview adds a 复核 of 2023 (not “复核：否 → 是” on
    the title) and says why, in the file's notes above the rows."""
    from tiers.services import recognitions

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "溧阳市合金汽配有限公司"})
        recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                            "batch_label": "第二批", "batch_year": 2020})
    path = write_xlsx(tmp_path / "复核.xlsx", {"Sheet1": [
        ["第二批专精特新“小巨人”企业复核通过名单"], ["序号", "企业名称", "统一社会信用代码"],
        [1, "溧阳市合金汽配有限公司", code(1)]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.batch_year.setValue(2020)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    [row] = wizard.plan.rows
    [record] = row.records
    assert record.action == "create" and record.values["batch_year"] == 2023
    assert record.description == "小巨人 第二批（复核）"
    notes = wizard.preview_page.file_problems.text()
    assert "指定的年度 2020 是所复核批次（第二批）本身的年度" in notes, notes
    assert wizard.preview_page.file_problems.isVisibleTo(wizard)
    wizard.close()
