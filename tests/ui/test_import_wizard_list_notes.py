"""What the wizard says about a list's title (tester26b at 1366): step 3's notes wrap in the
width of the fields above them (a long one, 标题同时含新认定…按新认定导入；复核企业请分开导入…,
unwrapped widened the left column and squeezed the table's 示例 to a stub), and the preview's
warning follows what the officer chose (复核, 第二批), not what the title was read as."""

from __future__ import annotations

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from ui.import_wizard import MAPPING, PREVIEW


def _both_lists(tmp_path):
    """A list whose title names a new batch and a 复核 pass of an earlier one."""
    return write_xlsx(tmp_path / "名单.xlsx", {"Sheet": [
        ["江苏省第五批专精特新“小巨人”企业和第二批专精特新“小巨人”复核通过企业名单"],
        ["序号", "地区", "企业名称"],
        [1, "常州市", "常州恒立传感科技有限公司"]]})


def test_a_long_note_wraps_and_leaves_the_samples_their_room(qtbot, database, settings, runner,
                                                             tmp_path):
    wizard = open_wizard(qtbot, database, settings, runner, _both_lists(tmp_path), MAPPING,
                         size=(1100, 700))
    page = wizard.mapping_page
    note = page.detected
    assert "按新认定导入" in note.text()
    qtbot.waitUntil(lambda: note.width() > 0)
    # no wider than the fields above it want (it widened them, 480 px against 347): it wraps
    assert note.width() <= page.meta_form.sizeHint().width()
    assert note.height() > 4 * note.fontMetrics().height()
    assert wizard.mapping_table.columnWidth(2) >= 400  # 示例 (311 px beside the unwrapped note)


def test_the_preview_s_warning_follows_the_officer_s_review_choice(qtbot, database, settings,
                                                                   runner, tmp_path):
    """A title of both lists read as the new one warns 按新认定导入; once the officer sets
    第二批 and ticks 复核通过名单 the preview no longer says so (tester26b: it still did)."""
    wizard = open_wizard(qtbot, database, settings, runner, _both_lists(tmp_path), MAPPING)
    assert wizard.batch_label.text() == "第五批" and not wizard.is_review.isChecked()
    wizard.batch_label.setText("第二批")
    wizard.is_review.setChecked(True)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.plan.metadata["is_review"] is True
    shown = wizard.preview_page.file_problems.text()
    assert "按新认定导入" not in shown, shown
