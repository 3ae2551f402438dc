"""The 回收站's 恢复 says what it did in the core's words (BulkResult.summary): which firms
came back, or that none was in the 回收站; each face adds only how it undoes the batch.
The roster once reworded the result itself (review26)."""

from __future__ import annotations

from tiers.services import bulk, enterprises


def _binned(database, code, count):
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": code(i), "county": "武进区",
                                            "name": f"常州恢复{i}有限公司"}).id
               for i in range(1, count + 1)]
        for enterprise_id in ids:
            enterprises.soft_delete(session, enterprise_id, user="wujin01")
    return ids


def test_restore_names_the_firms_and_the_faces_hint(database, code):
    ids = _binned(database, code, 4)
    with database.session() as session:
        result = bulk.apply(session, "restore", ids[:2], {}, user="wujin01")
    assert result.summary() == (f"已从回收站恢复 2 家企业：常州恢复1有限公司、常州恢复2有限公司"
                                f"（批量操作 {result.batch_id}，可在导入记录中撤销）")
    assert result.summary("撤销：tiers undo-import 9").endswith(
        f"（批量操作 {result.batch_id}，撤销：tiers undo-import 9）")
    with database.session() as session:  # four chosen, two in the bin: three named at most
        more = bulk.apply(session, "restore", [*ids[:2], *ids[2:], ids[0]], {}, user="wujin01")
    assert more.summary().startswith("已从回收站恢复 2 家企业：常州恢复3有限公司、常州恢复4有限公司，跳过 2 家（")


def test_restore_of_firms_no_longer_binned_says_so(database, code):
    ids = _binned(database, code, 4)
    with database.session() as session:
        every = bulk.apply(session, "restore", ids, {}, user="wujin01")
    assert every.summary().startswith(
        "已从回收站恢复 4 家企业：常州恢复1有限公司、常州恢复2有限公司、常州恢复3有限公司 等（")
    with database.session() as session:
        again = bulk.apply(session, "restore", ids, {}, user="wujin01")
    assert again.batch_id is None
    assert again.summary() == "没有恢复任何企业：所选企业已不在回收站中"
