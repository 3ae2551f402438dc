"""The counties a database holds only because lists from above brought their firms in.

A county's laptop imports the province's and the city's 认定/公示/复核 lists, which name
the neighbours' firms too; those counties are not its own. Asked by the package export
(tiers.exchange.scope), the proposed 报送单位/填报单位 and a report's title (tester26)."""

from __future__ import annotations

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from tiers.model.orm import Enterprise, ExchangePackage, ImportBatch

# the import kind of 认定/公示/复核 lists (importers' plan kind): the lists that come from above
LIST_KIND = "recognitions"


def list_only_counties(session: Session) -> set[str]:
    """The counties whose live firms all came into this database from imported 认定/公示/复核
    lists (the import that created them, ``Enterprise.import_batch_id``, was of that kind),
    not from its own 名录, entries or packages."""
    live = Enterprise.deleted_at.is_(None)
    from_list = exists().where(ImportBatch.id == Enterprise.import_batch_id,
                               ImportBatch.kind == LIST_KIND)
    everywhere = {code for (code,) in session.execute(
        select(Enterprise.county_code).distinct().where(
            live, Enterprise.county_code.is_not(None)))}
    own = {code for (code,) in session.execute(
        select(Enterprise.county_code).distinct().where(
            and_(live, Enterprise.county_code.is_not(None), ~from_list)))}
    return everywhere - own


def own_of(session: Session, codes: list[str]) -> list[str]:
    """Of ``codes`` (the counties of a database's firms), those that are its own: in a
    database that receives packages (the city's) all of them; else those not only from
    lists, unless that leaves none."""
    if len(codes) <= 1 or session.execute(select(ExchangePackage.id).limit(1)).first():
        return codes
    from_lists = list_only_counties(session)
    return [code for code in codes if code not in from_lists] or codes
