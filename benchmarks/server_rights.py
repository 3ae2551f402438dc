"""Benchmark: what the server's rights (row-level security and the guard trigger) cost a
bulk write, beside the same write without them.

    .venv/bin/python benchmarks/server_rights.py --server postgresql://postgres@127.0.0.1:5432/postgres [--rows 100000] [--runs 5]

Makes two throw-away databases on the server (a superuser's URL) with 1,000 firms of 武进区
each: one only migrated (the floor: no rights at all, written by the superuser), one made a
server database by ``init_server`` with an editor of 武进区 and an admin. Then, in turns,
each run inside a transaction that is rolled back: an INSERT … SELECT of ``--rows`` 曾用名
rows and an UPDATE of them, by the editor (policies + guard), by the admin (policies: true,
the guard lets him pass) and on the floor. Prints the median of each
and its ratio to the floor of the same run. Drops the database and the roles at the end.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg

from tiers.storage.server.roles import group_roles
from tiers.storage.server.setup import init_server
from tiers.storage.server.users import add_user

PASSWORD = "bench-pass-1"


def _url(base: str, database: str, login: str | None = None) -> str:
    parts = urlsplit(base.replace("postgresql+psycopg://", "postgresql://"))
    netloc = parts.netloc if login is None else \
        f"{login}:{PASSWORD}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit(("postgresql", netloc, f"/{database}", "", ""))


def _seed(url: str, firms: int) -> None:
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO enterprise (credit_code, name, name_key, pinyin_initials, pinyin_key,"
            " legacy_code, county_code, county_name, town, address, industry, main_product,"
            " legal_representative, contact_person, contact_phone, size, listing_status, tags,"
            " notes, is_demo, created_at, updated_at)"
            " SELECT 'B' || g, '企业' || g, 'k' || g, '', '', '', '320412', '武进区', '', '', '',"
            " '', '', '', '', '', '', '', '', false, now(), now() FROM generate_series(1, %s) g",
            (firms,))


def _timed(url: str, rows: int) -> tuple[float, float]:
    """(insert seconds, update seconds), rolled back."""
    per_firm = -(-rows // 1000)
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        connection.execute(
            "INSERT INTO former_name (enterprise_id, name, name_key, pinyin_initials)"
            " SELECT e.id, 'n' || g, 'k' || g || '_' || e.id, '' FROM enterprise e,"
            " generate_series(1, %s) g WHERE e.county_code = '320412' LIMIT %s",
            (per_firm, rows))
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        connection.execute("UPDATE former_name SET pinyin_initials = 'x'")
        updated = time.perf_counter() - started
        connection.rollback()
    return inserted, updated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="a superuser's URL of the server")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    name = f"bench_rights_{uuid.uuid4().hex[:8]}"
    plain = f"{name}_plain"
    admin_url = _url(args.server, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{plain}"')
    superuser = _url(args.server, name)
    editor, admin = f"bench_editor_{name[-8:]}", f"bench_admin_{name[-8:]}"
    try:
        from tiers.storage.database import open_database

        open_database(_url(args.server, plain)).dispose()  # migrated, no rights
        _seed(_url(args.server, plain), 1000)
        init_server(superuser)
        add_user(superuser, editor, "editor", ["320412"], PASSWORD)
        add_user(superuser, admin, "admin", [], PASSWORD)
        _seed(superuser, 1000)
        who = {"floor (no rights)": _url(args.server, plain),
               "admin": _url(args.server, name, admin),
               "editor of 武进区": _url(args.server, name, editor)}
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in who}
        for _ in range(args.runs):
            for label, url in who.items():
                times[label].append(_timed(url, args.rows))
        floor_insert = statistics.median(t[0] for t in times["floor (no rights)"])
        floor_update = statistics.median(t[1] for t in times["floor (no rights)"])
        print(f"{args.rows} 曾用名 rows, median of {args.runs} runs")
        print(f"{'who':<20} {'INSERT s':>9} {'ratio':>6} {'UPDATE s':>9} {'ratio':>6}")
        for label, runs in times.items():
            insert = statistics.median(t[0] for t in runs)
            update = statistics.median(t[1] for t in runs)
            print(f"{label:<20} {insert:>9.2f} {insert / floor_insert:>6.2f} "
                  f"{update:>9.2f} {update / floor_update:>6.2f}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            for database in (name, plain):
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (editor, admin, *group_roles(name).values()):
                connection.execute(f'DROP ROLE IF EXISTS "{role}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
