"""The undo plan of an import batch, built without writing: what would be removed (what the
batch created), put back (fields it updated), kept (edited by hand since, and why), or why
the undo is refused as a whole (later imports still in effect build on the batch). The plan
itself, its result and the refusals are in importers.undo.types.

Undo goes newest first: a later import that is still in effect and used or changed anything
this batch wrote (added measures to a firm it created, changed a field it set) blocks the
undo. Values edited by hand since are kept and reported. Later imports that were undone
themselves, and their undo, do not count."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.undo import reinserts
from importers.undo.history import (
    FieldKey,
    LaterChanges,
    chunks,
    edited_since,
    id_list,
    later_changes,
    python_value,
)
from importers.undo.packages import (
    handed_over_blocks,
    only_receipts,
    package_blocks,
    reported_elsewhere_blocks,
)
from importers.undo.text import (
    REFUSAL_SHOWN,
    Firms,
    RestoreWords,
    changed_to_text,
    field_subject,
    firm_text,
    held_text,
    record_text,
    what_changed,
)
from importers.undo.trash import trashed_by_batch
from importers.undo.types import MODELS, BatchNotFound, UndoPlan
from tiers.exchange.format import BATCH_KIND
from tiers.model.names import name_key
from tiers.model.orm import Change, Enterprise, ImportBatch, Recognition, utcnow
from tiers.progress import Progress
from tiers.services.audit import current_user, from_json, to_json
from tiers.storage.write_rights import write_rights
from tiers.text import fields
from tiers.text.changes import SAID_BY, field_label
from tiers.text.values import show

CREATED_BY_BATCH = ("recognition", "annual_figures", "support_measure", "chain_role",
                    "cultivation_entry")
# the package a row came from (tiers.model.orm.FromPackage): put back, not counted as a value
PROVENANCE = ("source_package_id", "source_county")
# the tables an undo's result always lists (others, such as the 培育库 entries only a 数据包
# brings, only when it removed some: the command's output stays as it was for lists)
ALWAYS_COUNTED = ("recognition", "annual_figures", "support_measure", "chain_role")
NAMED = 3  # firms and fields the undo's question names; the rest are counted (等 N 家)

# a record or field kept or blocking, described once the firms' names are known:
# ("blocked" | "hand", entity id, enterprise id, entity, details)
Pending = tuple[str, int, int | None, str, Any]
# a record the batch deleted whose firm later batches changed: (entity, id, enterprise id,
# the record in words, those batches ascending)
Held = tuple[str, int, int | None, str, list[int]]


def plan_undo(session: Session, batch_id: int, *, user: str | None = None
              ) -> Generator[Progress, None, UndoPlan]:
    """The undo plan of one batch, read in the caller's session; nothing is written.
    Yields Progress (0 to 2 of 4); returns the plan. Raises ImportRefused when the batch
    does not exist or was undone already."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise BatchNotFound(f"找不到导入批次 {batch_id}")
    if batch.undone_at is not None:
        raise ImportRefused(f"导入批次 {batch_id} 已于 {show(batch.undone_at, 'datetime')} 撤销过")
    plan = UndoPlan(batch_id=batch_id, user=current_user() if user is None else user,
                    now=utcnow())
    session.flush()
    # the firms a later package handed to this package's county on the word of the
    # conflicts it recorded (no row of it written: read apart), named by the check
    handed = handed_over_blocks(session, batch_id) if batch.kind == BATCH_KIND else []
    if batch.kind == BATCH_KIND and (blocks := package_blocks(session, batch_id)):
        plan.blocked += blocks
        if only_receipts(session, blocks):
            # refused whatever else the plan would find: the newer packages go first, and
            # they changed no row for the refusal to name (the batch's whole change log,
            # seconds for a county of 100k firms, is not read). A newer package that
            # changed rows has each named (移入回收站, 认定之后被批次…删除), as any import's
            for entry in plan.blocked:
                entry["name"], entry["credit_code"] = "", ""
            plan.blocked += handed
            return plan
    plan.blocked += handed
    yield Progress("撤销", 0, 4)
    # the batch's own log, but for the records it created (the tables say those): the
    # fields it updated, the former names it added, the records a 数据包 deleted and the
    # firms a bulk action moved to the 回收站; 100k rows of "create" were read and left unused
    of_batch = Change.import_batch_id == batch_id
    own = session.execute(select(Change.id, Change.entity, Change.entity_id, Change.field,
                                 Change.action, Change.old_value, Change.new_value,
                                 Change.enterprise_id)
                          .where(of_batch, or_(Change.action.in_(("update", "delete")),
                                               Change.entity == "former_name"))
                          .order_by(Change.id)).all()
    first_own = session.scalar(select(func.min(Change.id)).where(of_batch))
    later = later_changes(session, batch_id, first_own or 0)
    firms = _plan_enterprises(session, plan, later)
    # the firms it created (to be deleted) that another county's later package also
    # sends, left in conflict: deleting them loses that county's word (read apart too)
    reported = reported_elsewhere_blocks(session, batch_id, plan.enterprises) \
        if batch.kind == BATCH_KIND else []
    plan.blocked += reported
    firms.update((entry["enterprise_id"], (entry["name"], entry["credit_code"]))
                 for entry in handed + reported)
    yield Progress("撤销", 1, 4)
    pending = _plan_records(session, plan, later)
    reinserts.deleted_since(
        session, batch_id, first_own or 0, (*CREATED_BY_BATCH, "former_name"),
        lambda entity, entity_id, firm, reason, batches: plan.blocked.append(
            _item(entity, entity_id, firm, "", reason, batches)))
    _plan_former_names(session, plan, own, later)
    _plan_untrash(session, plan, own, firms)
    yield Progress("撤销", 2, 4)
    pending_fields = _plan_fields(session, plan, own, later)
    held = _plan_reinserts(session, plan, own, later)
    _name_firms(session, firms, pending + pending_fields
                + [("", 0, firm, "", None) for _, _, firm, _, _ in held])
    _describe_records(plan, firms, later, pending)
    _describe_fields(plan, firms, pending_fields)
    _describe_held(plan, firms, held)
    for entry in plan.kept + plan.blocked:
        entry["name"], entry["credit_code"] = firms.get(entry["enterprise_id"], ("", ""))
    touched = _touched(plan)
    _name_what_it_touches(session, plan, touched)
    _refuse_firms_not_his(session, plan, touched)
    return plan


