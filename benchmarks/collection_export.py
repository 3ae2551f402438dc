"""The 采集表 one file per firm, on SQLite and on a PostgreSQL server with the same firms,
each beside its floor in the same loop.

    .venv/bin/python benchmarks/collection_export.py [--firms 3000] [--runs 3]
                                                     [--db postgresql://USER@HOST:PORT/DB]
                                                     [--tree OTHER_CHECKOUT …]

The same demo county (``tiers demo``, same seed) is made in a SQLite file and in a database
of its own on the server (``--db``: its user must be allowed to create databases; without
it a throw-away cluster is started, tests/pg_cluster.py). Every run, interleaved so that all
see the same load on a shared machine:

- ``tiers export collection OUT --per firm`` as a fresh process, on SQLite and on the
  server (what the officer waits for, from process start);
- the desktop client's path: ``collection.export_steps`` with the roster's ids, as
  文件 → 导出采集表 runs it on the background runner, timed from the click (in a process
  of its own, the database already open);
- the floor: the same firms read with the bare driver (sqlite3) in one query, and one
  workbook per firm written by bare XlsxWriter (in memory) with the same cells: the texts
  of a Tiers 采集表 read back once, the firm's name, code, county, town and last year's
  figures; no formats, validation or protection. Timed as a whole process, and from after
  its imports (the client's floor).

Prints each run, then the medians (wall clock and CPU time of the process, the steadier on
a shared machine) and the ratios: Tiers / floor, and server / SQLite. ``--tree`` adds other
checkouts (an older commit, exported with ``git archive``) to the same loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
YEAR = 2025  # the year collected: the demo county has figures of 2024


def _process(argv: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one fresh process, from its start."""
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdout=output, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        errors.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(argv)}\n{errors.read().decode()}")
        return seconds, usage.ru_utime + usage.ru_stime, output.read().decode()


