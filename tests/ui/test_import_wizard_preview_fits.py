"""The preview's columns end at the table's edge: with 问题 filled, the wrapped columns
(问题, 将写入的内容, 可能是) share what the others leave, so the last one is not cut off at
the right (the officer's walk: it ran slightly off the edge); again when the window is
resized."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from ui.import_wizard import MAPPING, PREVIEW
from ui.import_wizard.preview_page import WRAPPED_MINIMUM, share_width
from ui.plan_table_model import HEADERS, PROBLEMS_COLUMN


def test_share_width():
    assert share_width({5: 300, 6: 200}, 600, 160) == {5: 300, 6: 200}  # room for both
    shared = share_width({5: 420, 6: 480, 7: 64}, 700, 160)
    assert shared[7] == 64  # a narrow one keeps its width
    assert sum(shared.values()) <= 700 and min(shared[5], shared[6]) >= 160
    assert shared[6] > shared[5]  # in proportion to what each wants
    assert share_width({5: 420, 6: 480}, 200, 160) == {5: 160, 6: 160}  # never below


def visible_width(table) -> int:
    header = table.horizontalHeader()
    return sum(header.sectionSize(column) for column in range(header.count())
               if not header.isSectionHidden(column))


def test_the_last_column_ends_at_the_edge(qtbot, database, settings, runner, tmp_path, code):
    rows = [["2024年度武进区创新型中小企业名单"],
            ["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品", "联系人",
             "地址"]]
    rows += [[n, f"常州宽列{n}号科技有限公司", code(600 + n), "湖塘镇",
              "高精度液压油缸与伺服阀组", "张建国",
              "常州市武进区湖塘镇长安路一百二十八号科技园三号楼"] for n in (1, 2)]
    wrong = code(603)[:-1] + ("0" if code(603)[-1] != "0" else "1")
    rows.append([3, "常州校验位错误的科技有限公司", wrong, "湖塘镇", "阀门", "李四", "湖塘镇"])
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": rows})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.resize(1100, 700)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    table = wizard.preview
    assert HEADERS[PROBLEMS_COLUMN] == "问题"
    assert any(wizard.plan_model.data(wizard.plan_model.index(row, PROBLEMS_COLUMN))
               for row in range(wizard.plan_model.rowCount()))
    for width in (1100, 1000):  # (the wizard opens about 1100 wide on a 1366 screen)
        wizard.resize(width, 700)
        # (the scroll bar's range follows the header's geometry in a posted event)
        qtbot.waitUntil(lambda: visible_width(table) <= table.viewport().width()
                        and table.horizontalScrollBar().maximum() == 0, timeout=3000)
        assert table.columnWidth(PROBLEMS_COLUMN) >= WRAPPED_MINIMUM