def _touched(plan: UndoPlan) -> set[int]:
    """The firms the undo would change: those it removes, takes out of the 回收站, puts
    fields or records back into or removes records of."""
    return set(plan.enterprises) | set(plan.untrash) | {
        entry["enterprise_id"] for entry in plan.log if entry["enterprise_id"] is not None} | {
        firm for _former, firm in plan.former_names if firm is not None}


# the fields that decide whose a firm is (WriteRights.allows): an undo that puts them back
# moves the firm, and must be allowed where it goes too
_WHOSE = ("county_code", "county_name", "credit_code")


def _refuse_firms_not_his(session: Session, plan: UndoPlan, touched: set[int]) -> None:
    """The firms the undo would change that the login may not, as WriteRights.allows says
    for an import, a bulk action and 数据核查 alike (an editor: another county's; the
    bureau's own officer: a 开发区 firm the unit's rule does not place in the unit, which
    the server would let him change: WriteRights.server_writes), as each is now or as
    the undo would put it back (its county or credit code restored). Any: the plan is
    refused whole (UndoPlan.refusal), naming them. A file, an admin: none; a viewer is
    refused whole by the server (导入记录 greys 撤销 for him)."""
    rights = write_rights(session)
    if rights.counties is None or not rights.may_write or not touched:
        return
    put_back: dict[int, dict[str, Any]] = {}
    for model, field_name, params in plan.restores:
        if model is Enterprise and field_name in _WHOSE:
            for param in params:
                put_back.setdefault(param["b_id"], {})[field_name] = param["b_value"]
    for chunk in chunks(sorted(touched)):
        for row in session.execute(select(
                Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.county_code,
                Enterprise.county_name).where(Enterprise.id.in_(chunk)).order_by(Enterprise.id)):
            now = {"county_code": row.county_code, "county_name": row.county_name,
                   "credit_code": row.credit_code}
            then = {**now, **put_back.get(row.id, {})}
            if not rights.allows(*now.values()):
                why = rights.refusal_for(*now.values()).removeprefix("这家企业")
            elif then != now and not rights.allows(*then.values()):
                why = "撤销后，" + rights.refusal_for(*then.values()).removeprefix("这家企业")
            else:
                continue
            # the firms said by their reason: one line for the 500 firms of one zone
            names = plan.rights_refused_by_why.setdefault(why, [])
            plan.rights_refused_counts[why] = plan.rights_refused_counts.get(why, 0) + 1
            if len(names) < NAMED:
                names.append(row.name)
            if len(plan.rights_refused) < REFUSAL_SHOWN:  # (UndoRefused.items: the first)
                item = _item("enterprise", row.id, row.id, "", f"企业“{row.name}”{why}")
                item["name"], item["credit_code"] = row.name, row.credit_code
                plan.rights_refused.append(item)


