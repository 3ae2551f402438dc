"""培育库: enterprises aimed at a target tier and year, with the responsible officer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.orm import CultivationEntry
from tiers.services import audit, records
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


def add(session: Session, enterprise_id: int, values: dict[str, Any], *,
        user: str | None = None) -> CultivationEntry:
    cleaned = clean(values)
    duplicate = session.scalar(select(CultivationEntry).where(
        CultivationEntry.enterprise_id == enterprise_id,
        CultivationEntry.target_tier == cleaned["target_tier"],
        CultivationEntry.target_year == cleaned["target_year"]))
    if duplicate is not None:
        records.raise_if({"target_tier": "该企业已在培育库中，目标梯度和年度相同"})
    return records.create(session, CultivationEntry, enterprise_id, cleaned, user=user,
                          import_batch_id=None)


def edit(session: Session, entry_id: int, values: dict[str, Any], *,
         user: str | None = None) -> audit.Changed:
    current = records.fetch(session, CultivationEntry, entry_id)
    return records.update(session, CultivationEntry, entry_id, clean(values, current=current),
                          user=user, import_batch_id=None)


def remove(session: Session, entry_id: int, *, user: str | None = None) -> audit.Changed:
    return records.delete(session, CultivationEntry, entry_id, user=user)
