"""Records a batch deleted (a 数据包 replacing a county's data), and whether they can be put
back: only as they were, into the firm they belonged to, where nothing has taken their place
since. A record that another batch in effect deleted blocks the undo of the batch that brought
it (undoing that batch first would leave the later one to put it back under an undone batch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from importers.undo.history import LaterChanges, chunks
from importers.undo.text import record_text
from tiers.exchange.format import RECORD_TABLES
from tiers.exchange.plan import natural_key
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.services.audit import from_json

SPECS = {spec.entity: spec for spec in RECORD_TABLES}
Blocker = Callable[[str, int, int | None, str, list[int]], None]


def undone_batches(session: Session, ids: set[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(sorted(ids)):
        found.update(session.scalars(select(ImportBatch.id).where(
            ImportBatch.id.in_(chunk), ImportBatch.undone_at.is_not(None))))
    return found


def check_reinsert(session: Session, batch_id: int, entity: str, snapshot: dict[str, Any],
                   enterprise_id: int | None, later: LaterChanges, label: str,
                   block: Blocker, held: Blocker) -> bool:
    """Whether the deleted record ``snapshot`` can go back; when not, ``block`` is told why
    (entity, id, firm, reason, the later batches to undo first), or ``held`` is told that
    its firm was changed by later batches since (entity, id, firm, the record in words, the
    batches in ascending order): those are said once their firms are named, a line for the
    firms the same batches changed (text.held_text)."""
    record_id = snapshot.get("id") or 0
    if enterprise_id is None or session.get(Enterprise, enterprise_id) is None:
        block(entity, record_id, enterprise_id,
              f"{label}所属的企业已被彻底删除，无法恢复", [])
        return False
    if enterprise_id in later.import_by_firm:
        held(entity, record_id, enterprise_id, label,
             sorted({c.import_batch_id for c in later.import_by_firm[enterprise_id]
                     if c.import_batch_id is not None}))
        return False
    spec = SPECS.get(entity)
    if spec is not None:
        key = natural_key(spec, snapshot)
        table = spec.model.__table__
        # the batch's own rows go with the undo: only what else is there counts
        others = select(table).where(table.c.enterprise_id == enterprise_id)
        if "import_batch_id" in table.c:
            others = others.where(or_(table.c.import_batch_id.is_(None),
                                      table.c.import_batch_id != batch_id))
        for row in session.execute(others):
            if natural_key(spec, row._asdict()) == key:
                block(entity, record_id, enterprise_id,
                      f"{label}删除后又录入了相同的一条（编号 {row.id}），恢复会重复", [])
                return False
    return True


def deleted_since(session: Session, batch_id: int, first_own: int, entities: tuple[str, ...],
                  block: Blocker) -> None:
    """Records this batch brought that a later batch still in effect deleted: the later
    batch must be undone first."""
    rows = session.execute(
        select(Change.entity, Change.entity_id, Change.enterprise_id, Change.old_value,
               Change.import_batch_id)
        .join(ImportBatch, ImportBatch.id == Change.import_batch_id)
        .where(Change.id > first_own, Change.action == "delete",
               Change.import_batch_id != batch_id, ImportBatch.undone_at.is_(None),
               Change.entity.in_(entities))).all()
    for entity, entity_id, enterprise_id, old_value, later_batch in rows:
        snapshot = from_json(old_value) or {}
        if isinstance(snapshot, dict) and snapshot.get("import_batch_id") == batch_id:
            block(entity, entity_id, enterprise_id,
                  f"本批次导入的{record_text(entity, entity_id, snapshot)}之后被批次 {later_batch} 删除",
                  [later_batch])
