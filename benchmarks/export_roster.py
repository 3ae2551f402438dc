"""Time the 梯度培育企业名单 report on a 100,000-enterprise database against the floor: a bare
XlsxWriter dump of the same cells with no formatting.

    .venv/bin/python benchmarks/export_roster.py [--enterprises 100000] [--keep DIR]

Each measurement runs in a fresh subprocess so its peak memory (ru_maxrss) is its own.
The report is timed end to end (query, formatting, writing, moving into place); the floor
is timed for writing only (its cells are read from the database first, untimed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 21)


def peak_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 1024 / 1024


def build(db_path: Path, enterprises: int) -> None:
    from tiers.services import demo
    from tiers.storage.database import open_database

    database = open_database(db_path)
    with database.session() as session:
        for _ in demo.generate(session, enterprises=enterprises, today=TODAY):
            pass
    database.dispose()


def request(county: str | None):
    from tiers.reports import ReportRequest

    return ReportRequest(status="全部", county=county, unit="常州市武进区工业和信息化局",
                         filled_by="王丽", phone="0519-86310000", today=TODAY)


def phase_report(db_path: Path, out: Path, county: str | None) -> dict:
    from tiers import reports
    from tiers.storage.database import open_database

    database = open_database(db_path, migrate=False)
    rows = 0
    start = time.perf_counter()
    with database.session() as session:
        for step in reports.export_steps(session, "roster", out, request(county)):
            rows = step.done
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "peak_mb": peak_mb(),
            "size_mb": out.stat().st_size / 1e6}


def phase_query(db_path: Path, out: Path, county: str | None) -> dict:
    """Only the query of the report (rows fetched and shaped, nothing written)."""
    from tiers.reports import data
    from tiers.storage.database import open_database

    database = open_database(db_path, migrate=False)
    start = time.perf_counter()
    with database.session() as session:
        total = data.roster_count(session, request(county))
        rows = sum(1 for _ in data.roster_records(session, request(county)))
    assert rows == total
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": peak_mb()}


def phase_heap(db_path: Path, out: Path, county: str | None) -> dict:
    """The report again under tracemalloc (slower, so not timed): the Python heap's peak
    while writing, which is what must stay flat as rows grow."""
    import tracemalloc

    from tiers import reports
    from tiers.storage.database import open_database

    database = open_database(db_path, migrate=False)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    rows = 0
    with database.session() as session:
        for step in reports.export_steps(session, "roster", out, request(county)):
            rows = step.done
    peak = tracemalloc.get_traced_memory()[1] - base
    return {"rows": rows, "heap_mb": peak / 1e6}


def phase_floor(db_path: Path, out: Path, county: str | None) -> dict:
    import xlsxwriter

    from tiers.reports import data, roster
    from tiers.storage.database import open_database

    database = open_database(db_path, migrate=False)
    with database.session() as session:
        cells = [(number, *[row[key] for key in roster.KEYS])
                 for number, row in enumerate(data.roster_rows(session, request(county)),
                                              start=1)]
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [c.label for c in roster.COLUMNS])
    for index, values in enumerate(cells, start=1):
        sheet.write_row(index, 0, values)
    book.close()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(cells), "peak_mb": peak_mb(),
            "size_mb": out.stat().st_size / 1e6}


def run_phase(name: str, db_path: Path, out: Path, county: str | None) -> dict:
    command = [sys.executable, __file__, "--phase", name, "--db", str(db_path),
               "--out", str(out)] + (["--county", county] if county else [])
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the database and files here")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each (best)")
    parser.add_argument("--phase", choices=("report", "floor", "heap", "query"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--county", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase = {"report": phase_report, "floor": phase_floor, "heap": phase_heap,
                 "query": phase_query}[args.phase]
        print(json.dumps(phase(args.db, args.out, args.county)))
        return 0

    with tempfile.TemporaryDirectory(prefix="tiers-bench-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        db_path = folder / "bench.sqlite3"
        if not db_path.exists():
            start = time.perf_counter()
            build(db_path, args.enterprises)
            print(f"database: {args.enterprises:,} enterprises built in "
                  f"{time.perf_counter() - start:.1f} s")
        # interleaved, best of N: the machine is shared, so single timings are noisy
        reports, floors = [], []
        for _ in range(args.repeat):
            reports.append(run_phase("report", db_path, folder / "roster.xlsx", None))
            floors.append(run_phase("floor", db_path, folder / "floor.xlsx", None))
        report = min(reports, key=lambda r: r["seconds"])
        floor = min(floors, key=lambda r: r["seconds"])
        print("report runs:", ", ".join(f"{r['seconds']:.1f} s" for r in reports),
              "| floor runs:", ", ".join(f"{r['seconds']:.1f} s" for r in floors))
        query = run_phase("query", db_path, folder / "unused.xlsx", None)
        small = run_phase("report", db_path, folder / "roster-small.xlsx", "新北区")
        print(f"roster report : {report['rows']:>7,} rows x 16 columns  "
              f"{report['seconds']:6.1f} s  peak {report['peak_mb']:6.0f} MB  "
              f"file {report['size_mb']:.1f} MB  (query + format + write + move)")
        print(f"floor (bare)  : {floor['rows']:>7,} rows x 16 columns  "
              f"{floor['seconds']:6.1f} s  peak {floor['peak_mb']:6.0f} MB  "
              f"file {floor['size_mb']:.1f} MB  (write only; cells held in memory)")
        heap_small = run_phase("heap", db_path, folder / "heap-small.xlsx", "新北区")
        heap_full = run_phase("heap", db_path, folder / "heap.xlsx", None)
        print(f"  of which the query: {query['seconds']:.1f} s (count + fetch + shape rows)")
        print(f"ratio report / floor: {report['seconds'] / floor['seconds']:.2f}x; "
              f"writing alone (report minus query) / floor: "
              f"{(report['seconds'] - query['seconds']) / floor['seconds']:.2f}x")
        print(f"peak RSS of the report process: "
              f"{small['rows']:,} rows {small['peak_mb']:.0f} MB, "
              f"{report['rows']:,} rows {report['peak_mb']:.0f} MB")
        print(f"Python heap peak while writing (tracemalloc): "
              f"{heap_small['rows']:,} rows {heap_small['heap_mb']:.1f} MB, "
              f"{heap_full['rows']:,} rows {heap_full['heap_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
