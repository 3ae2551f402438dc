"""The preview's 将写入的内容 wraps within a width instead of running off to the right: on a
1366 × 768 screen the officer saw 县区, 镇街, 主导产品, 联系人 … and had to scroll sideways to
find the one thing the list was for (新增 创新型 2024年度), which came last."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from ui.import_wizard import MAPPING, PREVIEW
from ui.import_wizard.preview_page import CONTENT_WIDTH
from ui.plan_table_model import CONTENT_COLUMN, HEADERS


def test_the_content_column_wraps_within_its_width(qtbot, database, settings, runner,
                                                   tmp_path, code):
    assert HEADERS[CONTENT_COLUMN] == "将写入的内容"
    rows = [["2024年度武进区创新型中小企业名单"],
            ["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品", "联系人",
             "联系电话", "地址"]]
    rows += [[n, f"常州宽列{n}号科技有限公司", code(600 + n), "湖塘镇", "高精度液压油缸与伺服阀组",
              "张建国", "13812345678", "常州市武进区湖塘镇长安路一百二十八号科技园三号楼"]
             for n in (1, 2)]
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": rows})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    table = wizard.preview
    text = wizard.plan_model.data(wizard.plan_model.index(0, CONTENT_COLUMN))
    assert "新增 创新型" in text
    assert table.fontMetrics().horizontalAdvance(text) > CONTENT_WIDTH  # a long line …
    assert table.columnWidth(CONTENT_COLUMN) <= CONTENT_WIDTH  # … kept to the width
    assert table.rowHeight(0) > 1.5 * table.fontMetrics().height()  # and wrapped, not cut
