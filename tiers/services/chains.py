"""An enterprise's role on one of the 50 key chains."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.orm import ChainRole
from tiers.services import audit, enterprises, records


def set_role(session: Session, enterprise_id: int, chain: str, role: str, *, note: str = "",
             user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    """Put the enterprise on a chain with a role, or change its role there."""
    errors: dict[str, str] = {}
    chain_code = reference.resolve_chain(chain)
    if chain_code is None:
        errors["chain_code"] = f"未知的产业链：{chain}"
    role = records.choice({"role": role}, "role", "产业链角色",
                          reference.pick_lists()["chain_roles"], errors, required=True)
    records.raise_if(errors)
    if import_batch_id is None:  # (under a batch its own step asked for every firm)
        enterprises.check_may_change_firm(session, enterprise_id)
    existing = session.scalar(select(ChainRole).where(
        ChainRole.enterprise_id == enterprise_id, ChainRole.chain_code == chain_code))
    if existing is None:
        record = records.create(session, ChainRole, enterprise_id,
                                {"chain_code": chain_code, "role": role, "note": note.strip()},
                                user=user, import_batch_id=import_batch_id)
        return audit.Changed(entity="chain_role", entity_id=record.id, action="create")
    return records.update(session, ChainRole, existing.id, {"role": role, "note": note.strip()},
                          user=user, import_batch_id=import_batch_id)


def remove(session: Session, chain_role_id: int, *, user: str | None = None) -> audit.Changed:
    firm = session.scalar(select(ChainRole.enterprise_id).where(ChainRole.id == chain_role_id))
    if firm is not None:  # (gone: records.delete says so)
        enterprises.check_may_change_firm(session, firm)
    return records.delete(session, ChainRole, chain_role_id, user=user)
