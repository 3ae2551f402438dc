"""The version of a firm: one counter per enterprise, raised by every write to the firm or
to its records (recognitions, figures, measures, chains, 培育库, former names), so that a save
made from an older reading notices it (``tiers.services.profile.save_profile``) instead of
silently overwriting what another officer saved in between.

Every service write goes through ``tiers.services.audit.log``, which calls ``bump``; bulk
writers (imports, their undo) that write the change log themselves call ``bump_many`` once
with the existing firms they changed, in their own transaction. That is the whole contract: whoever changes a
firm raises its version in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, or_, select, true, update
from sqlalchemy.orm import Session

from tiers.errors import NotFound
from tiers.model.orm import Enterprise

_TABLE = Enterprise.__table__
_BUMPED = "tiers.versions.bumped"  # session.info: (the transaction, the firms it raised)


def _raise(connection: Connection, enterprise_ids: Iterable[int]) -> None:
    ids = sorted(set(enterprise_ids))  # one order for every writer: fewer deadlocks on a server
    if ids:
        connection.execute(update(_TABLE).where(_TABLE.c.id.in_(ids))
                           .values(version=_TABLE.c.version + 1))


def _bumped_in_this_transaction(session: Session) -> set[int]:
    transaction = session.get_transaction()
    held = session.info.get(_BUMPED)
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info[_BUMPED] = held
    return held[1]


def bump(session: Session, enterprise_id: int) -> None:
    """Raise the firm's version once per transaction (a save of ten fields is one change).
    The row lock this takes on a server also queues the other writers of the same firm."""
    bumped = _bumped_in_this_transaction(session)
    if enterprise_id in bumped:
        return
    # on the session's connection, not an ORM update: no autoflush half-way through a
    # service, and the firm's loaded object keeps its pending changes
    _raise(session.connection(), [enterprise_id])
    bumped.add(enterprise_id)


def claim(session: Session, enterprise_id: int) -> int:
    """Raise the firm's version first thing in a save and return the version it had: the
    row is then locked (a server) or the database is (SQLite) until the save commits, so
    nothing can change between the check and the writes."""
    bumped = _bumped_in_this_transaction(session)
    connection = session.connection()
    _raise(connection, [enterprise_id])
    bumped.add(enterprise_id)
    now = connection.execute(select(_TABLE.c.version).where(_TABLE.c.id == enterprise_id)
                             ).scalar_one_or_none()
    if now is None:
        raise NotFound(f"找不到企业（编号 {enterprise_id}）：可能已被他人彻底删除")
    return now - 1


def current(session: Session, enterprise_id: int) -> int:
    """The firm's version now (read before the profile it goes with: see profile.load)."""
    version = session.execute(select(_TABLE.c.version).where(_TABLE.c.id == enterprise_id)
                              ).scalar_one_or_none()
    if version is None:
        raise NotFound(f"找不到企业（编号 {enterprise_id}）")
    return version


def bump_many(connection: Connection | Session, enterprise_ids: Iterable[int]) -> None:
    """Raise the versions of the given firms (a bulk writer that knows which it changed)."""
    _raise(connection.connection() if isinstance(connection, Session) else connection,
           enterprise_ids)


def hold_many(session: Session, enterprise_ids: Iterable[int]) -> None:
    """Lock the given firms' rows until the transaction ends, without changing them (a
    server's row locks; on SQLite the write lock already holds the whole file). A writer
    that plans from what it reads (the undo of a batch) takes them first: a save of one of
    the firms then waits for it and sees its version raised, instead of committing
    between the plan and its writes and being written over or deleted with the firm."""
    ids = sorted(set(enterprise_ids))  # one order for every writer (see _raise)
    connection = session.connection()
    for start in range(0, len(ids), _HOLD_CHUNK):
        connection.execute(select(_TABLE.c.id).where(
            _TABLE.c.id.in_(ids[start:start + _HOLD_CHUNK])).order_by(_TABLE.c.id)
            .with_for_update(key_share=True))


_HOLD_CHUNK = 10_000  # ids per statement


def hold_counties(session: Session, county_codes: Iterable[str]) -> None:
    """hold_many for every firm of these counties ("": none recorded), and every firm that
    came from their packages (a writer that replaces whole counties: a package import)."""
    session.connection().execute(select(_TABLE.c.id).where(_of_counties(county_codes))
                                 .order_by(_TABLE.c.id).with_for_update(key_share=True))


def hold_beyond_counties(session: Session, enterprise_ids: Iterable[int],
                         county_codes: Iterable[str]) -> set[int]:
    """hold_many for those of the firms that hold_counties(county_codes) did not lock (a
    firm entered here under another county, or none, that a county's package matches by
    its credit code); returns them. By id: a few firms, found by primary key."""
    ids = sorted(set(enterprise_ids))
    beyond: set[int] = set()
    connection = session.connection()
    for start in range(0, len(ids), _HOLD_CHUNK):
        beyond.update(connection.execute(select(_TABLE.c.id).where(
            _TABLE.c.id.in_(ids[start:start + _HOLD_CHUNK]),
            # IS NOT TRUE: a NULL county (a firm entered here) makes the IN unknown
            _of_counties(county_codes).is_not(true()))).scalars())
    hold_many(session, beyond)
    return beyond


def _of_counties(county_codes: Iterable[str]) -> ColumnElement[bool]:
    codes = sorted(set(county_codes))
    of_counties = or_(_TABLE.c.county_code.in_([c for c in codes if c]),
                      _TABLE.c.source_county.in_(codes))
    if "" in codes:
        of_counties = or_(of_counties, _TABLE.c.county_code.is_(None))
    return of_counties
