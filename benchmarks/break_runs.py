"""Running Tiers in a child process, and reading a database's state from outside it: the
shared tools of the break campaign (benchmarks/break_campaign.py)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tiers.storage.database import open_database

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "ui.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# a traceback, an English exception class or SQLAlchemy's "Background on this error" link
ENGLISH_ERROR = re.compile(r"Traceback|\b[A-Z][A-Za-z]+(?:Error|Exception)\b|sqlalche\.me")


def tiers(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "--db", str(db), *args], cwd=ROOT, env=ENV, timeout=300,
                          capture_output=True, text=True)


def check_ok(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        raise SystemExit(f"the reference run of {what} failed: {result.stderr.strip()}")


def reference_run(db: Path, *args: str) -> float:
    """Run a command to its end (it must succeed); how long it took from process start."""
    started = time.perf_counter()
    check_ok(tiers(*args, db=db), args[0])
    return time.perf_counter() - started


# --- the state of a database -------------------------------------------------------------

def fingerprint(path: Path) -> dict[str, int]:
    """Rows per table, per table and import batch, and undone batches: two databases with
    the same fingerprint hold the same batches completely (or not at all)."""
    connection = sqlite3.connect(path)
    try:
        counts: dict[str, int] = {}
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            counts[table] = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            if "import_batch_id" in columns:
                for batch, rows in connection.execute(
                        f'SELECT import_batch_id, count(*) FROM "{table}" '
                        "WHERE import_batch_id IS NOT NULL GROUP BY 1"):
                    counts[f"{table}@{batch}"] = rows
        if "import_batch" in tables:
            counts["undone batches"] = connection.execute(
                "SELECT count(*) FROM import_batch WHERE undone_at IS NOT NULL").fetchone()[0]
        return counts
    finally:
        connection.close()


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def verdict_after_kill(path: Path, *allowed: dict[str, int]) -> str:
    """"ok", "unopenable", "corrupt" or "half-applied" for a database after a kill: the
    library opens it (recovering the journal), it is intact, and it holds one of the states
    ``allowed`` (before or after the killed command; any state when none is given)."""
    try:
        open_database(path).dispose()
    except Exception:  # noqa: BLE001 - whatever the library raises, the file is lost
        return "unopenable"
    if integrity(path) != "ok":
        return "corrupt"
    return "ok" if not allowed or fingerprint(path) in allowed else "half-applied"


def empty_database(path: Path) -> Path:
    open_database(path).dispose()
    return path


# Each process imports the heavy modules, says it is ready (a file of its own) and waits for
# the barrier file, so that both reach the database at the same moment.
BARRIER = ("import os, sys, time; sys.path.insert(0, {root!r}); import importers, "
           "tiers.storage.database; from ui.cli.main import main\n"
           "open(sys.argv[2], 'w').close()\n"
           "while not os.path.exists(sys.argv[1]): time.sleep(0.0005)\n"
           "sys.exit(main(sys.argv[3:]))")


def together(folder: Path, db, *commands: list[str]) -> list[tuple[int, str]]:
    """Run the commands at once on ``db`` (a file or a server's address), started together
    through a barrier file in ``folder``; each one's (exit status, stderr)."""
    gate = folder / "go"
    ready = [folder / f"ready{i}" for i in range(len(commands))]
    script = BARRIER.format(root=str(ROOT))
    processes = [subprocess.Popen([sys.executable, "-c", script, str(gate), str(flag),
                                   "--db", str(db), *command], cwd=ROOT, env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for flag, command in zip(ready, commands, strict=True)]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.touch()
    outcomes = []
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        outcomes.append((process.returncode, stderr))
    for flag in [gate, *ready]:
        flag.unlink(missing_ok=True)
    return outcomes
