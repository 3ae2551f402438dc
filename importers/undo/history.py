"""What the audit trail says happened to a batch's records after it: changes by later
imports still in effect and by hand, and whether a field the batch set was edited since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, bindparam, or_, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, ImportBatch
from tiers.services.audit import changes_a_value, from_json, to_json

CHUNK = 900  # bound parameters per IN (…)

FieldKey = tuple[str, int, str]  # (entity, id, field)


@dataclass
class LaterChanges:
    """What was changed after the batch and is still in effect: by later imports (the
    first such change of each field, record and firm's list) or by hand."""

    import_fields: dict[FieldKey, Any] = field(default_factory=dict)
    import_records: dict[tuple[str, int], Any] = field(default_factory=dict)
    import_by_firm: dict[int, list[Any]] = field(default_factory=dict)
    hand_records: set[tuple[str, int]] = field(default_factory=set)
    hand_by_firm: dict[int, list[Any]] = field(default_factory=dict)
    fields: set[FieldKey] = field(default_factory=set)  # changed since, either way


def later_changes(session: Session, batch_id: int, first_own: int) -> LaterChanges:
    """The changes logged after the batch's first one (``first_own``) by others than the
    batch, leaving out later batches that were undone and their undo."""
    # (emptied: a firm's deleted_at emptied is a 恢复 from the 回收站, not a move into it)
    later = session.execute(select(Change.entity, Change.entity_id, Change.field,
                                   Change.enterprise_id, Change.action, Change.at,
                                   Change.import_batch_id,
                                   Change.new_value.is_(None).label("emptied"))
                            .where(Change.id > first_own, changes_a_value(),
                                   or_(Change.import_batch_id.is_(None),
                                       Change.import_batch_id != batch_id))
                            .order_by(Change.id)).all()
    # a later batch that was undone, and its undo (logged without a batch, at the very time
    # the batch was marked undone), left nothing behind that builds on this batch
    undone = session.execute(select(ImportBatch.id, ImportBatch.undone_at)
                             .where(ImportBatch.undone_at.is_not(None))).all()
    undone_ids = {row.id for row in undone}
    undone_times = {row.undone_at for row in undone}
    found = LaterChanges()
    hand_fields: set[FieldKey] = set()
    for change in later:
        if change.import_batch_id is not None:
            if change.import_batch_id in undone_ids:
                continue
            found.import_fields.setdefault((change.entity, change.entity_id, change.field),
                                           change)
            found.import_records.setdefault((change.entity, change.entity_id), change)
            by_firm = found.import_by_firm
        elif change.at not in undone_times:
            hand_fields.add((change.entity, change.entity_id, change.field))
            found.hand_records.add((change.entity, change.entity_id))
            by_firm = found.hand_by_firm
        else:
            continue
        if change.enterprise_id is not None:
            by_firm.setdefault(change.enterprise_id, []).append(change)
    found.fields = hand_fields | set(found.import_fields)
    return found


def chunks(ids: list[int]) -> list[list[int]]:
    """The ids in slices small enough for one IN (…)."""
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def id_list(ids: list[int]) -> Any:
    """The ids for one IN (…) however many they are: written into the statement (they are
    integers), not bound one parameter each (SQLite allows 32,766)."""
    return bindparam(None, [int(i) for i in ids], expanding=True, literal_execute=True)


def python_value(model: Any, column_name: str, value: Any) -> Any:
    """A JSON value from the audit trail back to the column's Python type."""
    if value is None:
        return None
    column_type = model.__table__.c[column_name].type
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, Numeric):
        return Decimal(str(value))
    if isinstance(column_type, Integer):
        return int(value)
    return value


def _same_json(current: Any, recorded: str | None) -> bool:
    now = from_json(to_json(current))
    then = from_json(recorded)
    if now == then:
        return True
    try:
        return now is not None and then is not None and Decimal(str(now)) == Decimal(str(then))
    except ArithmeticError:
        return False


def edited_since(key: FieldKey, now_value: Any, left_by_batch: str | None,
                  later_fields: set[FieldKey]) -> bool:
    """Whether a field the batch set was changed afterwards (a later Change row, or a value
    other than the one the batch left): such a field is kept, not put back."""
    return key in later_fields or not _same_json(now_value, left_by_batch)
