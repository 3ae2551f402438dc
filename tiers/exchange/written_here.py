"""Whether a package being imported is this database's own: written here and brought back
by mistake (the officer meant to send it). Told by the package's history (its firms'
changes where it was written), not by the firms being entered here: a city whose firms of a
county came from that county's lists has them entered here too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.exchange.reader import Package
from tiers.model.orm import Change

CHUNK = 900  # bound parameters per IN (…)


def written_here(session: Session, package: Package,
                 firms: dict[str, dict[str, Any]]) -> bool:
    """Whether this database wrote the package: its firms' changes here up to the last one
    the package counted are as many, as early and as late (to the microsecond) as the
    manifest's history says; a package that counted none (firms never changed, as the demo
    county's) has firms whose creation was never recorded here either. A city whose firms
    of the county came from the county's lists (imported, not from a package) has them
    entered here too, with the changes of its own imports."""
    if package.history is None:
        return False
    changes, first, last = package.history
    ids = [firm["id"] for firm in firms.values()]
    count, firsts, lasts = 0, [], []
    for start in range(0, len(ids), CHUNK):
        chunk = Change.enterprise_id.in_(ids[start:start + CHUNK])
        which = (Change.at <= last) if last is not None else (
            (Change.entity == "enterprise") & (Change.action == "create"))
        number, low, high = session.execute(
            select(func.count(Change.id), func.min(Change.at), func.max(Change.at))
            .where(chunk, which)).one()
        count += number
        firsts += [low] if low is not None else []
        lasts += [high] if high is not None else []
    return (count, min(firsts, default=None), max(lasts, default=None)) == (changes, first, last)
