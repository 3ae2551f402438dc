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

from sqlalchemy import func, select, text
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


# what holds a county's lock, told to whoever waits for it: the holder marks its session
# (application_name, ASCII only: PostgreSQL shows others ? for any other letter; local to
# the transaction, so it ends with the lock) and the waiter reads it with the holder's
# login from pg_locks and pg_stat_activity (both open to every role). The wait said
# 另一位同事正在向武进区导入 while a colleague's 批量操作 held the lock (tester22).
KINDS = {"import": "导入", "package": "导入数据包", "undo": "撤销导入", "bulk": "批量操作"}
_MARK = "Tiers:"


def _county_name(code: str | None) -> str:
    if not code:
        from tiers.model.vocabulary import NO_COUNTY_NAME

        return NO_COUNTY_NAME  # 未填区县的企业
    from tiers.model.reference import division

    found = division(code)
    return found.name if found is not None else code


def _into(code: str | None, kind: str | None = None) -> str:
    """向武进区导入 for 320412, 对武进区批量操作, 撤销武进区的导入; 修改武进区的数据 when
    what the holder does is not known."""
    county = _county_name(code)
    if kind == "import":
        return f"向{county}导入"
    if kind == "package":
        return f"导入{county}的数据包"
    if kind == "undo":
        return f"撤销{county}的导入"
    if kind == "bulk":
        return f"对{county}批量操作"
    return f"修改{county}的数据（导入、批量操作或撤销）"


def _holder(session: Session, key: int) -> tuple[str, str | None] | None:
    """The login holding the county's lock (blank: ours) and what it does (a KINDS key), as
    far as known; None when no one holds it now (it was let go since it was asked for)."""
    # pg_stat_activity is read once per transaction unless told: a later holder was missing
    session.execute(text("SELECT pg_stat_clear_snapshot()"))
    row = session.execute(text(
        "SELECT a.usename, a.application_name, a.usename = current_user AS own "
        "FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :space "
        "AND l.objid = :key AND l.objsubid = 2 LIMIT 1"),
        {"space": NAMESPACE, "key": key}).first()
    if row is None:
        return None
    name = row.application_name or ""
    kind = name.removeprefix(_MARK) if name.startswith(_MARK) else None
    # the same account in another window or on another machine: no colleague to name
    return ("" if row.own else row.usename or ""), kind if kind in KINDS else None


def _key(code: str | None) -> int:
    return int(code) if code and code.isdigit() else NO_COUNTY


def hold_county_locks(session: Session, counties: Collection[str | None], *,
                      kind: str = "import") -> Generator[Progress, None, None]:
    """Hold the import lock of each county until the session's transaction ends, waiting
    (with a Progress every poll) while another import holds one. ``kind`` (a KINDS key):
    what this transaction does, told to those who wait for it. Nothing on SQLite."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    doing = KINDS[kind]
    # marked before the first lock is taken, so that whoever waits for it reads the mark
    # (local: it goes with the locks, at the commit or the rollback)
    connection.execute(select(func.set_config("application_name", _MARK + kind, True)))
    by_key: dict[int, str | None] = {}
    for code in counties:
        by_key.setdefault(_key(code), code)
    started: float | None = None
    for key in sorted(by_key):  # always in one order: two imports never wait on each other
        vanished = 0
        while not connection.execute(
                select(func.pg_try_advisory_xact_lock(NAMESPACE, key))).scalar():
            holder = _holder(session, key)
            if holder is None and vanished < 3:
                # let go between the two questions: ask for the lock again at once, rather
                # than say 修改武进区的数据 of an import that has just ended
                vanished += 1
                continue
            login, holding = holder or ("", None)
            into = _into(by_key[key], holding)
            who = f"同事 {login} " if login else "另一位同事"
            if started is None:
                started = time.monotonic()
            elif time.monotonic() - started > WAIT_SECONDS:
                minutes = max(1, round(WAIT_SECONDS / 60))
                raise ImportBusy(f"{who}{into}已超过 {minutes} 分钟仍未结束，"
                                 f"本次未写入任何数据，请稍后再{doing}。")
            yield Waiting(f"{who}正在{into}，请稍候", 0, 0)
            time.sleep(POLL_SECONDS)

