"""导入记录 names a 公示 list as such: an officer who imported the 公示 list and later the
final list saw two rows both called 认定名单 and could not tell which one to undo."""

from __future__ import annotations

from tests.importers.helpers import import_file, write_xlsx
from tiers.queries.imports import import_batches


def _rows(title, code):
    return [[title], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州公示{n}号科技有限公司", code(900 + n), "武进区"] for n in (1, 2)]]


def test_a_publicity_list_is_named_so_in_the_list_of_imports(database, tmp_path, code):
    publicity = write_xlsx(tmp_path / "公示.xlsx", {
        "Sheet1": _rows("2025年度江苏省专精特新中小企业拟认定名单公示", code)})
    final = write_xlsx(tmp_path / "认定.xlsx", {
        "Sheet1": _rows("2025年度江苏省专精特新中小企业名单", code)})
    import_file(database, publicity)
    import_file(database, final)
    with database.session() as session:
        labels = [batch["kind_label"] for batch in import_batches(session)]
    assert labels == ["认定名单", "公示名单"]  # newest first