def _name_what_it_touches(session: Session, plan: UndoPlan, touched: set[int]) -> None:
    """The first few firms and fields the undo touches, for its question (导入记录's
    asked 撤销导入批次 6？将还原字段 3 个 and named no firm): the firms it removes and
    those whose records or fields it removes or puts back, by their number; the fields by
    their labels. Only the few named are read."""
    plan.firm_count = len(touched)
    first = sorted(touched)[:NAMED]
    if first:
        names = dict(session.execute(select(Enterprise.id, Enterprise.name)
                                     .where(Enterprise.id.in_(first))).all())
        plan.firm_names = [names[i] for i in first if i in names]
    labels: list[str] = []
    words = RestoreWords()
    for model, field_name, params in plan.restores:
        entity = next(e for e, m in MODELS.items() if m is model)
        if field_name in PROVENANCE or (entity, field_name) == ("enterprise", "deleted_at"):
            continue  # (no value the officer sees; the 回收站 is said as such)
        if entity == "enterprise" and SAID_BY.get(field_name) in {
                name for restored_model, name, _ in plan.restores if restored_model is model}:
            continue  # (shown by another field put back: _count_said_once)
        label = field_label(entity, field_name)
        words.add(entity, field_name, label, params, _tiers_of(session, entity, params))
        if entity != "enterprise":
            label = f"{fields.entity_label(entity)}的{label}"
        if label not in labels:
            labels.append(label)
    plan.field_count = len(labels)
    plan.field_names = labels[:NAMED]
    plan.restore_words = words.texts()


def _tiers_of(session: Session, entity: str, params: list[dict[str, Any]]
              ) -> dict[int, str] | None:
    """The tier of each recognition whose field is put back (said by tier: 3 项小巨人认定…);
    None for other records."""
    if entity != "recognition":
        return None
    tiers: dict[int, str] = {}
    for chunk in chunks([p["b_id"] for p in params]):
        tiers.update(session.execute(select(Recognition.id, Recognition.tier_code)
                                     .where(Recognition.id.in_(chunk))).all())
    return tiers


def _item(entity: str, entity_id: int, enterprise_id: int | None, field_name: str,
          reason: str, batches: list[int] | None = None) -> dict[str, Any]:
    return {"entity": entity, "entity_id": entity_id, "enterprise_id": enterprise_id,
            "field": field_name, "reason": reason, "batches": batches or []}


def _plan_enterprises(session: Session, plan: UndoPlan, later: LaterChanges) -> Firms:
    """The enterprises the batch created: removed unless a later import or someone by hand
    worked on them. Returns the names of those that stay, for the texts (the removed ones'
    are read by apply_undo's log straight from the table: 100k names and per-firm JSON
    built here took a third of an undo's time)."""
    created = list(session.scalars(select(Enterprise.id)
                                   .where(Enterprise.import_batch_id == plan.batch_id)
                                   .order_by(Enterprise.id)))
    worked_on = [i for i in created if i in later.import_by_firm or i in later.hand_by_firm]
    firms: Firms = {}
    _name_firms(session, firms, [("", 0, i, "", None) for i in worked_on])
    for enterprise_id in created:
        if enterprise_id in later.import_by_firm:
            per_batch: dict[int, list[Any]] = {}
            for change in later.import_by_firm[enterprise_id]:
                per_batch.setdefault(change.import_batch_id, []).append(change)
            order = sorted(per_batch, reverse=True)
            what = "；".join(f"批次 {b}：{what_changed(per_batch[b])}" for b in order)
            plan.blocked.append(_item("enterprise", enterprise_id, enterprise_id, "", (
                f"{firm_text(firms, enterprise_id)}有之后导入的记录（{what}）"), order))
        elif enterprise_id in later.hand_by_firm:
            plan.kept.append(_item("enterprise", enterprise_id, enterprise_id, "", (
                f"{firm_text(firms, enterprise_id)}导入后又被手工修改过"
                f"（{what_changed(later.hand_by_firm[enterprise_id])}），予以保留")))
        else:
            plan.enterprises.append(enterprise_id)
            continue
        plan.spared_firms.append(enterprise_id)
    return firms


