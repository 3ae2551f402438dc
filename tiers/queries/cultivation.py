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
