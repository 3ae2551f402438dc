"""A roster row with a text of several hundred characters (a long 主导产品, 经营范围 or 备注)
made its preview row taller than the table until the officer dragged a column width
(county officer, session 30): a row is as tall as its wrapped text up to a few lines, at the
first fit as after a drag or a scroll; the whole text is in the cell's tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from ui.import_wizard import MAPPING, PREVIEW
from ui.import_wizard.preview_page import ROW_LINES, tallest_row
from ui.plan_table_model import CONTENT_COLUMN
from ui.table_comforts import USER_WIDTHS

LONG = "高精度液压油缸、伺服阀组及配套电液控制系统的研发、制造与销售；" * 20  # 620 characters


def _wizard(qtbot, database, settings, runner, tmp_path, code):
    rows = [["2024年度武进区重点企业名录"],
            ["序号", "企业名称", "统一社会信用代码", "县区", "备注"]]
    rows += [[n, f"常州长文{n}号科技有限公司", code(900 + n), "武进区",
              LONG if n == 2 else "无"] for n in (1, 2, 3)]
    wizard = open_wizard(qtbot, database, settings, runner,
                         write_xlsx(tmp_path / "名录.xlsx", {"Sheet1": rows}), MAPPING,
                         size=(1100, 700))
    qtbot.waitExposed(wizard)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    return wizard


def test_a_row_with_a_long_text_is_a_few_lines_tall_at_first_and_after_a_drag(
        qtbot, database, settings, runner, tmp_path, code):
    wizard = _wizard(qtbot, database, settings, runner, tmp_path, code)
    view, model, page = wizard.preview, wizard.plan_model, wizard.preview_page
    (long_row,) = [r for r in range(model.rowCount())
                   if LONG[:40] in model.data(model.index(r, CONTENT_COLUMN))]

    def settled() -> bool:
        return not page._refit.isActive() and not page._refit_rows.isActive()

    qtbot.waitUntil(settled, timeout=3000)
    height = view.rowHeight(long_row)
    assert height < view.viewport().height() // 2, (height, view.viewport().height())
    assert height <= tallest_row(view) <= (ROW_LINES + 1) * view.fontMetrics().lineSpacing()
    assert height > 3 * view.fontMetrics().height()  # wrapped over a few lines, not one
    # the whole text is in the tooltip
    assert LONG in model.data(model.index(long_row, CONTENT_COLUMN), Qt.ToolTipRole)
    # a width dragged: the rows refitted the same way
    view.setProperty(USER_WIDTHS, True)
    view.setColumnWidth(CONTENT_COLUMN, 220)
    qtbot.waitUntil(lambda: page._refit_rows.isActive(), timeout=3000)
    qtbot.waitUntil(settled, timeout=3000)
    assert view.rowHeight(long_row) <= tallest_row(view)
    wizard.close()
