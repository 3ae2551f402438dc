"""A newer package merged field by field with the city's own corrections (a three-way merge
whose base is what the county's packages last sent for the field):

- the city changed a value since and the county did not (the package still sends what its
  previous package sent): the city's value is kept, the package does not write that field
  (PackagePlan.kept: the preview says so, 保留本市修改);
- the county changed it too: the county's correction wins, as before, and the preview's
  line says both changed (PackagePlan.overwritten: 本市和区县都修改过);
- the city did not change it: the package's value, as before.

The base of a field is read from the change log, per field: the window starts at the last
line for that (entity, record, field) a package import wrote and that was not undone (its
``update`` of the field, or the record's ``create`` by a package), and the base is the old
value of the first later line no package made (the city's first edit replaced what the
package left). Per field, not per record: once a package kept the city's address while it
updated the phone of the same firm, the record came from that package, and a window
starting there would no longer see the city's address (the next package overwrote it).

The window must start where the county last SENT the field, not only where a package last
wrote it: the city corrects the phone, the county makes the same correction and its next
package sends it (it writes nothing: the value is the same), the city changes it again;
a package still sending the county's value must keep the city's newer one. So a newer
package that sends the very value here of a field holding a standing city edit writes a
marker line in its batch (an update whose old and new value are the same: PackagePlan
.agreed), which starts the field's window there. Written once: the next package finds the
window starting at it, with no standing edit after it, and writes none (a package imported
twice is not newer and writes nothing). The marker changes no value: the change history,
导入记录's firms, and the undo (what it puts back, 还原字段, and what it says was changed
since) leave lines of old == new out, so undoing the package stays exact. (Storing each
field's last sent value instead would be a table the undo must put back as well.) Only a
newer package of a county here already reads the change log of its unchanged records for
this (one query per CHUNK ids); the first package of a county still reads nothing.

The firm the city put in the recycle bin and the county sends again leaves the bin (as
before: a package restores what its county still reports), flagged as the city's edit
it undoes (overwritten, never kept).

Only the plan's updates are read (a few queries per table): the first package of a county
new to the database has none and reads nothing here."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Integer, Numeric, func, or_, select
from sqlalchemy.orm import Session, aliased

from tiers.exchange.format import BATCH_KIND, TABLES
from tiers.exchange.plan_types import CHUNK, Kept, PackagePlan, RecordUpdate
from tiers.model.orm import Change, ExchangePackage, ImportBatch
from tiers.services.audit import from_json, to_json
from tiers.text.changes import HIDDEN

# the firm the county sends again, in the recycle bin here: the package takes it out
BIN = "deleted_at"
PROVENANCE = ("source_package_id", "source_county")
_NOT_YET = object()


@dataclass(frozen=True)
class Value:
    """One value a package update changes."""

    entity: str
    update: RecordUpdate
    key: str

    @property
    def spot(self) -> tuple[str, int, str]:
        return (self.entity, self.update.record_id, self.key)


def merge_updates(session: Session, plan: PackagePlan, entity: str, table_name: str,
                  updates: list[RecordUpdate], sent: Collection[str] = ()) -> None:
    """The plan's updates of one table merged with the city's edits (in place): the fields
    the city changed and the county did not are taken out of the updates and recorded in
    plan.kept; those both changed in plan.overwritten. An update left with no change at all
    is no update: counted unchanged, and the record keeps its provenance (the package it
    came from): writing only a newer source_package_id would make the same package imported
    twice write again, and the city's edit is found by the field's own window anyway."""
    values = [Value(entity, update, key) for update in updates for key in update.changes
              if key not in HIDDEN]
    # a newer package: its records here, changed or not, for the values it agrees on
    # (a firm handed over is not in the package: nothing of it agrees with it)
    records = [*plan.same.pop(entity, []), *(update for update in updates
                                             if not update.keeps_source)] if plan.newer else []
    if not values and not records:
        return
    bases, agreed = city_bases(session, values, [(entity, r) for r in records], sent)
    plan.agreed.extend(agreed)
    if not bases:
        return
    for value in values:
        if value.spot not in bases:
            continue
        old, new = value.update.changes[value.key]
        if value.key != BIN and same_text(to_json(new), bases[value.spot], numeric(new)):
            plan.kept.append(Kept(entity, value.update.record_id, value.update.enterprise_id,
                                  value.key, old, new))
            del value.update.changes[value.key]
        else:
            plan.overwritten.add(value.spot)
    left = [update for update in updates if update.changes]
    plan.unchanged[table_name] += len(updates) - len(left)
    for update in updates:  # (unchanged now: its provenance as any row sent unchanged)
        if not update.changes and not update.keeps_source:
            plan.reown(entity, update.record_id, update.enterprise_id, update.old_source)
    updates[:] = left


Agreed = tuple[str, int, int, str, "str | None"]  # entity, record id, firm id, field, value


def city_bases(session: Session, values: list[Value],
               records: Collection[tuple[str, RecordUpdate]] = (),
               sent: Collection[str] = ()
               ) -> tuple[dict[tuple[str, int, str], Any], list[Agreed]]:
    """spot → the value (as the change log writes it) the county's packages last sent, for
    each value the city changed since and that stays changed (now other than that value):
    an edit taken back by hand, or by undoing its import, is not one. And for ``records``
    (a newer package's, each with the fields it changes), the fields ``sent`` it does not
    change that hold such an edit: the package agrees with the city there (a marker line,
    see the module's text). The records of which no line but a package's exists (nearly
    all) are found with one query per CHUNK ids and read no further."""
    ids: dict[str, set[int]] = {}
    for value in values:
        ids.setdefault(value.entity, set()).add(value.update.record_id)
    for entity, update in records:
        ids.setdefault(entity, set()).add(update.record_id)
    log: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entity, record_ids in ids.items():
        touched = _touched_here(session, entity, sorted(record_ids))
        log.update(_lines(session, entity, sorted(touched)))
    if not log:
        return {}, []
    starts: dict[int, int | None] = {}
    bases = {}
    for value in values:
        rows = _field_lines(log, value)
        if not rows:
            continue
        window = _window(session, value, counted_lines(rows), starts)
        base = _edited_from(value, window)
        if base is not _NOT_YET:
            bases[value.spot] = base
    agreed: list[Agreed] = []
    for entity, update in records:
        lines = log.get((entity, update.record_id), [])
        edited = {row["field"] for row in lines if not row["by_package"]
                  and row["action"] == "update"}
        for key in sorted(edited.intersection(sent) - set(update.changes) - HIDDEN
                          - {BIN, *PROVENANCE}):
            value = Value(entity, update, key)
            rows = _field_lines(log, value)
            here = _agreed_with(_window(session, value, counted_lines(rows), starts),
                                numeric_column(entity, key))
            if here is not _NOT_YET:
                agreed.append((entity, update.record_id, update.enterprise_id, key, here))
    return bases, agreed


def _field_lines(log: dict[tuple[str, int], list[dict[str, Any]]], value: Value
                 ) -> list[dict[str, Any]]:
    """The value's record's lines for its field, and the record's creation by a package
    (a create line starts a window only if a package wrote it: the one an undo writes
    putting a deleted record back, no batch, is neither a package's nor the city's)."""
    return [row for row in log.get((value.entity, value.update.record_id), [])
            if (row["by_package"] if row["action"] == "create" else _concerns(row, value.key))]


def _touched_here(session: Session, entity: str, record_ids: list[int]) -> set[int]:
    """The records with a change-log line no package import wrote (an officer's edit, a
    roster's, an undo's), not undone, that no later line of a package (not undone) for the
    same field or the record's creation by a package follows: those alone may hold an edit
    in a field's window (a superset: the windows are read in Python). A roster imported
    before the county's packages wrote one line per firm: every record was read (100,000
    firms: plan time doubled). Many ids (a newer package's records, changed or not): one
    query for the table's such lines, kept to the ids (30,000 firms: 0.02 s, where a query
    per CHUNK ids took 0.4 s)."""
    later = aliased(Change)
    later_batch = aliased(ImportBatch)
    followed = (select(later.id)
                .join(later_batch, later_batch.id == later.import_batch_id)
                .where(later.entity == Change.entity, later.entity_id == Change.entity_id,
                       later.id > Change.id, later_batch.kind == BATCH_KIND,
                       later_batch.undone_at.is_(None),
                       or_(later.field == Change.field, later.action == "create"))
                .exists())
    touched = (select(Change.entity_id).distinct()
               .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
               .where(Change.entity == entity, Change.action != "create",
                      or_(Change.import_batch_id.is_(None), ImportBatch.kind != BATCH_KIND),
                      ImportBatch.undone_at.is_(None), ~followed))
    found: set[int] = set()
    if len(record_ids) > CHUNK:
        found.update(session.scalars(touched))
        return found.intersection(record_ids)
    for start in range(0, len(record_ids), CHUNK):
        found.update(session.scalars(
            touched.where(Change.entity_id.in_(record_ids[start:start + CHUNK]))))
    return found


def _lines(session: Session, entity: str, record_ids: list[int]
           ) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """(entity, record id) → all its change-log lines, in order, each with whether a package
    made it and whether its import was undone."""
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for start in range(0, len(record_ids), CHUNK):
        statement = (
            select(Change.id, Change.entity_id, Change.field, Change.action,
                   Change.old_value, Change.new_value, Change.import_batch_id,
                   (ImportBatch.kind == BATCH_KIND).label("by_package"),
                   ImportBatch.undone_at.is_not(None).label("undone"))
            .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
            .where(Change.entity == entity,
                   Change.entity_id.in_(record_ids[start:start + CHUNK]))
            .order_by(Change.id))
        for row in session.execute(statement):
            found.setdefault((entity, row.entity_id), []).append(row._asdict())
    return found


def _window(session: Session, value: Value, rows: list[dict[str, Any]],
            starts: dict[int, int | None]) -> list[dict[str, Any]]:
    """The field's lines since the last a package wrote for it (its update of the field, or
    the record's creation); without one (a record older than the change log's creations),
    since the first line of the package the record came from."""
    last = max((index for index, row in enumerate(rows) if row["by_package"]), default=None)
    if last is not None:
        return rows[last + 1:]
    package_id = value.update.old_source
    if package_id is None:
        return []
    if package_id not in starts:
        starts[package_id] = first_line_of_package(session, package_id)
    since = starts[package_id]
    if since is None:
        return []
    return [row for row in rows if row["id"] >= since and row["action"] != "create"]


def first_line_of_package(session: Session, package_id: int) -> int | None:
    """The id of the first change-log line the package's import wrote (ids, not times: on a
    shared server each client's clock stamps its own lines)."""
    batch_id = session.scalar(select(ExchangePackage.import_batch_id).where(
        ExchangePackage.id == package_id))
    if batch_id is None:
        return None
    return session.scalar(select(func.min(Change.id)).where(Change.import_batch_id == batch_id))


