"""A firm found by 对标预审 put into the 培育库: the entry's defaults are a rule (next year's
batch, 培育中, a note saying why), so they live here and not in the window that asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tiers.assess.candidates import firm_next_tier
from tiers.model.orm import CultivationEntry
from tiers.services import cultivation

STATUS = "培育中"


def target_year(today: dt.date | None = None) -> int:
    """The batch a firm found now is cultivated for: next year's."""
    return (today or dt.date.today()).year + 1


def entry_defaults(session: Session, enterprise_id: int, *, officer: str = "",
                   today: dt.date | None = None) -> dict:
    """加入培育库's form filled as an officer would: the firm's next rung (what it does not
    hold yet) for next year's batch, 培育中, and the officer; no tier when it holds the top."""
    tier = firm_next_tier(session, enterprise_id, today)
    return {"target_tier": tier, "target_year": target_year(today),
            "officer": officer, "status": STATUS}


def add_candidate(session: Session, enterprise_id: int, tier_code: str, *, readiness: str,
                  officer: str, user: str | None = None,
                  today: dt.date | None = None) -> CultivationEntry:
    """Put the firm into the 培育库 for ``tier_code`` and next year, with the officer who
    follows it; ValidationError as ``cultivation.add`` refuses: an open entry of the firm
    for that tier already (whatever its year), any entry of that tier and year, or the tier
    held (in force in that year)."""
    return cultivation.add(session, enterprise_id, {
        "target_tier": tier_code, "target_year": target_year(today), "officer": officer,
        "status": STATUS, "note": f"对标预审：{readiness}"}, user=user)
