"""A file imported before, in the same state: its plan without comparing a row.

When a batch wrote a file's rows, every row it created, updated or found unchanged is, right
after it, unchanged — as long as nothing else has been written since. The batch records
(in its counts JSON, under ``replan``) what a plan of the same file would then be: which
Excel rows, which firm each is, how it was matched, and the database's high-water mark
(importers.plan.known.snapshot) right after its own writes. A re-import of the same file
(same sha256, sheet, kind and every option the plan reads) at that same mark is that plan.

Only a plan whose outcome is certain is recorded: every row written or unchanged without a
problem, no row renaming a firm, no note that comes from the rows (a warning about months,
invisible characters, figures without a year), no links, and no kept values of 只补空白
(they would be listed again). Anything else plans in full, as does any doubt on reading.
A property test (tests/test_import_replan.py) holds the two plans to the same result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers.errors import Problem
from importers.plan.known import snapshot
from importers.plan.types import CREATE, UNCHANGED, UPDATE, Plan, PlanRow
from importers.read.detection import Detection
from tiers import __version__
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.storage.dialect import raw_rows
from tiers.storage.import_locks import others_write_meanwhile

# raised whenever the planning rules change what a plan of the same file would be
REPLAN_VERSION = 3
_WRITTEN_OR_SAME = frozenset((CREATE, UPDATE, UNCHANGED))
CODE_MATCH = "信用代码"  # how a created firm is matched on the next import


def options_key(detection: Detection, mapping: dict[int, str], *, fill_blanks_only: bool,
                today: dt.date, unit: Any = None) -> str:
    """Everything besides the database that the plan of this sheet reads, as one digest."""
    options = {
        "version": [REPLAN_VERSION, __version__], "sha256": detection.source.sha256,
        "sheet": detection.sheet, "kind": detection.kind, "data_start": detection.data_start,
        "headers": detection.headers, "mapping": sorted(mapping.items()),
        "header_years": sorted(detection.header_years.items()),
        "units": sorted(detection.units.items()),
        "metadata": dataclasses.asdict(detection.metadata),
        "fill_blanks_only": fill_blanks_only, "today": today.isoformat(),
        # the unit's counties recorded, and whether the officer takes the others in
        "unit": unit,
    }
    text = json.dumps(options, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def names_read(rows: list[PlanRow], known_names: dict[int, dict[str, Any]]) -> dict[int, str]:
    """The rows (Excel row → name) whose name as the row reads differs from the name of the
    firm it matched (a list may write an old name): the rest take the firm's name."""
    return {row.row: row.name for row in rows
            if row.enterprise_id is not None and row.action != CREATE
            and row.name != known_names[row.enterprise_id]["name"]}


def record(session: Session, plan: Plan, enterprise_ids: list[int | None],
           batch_id: int) -> dict[str, Any] | None:
    """What the next plan of this file needs (for the batch's counts JSON), or None when its
    outcome is not certain. Called at the end of the batch's writes, inside its transaction.
    ``enterprise_ids``: the firm each plan row wrote (None for a row that wrote nothing)."""
    if not plan.replan_key or not _certain(plan):
        return None
    after = snapshot(session)
    if others_write_meanwhile(session) and not _only_this_batch(session, plan, after, batch_id):
        return None  # another officer's change landed meanwhile: the state is not ours alone
    firms = [written if written is not None else row.enterprise_id
             for row, written in zip(plan.rows, enterprise_ids, strict=True)]
    matched = [CODE_MATCH if row.action == CREATE else row.matched_by for row in plan.rows]
    return {"key": plan.replan_key, "after": list(after),
            "rows": _runs_of_steps([row.row for row in plan.rows]),
            "firms": _runs_of_steps(firms), "matched_by": _runs_of_values(matched),
            "names": {str(row): name for row, name in plan.replan_names.items()}}


def _certain(plan: Plan) -> bool:
    if plan.fill_blanks_only and plan.overwrites:
        return False  # the values kept would be listed again
    if plan.not_in_final_list:
        return False  # the firms a final list left out would be listed again
    for row in plan.rows:
        if row.action not in _WRITTEN_OR_SAME or row.problems:
            return False
        if row.enterprise_id is None and row.action != CREATE:
            return False
        if any(change.field == "name" for change in row.changes):
            return False  # the old name becomes a former name: other rows may match it
    return True


