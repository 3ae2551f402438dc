"""Import the generated 100,000-row roster into PostgreSQL, each figure beside its floor in
the same run:

- the whole import (open + detect + plan + apply, commit included) vs. reading the sheet
  with python-calamine alone;
- the apply vs. a bare ``COPY`` of the very rows the apply wrote (enterprises, their
  figures, the change log) into the same tables, in one transaction (aim: ≤ 2×).

    .venv/bin/python benchmarks/import_postgres.py [--db postgresql://USER@HOST:PORT/DB]
                                                   [--rows 100000] [--runs 5]

``--db`` names a server (its user must be allowed to create databases): the benchmark
makes a database of its own there and drops it at the end; without it, a throw-away cluster
is started (tests/pg_cluster.py) and stopped. Each run starts from empty tables. Prints
every run, then the medians and the median of the ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import python_calamine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_roster import generate  # noqa: E402
from importers import apply_plan, build_plan, detect, drain, open_source  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

TABLES = ("enterprise", "annual_figures", "change")  # what a roster import writes
EMPTIED = "change, annual_figures, recognition, support_measure, former_name, " \
          "enterprise, import_batch"


def _cluster() -> object:
    spec = importlib.util.spec_from_file_location("pg_cluster", ROOT / "tests" / "pg_cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def server_for_benchmark(given: str | None, folder: Path) -> Iterator[str]:
    """The server URL given (``--db``), or a throw-away cluster's in ``folder``, started
    here and stopped when the benchmark ends."""
    if given is not None:
        yield given
        return
    cluster = _cluster()
    folder.chmod(0o755)  # (the cluster's owner, postgres, must reach its folder)
    server = cluster.start(folder / "cluster")
    print(f"throw-away cluster: {server}")
    try:
        yield server
    finally:
        cluster.stop(folder / "cluster")


def _driver_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _with_database(server: str, name: str) -> str:
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"


def read_alone(path: Path) -> float:
    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    workbook.close()
    return time.perf_counter() - started


def empty(url: str) -> None:
    with psycopg.connect(_driver_url(url)) as connection:
        connection.execute(f"TRUNCATE {EMPTIED} RESTART IDENTITY CASCADE")


def whole_import(url: str, path: Path) -> tuple[float, float, dict]:
    """(whole import, apply alone, counts): open + detect + plan + apply with its commit."""
    database = open_database(url)
    try:
        started = time.perf_counter()
        source = open_source(path)
        detection = detect(source)
        with database.session() as session:
            plan = drain(build_plan(session, detection))
            applying = time.perf_counter()
            result = drain(apply_plan(session, plan))
        finished = time.perf_counter()
        source.close()
    finally:
        database.dispose()
    return finished - started, finished - applying, result.records


def written_rows(url: str) -> dict[str, tuple[list[str], bytes]]:
    """The rows the import wrote, table by table, as COPY text (and their columns)."""
    rows: dict[str, tuple[list[str], bytes]] = {}
    with psycopg.connect(_driver_url(url)) as connection, connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT column_name FROM information_schema.columns "
                           "WHERE table_name = %s ORDER BY ordinal_position", (table,))
            columns = [row[0] for row in cursor.fetchall()]
            listed = ", ".join(f'"{c}"' for c in columns)
            data = bytearray()
            with cursor.copy(f'COPY (SELECT {listed} FROM "{table}" ORDER BY id) TO STDOUT') as copy:
                for block in copy:
                    data += block
            rows[table] = (columns, bytes(data))
    return rows


def bare_copy(url: str, rows: dict[str, tuple[list[str], bytes]]) -> float:
    """The floor: the same rows into the same tables (their indexes kept), one transaction,
    one COPY per table, the batch row first (the rows refer to it)."""
    with psycopg.connect(_driver_url(url)) as connection:
        connection.execute("INSERT INTO import_batch (id, file_name, sha256, sheet, kind, mapping,"
                           " counts, created_at, \"user\", undone_by) SELECT 1, '', '', '', "
                           "'roster', '{}', '{}', now(), '', ''")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in TABLES:
                columns, data = rows[table]
                listed = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
                    copy.write(data)
        connection.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="a server URL whose user may create databases")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tiers-pg-import-bench-"))
    with server_for_benchmark(args.db, folder) as server:
        measure(server, folder, size=args.rows, runs=args.runs)


def measure(server: str, folder: Path, *, size: int, runs: int) -> None:
    """The runs on a database of their own on the server (dropped afterwards), a roster
    of ``size`` rows each."""
    name = f"tiers_bench_{os.getpid()}"
    with psycopg.connect(_driver_url(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(server, name)
    try:
        open_database(url).dispose()  # migrated
        path = folder / f"roster-{size}.xlsx"
        generate(path, size)
        figures: dict[str, list[float]] = {k: [] for k in ("read", "whole", "apply", "copy")}
        print(f"{'run':>3}  {'read':>6}  {'whole':>6}  {'×read':>6}  {'apply':>6}  "
              f"{'COPY':>6}  {'×COPY':>6}")
        for run in range(1, runs + 1):
            empty(url)
            read = read_alone(path)
            whole, applied, records = whole_import(url, path)
            rows = written_rows(url)
            empty(url)
            copied = bare_copy(url, rows)
            for key, value in (("read", read), ("whole", whole), ("apply", applied),
                               ("copy", copied)):
                figures[key].append(value)
            print(f"{run:>3}  {read:6.2f}  {whole:6.2f}  {whole / read:5.2f}x  {applied:6.2f}  "
                  f"{copied:6.2f}  {applied / copied:5.2f}x   {records}")
        median = {key: statistics.median(values) for key, values in figures.items()}
        whole_ratio = statistics.median(w / r for w, r in zip(figures["whole"], figures["read"],
                                                              strict=True))
        apply_ratio = statistics.median(a / c for a, c in zip(figures["apply"], figures["copy"],
                                                              strict=True))
        print(f"median  {median['read']:6.2f}  {median['whole']:6.2f}  {whole_ratio:5.2f}x  "
              f"{median['apply']:6.2f}  {median['copy']:6.2f}  {apply_ratio:5.2f}x   "
              f"(ratios: median of each run's own)")
    finally:
        with psycopg.connect(_driver_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')




if __name__ == "__main__":
    main()
