"""What a newer package's preview says it will change, value by value, in the words of the
history window (常州甲公司：联系电话 0519-1111 → 0519-2222): the counts per table alone
(认定 更新 3) left the officer to guess what the county had corrected.

The values the city changed itself since the county's last package (an officer's correction
in the enterprise dialog, a roster imported here) come first, marked 本市修改过: the newer
package replaces the county's data (docs/exchange_package.md), so it puts the county's value
back over the city's, and the officer should know before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.exchange.deletions import SHOWN, firm_names, record_words
from tiers.exchange.format import BATCH_KIND, ENTERPRISES, RECORD_TABLES
from tiers.exchange.plan import CHUNK, PackagePlan, RecordUpdate
from tiers.model import ladder
from tiers.model.orm import Change, ExchangePackage, ImportBatch
from tiers.services.audit import to_json
from tiers.text.changes import HIDDEN, field_label, value_text

CITY_MARK = "本市修改过："
EMPTY = "（空）"
# the firm the county sends again, in the recycle bin here: the package takes it out
_BIN = "deleted_at"
_SPECS = {spec.entity: spec for spec in (ENTERPRISES, *RECORD_TABLES)}


@dataclass
class UpdateWords:
    lines: list[str]  # the first SHOWN: the city's own values first (marked), then the rest
    total: int  # values the package changes (the lines past SHOWN are counted)
    city_edited: int  # of them, values the city changed itself since the county's package


@dataclass(frozen=True)
class _Value:
    """One value the package changes."""

    entity: str
    update: RecordUpdate
    key: str

    @property
    def spot(self) -> tuple[str, int, str]:
        return (self.entity, self.update.record_id, self.key)


def update_words(session: Session, plan: PackagePlan) -> UpdateWords:
    """The plan's updates in words, those over the city's own edits first."""
    values = [_Value(entity, update, key)
              for entity, updates in _updates(plan)
              for update in updates for key in update.changes if key not in HIDDEN]
    edited = city_edits(session, values)
    ordered = [v for v in values if v.spot in edited] + [v for v in values if v.spot not in edited]
    shown = ordered[:SHOWN]
    records = _current_records(session, shown)
    names = firm_names(session, {value.update.enterprise_id for value in shown})
    lines = [_line(value, records.get((value.entity, value.update.record_id), {}),
                   names.get(value.update.enterprise_id, ""), city=value.spot in edited)
             for value in shown]
    return UpdateWords(lines=lines, total=len(values), city_edited=len(edited))


def _updates(plan: PackagePlan) -> Iterable[tuple[str, list[RecordUpdate]]]:
    yield ENTERPRISES.entity, plan.firm_updates
    for spec in RECORD_TABLES:
        yield spec.entity, plan.record_updates.get(spec.entity, [])


# --- the city's own edits ------------------------------------------------------------------

def city_edits(session: Session, values: list[_Value]) -> set[tuple[str, int, str]]:
    """The values (entity, record id, field) the city changed since the package that last
    wrote the record, and that stay changed: a change after that package's first line in
    the change log that no package made, and a value now other than the one the package
    left (the old value of the first later change no package made), so that an edit taken back by hand or by
    undoing its import is not one. Read with a few queries per table (CHUNK ids each)."""
    values = [value for value in values if value.update.old_source is not None]
    if not values:
        return set()
    after = _first_change_of_packages(session, {value.update.old_source for value in values})
    log = _later_changes(session, values, after)
    edited = set()
    for value in values:
        since = after.get(value.update.old_source)
        if since is None:
            continue
        rows = [row for row in log.get((value.entity, value.update.record_id), [])
                if row["id"] >= since and _concerns(row, value.key)]
        if _still_edited(value, _counted(rows)):
            edited.add(value.spot)
    return edited


def _first_change_of_packages(session: Session, package_ids: set[int]) -> dict[int, int]:
    """package id → the id of the first change-log line its import wrote (ids, not times:
    on a shared server each client's clock stamps its own lines)."""
    batches = dict(session.execute(select(ExchangePackage.id, ExchangePackage.import_batch_id)
                                   .where(ExchangePackage.id.in_(sorted(package_ids)))).all())
    first = {}
    for package_id, batch_id in batches.items():
        found = session.scalar(select(func.min(Change.id)).where(
            Change.import_batch_id == batch_id))
        if found is not None:
            first[package_id] = found
    return first


def _later_changes(session: Session, values: list[_Value], after: dict[int, int]
                   ) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """(entity, record id) → its change-log lines (not the creations) since the earliest of
    the packages concerned, in order, each with whether a package made it."""
    since = min(after.values(), default=None)
    if since is None:
        return {}
    ids: dict[str, set[int]] = {}
    for value in values:
        ids.setdefault(value.entity, set()).add(value.update.record_id)
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entity, record_ids in ids.items():
        ordered = sorted(record_ids)
        for start in range(0, len(ordered), CHUNK):
            statement = (
                select(Change.id, Change.entity_id, Change.field, Change.action,
                       Change.old_value, Change.new_value, Change.import_batch_id,
                       (ImportBatch.kind == BATCH_KIND).label("by_package"),
                       ImportBatch.undone_at.is_not(None).label("undone"))
                .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
                .where(Change.entity == entity,
                       Change.entity_id.in_(ordered[start:start + CHUNK]),
                       Change.id >= since, Change.action != "create")
                .order_by(Change.id))
            for row in session.execute(statement):
                found.setdefault((entity, row.entity_id), []).append(row._asdict())
    return found


def _concerns(row: dict[str, Any], key: str) -> bool:
    if key == _BIN:  # the recycle bin's lines are the whole firm's: 删除 / 恢复
        return row["field"] == _BIN or (not row["field"] and row["action"] in ("delete",
                                                                               "restore"))
    return row["field"] == key


def _counted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines less those of any import undone here (a package's or a roster's) and the
    undo's lines putting their values back (no batch; the reverse of one of its lines):
    none is the city's edit. Counted, the undo of a newer package made the values it put
    back 本市修改过 at the next preview of that package (and a roster imported and undone
    in between did so still: review of the sixteenth session)."""
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


def _still_edited(value: _Value, rows: list[dict[str, Any]]) -> bool:
    if not any(not row["by_package"] for row in rows):
        return False
    if value.key == _BIN:  # in the bin because an officer here put it there
        return not rows[-1]["by_package"] and rows[-1]["action"] == "delete"
    current = value.update.changes[value.key][0]
    # what the package left: the old value of the first line no package wrote (the first
    # line may be the package's own, whose old value is what came before it)
    left = next(row for row in rows if not row["by_package"])["old_value"]
    return _stored(to_json(current)) != _stored(left)


def _stored(text: str | None) -> str | None:
    """A change-log value, a blank text and none alike (a field cleared either way)."""
    return None if text in (None, '""') else text


# --- the lines -----------------------------------------------------------------------------

def _current_records(session: Session, shown: list[_Value]
                     ) -> dict[tuple[str, int], dict[str, Any]]:
    """The records the shown lines name, as they are here (their kind, batch and year)."""
    ids: dict[str, set[int]] = {}
    for value in shown:
        if value.entity != ENTERPRISES.entity:
            ids.setdefault(value.entity, set()).add(value.update.record_id)
    found = {}
    for entity, record_ids in ids.items():
        table = _SPECS[entity].model.__table__
        ordered = sorted(record_ids)
        for start in range(0, len(ordered), CHUNK):
            for row in session.execute(select(table).where(
                    table.c.id.in_(ordered[start:start + CHUNK]))):
                found[(entity, row.id)] = row._asdict()
    return found


def _line(value: _Value, record: dict[str, Any], firm: str, *, city: bool) -> str:
    """常州甲公司：认定“省级专精特新中小企业 2024年度 第二批” 文号 … → …"""
    old, new = value.update.changes[value.key]
    spec = _SPECS[value.entity]
    if value.key == _BIN:
        what, old_text, new_text = "", "在回收站中", "恢复（区县再次报送了这家企业）"
    elif value.entity == "recognition" and value.key == "is_pending":
        what = "状态"
        now = {**record, **{key: after for key, (_, after) in value.update.changes.items()}}
        old_text, new_text = _status(record, pending=bool(old)), _status(now, pending=bool(new))
        record = {**record, "is_pending": False}  # said by the status itself
    else:
        what = field_label(value.entity, value.key)
        old_text, new_text = (value_text(value.key, v) or EMPTY for v in (old, new))
    where = "" if spec is ENTERPRISES else record_words(spec, record) + " "
    what = f"{what} " if what else ""
    if city:
        return f"{CITY_MARK}{firm}：{where}{what}{old_text}（本市） → {new_text}（区县数据包）"
    return f"{firm}：{where}{what}{old_text} → {new_text}"


def _status(record: dict[str, Any], *, pending: bool) -> str:
    """公示中, or what the recognition is once confirmed (有效, 已到期 …)."""
    return ladder.status_of(valid_until=record.get("valid_until"),
                            revoked_on=record.get("revoked_on"), pending=pending)
