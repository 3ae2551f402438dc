"""产业链: how many enterprises each chain has, and one chain's members with their role and
tier. Plain SQLAlchemy queries returning plain data (no Qt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.model import ladder
from tiers.model.orm import ChainRole, Enterprise
from tiers.queries import firm_chains
from tiers.queries.roster import current_recognition


def chain_counts(session: Session, *, today: dt.date | None = None) -> dict[str, int]:
    """Enterprises on each chain (by role, or holding a 链主 title for it)."""
    today = today or dt.date.today()
    pairs = firm_chains.members(today).subquery()
    query = (select(pairs.c.chain_code, func.count())
             .join(Enterprise, Enterprise.id == pairs.c.enterprise_id)
             .where(Enterprise.deleted_at.is_(None)).group_by(pairs.c.chain_code))
    return dict(session.execute(query).all())


def chain_members(session: Session, chain_code: str, *,
                  today: dt.date | None = None) -> list[dict[str, Any]]:
    """The enterprises of one chain with their role and current tier: 链主 first, then by
    tier (highest first), then name."""
    today = today or dt.date.today()
    roles: dict[int, dict[str, Any]] = {}
    for role in session.scalars(select(ChainRole).join(
            Enterprise, Enterprise.id == ChainRole.enterprise_id).where(
            ChainRole.chain_code == chain_code, Enterprise.deleted_at.is_(None))):
        roles[role.enterprise_id] = {"chain_role_id": role.id, "role": role.role,
                                     "note": role.note}
    titles = firm_chains.leader_titles(today).subquery()
    leaders = set(session.scalars(select(titles.c.enterprise_id).join(
        Enterprise, Enterprise.id == titles.c.enterprise_id).where(
        titles.c.chain_code == chain_code, Enterprise.deleted_at.is_(None))))
    ids = set(roles) | leaders
    if not ids:
        return []
    current = current_recognition(today, list(ids))
    query = (select(Enterprise.id, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town, current.c.tier_code,
                    current.c.rank)
             .outerjoin(current, current.c.enterprise_id == Enterprise.id)
             .where(Enterprise.id.in_(ids)))
    rows = []
    for enterprise_id, name, code, county, town, tier_code, rank in session.execute(query):
        info = roles.get(enterprise_id, {"chain_role_id": None, "role": "", "note": ""})
        is_leader = info["role"] == "链主" or enterprise_id in leaders
        rows.append({
            "enterprise_id": enterprise_id, "name": name, "credit_code": code,
            "county": county, "town": town, "tier_code": tier_code,
            "tier": ladder.tier_label(tier_code), "rank": rank if rank is not None else -1,
            "role": "链主" if is_leader and not info["role"] else info["role"],
            "is_leader": is_leader, "leader_title": enterprise_id in leaders,
            "chain_role_id": info["chain_role_id"], "note": info["note"]})
    rows.sort(key=lambda r: (not r["is_leader"], -r["rank"], r["name"]))
    return rows