def _concerns(row: dict[str, Any], key: str) -> bool:
    if key == BIN:  # the recycle bin's lines are the whole firm's: 删除 / 恢复
        return row["field"] == BIN or (not row["field"] and row["action"] in ("delete",
                                                                              "restore"))
    return row["field"] == key


def counted_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines less those of any import undone here (a package's or a roster's) and the
    undo's lines putting their values back (no batch; the reverse of one of its lines):
    none is the city's edit, and an undone package's line starts no window. Counted, the
    undo of a newer package made the values it put back 本市修改过 at the next preview of
    that package (and a roster imported and undone in between did so still: review of the
    sixteenth session)."""
    undone: dict[str, list[tuple[Any, Any]]] = {}
    counted = []
    for row in rows:
        if row["undone"]:
            if row["action"] == "update":
                undone.setdefault(row["field"], []).append((row["old_value"], row["new_value"]))
            continue
        back = (row["new_value"], row["old_value"])
        if row["import_batch_id"] is None and row["action"] == "update" \
                and back in undone.get(row["field"], ()):
            undone[row["field"]].remove(back)
            continue
        counted.append(row)
    return counted


def _edited_from(value: Value, rows: list[dict[str, Any]]) -> Any:
    """The value the package left (its change-log text), if the city changed it since and
    it stays changed; _NOT_YET otherwise. (The window holds no package's line.)"""
    if not rows:
        return _NOT_YET
    if value.key == BIN:  # in the bin because an officer here put it there
        edited = not rows[-1]["by_package"] and rows[-1]["action"] == "delete"
        return None if edited else _NOT_YET
    # what the package left: the old value of the first line after it (the city's first
    # edit replaced it)
    left = rows[0]["old_value"]
    current = value.update.changes[value.key][0]
    return left if not same_text(to_json(current), left, numeric(current)) else _NOT_YET


def _agreed_with(rows: list[dict[str, Any]], number: bool) -> Any:
    """For a field the package sends as it is here: the value here (its change-log text),
    if the city changed it since the package's window started and it stays changed (the
    package now agrees with the city's edit); _NOT_YET otherwise. ``number``: the column
    holds numbers (1234.50 is 1234.5; a phone's "05123456" is not "5123456")."""
    if not rows or rows[-1]["action"] != "update":
        return _NOT_YET
    here = rows[-1]["new_value"]
    return here if not same_text(here, rows[0]["old_value"], number) else _NOT_YET


_MODELS = {spec.entity: spec.model for spec in TABLES}


def numeric_column(entity: str, key: str) -> bool:
    model = _MODELS.get(entity)
    column = model.__table__.columns.get(key) if model is not None else None
    return column is not None and isinstance(column.type, (Integer, Numeric)) \
        and not isinstance(column.type, Boolean)


def numeric(value: Any) -> bool:
    return isinstance(value, (Decimal, int, float)) and not isinstance(value, bool)


def same_text(one: str | None, other: str | None, number: bool = False) -> bool:
    """Two change-log values alike: a blank text and none (a field cleared either way), and
    for a number field the same number (1234.50 and 1234.5)."""
    one, other = _stored(one), _stored(other)
    if one == other:
        return True
    if not number or one is None or other is None:
        return False
    try:
        return Decimal(str(from_json(one))) == Decimal(str(from_json(other)))
    except (InvalidOperation, ValueError):
        return False


def _stored(text: str | None) -> str | None:
    return None if text in (None, '""') else text