def _plan_records(session: Session, plan: UndoPlan, later: LaterChanges) -> list[Pending]:
    """The records the batch added to enterprises that stay: removed unless changed since
    (returned, to be described once the firms' names are known). Those of the firms that
    go are only counted: they go with their enterprise."""
    created_firms = select(Enterprise.id).where(Enterprise.import_batch_id == plan.batch_id)
    spared_firms = id_list(plan.spared_firms)
    pending: list[Pending] = []
    for entity in CREATED_BY_BATCH:
        table = MODELS[entity].__table__
        of_batch = table.c.import_batch_id == plan.batch_id
        gone_with_firm = session.scalar(select(func.count()).select_from(table).where(
            of_batch, table.c.enterprise_id.in_(created_firms),
            table.c.enterprise_id.not_in(spared_firms)))
        rows = session.execute(select(table).where(
            of_batch, or_(table.c.enterprise_id.not_in(created_firms),
                          table.c.enterprise_id.in_(spared_firms)))
            .order_by(table.c.id)).all()
        remove = plan.records.setdefault(entity, [])
        spared = plan.spared_records.setdefault(entity, [])
        for row in rows:
            values = {k: from_json(to_json(v)) for k, v in row._mapping.items()
                      if k not in ("id", "enterprise_id", "import_batch_id")
                      and v not in (None, "")}
            key = (entity, row.id)
            if key in later.import_records or key in later.hand_records:
                how = "blocked" if key in later.import_records else "hand"
                pending.append((how, row.id, row.enterprise_id, entity, values))
                spared.append(row.id)
                continue
            remove.append(row.id)
            # what is removed from a firm that stays, in full: the import's own Change row
            # only says which record it was
            plan.log_change(entity, row.id, row.enterprise_id, "delete",
                            old={**values, "undo_of_batch": plan.batch_id})
        if entity in ALWAYS_COUNTED or remove or gone_with_firm:
            plan.removed[entity] = len(remove) + gone_with_firm
    return pending


def _plan_untrash(session: Session, plan: UndoPlan, own: list[Any], firms: Firms) -> None:
    """Firms a bulk action moved to the 回收站 come back out, unless restored since."""
    plan.untrash, restored = trashed_by_batch(session, own)
    for enterprise_id in plan.untrash:
        plan.log_change("enterprise", enterprise_id, enterprise_id, "restore")
    # said as firms out of the 回收站 (unbinned), not counted among the fields too: the
    # question read 还原字段 2 个；从回收站恢复企业 2 家 of two firms binned
    plan.unbinned += len(plan.untrash)
    for enterprise_id in restored:
        plan.kept.append(_item("enterprise", enterprise_id, enterprise_id, "",
                               f"企业（编号 {enterprise_id}）已从回收站恢复过，无需撤销"))


def _plan_former_names(session: Session, plan: UndoPlan, own: list[Any], later: LaterChanges) -> None:
    """The former names the batch added. One added when it renamed a firm stays when the
    rename stays (someone renamed the firm again since): the firm did bear that name."""
    kept_renames = _kept_renames(session, own, later.fields)
    doomed = set(plan.enterprises)
    plan.former_names = [
        (c.entity_id, c.enterprise_id) for c in own if c.entity == "former_name" and c.action == "create"
        and c.enterprise_id not in doomed
        and name_key(str((from_json(c.new_value) or {}).get("name", "")))
        != kept_renames.get(c.enterprise_id)]
    plan.removed["former_name"] = len(plan.former_names)


def _kept_renames(session: Session, own: list[Any],
                  later_fields: set[FieldKey]) -> dict[int, str]:
    """Enterprises whose rename by the batch will not be put back (the name was changed
    again since), with the name_key of the name the batch replaced."""
    renames = {c.entity_id: c for c in own
               if c.entity == "enterprise" and c.field == "name" and c.action == "update"
               and c.old_value != c.new_value}  # (not a 数据包's marker line: no rename)
    if not renames:
        return {}
    current: dict[int, str] = {}
    for chunk in chunks(list(renames)):
        current.update(session.execute(select(Enterprise.id, Enterprise.name)
                                       .where(Enterprise.id.in_(chunk))).all())
    kept: dict[int, str] = {}
    for enterprise_id, change in renames.items():
        if enterprise_id not in current:
            continue
        old_key = name_key(str(from_json(change.old_value) or ""))
        if edited_since(("enterprise", enterprise_id, "name"), current[enterprise_id],
                         change.new_value, later_fields) and (
                name_key(current[enterprise_id]) != old_key):  # renamed back: no former name
            kept[enterprise_id] = old_key
    return kept


