"""Two writers in one process, step by step (issue #14, item 3): a plan made before another
import landed is refused as a conflict; no writer lands between an apply's check and its
writes; no import lands while an undo plans. (tests/importers/test_import_races.py runs
the same races with two real processes.)"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from importers import apply_plan, drain, undo_batch
from importers.apply import PlanOutdated
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, table_counts, write_xlsx
from tiers.errors import Conflict, Kind
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.storage.database import open_database
from tiers.storage.locking import BUSY_MESSAGE, DatabaseBusy

FIRMS = 5
HEADER = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "联系电话"]


def _roster(tmp_path, phone: str):
    rows = [[n, f"常州顺序{n}号机械有限公司", make_code(n), "武进区", f"{phone}-{n}"]
            for n in range(1, FIRMS + 1)]
    return write_xlsx(tmp_path / f"{phone}.xlsx", {"企业名录": [HEADER, *rows]})


def _all(phone: str) -> dict[str, str]:
    return {make_code(n): f"{phone}-{n}" for n in range(1, FIRMS + 1)}


def _phones(database) -> dict[str, str]:
    with database.session() as session:
        return dict(session.execute(select(Enterprise.credit_code, Enterprise.contact_phone)
                                    .where(Enterprise.deleted_at.is_(None))).all())


def _recorded_old_phones(database, batch_id: int) -> dict[str, str]:
    """The phones the batch recorded as the values before it."""
    with database.session() as session:
        rows = session.execute(
            select(Enterprise.credit_code, Change.old_value)
            .join(Enterprise, Enterprise.id == Change.entity_id)
            .where(Change.import_batch_id == batch_id, Change.field == "contact_phone")).all()
    return {code: json.loads(old) for code, old in rows}


def _apply(database, plan) -> int | None:
    with database.session() as session:
        return drain(apply_plan(session, plan)).batch_id


@contextmanager
def _other_program(path):
    """Another program's database on the same file, which waits 0.1 s for a lock, not 10."""
    other = open_database(path)
    event.listen(other.engine, "connect",
                 lambda connection, _record: connection.execute("PRAGMA busy_timeout = 100"))
    other.engine.dispose()  # the connection of the upgrade check had the long timeout
    try:
        yield other
    finally:
        other.dispose()


def test_a_plan_older_than_the_last_import_is_refused_as_a_conflict(database, tmp_path):
    import_file(database, _roster(tmp_path, "base"))
    first = plan_file(database, _roster(tmp_path, "A"))
    second = plan_file(database, _roster(tmp_path, "B"))
    _apply(database, first)
    before = table_counts(database)
    with pytest.raises(PlanOutdated) as refused:
        _apply(database, second)
    assert isinstance(refused.value, Conflict) and refused.value.kind == Kind.CONFLICT
    assert "请重新生成预览" in str(refused.value)
    assert table_counts(database) == before and _phones(database) == _all("A")


@pytest.mark.sqlite_only  # SQLite's write lock; on a server: test_import_locks_postgres.py
def test_no_writer_lands_between_the_check_and_the_writes(database, tmp_path, monkeypatch):
    """The other program tries its import just after this apply checked its plan: it must
    wait for the lock (here: give up, busy), never slip in and be overwritten."""
    import_file(database, _roster(tmp_path, "base"))
    first = plan_file(database, _roster(tmp_path, "A"))
    second = plan_file(database, _roster(tmp_path, "B"))
    import importers.apply as apply_module

    prepared = apply_module.prepared_for_bulk
    other_outcome: list[object] = []

    def meanwhile(session, *, rows):  # called after the check, before the first write
        if not other_outcome:  # once: the other apply comes here too
            other_outcome.append(None)
            with _other_program(database.path) as other:
                try:
                    other_outcome[0] = _apply(other, first)
                except DatabaseBusy as exc:
                    other_outcome[0] = exc
        return prepared(session, rows=rows)

    monkeypatch.setattr(apply_module, "prepared_for_bulk", meanwhile)
    batch = _apply(database, second)
    assert isinstance(other_outcome[0], DatabaseBusy), other_outcome
    assert str(other_outcome[0]) == BUSY_MESSAGE
    assert _phones(database) == _all("B")
    assert _recorded_old_phones(database, batch) == _all("base")


@pytest.mark.sqlite_only  # SQLite's write lock; on a server: test_import_locks_postgres.py
def test_no_import_lands_while_an_undo_plans(database, tmp_path):
    """An import planned on the firms a batch created, tried while that batch is being
    undone: it waits (here: busy) instead of updating firms the undo then deletes."""
    _plan, base_batch = import_file(database, _roster(tmp_path, "base"))
    update = plan_file(database, _roster(tmp_path, "A"))
    with database.session() as session, _other_program(database.path) as other:
        undoing = undo_batch(session, base_batch)
        next(undoing)  # the undo has begun planning
        with pytest.raises(DatabaseBusy):
            _apply(other, update)
        result = drain(undoing)
    assert result.removed["enterprise"] == FIRMS
    with database.session() as session:
        batches = session.execute(select(ImportBatch.id, ImportBatch.undone_at)).all()
    assert [batch_id for batch_id, _ in batches] == [base_batch] and batches[0][1] is not None
    assert _phones(database) == {}
    with pytest.raises(PlanOutdated):  # and once the undo is done, the old plan is refused
        _apply(database, update)
