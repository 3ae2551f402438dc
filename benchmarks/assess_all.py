"""Benchmark: 对标预审 of a whole synthetic county for every tier, beside its floor.

    .venv/bin/python benchmarks/assess_all.py [--sizes 10000 100000] [--runs 3] [--db FILE]

For each size a child process builds the demo county (tiers.services.demo.generate) in a
temporary database (or uses --db), then, ``--runs`` times in the same loop:
  floor  reading the same figures and recognitions from the database with the bare driver
         (the three SELECTs load_firms runs, rows fetched and dropped)
  verdicts  the county read as columns (one query per table) and every firm's verdict for
            every assessable tier computed column-wise (tiers.assess.columnar)
  lists     load_firms + the ranked candidates of every tier (include_not_ready) with each
            listed firm's detailed assessment, as 候选企业 and ``tiers assess --tier`` build them
and prints the medians, their ratios to the floor, the SQL statements run and the child's
peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

from tiers import assess
from tiers.assess.candidates import LOOKBACK
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import load_county
from tiers.assess.metrics import FIELDS
from tiers.model.orm import Enterprise
from tiers.services import demo
from tiers.storage.database import open_database


def bare_read(database, year: int) -> float:
    """The floor of reading a county: the firms, three years of figures and the titles held
    (the rows load_county and load_firms read), through the bare DB-API cursor, fetched and
    dropped; the seconds it took."""
    start = time.perf_counter()
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT id, credit_code, name, county_name, town FROM enterprise"
                       " WHERE deleted_at IS NULL")
        cursor.fetchall()
        cursor.execute(f"SELECT enterprise_id, year, {', '.join(FIELDS)} FROM annual_figures"
                       f" WHERE year BETWEEN {year - LOOKBACK} AND {year}")
        cursor.fetchall()
        cursor.execute("SELECT enterprise_id, tier_code, valid_until FROM recognition"
                       " WHERE revoked_on IS NULL")
        cursor.fetchall()
    finally:
        raw.close()
    return time.perf_counter() - start


def _whole(database, year: int, today: dt.date) -> tuple[float, int, dict[str, int]]:
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    event.listen(database.engine, "before_cursor_execute", count)
    start = time.perf_counter()
    assessed: dict[str, int] = {}
    with database.session() as session:
        firms = assess.load_firms(session, years=range(year - LOOKBACK, year + 1), today=today)
        for code in assess.assessable_tiers():
            found = assess.candidates(session, code, year=year, today=today, firms=firms,
                                      include_not_ready=True)
            assessed[found.tier_name] = len(found.ranked) + len(found.flagged)
    seconds = time.perf_counter() - start
    event.remove(database.engine, "before_cursor_execute", count)
    return seconds, len(statements), assessed


def _verdicts(database, year: int, today: dt.date) -> float:
    start = time.perf_counter()
    with database.session() as session:
        county = load_county(session, years=range(year - LOOKBACK, year + 1), today=today)
        for code in assess.assessable_tiers():
            verdicts(county, assess.rules_for(code, on=today), year)
    return time.perf_counter() - start


def demo_county(enterprises: int, db: str | None, folder: Path):
    """The database a benchmark assesses: ``db``, or a demo county of ``enterprises`` firms
    made in ``folder``; (database, its firms, today)."""
    database = open_database(Path(db) if db else folder / "bench.sqlite3")
    today = dt.date.today()
    with database.session() as session:
        if not session.scalar(select(func.count()).select_from(Enterprise)):
            for _ in demo.generate(session, enterprises=enterprises, today=today):
                pass
        firms = session.scalar(select(func.count()).select_from(Enterprise))
    return database, firms, today


def one_size(enterprises: int, runs: int, db: str | None) -> dict:
    folder = tempfile.TemporaryDirectory()
    database, firms, today = demo_county(enterprises, db, Path(folder.name))
    year = assess.default_year(today)
    floors, columns, wholes = [], [], []
    statements, assessed = 0, {}
    for _ in range(runs):
        floors.append(bare_read(database, year))
        columns.append(_verdicts(database, year, today))
        seconds, statements, assessed = _whole(database, year, today)
        wholes.append(seconds)
    database.dispose()
    folder.cleanup()
    # ru_maxrss is in KiB on Linux
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"firms": firms, "floor": statistics.median(floors),
            "verdicts": statistics.median(columns), "whole": statistics.median(wholes), "statements": statements,
            "assessed": assessed, "peak_mb": peak, "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="an existing database to assess instead of a new demo")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, args.runs, args.db), ensure_ascii=False))
        return 0
    print("| 企业数 | 下限：裸读同样的数据 | 按列预审全部梯度（结论） | 比值 |"
          " 候选名单全部梯度（含逐家详情） | 比值 | SQL 语句 | 峰值内存 |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        # one child per size: its peak memory is its own
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs)]
        if args.db:
            command += ["--db", args.db]
        out = json.loads(subprocess.run(command, check=True, capture_output=True,
                                        text=True).stdout.splitlines()[-1])
        floor = out["floor"]
        print(f"| {out['firms']} | {floor:.2f} 秒 | {out['verdicts']:.2f} 秒 | "
              f"{out['verdicts'] / floor:.0f}× | {out['whole']:.2f} 秒 | "
              f"{out['whole'] / floor:.0f}× | {out['statements']} | {out['peak_mb']:.0f} MB |")
        print("  " + "，".join(f"{name} {count} 家" for name, count in out["assessed"].items()),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
