"""The 回收站 says who moved each firm there and when (tester25, problem 10): from the
change log (tiers.queries.binned), as the roster's rows give it (binned_at, binned_by). Its
恢复 is a bulk action (从回收站恢复) recorded as a batch, like 移入回收站, so that undoing
it puts the firms back in the 回收站 at the moment they had gone there."""

from __future__ import annotations

from sqlalchemy import select

from importers.undo import undo_batch
from importers.undo.plan import plan_undo
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.queries import binned, roster
from tiers.services import bulk, enterprises


def _firms(database, code, n: int = 2) -> list[int]:
    with database.session() as session:
        return [enterprises.create(session, {"credit_code": code(i), "name": f"溧阳市第{i}有限公司",
                                             "county": "溧阳市"}).id for i in range(1, n + 1)]


def _deleted_at(database, firm):
    with database.session() as session:
        return session.scalar(select(Enterprise.deleted_at).where(Enterprise.id == firm))


def test_the_bin_rows_say_who_and_when(database, code):
    first, second = _firms(database, code)
    with database.session() as session:
        enterprises.soft_delete(session, first, user="liyang02")
    with database.session() as session:
        batch = bulk.apply(session, "trash", [second], {}, user="liyang01").batch_id
    with database.session() as session:
        rows = roster.roster(session, roster.RosterFilter(deleted=True))
        by_id = {row["id"]: row for row in rows}
        assert by_id[first]["binned_by"] == "liyang02"
        assert by_id[second]["binned_by"] == f"liyang01（批量操作 {batch}）"
        assert by_id[first]["binned_at"] == _deleted_at(database, first)
        # the desktop's blocks of rows give the same
        assert [row["binned_by"] for row in roster.roster_rows(session, [first, second])] == [
            "liyang02", f"liyang01（批量操作 {batch}）"]
        # sorted by the moment they went there, newest first
        assert roster.roster_ids(session, roster.RosterFilter(deleted=True), sort="binned_at",
                                 descending=True) == [second, first]
    with database.session() as session:  # the roster's own firms: nothing said
        enterprises.restore(session, first)
        assert roster.roster_rows(session, [first])[0]["binned_by"] == ""
        assert roster.roster_rows(session, [first])[0]["binned_at"] is None


def test_a_line_without_an_account_names_no_one(database, code):
    (firm,) = _firms(database, code, 1)
    with database.session() as session:
        enterprises.soft_delete(session, firm, user="")
        found = binned.binned(session, [firm])[firm]
    assert found.by == "" and found.at == _deleted_at(database, firm)
    assert found.words().startswith("已于 ") and found.words().endswith(" 移入回收站")


def test_restore_is_a_batch_whose_undo_puts_the_firms_back_in_the_bin(database, code):
    first, second = _firms(database, code)
    with database.session() as session:
        enterprises.soft_delete(session, first, user="liyang02")
        enterprises.soft_delete(session, second, user="liyang02")
    moments = [_deleted_at(database, first), _deleted_at(database, second)]
    with database.session() as session:
        result = bulk.apply(session, "restore", [first, second], {}, user="liyang01")
    assert result.batch_id is not None and result.changed == [first, second]
    assert result.names == ["溧阳市第1有限公司", "溧阳市第2有限公司"]
    assert [_deleted_at(database, first), _deleted_at(database, second)] == [None, None]
    with database.session() as session:
        plan = drain(plan_undo(session, result.batch_id))
        assert plan.rebinned == 2
        drain(undo_batch(session, result.batch_id, user="liyang03"))
    assert [_deleted_at(database, first), _deleted_at(database, second)] == moments
    with database.session() as session:
        # the moment is the first move's, so is the account: the undo put that move back
        # (the 回收站 said liyang03 beside liyang02's moment: review26)
        found = binned.binned(session, [first, second])
        assert [(found[f].at, found[f].by) for f in (first, second)] == [
            (moments[0], "liyang02"), (moments[1], "liyang02")]
        rows = roster.roster_rows(session, [first])
        assert (rows[0]["binned_at"], rows[0]["binned_by"]) == (moments[0], "liyang02")


def test_the_bin_names_the_move_of_the_moment_it_shows(database, code):
    """Moved by a bulk action, restored, the 恢复 undone, restored again and moved anew by
    another officer: each time the 回收站 names the move whose moment it shows."""
    (firm,) = _firms(database, code, 1)
    with database.session() as session:
        trash = bulk.apply(session, "trash", [firm], {}, user="liyang01").batch_id
    first_moment = _deleted_at(database, firm)
    with database.session() as session:
        restore = bulk.apply(session, "restore", [firm], {}, user="liyang02").batch_id
    with database.session() as session:
        drain(undo_batch(session, restore, user="liyang03"))
        found = binned.binned(session, [firm])[firm]
    assert (found.at, found.by) == (first_moment, f"liyang01（批量操作 {trash}）")
    with database.session() as session:
        bulk.apply(session, "restore", [firm], {}, user="liyang02")
    with database.session() as session:
        enterprises.soft_delete(session, firm, user="liyang04")
        found = binned.binned(session, [firm])[firm]
    assert found.at == _deleted_at(database, firm) != first_moment
    assert found.by == "liyang04"


def test_restore_skips_a_firm_not_in_the_bin(database, code):
    first, second = _firms(database, code)
    with database.session() as session:
        enterprises.soft_delete(session, first, user="liyang02")
        draft = bulk.preview(session, "restore", [first, second], {})
    assert [(item.change, item.skip) for item in draft.items] == [
        ("从回收站恢复", ""), ("", "不在回收站中")]
