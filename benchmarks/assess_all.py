"""Benchmark: 对标预审 of a whole synthetic county for every tier.

    .venv/bin/python benchmarks/assess_all.py [--enterprises 100000] [--db FILE]

Builds the demo county (tiers.services.demo.generate) in a temporary database unless --db names an
existing one, loads figures and recognitions in a few queries, then ranks the candidates for
each tier and prints the time of each step and the number of SQL statements run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

from tiers import assess
from tiers.assess.candidates import LOOKBACK
from tiers.model.orm import Enterprise
from tiers.services import demo
from tiers.storage.database import open_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--db", help="an existing database to assess instead of a new demo")
    args = parser.parse_args(argv)

    folder = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else Path(folder.name) / "bench.sqlite3"
    database = open_database(path)
    today = dt.date.today()
    with database.session() as session:
        existing = session.scalar(select(func.count()).select_from(Enterprise))
        if not existing:
            start = time.perf_counter()
            for _ in demo.generate(session, enterprises=args.enterprises, today=today):
                pass
            print(f"生成演示数据 {args.enterprises} 家：{time.perf_counter() - start:.1f} 秒")

    statements = []
    event.listen(database.engine, "before_cursor_execute",
                 lambda *_args: statements.append(1))
    year = assess.default_year(today)
    total_start = time.perf_counter()
    with database.session() as session:
        start = time.perf_counter()
        firms = assess.load_firms(session, years=range(year - LOOKBACK, year + 1), today=today)
        load_seconds = time.perf_counter() - start
        print(f"载入 {len(firms)} 家企业的年度数据与认定：{load_seconds:.1f} 秒，"
              f"SQL 语句 {len(statements)} 条")
        assessed = 0
        for code in assess.assessable_tiers():
            start = time.perf_counter()
            found = assess.candidates(session, code, year=year, today=today, firms=firms,
                                      include_not_ready=True)
            seconds = time.perf_counter() - start
            count = len(found.ranked) + len(found.flagged)
            assessed += count
            counts = "，".join(f"{k} {v}" for k, v in found.counts().items())
            print(f"{found.tier_name}：预审 {count} 家（已持有 {found.excluded_held} 家不计），"
                  f"{seconds:.1f} 秒，每家 {seconds / max(count, 1) * 1e6:.0f} 微秒 —— {counts}")
    total = time.perf_counter() - total_start
    print(f"合计：{assessed} 次预审，{total:.1f} 秒（含载入），SQL 语句 {len(statements)} 条")
    database.dispose()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
