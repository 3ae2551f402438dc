"""Switching 导入类别 on the mapping page takes the columns as that kind reads them: the
headers matched again, or the columns saved for that kind, not the saved columns of another
kind (tester30, 吴中区: a 扶持措施 list reopened after an import as 企业名录 kept L–P
“（不导入）”, and every row failed 措施类别不能为空)."""

from __future__ import annotations

from importers.plan import ERROR
from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from tiers.services import enterprises
from ui.import_wizard import MAPPING, PREVIEW, RESULT
from ui.import_wizard.field_chooser import FIELD_ROLE

HEADERS = ["企业名称", "统一社会信用代码", "县区", "措施类别", "项目名称", "金额", "年度", "实施单位"]


def _support_list(tmp_path, code):
    return write_xlsx(tmp_path / "扶持明细.xlsx", {"明细": [
        HEADERS,
        *[[f"吴中扶持{n}号科技有限公司", code(600 + n), "吴中区", "资金奖励", "智能化改造奖励",
           10 * n, 2025, "吴中区工信局"] for n in (1, 2, 3)]]})


def _field_of(wizard, header):
    table = wizard.mapping_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == header)
    return table.item(row, 3).data(FIELD_ROLE)


def _choose_kind(wizard, kind):
    wizard.kind.setCurrentIndex(wizard.kind.findData(kind))


def test_switching_the_kind_takes_that_kinds_columns(qtbot, database, settings, runner,
                                                     tmp_path, code):
    path = _support_list(tmp_path, code)
    # first open: a 扶持措施 list, every column mapped; imported as 企业名录
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.kind.currentData() == "support"
    assert _field_of(wizard, "措施类别") == "measure_kind"
    _choose_kind(wizard, "roster")
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    wizard.close()

    # reopened: the 企业名录's saved columns (措施类别 … not imported)
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.detection.remembered
    assert wizard.kind.currentData() == "roster"
    assert _field_of(wizard, "措施类别") is None
    wizard.next_button.click()  # as 企业名录 again: nothing changes
    wait_idle(qtbot, wizard, PREVIEW)
    assert "不会带来任何变化" in wizard.error.text()
    wizard.back_button.click()
    assert wizard.current_step() == MAPPING

    # switched to 扶持措施: matched from the headers again, the last preview's line gone
    _choose_kind(wizard, "support")
    assert wizard.error.text() == ""
    assert [_field_of(wizard, h) for h in ("措施类别", "项目名称", "金额", "实施单位")] == [
        "measure_kind", "measure_name", "amount", "implementer"]
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.plan.kind == "support"
    assert not [row for row in wizard.plan.rows if row.action == ERROR]
    assert wizard.plan.writes and wizard.next_button.isEnabled()
    # imported as 扶持措施: its columns are saved for that kind, the 企业名录's kept
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    wizard.close()

    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.kind.currentData() == "support"
    assert _field_of(wizard, "措施类别") == "measure_kind"
    _choose_kind(wizard, "roster")
    assert _field_of(wizard, "措施类别") is None  # the 企业名录's saved columns
    _choose_kind(wizard, "support")
    assert _field_of(wizard, "措施类别") == "measure_kind"
    wizard.close()


def test_a_corrected_column_saved_for_a_kind_comes_back_with_it(qtbot, database, settings,
                                                                runner, tmp_path, code):
    """The columns the officer corrected and imported as one kind are that kind's: chosen
    again on the reopened file's page, they come back (not the headers' match)."""
    path = _support_list(tmp_path, code)
    with database.session() as session:  # (a 扶持措施 list adds no firms)
        for n in (1, 2, 3):
            enterprises.create(session, {"credit_code": code(600 + n),
                                         "name": f"吴中扶持{n}号科技有限公司"})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.mapping_combo(7).setCurrentIndex(0)  # 实施单位 not imported
    assert _field_of(wizard, "实施单位") is None
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    wizard.close()

    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.kind.currentData() == "support" and _field_of(wizard, "实施单位") is None
    _choose_kind(wizard, "roster")
    _choose_kind(wizard, "support")
    assert _field_of(wizard, "实施单位") is None  # as saved for 扶持措施
    assert _field_of(wizard, "措施类别") == "measure_kind"
    wizard.close()


def test_columns_chosen_by_hand_outlast_a_switch_of_the_kind(qtbot, database, settings,
                                                             runner, tmp_path, code):
    """A column the officer corrected is his: switching 导入类别 and back keeps it, and a
    correction to a field of the new kind goes with the switch (reviewer30b: both were
    thrown away for the detected columns)."""
    path = _support_list(tmp_path, code)
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.kind.currentData() == "support"
    wizard.mapping_combo(7).setCurrentIndex(0)  # 实施单位 not imported
    combo = wizard.mapping_combo(4)  # 项目名称 taken as 联系人, a 企业名录's field
    combo.setCurrentIndex(combo.findData("contact_person"))
    assert _field_of(wizard, "项目名称") == "contact_person"
    _choose_kind(wizard, "roster")
    assert _field_of(wizard, "项目名称") == "contact_person"
    _choose_kind(wizard, "support")
    assert _field_of(wizard, "实施单位") is None
    assert _field_of(wizard, "项目名称") == "contact_person"
    assert _field_of(wizard, "措施类别") == "measure_kind"
    # an edit made under 企业名录 comes back with it too
    _choose_kind(wizard, "roster")
    combo = wizard.mapping_combo(6)  # 年度 not imported
    combo.setCurrentIndex(0)
    _choose_kind(wizard, "support")
    assert _field_of(wizard, "年度") == "year"
    _choose_kind(wizard, "roster")
    assert _field_of(wizard, "年度") is None and _field_of(wizard, "项目名称") == "contact_person"
    wizard.close()