def _job(tree: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """This script as a job of its own (argv, environment), importing Tiers from ``tree``
    (run as a file: the tree's own benchmarks/ may not have this module)."""
    return [PYTHON, str(Path(__file__).resolve()), *args], {**os.environ, "PYTHONPATH": str(tree)}


def _cli(tree: Path, db: str, *args: str) -> list[str]:
    return [PYTHON, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
            "sys.argv[0] = 'tiers'; from ui.cli.main import main; sys.exit(main())",
            "--db", db, *args]


# --- the jobs run as processes of their own ---------------------------------------------

def client_job(db: str, out: str) -> None:
    """The desktop client's export (CollectionDialog.export's job), with the ids the
    roster lists; prints the seconds from the click to the last file in place."""
    from tiers.progress import drain
    from tiers.queries import roster
    from tiers.reports import collection
    from tiers.reports.collection_book import Letter
    from tiers.storage.database import open_database

    database = open_database(db if "://" in db else Path(db))
    with database.session() as session:  # the roster's list, read before the dialog opens
        ids = tuple(session.scalars(roster.roster_select(roster.RosterFilter())))
    request = collection.CollectionRequest(letter=Letter(year=YEAR, unit="常州市工业和信息化局"),
                                           ids=ids, split=collection.PER_FIRM)
    started = time.perf_counter()
    with database.session() as session:
        # (the desktop's per-firm export: nobody asked, a firm's return is kept)
        paths = drain(collection.export_steps(session, request, out, replace_foreign=False))
    seconds = time.perf_counter() - started
    database.dispose()
    print(json.dumps({"seconds": seconds, "files": len(paths)}))


def floor_job(db: str, cells_file: str, out: str) -> None:
    """Bare sqlite3 and XlsxWriter: the same firms in one query, one workbook each with
    the same cells (in memory, no formats); prints the seconds after the imports."""
    import sqlite3

    import xlsxwriter

    started = time.perf_counter()
    cells = json.loads(Path(cells_file).read_text(encoding="utf-8"))
    keys = cells["keys"]
    listed = ", ".join(f"f.{key}" for key in keys)
    connection = sqlite3.connect(db)
    rows = connection.execute(
        f"SELECT e.id, e.county_name, e.town, e.name, e.credit_code, {listed} "
        "FROM enterprise e LEFT JOIN annual_figures f ON f.enterprise_id = e.id AND f.year = ? "
        "WHERE e.deleted_at IS NULL ORDER BY e.county_name, e.town, e.pinyin_key, e.id",
        (YEAR - 1,)).fetchall()
    connection.close()
    folder = Path(out)
    folder.mkdir()
    first_data_row, first_reference = cells["first_data_row"], cells["first_reference"]
    for number, row in enumerate(rows, start=1):
        book = xlsxwriter.Workbook(str(folder / f"{row[0]}.xlsx"), {"in_memory": True})
        for name, written in cells["sheets"]:
            sheet = book.add_worksheet(name)
            for r, c, value in written:
                sheet.write(r, c, value)
            if name == cells["data_sheet"]:
                sheet.write_row(first_data_row, 0, [number, *(v or "" for v in row[1:5])])
                for offset, value in enumerate(row[5:]):
                    if value is not None:
                        sheet.write_number(first_data_row, first_reference + offset, value)
        book.close()
    print(json.dumps({"seconds": time.perf_counter() - started, "files": len(rows)}))


# --- preparing ----------------------------------------------------------------------------

def _constant_cells(db: str, folder: Path) -> Path:
    """The texts of a Tiers 采集表 (one firm's file, read back), for the floor to write."""
    import openpyxl
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.progress import drain
    from tiers.reports import collection, collection_book
    from tiers.reports.collection_book import Letter
    from tiers.reports.collection_data import figure_keys
    from tiers.storage.database import open_database

    sample = folder / "sample.xlsx"
    database = open_database(Path(db))
    with database.session() as session:
        first = session.scalar(select(Enterprise.id).where(Enterprise.deleted_at.is_(None))
                               .order_by(Enterprise.id).limit(1))
        request = collection.CollectionRequest(
            letter=Letter(year=YEAR, unit="常州市工业和信息化局"), ids=(first,))
        drain(collection.export_steps(session, request, sample, replace_foreign=False))
    database.dispose()
    book = openpyxl.load_workbook(sample)
    sheets = []
    for sheet in book.worksheets:
        written = [(cell.row - 1, cell.column - 1, cell.value) for row in sheet.iter_rows()
                   for cell in row if cell.value is not None
                   and not (sheet.title == collection_book.DATA_SHEET
                            and cell.row - 1 >= collection_book.FIRST_DATA_ROW)]
        sheets.append((sheet.title, written))
    keys = figure_keys()
    cells = {"keys": list(keys), "sheets": sheets, "data_sheet": collection_book.DATA_SHEET,
             "first_data_row": collection_book.FIRST_DATA_ROW,
             "first_reference": collection_book.FIRST_INPUT + len(keys)}
    path = folder / "cells.json"
    path.write_text(json.dumps(cells, ensure_ascii=False, default=str), encoding="utf-8")
    sample.unlink()
    return path


def _firms(db: str) -> int:
    from sqlalchemy import func, select

    from tiers.model.orm import Enterprise
    from tiers.storage.database import open_database

    database = open_database(db if "://" in db else Path(db))
    with database.session() as session:
        count = session.scalar(select(func.count()).select_from(Enterprise)
                               .where(Enterprise.deleted_at.is_(None)))
    database.dispose()
    return count


def _demo(db: str, firms: int) -> None:
    subprocess.run(_cli(ROOT, db, "demo", "--enterprises", str(firms)), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(server: str, folder: Path, *, firms: int, runs: int, trees: list[Path]) -> None:
    import psycopg

    from benchmarks.import_postgres import _driver_url, _with_database

    name = f"tiers_bench_collection_{os.getpid()}"
    with psycopg.connect(_driver_url(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    databases = {"SQLite": str(folder / "demo.sqlite3"), "server": _with_database(server, name)}
    try:
        for db in databases.values():
            _demo(db, firms)
        counts = {where: _firms(db) for where, db in databases.items()}
        if len(set(counts.values())) != 1:
            raise SystemExit(f"the two databases differ: {counts}")
        cells = _constant_cells(databases["SQLite"], folder)
        print(f"{counts['SQLite']} firms, one 采集表 each; {runs} runs (+1 warm-up)")
        _loop(databases, folder, cells, runs=runs, trees=trees)
    finally:
        with psycopg.connect(_driver_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _loop(databases: dict[str, str], folder: Path, cells: Path, *, runs: int,
          trees: list[Path]) -> None:
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def record(job: str, seconds: float, used: float | None = None) -> None:
        wall.setdefault(job, []).append(seconds)
        if used is not None:
            cpu.setdefault(job, []).append(used)

    for run in range(runs + 1):  # the first: a warm-up, not counted
        out = folder / f"out-{run}"
        out.mkdir()
        timings: list[tuple[str, float, float | None]] = []
        argv, env = _job(ROOT, "--floor", databases["SQLite"], str(cells), str(out / "floor"))
        seconds, used, said = _process(argv, env=env)
        timings += [("floor", seconds, used), ("floor (after imports)",
                                               json.loads(said)["seconds"], None)]
        for number, tree in enumerate(trees):
            who = "" if number == 0 else f" [tree {number}]"
            for where, db in databases.items():
                target = out / f"cli-{number}-{where}"
                seconds, used, _ = _process(_cli(tree, db, "export", "collection", str(target),
                                                 "--year", str(YEAR), "--per", "firm"))
                timings.append((f"tiers export collection, {where}{who}", seconds, used))
                target = out / f"client-{number}-{where}"
                argv, env = _job(tree, "--client", db, str(target))
                _, _, said = _process(argv, env=env)
                timings.append((f"client (导出采集表), {where}{who}",
                                json.loads(said)["seconds"], None))
        print(f"run {run}{' (warm-up)' if run == 0 else ''}: "
              + "; ".join(f"{job} {seconds:.1f} s" for job, seconds, _ in timings))
        if run:
            for job, seconds, used in timings:
                record(job, seconds, used)
        shutil.rmtree(out)
    _table(wall, cpu, trees)


def _table(wall: dict[str, list[float]], cpu: dict[str, list[float]], trees: list[Path]
           ) -> None:
    median = {job: statistics.median(values) for job, values in wall.items()}
    median_cpu = {job: statistics.median(values) for job, values in cpu.items()}
    print()
    print("| job | median (range) | CPU | floor (same runs) | ratio | CPU ratio | server / SQLite |")
    print("|---|---|---|---|---|---|---|")
    for job, values in wall.items():
        if job.startswith("floor"):
            continue
        floor = "floor" if job.startswith("tiers") else "floor (after imports)"
        used = median_cpu.get(job)
        cpu_ratio = f"{used / median_cpu['floor']:.2f}×" if used is not None else "—"
        sqlite = job.replace(", server", ", SQLite")
        against = f"{median[job] / median[sqlite]:.2f}×" if sqlite != job else ""
        print(f"| {job} | {median[job]:.1f} s ({min(values):.1f}–{max(values):.1f}) | "
              f"{f'{used:.1f} s' if used is not None else '—'} | {floor} {median[floor]:.1f} s | "
              f"{median[job] / median[floor]:.2f}× | {cpu_ratio} | {against} |")
    for number, tree in enumerate(trees[1:], start=1):
        print(f"tree {number}: {tree}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="a server URL whose user may create databases")
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="another checkout to compare with (repeatable)")
    parser.add_argument("--client", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=3, metavar=("DB", "CELLS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_job(*args.client)
        return
    if args.floor:
        floor_job(*args.floor)
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.import_postgres import server_for_benchmark

    folder = Path(tempfile.mkdtemp(prefix="tiers-collection-bench-"))
    try:
        with server_for_benchmark(args.db, folder) as server:
            measure(server, folder, firms=args.firms, runs=args.runs,
                    trees=[ROOT, *(tree.resolve() for tree in args.tree)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
