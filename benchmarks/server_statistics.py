"""A county's package imported into a city's server database a second time right after the
first, with the planner's statistics that the first import leaves (the SECURITY DEFINER
function ``tiers server init`` installs, tiers/storage/server/statistics.py) beside the
same without them (the function dropped: as before, until autovacuum came by about a
minute later). Also the ANALYZE alone, what the statistics cost the first import.

    .venv/bin/python benchmarks/server_statistics.py [--db postgresql://USER@HOST:PORT/DB]
                                                     [--firms 100000] [--runs 2]

``--db`` names a server whose user may create databases (a superuser: ``tiers server
init`` runs there); without it a throw-away cluster is started and stopped. Each run and
variant gets a database of its own, dropped at the end. Prints every run, then medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_postgres import _driver_url, _with_database, server_for_benchmark  # noqa: E402
from benchmarks.package import build, export_tiers  # noqa: E402
from tiers.exchange import import_package, read_package  # noqa: E402
from tiers.progress import drain  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402
from tiers.storage.server.setup import init_server  # noqa: E402
from tiers.storage.server.statistics import FUNCTION  # noqa: E402


def imports(server: str, package: Path, *, statistics_on: bool) -> tuple[float, float, float]:
    """The first and the second import of the package into a new server database, and
    the statistics function alone afterwards (seconds)."""
    name = f"tiers_stats_{os.getpid()}_{int(statistics_on)}"
    with psycopg.connect(_driver_url(server), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(server, name)
    try:
        init_server(url)
        if not statistics_on:
            with psycopg.connect(_driver_url(url)) as connection:
                connection.execute(f"DROP FUNCTION {FUNCTION}")
        loaded = read_package(package)
        database = open_database(url)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            with database.session() as session:
                drain(import_package(session, loaded))
            times.append(time.perf_counter() - started)
        database.dispose()
        analyse = 0.0
        if statistics_on:
            with psycopg.connect(_driver_url(url)) as connection:
                started = time.perf_counter()
                connection.execute(f"SELECT {FUNCTION}")
                analyse = time.perf_counter() - started
        return times[0], times[1], analyse
    finally:
        with psycopg.connect(_driver_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="a server URL whose user may create databases")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tiers-pg-statistics-bench-"))
    with server_for_benchmark(args.db, folder) as server:
        build(folder / "county.sqlite3", args.firms)
        package = folder / "county.zip"
        export_tiers(folder / "county.sqlite3", package)
        seen: dict[str, list[float]] = {k: [] for k in ("first", "second", "first bare",
                                                        "second bare", "analyse")}
        print(f"{'run':>3}  {'1st':>6}  {'2nd':>6}  {'1st bare':>8}  {'2nd bare':>8}  "
              f"{'ANALYZE':>7}")
        for run in range(1, args.runs + 1):
            first, second, analyse = imports(server, package, statistics_on=True)
            first_bare, second_bare, _ = imports(server, package, statistics_on=False)
            for key, value in (("first", first), ("second", second), ("first bare", first_bare),
                               ("second bare", second_bare), ("analyse", analyse)):
                seen[key].append(value)
            print(f"{run:>3}  {first:6.2f}  {second:6.2f}  {first_bare:8.2f}  "
                  f"{second_bare:8.2f}  {analyse:7.2f}")
        median = {key: statistics.median(values) for key, values in seen.items()}
        print(f"median: second import {median['second']:.2f} s with statistics, "
              f"{median['second bare']:.2f} s without ({median['second'] / median['second bare']:.2f}×); "
              f"first import {median['first']:.2f} s vs {median['first bare']:.2f} s "
              f"({median['first'] / median['first bare']:.2f}×); ANALYZE alone "
              f"{median['analyse']:.2f} s")


if __name__ == "__main__":
    main()