def _plan_fields(session: Session, plan: UndoPlan, own: list[Any],
                 later: LaterChanges) -> list[Pending]:
    """The fields the batch updated: put back unless changed since (returned, to be
    described once the firms' names are known)."""
    originals: dict[FieldKey, Any] = {}
    left: dict[FieldKey, str | None] = {}
    for change in own:
        if change.action != "update" or change.old_value == change.new_value:
            continue  # (old == new: a 数据包's marker line, tiers.exchange.merge: no value)
        key = (change.entity, change.entity_id, change.field)
        originals.setdefault(key, change)  # the first change holds the value before the batch
        left[key] = change.new_value  # the last one, what the batch left there
    doomed = set(plan.enterprises)
    removed_keys = {(entity, i) for entity, ids in plan.records.items() for i in ids}
    groups: dict[tuple[str, str], list[int]] = {}
    for entity, entity_id, field_name in originals:
        if entity in MODELS and not (entity == "enterprise" and entity_id in doomed) \
                and (entity, entity_id) not in removed_keys:
            groups.setdefault((entity, field_name), []).append(entity_id)
    pending: list[Pending] = []
    for (entity, field_name), ids in groups.items():
        pending += _plan_field(session, plan, later, (entity, field_name, ids), originals, left)
    _count_said_once(plan)
    return pending


def _count_said_once(plan: UndoPlan) -> None:
    """A firm's 县区代码 put back with its 县（市、区） is one value the officer sees (the
    code is shown by the name: tiers.text.changes.SAID_BY), not two: a moved firm's undo
    asked 还原的字段：县区代码、县（市、区）… (tester24)."""
    restored: dict[tuple[Any, str], set[int]] = {}
    for model, field_name, params in plan.restores:
        restored.setdefault((model, field_name), set()).update(p["b_id"] for p in params)
    for (model, field_name), ids in restored.items():
        shown_by = SAID_BY.get(field_name)
        if shown_by is not None and model is MODELS.get("enterprise"):
            plan.restored -= len(ids & restored.get((model, shown_by), set()))


def _plan_field(session: Session, plan: UndoPlan, later: LaterChanges,
                group: tuple[str, str, list[int]], originals: dict[FieldKey, Any],
                left: dict[FieldKey, str | None]) -> list[Pending]:
    """One field of one table, for the records whose value the batch set."""
    entity, field_name, ids = group
    model = MODELS[entity]
    column = model.__table__.c[field_name]
    current: dict[int, Any] = {}
    for chunk in chunks(ids):
        current.update(session.execute(select(model.id, column).where(model.id.in_(chunk))).all())
    pending: list[Pending] = []
    params = []
    for entity_id in ids:
        if entity_id not in current:
            continue  # deleted since
        key = (entity, entity_id, field_name)
        change = originals[key]
        now_value = current[entity_id]
        if key in later.import_fields:
            pending.append(("blocked", entity_id, change.enterprise_id, entity,
                            (field_name, now_value, later.import_fields[key].import_batch_id)))
            continue
        if edited_since(key, now_value, left[key], later.fields):
            pending.append(("hand", entity_id, change.enterprise_id, entity,
                            (field_name, now_value, None)))
            continue
        value = python_value(model, field_name, from_json(change.old_value))
        if entity == "enterprise" and field_name == "name":
            plan.renames.append((entity_id, value))
        params.append({"b_id": entity_id, "b_value": value})
        if entity == "enterprise" and field_name == "deleted_at":
            # a firm leaving or entering the 回收站 is said as such, not only as a field
            if value is None:
                plan.unbinned += 1
            else:
                plan.rebinned += 1
        plan.log_change(entity, entity_id, change.enterprise_id, "update", field_name,
                        old=now_value, new=value)
    if params:
        plan.restores.append((model, field_name, params))
        # (the package a row last came from is put back too, but is no value the officer
        # sees: a newer package's one corrected name was told as 还原字段 2 个; and a firm
        # leaving or entering the 回收站 is counted once, as such, not among the fields)
        if field_name not in PROVENANCE and (entity, field_name) != ("enterprise", "deleted_at"):
            plan.restored += len(params)
    return pending


