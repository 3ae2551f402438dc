"""Two real ``tiers`` processes writing the same database at the same moment (issue #14,
item 3): the same file twice, two files over the same firms, an undo against an import.
Each pair must end as if the two had run one after the other: nothing lost, no stale
value recorded, no traceback, each process exits 0 or refuses (2) with one Chinese line.

Both processes load everything first and start the command at the same instant, so that
they plan together: without the write lock around check and write, both checks passed and
the later writer overwrote the earlier one with stale values."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from importers import drain, undo_batch
from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 10
FIRMS = 60
HEADER = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "联系电话"]


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


class Workers:
    """Two ``tiers`` processes (tests/importers/race_worker.py) that run a command each at
    the same instant: both are told the command, both say they are ready, both are told to
    go."""

    def __init__(self) -> None:
        self.processes = [subprocess.Popen(
            [sys.executable, "-m", "tests.importers.race_worker"], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, encoding="utf-8")
            for _ in range(2)]

    def together(self, db, *commands: list[str]) -> list[Outcome]:
        for process, command in zip(self.processes, commands, strict=True):
            process.stdin.write(json.dumps(["--db", str(db), *command]) + "\n")
            process.stdin.flush()
        for process in self.processes:
            assert process.stdout.readline().strip() == "ready"
        for process in self.processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = [Outcome(**json.loads(process.stdout.readline()))
                    for process in self.processes]
        for outcome in outcomes:
            assert "Traceback" not in outcome.stderr, outcome.stderr
            assert "IntegrityError" not in outcome.stderr + outcome.stdout
            assert outcome.status in (0, 2), (commands, outcome)
            # on a server the one that waits for the county's import lock says so first
            # (an import, or the undo of one: the line says which — tiers.storage.import_locks)
            told = re.sub(r"^另一位同事正在(向武进区导入|撤销武进区的导入)，请稍候……\n", "",
                          outcome.stderr)
            if outcome.status == 2:
                # one 错误： message (an undo refused lists the later imports on lines of
                # its own, so it may be several lines), never anything else
                assert told.startswith("错误：") and "错误：" not in told[3:]
            else:
                assert "错误" not in told
        return outcomes

    def close(self) -> None:
        for process in self.processes:
            process.stdin.close()
            process.wait(timeout=30)
            process.stdout.close()


def _roster(path: Path, phone: str) -> Path:
    rows = [[n, f"常州并发{n:03d}号机械有限公司", make_code(n), "武进区", f"{phone}-{n}"]
            for n in range(1, FIRMS + 1)]
    return write_xlsx(path, {"企业名录": [HEADER, *rows]})


def _undo(db, batch_id: int) -> None:
    database = open_database(db)
    try:
        with database.session() as session:
            drain(undo_batch(session, batch_id))
    finally:
        database.dispose()


def _query(db, statement) -> list:
    database = open_database(db)
    try:
        with database.session() as session:
            return session.execute(statement).all()
    finally:
        database.dispose()


def _phones(db) -> dict[str, str]:
    return dict(_query(db, select(Enterprise.credit_code, Enterprise.contact_phone)
                       .where(Enterprise.deleted_at.is_(None))))


def _batches(db) -> list[tuple[int, bool]]:
    """(id, undone) of every import batch, oldest first."""
    return [(row[0], row[1] is not None) for row in _query(
        db, select(ImportBatch.id, ImportBatch.undone_at).order_by(ImportBatch.id))]


def _recorded_old_phones(db, batch_id: int) -> dict[str, str]:
    """The phones the batch recorded as the values before it, by credit code."""
    return {code: json.loads(old) for code, old in _query(
        db, select(Enterprise.credit_code, Change.old_value)
        .join(Enterprise, Enterprise.id == Change.entity_id)
        .where(Change.import_batch_id == batch_id, Change.entity == "enterprise",
               Change.field == "contact_phone"))}


def _all(phone: str) -> dict[str, str]:
    return {make_code(n): f"{phone}-{n}" for n in range(1, FIRMS + 1)}


def _same_file_twice(workers: Workers, db, base: Path) -> int:
    """Both create the same firms: one lands, the other is refused or finds nothing to do."""
    workers.together(db, ["import", str(base)], ["import", str(base)])
    assert _phones(db) == _all("base")
    batches = _batches(db)
    assert len(batches) == 1  # an all-unchanged import records no batch
    return batches[0][0]


def _two_files(workers: Workers, db, first: Path, second: Path) -> None:
    """Both update the same firms: the one that lands last recorded what the first wrote,
    and undoing it brings back the first import's values, not the ones before both."""
    known = {batch_id for batch_id, _ in _batches(db)}
    workers.together(db, ["import", str(first)], ["import", str(second)])
    landed = [batch_id for batch_id, _ in _batches(db) if batch_id not in known]
    assert 1 <= len(landed) <= 2
    final = _phones(db)
    assert final in (_all("A"), _all("B"))
    if len(landed) == 2:  # one after the other: the later one saw the earlier's values
        earlier = _recorded_old_phones(db, landed[1])
        assert earlier in (_all("A"), _all("B")) and earlier != final
        _undo(db, landed[1])
        assert _phones(db) == earlier
        _undo(db, landed[0])
    else:
        assert _recorded_old_phones(db, landed[0]) == _all("base")
        _undo(db, landed[0])
    assert _phones(db) == _all("base")


def _undo_against_import(workers: Workers, db, base_batch: int, update: Path) -> None:
    """Undo the batch that created the firms while another process updates them: either
    the undo goes first (the update, planned on firms now gone, is refused) or the update
    does (the undo is then refused: a later import builds on the batch)."""
    known = {batch_id for batch_id, _ in _batches(db)}
    undo, _ = workers.together(db, ["undo-import", str(base_batch)], ["import", str(update)])
    undone = dict(_batches(db))[base_batch]
    later = [batch_id for batch_id, _ in _batches(db) if batch_id not in known]
    phones = _phones(db)
    if undone:
        assert undo.status == 0
        # the update was refused, or (planned after the undo) created the firms anew
        assert phones == ({} if not later else _all("A"))
    else:
        assert undo.status == 2 and len(later) == 1
        assert phones == _all("A")


def test_two_processes_at_once_never_lose_or_garble_data(tmp_path, new_target):
    """On SQLite the write lock orders the two; on a server, the county's import lock."""
    base = _roster(tmp_path / "base.xlsx", "base")
    first = _roster(tmp_path / "a.xlsx", "A")
    second = _roster(tmp_path / "b.xlsx", "B")
    workers = Workers()
    try:
        for round_number in range(ROUNDS):
            db = new_target(f"round{round_number}.sqlite3")
            open_database(db).dispose()  # two processes creating it: another matter
            base_batch = _same_file_twice(workers, db, base)
            _two_files(workers, db, first, second)
            _undo_against_import(workers, db, base_batch, first)
    finally:
        workers.close()
