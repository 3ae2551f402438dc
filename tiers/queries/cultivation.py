"""培育库: the enterprises being cultivated towards a tier, with their target and officer.
A plain SQLAlchemy query returning plain data (no Qt)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import ladder
from tiers.model.orm import CultivationEntry, Enterprise
from tiers.queries.profiles import PROVENANCE
from tiers.storage.dialect import ascending

_ENTRY_COLUMNS = [column for column in CultivationEntry.__table__.columns
                  if column.key not in PROVENANCE]
_FIRM_COLUMNS = {"name": Enterprise.name, "credit_code": Enterprise.credit_code,
                 "county": Enterprise.county_name, "town": Enterprise.town}


def cultivation_entries(session: Session) -> list[dict[str, Any]]:
    """Every entry of the live enterprises, by target year then name: the entry's columns
    (as profiles.columns gives a record's) and its firm's name, code, county and town, read
    as plain rows (an ORM object of each entry and of its firm, 13,650 entries of a city:
    1.2 s)."""
    names = [column.key for column in _ENTRY_COLUMNS] + list(_FIRM_COLUMNS)
    query = (select(*_ENTRY_COLUMNS, *_FIRM_COLUMNS.values())
             .join(Enterprise, Enterprise.id == CultivationEntry.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(ascending(CultivationEntry.target_year), ascending(Enterprise.name)))
    labels: dict[str, str] = {}
    entries = []
    for row in session.execute(query):
        entry = dict(zip(names, row, strict=True))
        tier = entry["target_tier"]
        if tier not in labels:
            labels[tier] = ladder.tier_label(tier)
        entry["target_tier_name"] = labels[tier]
        entries.append(entry)
    return entries


def cultivation_years(session: Session, tier_code: str) -> dict[int, list[int]]:
    """The target years of each enterprise's entries for one tier, by enterprise id (the
    候选企业 list's 培育库 column: one narrow query, not every entry with its firm)."""
    query = (select(CultivationEntry.enterprise_id, CultivationEntry.target_year)
             .where(CultivationEntry.target_tier == tier_code)
             .order_by(CultivationEntry.target_year))
    years: dict[int, list[int]] = {}
    for enterprise_id, year in session.execute(query):
        years.setdefault(enterprise_id, []).append(year)
    return years
