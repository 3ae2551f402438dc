"""A package's changes to rows already in the database: updates grouped by the fields they
set (each with its provenance), the firms a county sent before and not now moved to the recycle
bin, its records no longer sent deleted; each logged in the batch's Change rows (ChangeLog), so
that undoing the batch puts it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session

from tiers.exchange.format import RECORD_TABLES
from tiers.exchange.plan import CHUNK, PackagePlan, RecordUpdate
from tiers.model.names import name_key
from tiers.model.orm import Enterprise
from tiers.model.pinyin import initials, sort_key
from tiers.services.audit import from_json, to_json

CHANGE_FIELDS = ("user", "entity", "entity_id", "enterprise_id", "action", "field",
                 "old_value", "new_value")


class ChangeLog:
    """The batch's Change rows for updates, soft deletions, deletions and former names."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.rows: list[tuple[Any, ...]] = []

    def add(self, entity: str, entity_id: int, enterprise_id: int, action: str,
            field_name: str = "", old: Any = None, new: Any = None) -> None:
        self.rows.append((self.user, entity, entity_id, enterprise_id, action, field_name,
                          to_json(old), to_json(new)))


def update_rows(session: Session, table: Any, entity: str, updates: list[RecordUpdate],
                package_id: int, log: ChangeLog, *, now: dt.datetime | None = None) -> None:
    """Updates grouped by the fields they set, each with its provenance."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for item in updates:
        values = {name: new for name, (_, new) in item.changes.items()}
        if entity == "enterprise" and "name" in values:
            values.update(name_key=name_key(values["name"]),
                          pinyin_initials=initials(values["name"]),
                          pinyin_key=sort_key(values["name"]))
        if not item.keeps_source:
            values["source_package_id"] = package_id
        keys = tuple(sorted(values))
        groups.setdefault(keys, []).append({"b_id": item.record_id,
                                            **{f"b_{k}": v for k, v in values.items()}})
        for name, (old, new) in item.changes.items():
            log.add(entity, item.record_id, item.enterprise_id, "update", name, old, new)
        if not item.keeps_source and item.old_source != package_id:
            log.add(entity, item.record_id, item.enterprise_id, "update", "source_package_id",
                    item.old_source, package_id)
    for keys, params in groups.items():
        extra = {"updated_at": now} if now is not None else {}
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {**{k: bindparam(f"b_{k}") for k in keys}, **extra})
        for start in range(0, len(params), CHUNK):
            session.execute(statement, params[start:start + CHUNK])


def bin_firms(session: Session, plan: PackagePlan, log: ChangeLog, now: dt.datetime) -> None:
    """The firms the county sent before and not now: to the recycle bin, restorable (and
    put back by undoing the batch: the change is logged as the field it is)."""
    ids = [firm_id for firm_id, _, _ in plan.firm_deletions]
    for start in range(0, len(ids), CHUNK):
        session.execute(update(Enterprise).where(Enterprise.id.in_(ids[start:start + CHUNK]))
                        .values(deleted_at=now, updated_at=now))
    for firm_id in ids:
        log.add("enterprise", firm_id, firm_id, "update", "deleted_at", None, now)


def delete_records(session: Session, plan: PackagePlan, log: ChangeLog) -> None:
    """Records the county sent before and not now: deleted, each whole in the change log
    (undoing the batch puts them back from there)."""
    for spec in RECORD_TABLES:
        rows = plan.record_deletions[spec.entity]
        if not rows:
            continue
        for values in rows:
            log.add(spec.entity, values["id"], values["enterprise_id"], "delete",
                    old={name: from_json(to_json(value)) for name, value in values.items()})
        table = spec.model.__table__
        ids = [values["id"] for values in rows]
        for start in range(0, len(ids), CHUNK):
            session.execute(delete(table).where(table.c.id.in_(ids[start:start + CHUNK])))