def _plan_reinserts(session: Session, plan: UndoPlan, own: list[Any],
                    later: LaterChanges) -> list[Held]:
    """The records the batch deleted, put back as they were (the batch logged each whole),
    unless they cannot be (importers.undo.reinserts): their firm is gone or changed by a
    later batch, the same record was entered again, or they came from an undone batch.
    Returns those whose firm a later batch changed, to be said once the firms are named."""
    held: list[Held] = []

    def block(entity: str, entity_id: int, enterprise_id: int | None, reason: str,
              batches: list[int]) -> None:
        plan.blocked.append(_item(entity, entity_id, enterprise_id, "", reason, batches))

    def hold(entity: str, entity_id: int, enterprise_id: int | None, label: str,
             batches: list[int]) -> None:
        held.append((entity, entity_id, enterprise_id, label, batches))

    deletes = [c for c in own
               if c.action == "delete" and c.entity in CREATED_BY_BATCH + ("former_name",)]
    snapshots = [(c, from_json(c.old_value) or {}) for c in deletes]
    undone = reinserts.undone_batches(session, {s.get("import_batch_id") for _, s in snapshots
                                               if isinstance(s.get("import_batch_id"), int)})
    for change, snapshot in snapshots:
        if snapshot.get("import_batch_id") in undone:
            continue  # it came with a batch undone since: not put back
        label = record_text(change.entity, change.entity_id, snapshot)
        if not reinserts.check_reinsert(session, plan.batch_id, change.entity, snapshot,
                                        change.enterprise_id, later, label, block, hold):
            continue
        model = MODELS[change.entity]
        values = {name: python_value(model, name, value) for name, value in snapshot.items()
                  if name in model.__table__.c}
        plan.reinserts.append((change.entity, values))
        plan.log_change(change.entity, change.entity_id, change.enterprise_id, "create",
                        new={**snapshot, "undo_of_batch": plan.batch_id})
    return held


def _name_firms(session: Session, firms: Firms, pending: list[Pending]) -> None:
    """Add the names of the firms named in what is kept or blocks the undo."""
    wanted = {e for _, _, e, _, _ in pending if e is not None} - set(firms)
    for chunk in chunks(sorted(wanted)):
        firms.update((row.id, (row.name, row.credit_code)) for row in session.execute(
            select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
            .where(Enterprise.id.in_(chunk))))


def _describe_records(plan: UndoPlan, firms: Firms, later: LaterChanges,
                      pending: list[Pending]) -> None:
    for how, entity_id, enterprise_id, entity, values in pending:
        subject = f"{firm_text(firms, enterprise_id)}的{record_text(entity, entity_id, values)}"
        if how == "blocked":
            later_batch = later.import_records[(entity, entity_id)].import_batch_id
            plan.blocked.append(_item(entity, entity_id, enterprise_id, "",
                                      f"{subject}之后又被批次 {later_batch} 修改", [later_batch]))
        else:
            plan.kept.append(_item(entity, entity_id, enterprise_id, "",
                                   f"{subject}导入后又被手工修改过，予以保留"))


def _describe_held(plan: UndoPlan, firms: Firms, held: list[Held]) -> None:
    """The records the batch deleted that cannot go back because later batches changed
    their firms: one line for each set of batches (ascending), its firms and records named,
    the first few of each and the rest counted (it read 2023年年度数据所属的企业之后又被批次
    10、9 改动 once per record, no firm named: tester29 #2). Each record stays an item of
    its own (its entity, id and firm), the set's line its reason: detail_lines says a line
    once."""
    groups: dict[tuple[int, ...], list[Held]] = {}
    for entry in held:
        groups.setdefault(tuple(entry[4]), []).append(entry)
    for batches, entries in groups.items():
        records = [(firms.get(firm, ("", ""))[0] or firm_text(firms, firm), label)
                   for _, _, firm, label, _ in entries]
        reason = held_text(records, list(batches))
        for entity, entity_id, enterprise_id, _, _ in entries:
            plan.blocked.append(_item(entity, entity_id, enterprise_id, "", reason,
                                      list(batches)))


def _describe_fields(plan: UndoPlan, firms: Firms, pending: list[Pending]) -> None:
    for how, entity_id, enterprise_id, entity, (field_name, now_value, later_batch) in pending:
        subject = field_subject(firms, entity, entity_id, enterprise_id, field_name)
        changed = changed_to_text(field_name, now_value)
        if how == "blocked":
            plan.blocked.append(_item(entity, entity_id, enterprise_id, field_name,
                                      f"{subject}之后又被批次 {later_batch} {changed}",
                                      [later_batch]))
        else:
            plan.kept.append(_item(entity, entity_id, enterprise_id, field_name,
                                   f"{subject}导入后又被{changed}，予以保留"))
