"""Build a 100,000-enterprise database and time the roster query.

    python benchmarks/roster_query.py [--enterprises N] [--db PATH|URL]

``--db postgresql://user@host:port/database`` runs it on a PostgreSQL server (the database
must exist; it is filled with demo firms up to N). Prints the time to build the database,
then for each typical filter the time to get the sorted ids (what the table model does) and
to build the first screen of rows, median of 5, beside its floor measured in the same loop
(the bare driver fetching the ids sorted by name, with a plain LIKE for a search) and the
ratio.
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
from tiers.storage.address import is_url
from tiers.storage.database import open_database

try:
    from benchmarks.bare_floor import bare_ids
except ImportError:  # run as a script: benchmarks/ is on the path
    from bare_floor import bare_ids

# what the floor's LIKE looks for, per case (the others: every firm's id)
FLOOR_LIKE = {"搜索 “液压”": "液压", "搜索 “机械”(2字)": "机械", "搜索 拼音 “czhl”": "czhl",
              "搜索 信用代码片段": "MA3X"}

CASES = [
    ("全部（按名称）", RosterFilter(), "name"),
    ("全部（按梯度）", RosterFilter(), "tier"),
    ("小巨人 有效", RosterFilter(tier="小巨人"), "name"),
    ("武进区 湖塘镇", RosterFilter(county="武进区", town="湖塘镇"), "name"),
    ("产业链 集成电路", RosterFilter(chain="集成电路"), "name"),
    ("180天内到期", RosterFilter(expiring_days=180), "valid_until"),
    ("省专精特新 2024年度", RosterFilter(tier="省级专精特新", year=2024), "name"),
    ("状态 即将到期", RosterFilter(status="即将到期"), "name"),
    ("状态 已到期", RosterFilter(status="已到期"), "name"),
    ("状态 待复核", RosterFilter(status="待复核"), "name"),
    ("状态 复核结果待公布", RosterFilter(status="复核结果待公布"), "name"),
    ("单项冠军 已到期", RosterFilter(tier="单项冠军", status="已到期"), "name"),
    ("搜索 “液压”", RosterFilter(search="液压"), "name"),
    ("搜索 “机械”(2字)", RosterFilter(search="机械"), "name"),
    ("搜索 拼音 “czhl”", RosterFilter(search="czhl"), "name"),
    ("搜索 信用代码片段", RosterFilter(search="MA3X"), "name"),
    # the 所属产业链 column's filter: the cell as shown (a name, 某链（链主）, across 、)
    ("列 产业链 “起重机”", RosterFilter(columns=(("chains", "起重机"),)), "name"),
    ("列 产业链 “链主”", RosterFilter(columns=(("chains", "链主"),)), "name"),
    ("列 产业链 “机（链”", RosterFilter(columns=(("chains", "机（链"),)), "name"),
    ("列 产业链 “机、”", RosterFilter(columns=(("chains", "机、"),)), "name"),
    ("列 产业链 “、”", RosterFilter(columns=(("chains", "、"),)), "name"),
]


def timed(function, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def interleaved(function, floor, repeat: int = 5) -> tuple[float, float, object]:
    """Medians of ``function`` and ``floor``, run turn about (the machine's drift hits both)."""
    mine, bare, result = [], [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor()
        bare.append(time.perf_counter() - start)
    return statistics.median(mine), statistics.median(bare), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--db", help="reuse or create this database file, or a server's URL")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tiers-bench-")
    path = args.db if is_url(args.db) else Path(args.db) if args.db \
        else Path(folder) / "bench.sqlite3"
    database = open_database(path)
    with database.session() as session:
        existing = roster.count(session, RosterFilter())
    if existing < args.enterprises:
        start = time.perf_counter()
        with database.session() as session:
            for _ in demo.generate(session, enterprises=args.enterprises - existing):
                pass
        print(f"建库 {args.enterprises:,} 家企业：{time.perf_counter() - start:.2f} s")
    print(f"数据库：{database.engine.dialect.name}")
    print(f"{'查询':<22}{'结果数':>10}{'ids (s)':>10}{'首屏50行 (s)':>14}{'下限 (s)':>10}"
          f"{'ids/下限':>10}")
    for label, filters, sort in CASES:
        if filters.status and filters.status not in roster.ladder.STATUSES:
            print(f"{label:<22}（此版本没有这一状态）")
            continue
        def query(f=filters, s=sort):
            with database.session() as session:  # a session per query, as the window does
                return roster.roster_ids(session, f, sort=s)

        like = FLOOR_LIKE.get(label)
        ids_time, floor_time, ids = interleaved(
            query, lambda like=like: bare_ids(database, like))
        with database.session() as session:
            # with the filters: a status filter's rows name their titles of that status
            rows_time, _ = timed(lambda i=ids, f=filters: roster.roster_rows(
                session, i[:50], filters=f))
        print(f"{label:<22}{len(ids):>10,}{ids_time:>10.3f}{rows_time:>14.4f}"
              f"{floor_time:>10.3f}{ids_time / floor_time:>10.1f}")
    database.dispose()


if __name__ == "__main__":
    main()
