"""导入记录 → 查看企业: the firms a batch created or updated (#19)."""

from __future__ import annotations

from tests.importers.helpers import import_file, write_xlsx
from tests.ui.wizard_helpers import roster_rows
from tiers.queries.imports import batch_enterprises


def test_batch_firms_created_then_updated(database, tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    _plan, first = import_file(database, path)
    with database.session() as session:
        created = batch_enterprises(session, first)
    assert created and {row["what"] for row in created} == {"新建"}
    assert all(row["changes"] >= 1 and not row["deleted"] for row in created)
    title, header, _first, second_firm, _third = roster_rows(code)
    # a second file gives one of the firms a contact person
    path2 = write_xlsx(tmp_path / "名录2.xlsx", {"武进区": [
        title, [*header, "联系人"], [*second_firm, "王五"]]})
    _plan, second = import_file(database, path2)
    with database.session() as session:
        updated = batch_enterprises(session, second)
    assert [row["what"] for row in updated] == ["更新"]
