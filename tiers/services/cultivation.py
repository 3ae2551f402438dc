"""培育库: enterprises aimed at a target tier and year, with the responsible officer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.errors import NotFound
from tiers.model import reference
from tiers.model.orm import CultivationEntry
from tiers.services import audit, cultivation_rule, enterprises, records, versions
from tiers.storage.locking import write_lock
from tiers.text import fields

FIELDS = ("target_tier", "target_year", "officer", "status", "note")
LABELS = fields.labels("cultivation_entry")  # for the messages that name a field


def clean(values: dict[str, Any], *, current: CultivationEntry | None = None) -> dict[str, Any]:
    merged = {k: getattr(current, k) for k in FIELDS} if current else {}
    merged.update(values)
    errors: dict[str, str] = {}
    tier_code = reference.resolve_tier(records.text(merged, "target_tier"))
    if tier_code is None:
        errors["target_tier"] = f"未知的目标梯度：{merged.get('target_tier') or '（空）'}"
    target_year = records.year(merged, "target_year", LABELS["target_year"], errors)
    if target_year is None:
        errors.setdefault("target_year", "目标年度不能为空")
    out = {
        "target_tier": tier_code, "target_year": target_year,
        "officer": records.text(merged, "officer"),
        "status": records.choice(merged, "status", LABELS["status"],
                                 reference.pick_lists()["cultivation_statuses"], errors)
        or "培育中",
        "note": records.text(merged, "note"),
    }
    records.raise_if(errors)
    return out


def check_new(values: dict[str, Any], standing: cultivation_rule.Standing) -> dict[str, Any]:
    """A new entry's values cleaned, or ValidationError (on 目标梯度) when the firm has an
    entry for that target already, whatever its year, or holds the target: the form of
    加入培育库 asks this of the firm's ``standing`` read before it opens, the write again."""
    cleaned = clean(values)
    why = cultivation_rule.refusal(standing, cleaned["target_tier"],
                                   year=cleaned["target_year"])
    if why:
        records.raise_if({"target_tier": why})
    return cleaned


def check_edit(values: dict[str, Any], standing: cultivation_rule.Standing, *,
               entry_id: int, current_tier: str | None,
               current_status: str | None = None) -> dict[str, Any]:
    """An entry's edit cleaned (``values`` whole, as the form gives them), refused when it
    changes the target to one of another open entry of the firm or to one the firm holds,
    when another entry has that target and year, or when it opens a closed entry again
    beside another open one of its target."""
    cleaned = clean(values)
    why = cultivation_rule.refusal(
        standing, cleaned["target_tier"], year=cleaned["target_year"], entry_id=entry_id,
        tier_changed=cleaned["target_tier"] != current_tier,
        reopened=(cultivation_rule.is_open(cleaned["status"])
                  and not cultivation_rule.is_open(current_status)))
    if why:
        records.raise_if({"target_tier": why})
    return cleaned


def _hold(session: Session, enterprise_id: int) -> None:
    """Lock the firm before its standing is read, as a profile save does: the database's
    write lock (SQLite) and the firm's row (a server), so that two officers adding the same
    target for one firm at once cannot both pass the rule; the second waits and is refused."""
    write_lock(session)
    versions.claim(session, enterprise_id)
    # the firm must be the login's (WriteRights.allows: a 开发区 firm the unit's rule does
    # not give the bureau's own officer, which the server lets through, review28)
    enterprises.check_may_change_firm(session, enterprise_id)


def add(session: Session, enterprise_id: int, values: dict[str, Any], *,
        user: str | None = None) -> CultivationEntry:
    """A new entry; refused as ``check_new`` says."""
    _hold(session, enterprise_id)
    cleaned = check_new(values, cultivation_rule.standing(session, enterprise_id))
    return records.create(session, CultivationEntry, enterprise_id, cleaned, user=user,
                          import_batch_id=None)


def edit(session: Session, entry_id: int, values: dict[str, Any], *,
         user: str | None = None) -> audit.Changed:
    """Refused when it would make a second entry of the firm for one target, or change the
    target to one the firm holds."""
    firm = session.scalar(select(CultivationEntry.enterprise_id)
                          .where(CultivationEntry.id == entry_id))
    if firm is None:
        raise NotFound(f"找不到培育库条目（编号 {entry_id}）：可能已被他人删除")
    _hold(session, firm)
    current = records.fetch(session, CultivationEntry, entry_id)
    merged = {**{k: getattr(current, k) for k in FIELDS}, **values}
    cleaned = check_edit(merged, cultivation_rule.standing(session, current.enterprise_id),
                         entry_id=entry_id, current_tier=current.target_tier,
                         current_status=current.status)
    return records.update(session, CultivationEntry, entry_id, cleaned,
                          user=user, import_batch_id=None)


def remove(session: Session, entry_id: int, *, user: str | None = None) -> audit.Changed:
    firm = session.scalar(select(CultivationEntry.enterprise_id)
                          .where(CultivationEntry.id == entry_id))
    if firm is not None:  # (gone: records.delete says so)
        enterprises.check_may_change_firm(session, firm)
    return records.delete(session, CultivationEntry, entry_id, user=user)
