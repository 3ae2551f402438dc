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
from tiers.model.ladder import tier_label
from tiers.model.names import name_key
from tiers.model.orm import (
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
from tiers.model.pinyin import initials, sort_key
from tiers.progress import Progress
from tiers.services.audit import current_user, from_json, to_json
from tiers.text.changes import field_label, value_text

MODELS = {"enterprise": Enterprise, "recognition": Recognition, "annual_figures": AnnualFigures,
          "support_measure": SupportMeasure, "former_name": FormerName, "chain_role": ChainRole}
CREATED_BY_BATCH = ("recognition", "annual_figures", "support_measure", "chain_role")
CHUNK = 900  # bound parameters per IN (…)
ENTITY_LABELS = {"enterprise": "企业", "recognition": "认定", "annual_figures": "年度数据",
                 "support_measure": "扶持措施", "former_name": "曾用名", "chain_role": "产业链角色"}
ENTERPRISE_ACTIONS = {"delete": "删除", "restore": "恢复", "create": "新建"}
REFUSAL_SHOWN = 20  # detail lines in a refusal; the rest are counted


class UndoRefused(ImportRefused):
    """An undo refused as a whole; nothing has been written. Either later imports still in
    effect build on what the batch wrote (``later_batches``, newest first: undo those
    first), or everything it wrote was edited by hand since and nothing would change.
    ``items`` holds what blocks or is kept, as in UndoResult.kept."""

    def __init__(self, message: str, *, batch_id: int, later_batches: list[int],
                 items: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.batch_id = batch_id
        self.later_batches = later_batches
        self.items = items


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


def _firm_text(firms: dict[int, tuple[str, str]], enterprise_id: int | None) -> str:
    """企业“常州甲科技有限公司”, as officers know it; the id only when the firm is gone."""
    if enterprise_id in firms:
        return f"企业“{firms[enterprise_id][0]}”"
    return f"企业（编号 {enterprise_id}）" if enterprise_id is not None else "企业"


def _value_text(field_name: str, value: Any) -> str:
    shown = value_text(field_name, value)  # as the firm's 变更记录 shows it
    return f"改为“{shown}”" if shown else "清空"


def _record_text(entity: str, entity_id: int, values: dict[str, Any] | None = None) -> str:
    """扶持措施“小巨人奖励”, 2023年度数据, 认定（编号 5）."""
    values = values or {}
    label = ENTITY_LABELS.get(entity, entity)
    if entity == "support_measure" and values.get("name"):
        return f"{label}“{values['name']}”"
    if entity == "annual_figures" and values.get("year"):
        return f"{values['year']}年{label}"
    if entity == "recognition" and values.get("tier_code"):
        return f"{tier_label(values['tier_code'])}{label}"
    return f"{label}（编号 {entity_id}）"


def _what_changed(changes: list[Any]) -> str:
    """联系电话、地址、扶持措施 2 条: the fields of the firm and the records of it touched."""
    fields: list[str] = []
    records: dict[str, set[int]] = {}
    for change in changes:
        if change.entity == "enterprise":
            text = (field_label("enterprise", change.field) if change.field
                    else ENTERPRISE_ACTIONS.get(change.action, "企业信息"))
            if text not in fields:
                fields.append(text)
        else:
            records.setdefault(change.entity, set()).add(change.entity_id)
    parts = fields[:4] + (["等"] if len(fields) > 4 else [])
    text = "、".join(parts).replace("、等", "等")
    counts = "、".join(f"{ENTITY_LABELS.get(e, e)} {len(ids)} 条" for e, ids in records.items())
    return "、".join(p for p in (text, counts) if p)


def _detail_lines(items: list[dict[str, Any]]) -> list[str]:
    lines = ["　· " + item["reason"] for item in items[:REFUSAL_SHOWN]]
    if len(items) > REFUSAL_SHOWN:
        lines.append(f"　……另有 {len(items) - REFUSAL_SHOWN} 处")
    return lines


def undo_batch(session: Session, batch_id: int, *, user: str | None = None
               ) -> Generator[Progress, None, UndoResult]:
    """Undo one import batch in the caller's transaction. Yields Progress; returns UndoResult.

    Undo goes newest first: when a later import that is still in effect used or changed
    anything this batch wrote (added measures to a firm it created, changed a field it set),
    the undo is refused as a whole (UndoRefused naming the batches to undo first) and nothing
    is written. Values edited by hand since are kept and reported; an undo that would keep
    everything and change nothing is refused too, so the batch is not marked undone for
    nothing. Later imports that were undone themselves, and their undo, do not count."""
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
                                   Change.enterprise_id, Change.action, Change.at,
                                   Change.import_batch_id)
                            .where(Change.id > first_own,
                                   or_(Change.import_batch_id.is_(None),
                                       Change.import_batch_id != batch_id))
                            .order_by(Change.id)).all()
    # a later batch that was undone, and its undo (logged without a batch, at the very time
    # the batch was marked undone), left nothing behind that builds on this batch
    undone = session.execute(select(ImportBatch.id, ImportBatch.undone_at)
                             .where(ImportBatch.undone_at.is_not(None))).all()
    undone_ids = {row.id for row in undone}
    undone_times = {row.undone_at for row in undone}
    by_import: list[Any] = []
    by_hand: list[Any] = []
    for change in later:
        if change.import_batch_id is not None:
            if change.import_batch_id not in undone_ids:
                by_import.append(change)
        elif change.at not in undone_times:
            by_hand.append(change)
    import_fields: dict[tuple[str, int, str], Any] = {}
    import_records: dict[tuple[str, int], Any] = {}
    import_by_firm: dict[int, list[Any]] = {}
    for change in by_import:
        import_fields.setdefault((change.entity, change.entity_id, change.field), change)
        import_records.setdefault((change.entity, change.entity_id), change)
        if change.enterprise_id is not None:
            import_by_firm.setdefault(change.enterprise_id, []).append(change)
    hand_fields = {(c.entity, c.entity_id, c.field) for c in by_hand}
    hand_records = {(c.entity, c.entity_id) for c in by_hand}
    hand_by_firm: dict[int, list[Any]] = {}
    for change in by_hand:
        if change.enterprise_id is not None:
            hand_by_firm.setdefault(change.enterprise_id, []).append(change)
    later_fields = hand_fields | set(import_fields)
    blocked: list[dict[str, Any]] = []  # used or changed by a later import still in effect
    log: list[dict[str, Any]] = []

    def record_log(entity: str, entity_id: int, enterprise_id: int | None, action: str,
                   field_name: str = "", old: Any = None, new: Any = None) -> None:
        log.append({"at": now, "user": user, "entity": entity, "entity_id": entity_id,
                    "enterprise_id": enterprise_id, "action": action, "field": field_name,
                    "old_value": to_json(old), "new_value": to_json(new),
                    "import_batch_id": None})

    def item(entity: str, entity_id: int, enterprise_id: int | None, field_name: str,
             reason: str, batches: list[int] | None = None) -> dict[str, Any]:
        return {"entity": entity, "entity_id": entity_id, "enterprise_id": enterprise_id,
                "field": field_name, "reason": reason, "batches": batches or []}

    # 1. created enterprises: removed unless a later import or someone by hand worked on them
    created = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                              .where(Enterprise.import_batch_id == batch_id)).all()
    firms: dict[int, tuple[str, str]] = {row.id: (row.name, row.credit_code) for row in created}
    doomed: list[int] = []
    for row in created:
        if row.id in import_by_firm:
            per_batch: dict[int, list[Any]] = {}
            for change in import_by_firm[row.id]:
                per_batch.setdefault(change.import_batch_id, []).append(change)
            order = sorted(per_batch, reverse=True)
            what = "；".join(f"批次 {b}：{_what_changed(per_batch[b])}" for b in order)
            blocked.append(item("enterprise", row.id, row.id, "",
                                f"{_firm_text(firms, row.id)}有之后导入的记录（{what}）", order))
        elif row.id in hand_by_firm:
            result.kept.append(item("enterprise", row.id, row.id, "", (
                f"{_firm_text(firms, row.id)}导入后又被手工修改过"
                f"（{_what_changed(hand_by_firm[row.id])}），予以保留")))
        else:
            doomed.append(row.id)
            record_log("enterprise", row.id, row.id, "delete",
                       old={"name": row.name, "credit_code": row.credit_code,
                            "undo_of_batch": batch_id})
    doomed_set = set(doomed)
    yield Progress("撤销", 1, 4)

    # 2. records the batch added to other enterprises
    removals: dict[str, list[int]] = {}
    pending: list[tuple[str, int, int | None, str, dict[str, Any]]] = []  # described later
    for entity in CREATED_BY_BATCH:
        table = MODELS[entity].__table__
        rows = session.execute(select(table).where(table.c.import_batch_id == batch_id)).all()
        remove = removals.setdefault(entity, [])
        gone_with_firm = 0
        for row in rows:
            if row.enterprise_id in doomed_set:
                gone_with_firm += 1  # goes with its enterprise
                continue
            values = {k: from_json(to_json(v)) for k, v in row._mapping.items()
                      if k not in ("id", "enterprise_id", "import_batch_id")
                      and v not in (None, "")}
            key = (entity, row.id)
            if key in import_records:
                pending.append(("blocked", row.id, row.enterprise_id, entity, values))
                continue
            if key in hand_records:
                pending.append(("hand", row.id, row.enterprise_id, entity, values))
                continue
            remove.append(row.id)
            # what is removed from a firm that stays, in full: the import's own Change row
            # only says which record it was
            record_log(entity, row.id, row.enterprise_id, "delete",
                       old={**values, "undo_of_batch": batch_id})
        result.removed[entity] = len(remove) + gone_with_firm
    # a former name the batch added when it renamed a firm stays when the rename stays
    # (someone renamed the firm again since): the firm did bear that name
    kept_renames = _kept_renames(session, own, later_fields)
    formers = [c for c in own if c.entity == "former_name" and c.action == "create"
               and c.enterprise_id not in doomed_set
               and name_key(str((from_json(c.new_value) or {}).get("name", "")))
               != kept_renames.get(c.enterprise_id)]
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
    removed_keys = {(entity, i) for entity, ids in removals.items() for i in ids}
    groups: dict[tuple[str, str], list[int]] = {}
    for entity, entity_id, field_name in originals:
        if entity in MODELS and not (entity == "enterprise" and entity_id in doomed_set) \
                and (entity, entity_id) not in removed_keys:
            groups.setdefault((entity, field_name), []).append(entity_id)
    restores: list[tuple[Any, str, list[dict[str, Any]]]] = []
    renames: list[tuple[int, str]] = []
    field_items: list[tuple[str, int, int | None, str, Any]] = []
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
            if key in import_fields:
                field_items.append(("blocked", entity_id, change.enterprise_id, entity,
                                    (field_name, now_value, import_fields[key].import_batch_id)))
                continue
            if _edited_since(key, now_value, left[key], later_fields):
                field_items.append(("hand", entity_id, change.enterprise_id, entity,
                                    (field_name, now_value, None)))
                continue
            value = _python_value(model, field_name, from_json(change.old_value))
            if entity == "enterprise" and field_name == "name":
                renames.append((entity_id, value))
            params.append({"b_id": entity_id, "b_value": value})
            record_log(entity, entity_id, change.enterprise_id, "update", field_name,
                       old=now_value, new=value)
        if params:
            restores.append((model, field_name, params))
            result.restored += len(params)

    # the firms named in what is kept or blocks the undo, by name
    wanted = {e for _, _, e, _, _ in pending + field_items if e is not None} - set(firms)
    for chunk in _chunks(sorted(wanted)):
        firms.update((row.id, (row.name, row.credit_code)) for row in session.execute(
            select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
            .where(Enterprise.id.in_(chunk))))
    for how, entity_id, enterprise_id, entity, values in pending:
        subject = f"{_firm_text(firms, enterprise_id)}的{_record_text(entity, entity_id, values)}"
        if how == "blocked":
            later_batch = import_records[(entity, entity_id)].import_batch_id
            blocked.append(item(entity, entity_id, enterprise_id, "",
                                f"{subject}之后又被批次 {later_batch} 修改", [later_batch]))
        else:
            result.kept.append(item(entity, entity_id, enterprise_id, "",
                                    f"{subject}导入后又被手工修改过，予以保留"))
    for how, entity_id, enterprise_id, entity, (field_name, now_value, later_batch) in field_items:
        subject = _firm_text(firms, enterprise_id if entity != "enterprise" else entity_id)
        if entity != "enterprise":
            subject += f"的{_record_text(entity, entity_id)}"
        subject += f"的“{field_label(entity, field_name)}”"
        if how == "blocked":
            blocked.append(item(entity, entity_id, enterprise_id, field_name,
                                f"{subject}之后又被批次 {later_batch} {_value_text(field_name, now_value)}",
                                [later_batch]))
        else:
            result.kept.append(item(entity, entity_id, enterprise_id, field_name,
                                    f"{subject}导入后又被{_value_text(field_name, now_value)}，予以保留"))
    for entry in result.kept + blocked:
        entry["name"], entry["credit_code"] = firms.get(entry["enterprise_id"], ("", ""))

    if blocked:
        later_batches = sorted({b for entry in blocked for b in entry["batches"]}, reverse=True)
        names = "、".join(f"批次 {b}" for b in later_batches)
        raise UndoRefused("\n".join([
            f"不能撤销导入批次 {batch_id}：之后的导入（{names}）用到或修改了它导入的内容。"
            f"请先撤销{names}{'（从最新的开始）' if len(later_batches) > 1 else ''}，"
            f"再撤销批次 {batch_id}。这次没有做任何改动。",
            *_detail_lines(blocked)]), batch_id=batch_id, later_batches=later_batches,
            items=blocked)
    nothing = not result.restored and not doomed and not any(result.removed.values())
    if nothing and result.kept:
        raise UndoRefused("\n".join([
            f"导入批次 {batch_id} 没有可撤销的内容：它新增和修改的内容导入后都又被手工修改过，"
            f"全部予以保留。批次没有标记为已撤销，这次没有做任何改动。",
            *_detail_lines(result.kept)]), batch_id=batch_id, later_batches=[],
            items=result.kept)
    yield Progress("撤销", 3, 4)

    # 4. write: records, former names, fields put back, then the created enterprises last
    # (their children go with them: ON DELETE CASCADE)
    for entity, ids in removals.items():
        model = MODELS[entity]
        for chunk in _chunks(ids):
            session.execute(delete(model).where(model.id.in_(chunk)))
    for chunk in _chunks([c.entity_id for c in formers]):
        session.execute(delete(FormerName).where(FormerName.id.in_(chunk)))
    for entity_id, value in renames:
        session.execute(update(Enterprise).where(Enterprise.id == entity_id).values(
            name_key=name_key(value), pinyin_initials=initials(value),
            pinyin_key=sort_key(value)))
    for model, field_name, params in restores:
        table = model.__table__
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {field_name: bindparam("b_value")})
        session.execute(statement, params)
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
