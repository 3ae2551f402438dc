"""Undoing an import batch: remove what it created, put back what it updated, but keep
anything edited since (and say so). Also the list of batches."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Generator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    bindparam,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.progress import Progress
from tiers.change_text import field_label
from tiers.models import (
    AnnualFigures,
    ChainRole,
    Change,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
    utcnow,
)
from tiers.names import name_key
from tiers.pinyin import initials, sort_key
from tiers.services.audit import current_user, from_json, to_json

MODELS = {"enterprise": Enterprise, "recognition": Recognition, "annual_figures": AnnualFigures,
          "support_measure": SupportMeasure, "former_name": FormerName, "chain_role": ChainRole}
CREATED_BY_BATCH = ("recognition", "annual_figures", "support_measure", "chain_role")
CHUNK = 900  # bound parameters per IN (…)
ENTITY_LABELS = {"enterprise": "企业", "recognition": "认定", "annual_figures": "年度数据",
                 "support_measure": "扶持措施", "former_name": "曾用名", "chain_role": "产业链角色"}


@dataclass
class UndoResult:
    batch_id: int
    removed: dict[str, int] = field(default_factory=dict)
    restored: int = 0  # fields put back
    kept: list[dict[str, Any]] = field(default_factory=list)  # edited since: left as they are


def list_batches(session: Session, *, limit: int = 200) -> list[dict[str, Any]]:
    rows = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit))
    result = []
    for batch in rows:
        try:
            counts = json.loads(batch.counts or "{}")
        except ValueError:
            counts = {}
        result.append({"id": batch.id, "file_name": batch.file_name, "sheet": batch.sheet,
                       "kind": batch.kind, "created_at": batch.created_at, "user": batch.user,
                       "counts": counts, "undone_at": batch.undone_at,
                       "undone_by": batch.undone_by})
    return result


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _python_value(model: Any, column_name: str, value: Any) -> Any:
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


def _edited_since(key: tuple[str, int, str], now_value: Any, left_by_batch: str | None,
                  later_fields: set[tuple[str, int, str]]) -> bool:
    """Whether a field the batch set was changed afterwards (a later Change row, or a value
    other than the one the batch left): such a field is kept, not put back."""
    return key in later_fields or not _same_json(now_value, left_by_batch)


def _kept_renames(session: Session, own: list[Any],
                  later_fields: set[tuple[str, int, str]]) -> dict[int, str]:
    """Enterprises whose rename by the batch will not be put back (the name was changed
    again since), with the name_key of the name the batch replaced."""
    renames = {c.entity_id: c for c in own
               if c.entity == "enterprise" and c.field == "name" and c.action == "update"}
    if not renames:
        return {}
    current: dict[int, str] = {}
    for chunk in _chunks(list(renames)):
        current.update(session.execute(select(Enterprise.id, Enterprise.name)
                                       .where(Enterprise.id.in_(chunk))).all())
    kept: dict[int, str] = {}
    for enterprise_id, change in renames.items():
        if enterprise_id not in current:
            continue
        old_key = name_key(str(from_json(change.old_value) or ""))
        if _edited_since(("enterprise", enterprise_id, "name"), current[enterprise_id],
                         change.new_value, later_fields) and (
                name_key(current[enterprise_id]) != old_key):  # renamed back: no former name
            kept[enterprise_id] = old_key
    return kept


def undo_batch(session: Session, batch_id: int, *, user: str | None = None
               ) -> Generator[Progress, None, UndoResult]:
    """Undo one import batch in the caller's transaction. Yields Progress; returns UndoResult."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise ImportRefused(f"找不到导入批次 {batch_id}（可用 tiers imports 查看）")
    if batch.undone_at is not None:
        raise ImportRefused(f"导入批次 {batch_id} 已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销过")
    user = current_user() if user is None else user
    now = utcnow()
    session.flush()
    result = UndoResult(batch_id=batch_id)
    yield Progress("撤销", 0, 4)
    own = session.execute(select(Change.id, Change.entity, Change.entity_id, Change.field,
                                 Change.action, Change.old_value, Change.new_value,
                                 Change.enterprise_id)
                          .where(Change.import_batch_id == batch_id).order_by(Change.id)).all()
    first_own = own[0].id if own else 0
    later = session.execute(select(Change.entity, Change.entity_id, Change.field,
                                   Change.enterprise_id)
                            .where(Change.id > first_own,
                                   or_(Change.import_batch_id.is_(None),
                                       Change.import_batch_id != batch_id))).all()
    later_fields = {(c.entity, c.entity_id, c.field) for c in later}
    later_records = {(c.entity, c.entity_id) for c in later}
    later_enterprises = {c.enterprise_id for c in later if c.enterprise_id is not None}
    log: list[dict[str, Any]] = []

    def record_log(entity: str, entity_id: int, enterprise_id: int | None, action: str,
                   field_name: str = "", old: Any = None, new: Any = None) -> None:
        log.append({"at": now, "user": user, "entity": entity, "entity_id": entity_id,
                    "enterprise_id": enterprise_id, "action": action, "field": field_name,
                    "old_value": to_json(old), "new_value": to_json(new),
                    "import_batch_id": None})

    # 1. created enterprises: removed unless someone worked on them since
    created = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                              .where(Enterprise.import_batch_id == batch_id)).all()
    doomed: list[int] = []
    for row in created:
        if row.id in later_enterprises:
            result.kept.append({"entity": "enterprise", "entity_id": row.id, "name": row.name,
                                "field": "", "reason": f"企业“{row.name}”导入后又被修改过，予以保留"})
        else:
            doomed.append(row.id)
            record_log("enterprise", row.id, row.id, "delete",
                       old={"name": row.name, "credit_code": row.credit_code,
                            "undo_of_batch": batch_id})
    doomed_set = set(doomed)
    yield Progress("撤销", 1, 4)

    # 2. records the batch added to other enterprises
    for entity in CREATED_BY_BATCH:
        model = MODELS[entity]
        table = model.__table__
        rows = session.execute(select(table).where(table.c.import_batch_id == batch_id)).all()
        remove = []
        for row in rows:
            if row.enterprise_id in doomed_set:
                continue  # goes with its enterprise
            if (entity, row.id) in later_records:
                result.kept.append({"entity": entity, "entity_id": row.id, "name": "",
                                    "field": "", "reason": f"{ENTITY_LABELS[entity]}（编号 {row.id}）导入后又被修改过，予以保留"})
                continue
            remove.append(row.id)
            # what is removed from a firm that stays, in full: the import's own Change row
            # only says which record it was
            values = {k: from_json(to_json(v)) for k, v in row._mapping.items()
                      if k not in ("id", "enterprise_id", "import_batch_id")
                      and v not in (None, "")}
            record_log(entity, row.id, row.enterprise_id, "delete",
                       old={**values, "undo_of_batch": batch_id})
        for chunk in _chunks(remove):
            session.execute(delete(model).where(model.id.in_(chunk)))
        result.removed[entity] = len(remove) + sum(
            1 for row in rows if row.enterprise_id in doomed_set)
    # a former name the batch added when it renamed a firm stays when the rename stays
    # (someone renamed the firm again since): the firm did bear that name
    kept_renames = _kept_renames(session, own, later_fields)
    formers = [c for c in own if c.entity == "former_name" and c.action == "create"
               and c.enterprise_id not in doomed_set
               and name_key(str((from_json(c.new_value) or {}).get("name", "")))
               != kept_renames.get(c.enterprise_id)]
    for chunk in _chunks([c.entity_id for c in formers]):
        session.execute(delete(FormerName).where(FormerName.id.in_(chunk)))
    result.removed["former_name"] = len(formers)
    yield Progress("撤销", 2, 4)

    # 3. fields the batch updated: put back unless changed since
    originals: dict[tuple[str, int, str], Any] = {}
    left: dict[tuple[str, int, str], str | None] = {}
    for change in own:
        if change.action != "update":
            continue
        key = (change.entity, change.entity_id, change.field)
        originals.setdefault(key, change)  # the first change holds the value before the batch
        left[key] = change.new_value  # the last one, what the batch left there
    groups: dict[tuple[str, str], list[int]] = {}
    for entity, entity_id, field_name in originals:
        if entity in MODELS and not (entity == "enterprise" and entity_id in doomed_set):
            groups.setdefault((entity, field_name), []).append(entity_id)
    for (entity, field_name), ids in groups.items():
        model = MODELS[entity]
        column = model.__table__.c[field_name]
        current: dict[int, Any] = {}
        for chunk in _chunks(ids):
            current.update(session.execute(select(model.id, column).where(model.id.in_(chunk))).all())
        params = []
        for entity_id in ids:
            if entity_id not in current:
                continue  # deleted since
            key = (entity, entity_id, field_name)
            change = originals[key]
            now_value = current[entity_id]
            if _edited_since(key, now_value, left[key], later_fields):
                result.kept.append({
                    "entity": entity, "entity_id": entity_id, "name": "", "field": field_name,
                    "reason": f"{ENTITY_LABELS.get(entity, entity)}（编号 {entity_id}）的"
                              f"“{field_label(entity, field_name)}”"
                              f"导入后又被改为“{now_value}”，予以保留"})
                continue
            value = _python_value(model, field_name, from_json(change.old_value))
            values: dict[str, Any] = {"b_id": entity_id, "b_value": value}
            if entity == "enterprise" and field_name == "name":
                session.execute(update(model).where(model.id == entity_id).values(
                    name_key=name_key(value), pinyin_initials=initials(value),
                    pinyin_key=sort_key(value)))
            params.append(values)
            record_log(entity, entity_id, change.enterprise_id, "update", field_name,
                       old=now_value, new=value)
        if params:
            table = model.__table__
            statement = update(table).where(table.c.id == bindparam("b_id")).values(
                {field_name: bindparam("b_value")})
            session.execute(statement, params)
            result.restored += len(params)
    yield Progress("撤销", 3, 4)

    # 4. the created enterprises last (their children go with them: ON DELETE CASCADE)
    for chunk in _chunks(doomed):
        session.execute(delete(Enterprise).where(Enterprise.id.in_(chunk)))
    result.removed["enterprise"] = len(doomed)
    for start in range(0, len(log), 5000):
        session.execute(Change.__table__.insert(), log[start:start + 5000])
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                    .values(undone_at=now, undone_by=user))
    session.expire_all()
    yield Progress("撤销", 4, 4)
    return result
