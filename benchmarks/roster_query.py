"""Build a 100,000-enterprise database and time the roster query.

    python benchmarks/roster_query.py [--enterprises N] [--db PATH]

Prints the time to build the database, then for each typical filter the time to get the
sorted ids (what the table model does) and to build the first screen of rows, median of 5.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tiers.queries import roster
from tiers.queries.roster import RosterFilter
from tiers.services import demo
from tiers.storage.database import open_database

CASES = [
    ("全部（按名称）", RosterFilter(), "name"),
    ("全部（按梯度）", RosterFilter(), "tier"),
    ("小巨人 有效", RosterFilter(tier="小巨人"), "name"),
    ("武进区 湖塘镇", RosterFilter(county="武进区", town="湖塘镇"), "name"),
    ("产业链 集成电路", RosterFilter(chain="集成电路"), "name"),
    ("180天内到期", RosterFilter(expiring_days=180), "valid_until"),
    ("省专精特新 2024年度", RosterFilter(tier="省级专精特新", year=2024), "name"),
    ("搜索 “液压”", RosterFilter(search="液压"), "name"),
    ("搜索 “机械”(2字)", RosterFilter(search="机械"), "name"),
    ("搜索 拼音 “czhl”", RosterFilter(search="czhl"), "name"),
    ("搜索 信用代码片段", RosterFilter(search="MA3X"), "name"),
]


def timed(function, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--db", help="reuse or create this database file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tiers-bench-")
    path = Path(args.db) if args.db else Path(folder) / "bench.sqlite3"
    database = open_database(path)
    with database.session() as session:
        existing = roster.count(session, RosterFilter())
    if existing < args.enterprises:
        start = time.perf_counter()
        with database.session() as session:
            for _ in demo.generate(session, enterprises=args.enterprises - existing):
                pass
        print(f"建库 {args.enterprises:,} 家企业：{time.perf_counter() - start:.2f} s")
    print(f"{'查询':<22}{'结果数':>10}{'ids (s)':>10}{'首屏50行 (s)':>14}")
    for label, filters, sort in CASES:
        with database.session() as session:
            ids_time, ids = timed(lambda f=filters, s=sort: roster.roster_ids(session, f, sort=s))
            rows_time, _ = timed(lambda i=ids: roster.roster_rows(session, i[:50]))
        print(f"{label:<22}{len(ids):>10,}{ids_time:>10.3f}{rows_time:>14.4f}")
    database.dispose()


if __name__ == "__main__":
    main()
