"""培育库: the enterprises being cultivated towards a tier, with their target and officer.
A plain SQLAlchemy query returning plain data (no Qt)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import ladder
from tiers.model.orm import CultivationEntry, Enterprise
from tiers.queries.profiles import columns
from tiers.storage.dialect import ascending


def cultivation_entries(session: Session) -> list[dict[str, Any]]:
    """Every entry of the live enterprises, by target year then name."""
    query = (select(CultivationEntry, Enterprise)
             .join(Enterprise, Enterprise.id == CultivationEntry.enterprise_id)
             .where(Enterprise.deleted_at.is_(None))
             .order_by(ascending(CultivationEntry.target_year), ascending(Enterprise.name)))
    return [{**columns(entry, set()), "target_tier_name": ladder.tier_label(entry.target_tier),
             "name": enterprise.name, "credit_code": enterprise.credit_code,
             "county": enterprise.county_name, "town": enterprise.town}
            for entry, enterprise in session.execute(query)]


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
