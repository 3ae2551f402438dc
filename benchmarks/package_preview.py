"""A newer package's preview at the city, with the values it changes said in words and the
city's own edits it overwrites found in the change log (tiers.exchange.updates), beside the
preview as it was without them (the plan, its counts and the deleted records' words), in
the same run: median of several runs, and the ratio.

The case: a county database of ``--firms`` demo firms sent whole to the city; the city then
corrects ``--city-edits`` firms' phone numbers by hand (the enterprise dialog's service), the
county changes ``--updates`` firms' phone numbers (some of them the city's) and sends again.

    .venv/bin/python benchmarks/package_preview.py [--firms 100000] [--updates 30000]
        [--city-edits 1000] [--runs 3] [--server URL] [--cache DIR]

With ``--cache`` the case is made once into DIR and reused (SQLite only).

Also timed: the new firms and records said in words (tiers.exchange.additions) of the
county's first package against an empty database, where every record is new: only the
lines shown may be made, not a sentence per record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from tiers.exchange import export_package, import_package, read_package  # noqa: E402
from tiers.exchange.additions import addition_words  # noqa: E402
from tiers.exchange.apply import preview_package, result_of  # noqa: E402
from tiers.exchange.deletions import deletion_lines  # noqa: E402
from tiers.exchange.plan import plan_package  # noqa: E402
from tiers.exchange.updates import update_words  # noqa: E402
from tiers.model.orm import Enterprise  # noqa: E402
from tiers.progress import drain, paused_gc  # noqa: E402
from tiers.services import demo  # noqa: E402
from tiers.services.profile import save_profile  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

DAY = dt.datetime(2026, 12, 1, 9, 0)


def preview_without_words(session, package) -> None:
    """The preview as it was before the values were said (main at b7d0d9f)."""
    with paused_gc():
        plan = plan_package(session, package)
        result = result_of(plan, None)
    result.deleted_records = deletion_lines(session, plan.record_deletions)


def words_alone(session, package):
    """The words and the city's edits alone, for a plan made beforehand (not timed)."""
    with paused_gc():
        plan = plan_package(session, package)
    started = time.perf_counter()
    update_words(session, plan)
    return time.perf_counter() - started


def timed(database, work, package) -> tuple[float, object]:
    with database.session() as session:
        started = time.perf_counter()
        result = work(session, package)
        elapsed = time.perf_counter() - started
        session.rollback()
    return elapsed, result


def first_package_words(folder: Path, runs: int) -> tuple[float, int, int]:
    """The additions in words of the first package against an empty database (the plan
    made beforehand, not timed): median seconds, the lines made, the records added."""
    empty = open_database(folder / "empty.sqlite3")
    first = read_package(folder / "first.zip")
    times = []
    try:
        with empty.session() as session:
            with paused_gc():
                plan = plan_package(session, first)
            for _ in range(runs):
                started = time.perf_counter()
                words = addition_words(session, plan)
                times.append(time.perf_counter() - started)
            added = sum(len(rows) for rows in plan.new_records.values())
    finally:
        empty.dispose()
        (folder / "empty.sqlite3").unlink(missing_ok=True)
    return statistics.median(times), len(words.records), added


def make_case(folder: Path, args: argparse.Namespace):
    county_path = folder / "county.sqlite3"
    county = open_database(county_path)
    with county.session() as session:
        drain(demo.generate(session, enterprises=args.firms, seed=16))
        drain(export_package(session, folder / "first.zip", now=DAY))
    county.dispose()
    city = open_database(args.server or folder / "city.sqlite3")
    with city.session() as session:
        drain(import_package(session, read_package(folder / "first.zip"), user="市局"))
    with city.session() as session:  # the city's corrections, each as the dialog saves it
        ids = session.scalars(select(Enterprise.id).order_by(Enterprise.id)
                              .limit(args.city_edits)).all()
        for firm_id in ids:
            save_profile(session, firm_id, {"contact_phone": "0519-8888 6666"}, user="市局")
    connection = sqlite3.connect(county_path)  # the county's corrections: what it exports
    connection.execute("UPDATE enterprise SET contact_phone = '0519-' || (10000 + id) "
                       "WHERE id IN (SELECT id FROM enterprise ORDER BY id LIMIT ?)",
                       (args.updates,))
    connection.commit()
    connection.close()
    county = open_database(county_path)
    with county.session() as session:
        drain(export_package(session, folder / "second.zip", now=DAY + dt.timedelta(days=1)))
    county.dispose()
    return city, read_package(folder / "second.zip")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=30_000)
    parser.add_argument("--city-edits", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", help="the city's database on a PostgreSQL server (empty)")
    parser.add_argument("--cache", type=Path, help="a folder to keep the case in (SQLite)")
    args = parser.parse_args()
    folder = args.cache or Path(tempfile.mkdtemp(prefix="tiers-preview-bench-"))
    try:
        if args.cache and (folder / "second.zip").exists() and not args.server:
            city, package = open_database(folder / "city.sqlite3"), read_package(
                folder / "second.zip")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            city, package = make_case(folder, args)
        times: dict[str, list[float]] = {"with words": [], "without": [], "words": []}
        result = None
        for run in range(args.runs):
            # in turns, which goes first (a cold cache) alternating
            steps = [("without", preview_without_words), ("with words", preview_package)]
            for name, work in steps[::-1] if run % 2 else steps:
                elapsed, outcome = timed(city, work, package)
                times[name].append(elapsed)
                result = outcome if name == "with words" else result
            times["words"].append(timed(city, words_alone, package)[1])
        city.dispose()
        first = first_package_words(folder, args.runs)
        print(f"{args.firms:,} 家企业；数据包更新 {result.values_updated:,} 项值，"
              f"其中本市修改过 {result.city_edits_overwritten:,} 项；"
              f"{'PostgreSQL' if args.server else 'SQLite'}")
        ours, floor = statistics.median(times["with words"]), statistics.median(times["without"])
        print(f"{'预览':<8}{'中位数 s':>10}{'不说值 s':>10}{'倍数':>8}    （{args.runs} 次）")
        print(f"{'preview':<10}{ours:>10.2f}{floor:>10.2f}{ours / floor:>8.2f}")
        print(f"其中逐项写出与查本市修改：{statistics.median(times['words']):.2f} s（中位数）")
        print(f"首个数据包写出新增的企业与记录：{first[0]:.3f} s（中位数；新增记录 {first[2]:,} 项，"
              f"写出 {first[1]} 行）")
    finally:
        if not args.cache:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
