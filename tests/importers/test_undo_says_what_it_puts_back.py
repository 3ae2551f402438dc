"""Undoing a final list imported over its 公示 list asked 还原的字段：认定的公示中 (tester28a
#1, shots/32_undo_confirm.png): a field's label, not what happens. The undo now says it in
words, made by the core (the dialog, the result and the CLI only show them):
3 项小巨人认定由已认定改回公示中; other fields put back as 1 家企业的联系电话、地址改回导入前的值."""

from __future__ import annotations

from tests.conftest import make_code
from tests.importers.helpers import import_file, undo, write_xlsx
from tiers.progress import drain
from ui.cli.main import main
from ui.import_wizard import jobs
from ui.import_wizard.summary import undo_summary

FIRMS = [[number, f"常州还原{number}号有限公司", make_code(900 + number)] for number in range(1, 4)]
HEADER = ["序号", "企业名称", "统一社会信用代码"]


def _final_over_publicity(database, tmp_path) -> int:
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于江苏省第五批专精特新“小巨人”企业名单的公示"], HEADER, *FIRMS]}))
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        ["江苏省第五批专精特新“小巨人”企业名单"], HEADER, *FIRMS]}))
    return batch_id


def test_the_preview_says_the_titles_go_back_to_pending(database, tmp_path):
    batch_id = _final_over_publicity(database, tmp_path)
    preview = drain(jobs.undo_preview(database, batch_id, None))
    assert preview.restore_words == ["3 项小巨人认定由已认定改回公示中"]


def test_the_result_and_the_cli_say_it_too(database, db_target, tmp_path, capsys):
    batch_id = _final_over_publicity(database, tmp_path)
    assert "3 项小巨人认定由已认定改回公示中" in undo_summary(undo(database, batch_id))
    batch_id = _final_over_publicity(database, tmp_path)  # the list again, undone by the CLI
    assert main(["--db", str(db_target), "undo-import", str(batch_id)]) == 0
    assert "3 项小巨人认定由已认定改回公示中" in capsys.readouterr().out


def test_other_fields_are_said_by_their_record(database, tmp_path, code):
    header = ["序号", "企业名称", "统一社会信用代码", "县区", "联系电话", "地址"]
    first = [["名录"], header, [1, "常州字段1号科技有限公司", code(711), "武进区", "0519-1111", "湖塘镇1号"]]
    again = [["名录"], header, [1, "常州字段1号科技有限公司", code(711), "武进区", "0519-2222", "湖塘镇2号"]]
    import_file(database, write_xlsx(tmp_path / "名录一.xlsx", {"武进区": first}))
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录二.xlsx", {"武进区": again}),
                                  fill_blanks_only=False)
    preview = drain(jobs.undo_preview(database, batch_id, None))
    (said,) = preview.restore_words
    assert said.startswith("1 家企业的") and said.endswith("改回导入前的值"), said
    assert sorted(said[6:-7].split("、")) == ["地址", "联系电话"], said
