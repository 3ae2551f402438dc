"""Step 3's notes wrap in the width of the fields above them: a long one (标题同时含新认定…
按新认定导入；复核企业请分开导入…) unwrapped widened the left column and squeezed the
table's 示例 to a stub (tester26b at 1366)."""

from __future__ import annotations

import openpyxl

from ui.import_wizard import MAPPING, ImportWizard


def test_a_long_note_wraps_and_leaves_the_samples_their_room(qtbot, database, settings, runner,
                                                             tmp_path):
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["江苏省第五批专精特新“小巨人”企业和第二批专精特新“小巨人”复核通过企业名单"])
    book.active.append(["序号", "地区", "企业名称"])
    book.active.append([1, "常州市", "常州恒立传感科技有限公司"])
    book.save(path)
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.resize(1100, 700)
    wizard.show()
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and wizard.runner.settled,
                    timeout=15_000)
    page = wizard.mapping_page
    note = page.detected
    assert "按新认定导入" in note.text()
    qtbot.waitUntil(lambda: note.width() > 0)
    # no wider than the fields above it want (it widened them, 480 px against 347): it wraps
    assert note.width() <= page.meta_form.sizeHint().width()
    assert note.height() > 4 * note.fontMetrics().height()
    assert wizard.mapping_table.columnWidth(2) >= 400  # 示例 (311 px beside the unwrapped note)
