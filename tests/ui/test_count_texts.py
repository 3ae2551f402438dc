"""Import and undo counts read in Chinese, without zeros."""

from importers.undo import UndoResult
from ui.count_texts import counts_text, removed_text
from ui.import_wizard import undo_summary


def test_batch_counts_in_chinese_without_zeros():
    counts = {"rows": 6, "created": 3, "updated": 2, "unchanged": 0, "unmatched": 1,
              "errors": 0, "batch_id": 7}
    assert counts_text(counts) == "数据行 6、新增 3、更新 2、未匹配 1"
    assert counts_text({"enterprises": 120}) == "企业 120"


def test_undo_summary_names_tables_in_chinese():
    result = UndoResult(batch_id=3, removed={"recognition": 4, "annual_figures": 0,
                                             "enterprise": 3}, restored=2)
    assert removed_text(result.removed) == "认定 4 项、企业 3 家"
    text = undo_summary(result)
    assert text == "已撤销第 3 次导入：删除 认定 4 项、企业 3 家；还原字段 2 个。"
    assert "recognition" not in text and "0" not in text.replace("第 3", "")
