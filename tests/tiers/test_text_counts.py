"""Import and undo counts read in Chinese, without zeros."""

from importers.undo import UndoResult
from tiers.text.counts import counts_text, removed_text
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
    assert text == "已撤销导入批次 3：删除 认定 4 项、企业 3 家；还原字段 2 个。"
    assert "recognition" not in text and "0" not in text.replace("第 3", "")


def test_undo_summary_lists_kept_values_one_a_line_and_counts_the_rest():
    kept = [{"entity": "enterprise", "entity_id": n, "name": f"企业{n}", "field": "",
             "reason": f"企业“企业{n}”导入后又被修改过，予以保留"} for n in range(1, 24)]
    text = undo_summary(UndoResult(batch_id=7, removed={"recognition": 3}, kept=kept))
    lines = text.split("\n")
    assert lines[0] == "已撤销导入批次 7：删除 认定 3 项。"
    assert lines[1] == "以下内容导入后被修改过，保留未动："
    assert lines[2] == "　· 企业“企业1”导入后又被修改过"
    assert len(lines) == 2 + 20 + 1 and lines[-1] == "　……另有 3 处"
    assert undo_summary(UndoResult(batch_id=8)) == "已撤销导入批次 8：没有需要删除或还原的内容。"


def test_a_package_batch_counts_each_action_over_its_tables():
    """A package's batch records its counts per table ({"created": {"enterprises": …}}):
    导入记录 showed an empty 结果 for it."""
    counts = {"created": {"enterprises": 215, "recognitions": 273, "former_names": 0},
              "updated": {"enterprises": 0, "support_measures": 1},
              "deleted": {"enterprises": 3, "recognitions": 1},
              "unchanged": {"enterprises": 211, "recognitions": 268}, "conflicts": 2}
    assert counts_text(counts) == ("新增 488（其中企业 215 家）、更新 1、删除 4（其中企业 3 家移入回收站）、"
                                   "无变化 479（其中企业 211 家）、冲突 2")
    assert counts_text({"created": {"enterprises": 0}, "unchanged": {"recognitions": 0}}) == ""
