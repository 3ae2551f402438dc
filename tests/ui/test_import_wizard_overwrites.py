"""The wizard's preview says how many values firms already have the file would change,
lists them old → new, and re-plans with 只补空白; applied so, the values stay and blanks
are filled. Long problem messages wrap (the row grows; the tooltip is rich text)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.import_wizard import PREVIEW, RESULT
from ui.plan_table_model import PROBLEMS_COLUMN


def _roster(tmp_path, code):
    return write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "主导产品", "联系人", "企业规模"],
        ["常州改写甲有限公司", code(1), "减速机", "李四", ""],
        ["常州改写乙有限公司", code(2), "", "赵六", ""],
        ["常州改写丙有限公司", "320412000012345", "", "", "特大型"],  # an old registration no.
    ]})


def test_overwrites_are_said_listed_and_kept_with_fill_blanks_only(
        qtbot, database, settings, runner, code, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": code(1), "name": "常州改写甲有限公司",
                                     "county": "武进区", "main_product": "齿轮"})
        enterprises.create(session, {"credit_code": code(2), "name": "常州改写乙有限公司",
                                     "county": "武进区", "contact_person": "王五"})
    wizard = open_wizard(qtbot, database, settings, runner, _roster(tmp_path, code), PREVIEW - 1)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    page = wizard.preview_page
    assert page.existing_box.isVisibleTo(wizard)
    assert page.overwrite_summary.text() == "将改写 2 家企业的 2 个已有值"
    assert page.overwrite.isChecked() and page.tabs.tabText(1) == "改写的已有值（2）"
    listed = [[page.overwrite_list.item(r, c).text() for c in (1, 3, 4, 5)]
              for r in range(page.overwrite_list.rowCount())]
    assert listed == [["常州改写甲有限公司", "主导产品", "齿轮", "减速机"],
                      ["常州改写乙有限公司", "联系人", "王五", "赵六"]]
    # the third row's long warnings wrap: its row is taller than a one-line row
    assert wizard.preview.columnWidth(PROBLEMS_COLUMN) <= 420
    assert wizard.preview.rowHeight(2) > wizard.preview.rowHeight(0)
    tooltip = wizard.plan_model.data(wizard.plan_model.index(2, PROBLEMS_COLUMN),
                                     Qt.ToolTipRole)
    assert tooltip.startswith("<p>") and "原注册号" in tooltip

    page.fill_blanks.click()  # 只补空白: planned again
    qtbot.waitUntil(lambda: wizard.plan.fill_blanks_only and wizard.runner.settled, timeout=15_000)
    assert page.overwrite_summary.text() == \
        "只补空白：2 家企业的 2 个已有值保持不变（选“全部更新”才改写）"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    with database.session() as session:
        values = {e.credit_code: (e.main_product, e.contact_person)
                  for e in session.scalars(select(Enterprise))}
    assert values == {code(1): ("齿轮", "李四"), code(2): ("", "王五")}