def _only_this_batch(session: Session, plan: Plan, after: tuple[int, int, int],
                     batch_id: int) -> bool:
    """On a server: the changes logged since the plan are this batch's and no others."""
    own = session.scalar(select(func.count()).select_from(Change).where(
        Change.import_batch_id == batch_id)) or 0
    return after[1] == plan.snapshot[1] + own


def reused_plan(session: Session, detection: Detection, mapping: dict[int, str], key: str,
                problems: list[Problem], *, fill_blanks_only: bool) -> Plan | None:
    """The plan of a file a batch wrote, at the database state the batch left (None when
    there is no such batch or anything is in doubt). ``problems``: the sheet's own."""
    now = snapshot(session)
    recorded = _recorded(session, detection, key, now)
    if recorded is None:
        return None
    try:
        rows = _rows(session, detection, recorded)
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # a record written otherwise: plan in full
    if not rows:
        return None
    meta = detection.metadata
    metadata = {"tier": meta.tier, "level": meta.level, "batch_label": meta.batch_label,
                "batch_year": meta.year, "is_review": meta.is_review, "title": meta.title}
    if detection.own_report:  # Tiers's own 名单: no final list (tiers.queries.held_by)
        metadata["own_report"] = detection.own_report
    return Plan(file_name=detection.source.file_name, sha256=detection.source.sha256,
                sheet=detection.sheet, kind=detection.kind, headers=list(detection.headers),
                mapping=dict(mapping), metadata=metadata, rows=rows,
                problems=problems, snapshot=now, data_start=detection.data_start,
                fill_blanks_only=fill_blanks_only)


def _recorded(session: Session, detection: Detection, key: str,
              now: tuple[int, int, int]) -> dict[str, Any] | None:
    """The replan record of the newest batch of this file that is not undone, if it was
    made with the same options at the database state of now."""
    found = session.execute(
        select(ImportBatch.counts).where(
            ImportBatch.sha256 == detection.source.sha256, ImportBatch.sheet == detection.sheet,
            ImportBatch.kind == detection.kind, ImportBatch.undone_at.is_(None))
        .order_by(ImportBatch.id.desc()).limit(1)).scalar()
    try:
        recorded = json.loads(found or "{}").get("replan")
    except (ValueError, AttributeError):
        return None
    if not isinstance(recorded, dict) or recorded.get("key") != key:
        return None
    if tuple(recorded.get("after") or ()) != now:
        return None  # something was written since (an edit, an import, an undo)
    return recorded


def _rows(session: Session, detection: Detection, recorded: dict[str, Any]) -> list[PlanRow]:
    numbers = list(_steps(recorded["rows"]))
    firms = list(_steps(recorded["firms"]))
    matched = list(_values(recorded["matched_by"]))
    names = {int(row): name for row, name in recorded["names"].items()}
    if not len(numbers) == len(firms) == len(matched):
        raise ValueError("counts differ")
    current = _names_and_codes(session)
    sheet_rows = detection.source.sheet(detection.sheet).rows
    rows = []
    for number, firm, matched_by in zip(numbers, firms, matched, strict=True):
        name, code = current[firm]  # KeyError: the firm is gone (plan in full)
        rows.append(PlanRow(row=number, action=UNCHANGED, name=names.get(number, name),
                            credit_code=code, enterprise_id=firm, matched_by=matched_by,
                            cells=sheet_rows[number - 1]))
    return rows


def _names_and_codes(session: Session) -> dict[int, tuple[str, str]]:
    """The live firms' names and codes, straight from the driver (no row processing)."""
    table = Enterprise.__table__
    return {firm: (name, code) for firm, name, code, deleted in raw_rows(
        session.connection(), [table.c.id, table.c.name, table.c.credit_code,
                               table.c.deleted_at]) if deleted is None}


# -- compact lists: 100k row numbers or firm ids are a few runs of consecutive numbers
def _runs_of_steps(numbers: Iterable[int]) -> list[list[int]]:
    """[[first, how many], …] of runs n, n+1, n+2 …"""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][0] + runs[-1][1] == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    return runs


def _steps(runs: list[list[int]]) -> Iterator[int]:
    for first, count in runs:
        yield from range(int(first), int(first) + int(count))


def _runs_of_values(values: Iterable[str]) -> list[list[Any]]:
    """[[value, how many], …] of runs of one value."""
    runs: list[list[Any]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def _values(runs: list[list[Any]]) -> Iterator[str]:
    for value, count in runs:
        yield from [str(value)] * int(count)
