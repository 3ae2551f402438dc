"""Two imports into one county never interleave.

On SQLite the write lock already lets one writer at a time hold the whole file (see
``locking``). On a server several officers write at once, so an import (and the undo of
one) first holds a lock per county it touches: PostgreSQL's transaction-level advisory
locks, released by the commit or the rollback, whatever ends the transaction (a crash of
the client included). Imports into different counties run side by side.

The lock is asked for without waiting (``pg_try_advisory_xact_lock``) and asked again every
``POLL_SECONDS``, yielding a Progress that says who is in the way, so the window shows it
and the user can cancel; after ``WAIT_SECONDS`` the import is refused in one Chinese line.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Generator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.errors import Refused
from tiers.progress import Progress

# the first key of every Tiers import lock ("TIRS"), so that other users of advisory locks
# on the same server cannot take ours by chance
NAMESPACE = 0x54495253
NO_COUNTY = 0  # firms whose county is not known share one lock
POLL_SECONDS = 0.2
WAIT_SECONDS = 300.0


class Waiting(Progress):
    """The progress of an import that waits for another one (its stage says for whom)."""


class ImportBusy(Refused):
    """Another import into the same county went on longer than we wait; nothing was
    written, and trying again once it is done will do."""


def others_write_meanwhile(session: Session) -> bool:
    """Whether other sessions may commit while this transaction runs: on a server, yes;
    on SQLite a writer holds the write lock (taken before it reads what it relies on)."""
    return session.connection().dialect.name != "sqlite"


def _into(code: str | None) -> str:
    """向武进区导入 for 320412; a general wording when the county is not known."""
    if code:
        from tiers.model.reference import division

        found = division(code)
        return f"向{found.name if found is not None else code}导入"
    return "导入未填县区的企业"


def _key(code: str | None) -> int:
    return int(code) if code and code.isdigit() else NO_COUNTY


def hold_county_locks(session: Session, counties: Collection[str | None], *,
                      doing: str = "导入") -> Generator[Progress, None, None]:
    """Hold the import lock of each county until the session's transaction ends, waiting
    (with a Progress every poll) while another import holds one. Nothing on SQLite."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    by_key: dict[int, str | None] = {}
    for code in counties:
        by_key.setdefault(_key(code), code)
    started: float | None = None
    for key in sorted(by_key):  # always in one order: two imports never wait on each other
        while not connection.execute(
                select(func.pg_try_advisory_xact_lock(NAMESPACE, key))).scalar():
            into = _into(by_key[key])
            if started is None:
                started = time.monotonic()
            elif time.monotonic() - started > WAIT_SECONDS:
                minutes = max(1, round(WAIT_SECONDS / 60))
                raise ImportBusy(f"另一位同事{into}已超过 {minutes} 分钟仍未结束，"
                                 f"本次未写入任何数据，请稍后再{doing}。")
            yield Waiting(f"另一位同事正在{into}，请稍候", 0, 0)
            time.sleep(POLL_SECONDS)
