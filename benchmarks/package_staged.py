"""An experiment for #16 (README 性能, 第十九轮), not the product's import: two child processes
each read some of a package's CSV members and insert them, unchecked, into their own bare
SQLite files (columns declared so that SQLite's type affinity turns the text into numbers);
the main process ATTACHes each as soon as it is written and copies it into a Tiers database
with INSERT ... SELECT (firm ids by a join on the credit code), writes its 新建 change lines
and rebuilds its indexes, then the change log's indexes, and commits. Printed beside the floor of the same run.

    python benchmarks/package_staged.py PACKAGE.zip EMPTY.sqlite3 PLAIN_FOLDER OUT_FOLDER

PACKAGE.zip, EMPTY.sqlite3 and PLAIN_FOLDER as benchmarks/package.py makes them (a county's
package, a new empty Tiers database, the same rows as plain CSV files for the floor).
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import shutil
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

MEMBERS = {"enterprises.csv": "enterprise", "annual_figures.csv": "annual_figures",
           "recognitions.csv": "recognition", "support_measures.csv": "support_measure",
           "chain_roles.csv": "chain_role", "cultivation_entries.csv": "cultivation_entry",
           "former_names.csv": "former_name"}
NOW = "2026-12-06 07:00:00.000000"


def affinity(declared: str) -> str:
    declared = (declared or "").upper()
    if "INT" in declared or "BOOL" in declared:
        return "INTEGER"
    return "REAL" if "NUMERIC" in declared else "TEXT"


def stage(job: tuple) -> tuple[str, float]:
    """One member into its own bare SQLite file (in a child process)."""
    member, types, package, out = job
    started = time.perf_counter()
    target = Path(out) / f"stage_{member}.sqlite3"
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    with zipfile.ZipFile(package) as archive, archive.open(member) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        header = next(reader)
        columns = ", ".join(f'"{c}" {types.get(c, "TEXT")}' for c in header)
        rows: object = reader
        if member == "enterprises.csv":  # the name keys, as Tiers makes them
            from tiers.model.names import name_keys
            from tiers.model.pinyin import initials_of, sort_keys

            firms = list(reader)
            names = [firm[1] for firm in firms]
            columns += ", name_key TEXT, pinyin_initials TEXT, pinyin_key TEXT"
            rows = ((*firm, *keys) for firm, *keys in zip(
                firms, name_keys(names), initials_of(names), sort_keys(names), strict=True))
            header = [*header, "name_key", "pinyin_initials", "pinyin_key"]
        connection.execute(f"CREATE TABLE s ({columns})")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO s VALUES ({','.join('?' * len(header))})", rows)
        connection.execute("COMMIT")
    connection.close()
    return member, time.perf_counter() - started


def copy(db: sqlite3.Connection, alias: str, table: str, types: dict[str, str]) -> None:
    """One staged table into the Tiers table, with its 新建 change lines."""
    header = [row[1] for row in db.execute(f"PRAGMA {alias}.table_info(s)")]
    columns = [c for c in header if c != "credit_code"]
    chosen = ", ".join(f's."{c}"' if types.get(c, "TEXT") == "TEXT" else f"NULLIF(s.\"{c}\", '')"
                       for c in columns)
    if table == "enterprise":
        db.execute(f'INSERT INTO enterprise (credit_code, {", ".join(columns)}, created_at, '
                   f'updated_at, version, source_county) SELECT s.credit_code, {chosen}, ?, ?, '
                   f'1, s.county_code FROM {alias}.s AS s ORDER BY s.rowid', (NOW, NOW))
        db.execute("CREATE UNIQUE INDEX staged_code ON enterprise (credit_code)")
        db.execute("INSERT INTO change (at, user, entity, entity_id, enterprise_id, action, "
                   "field, new_value) SELECT ?, 'x', 'enterprise', id, id, 'create', '', "
                   "json_object('name', name, 'credit_code', credit_code) FROM enterprise",
                   (NOW,))
        return
    db.execute(f'INSERT INTO {table} (enterprise_id, {", ".join(columns)}, source_county) '
               f'SELECT e.id, {chosen}, e.county_code FROM {alias}.s AS s JOIN enterprise e '
               f'ON e.credit_code = s.credit_code ORDER BY s.rowid')
    db.execute(f"INSERT INTO change (at, user, entity, entity_id, enterprise_id, action, field, "
               f"new_value) SELECT ?, 'x', '{table}', id, enterprise_id, 'create', '', "
               f"json_object('id', id) FROM {table}", (NOW,))


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    package, empty, plain, out = map(Path, argv)
    sys.path.insert(0, str(Path(__file__).parent))
    import package_floors

    started = time.perf_counter()
    package_floors.import_floor(plain, out / "floor.sqlite3")
    floor = time.perf_counter() - started

    started = time.perf_counter()
    target = out / "staged.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(empty, target)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    types = {table: {row[1]: affinity(row[2]) for row in db.execute(f'PRAGMA table_info("{table}")')}
             for table in MEMBERS.values()}
    db.execute("BEGIN IMMEDIATE")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        f"tbl_name IN ({', '.join('?' * (len(MEMBERS) + 1))})",
        (*MEMBERS.values(), "change")).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    staged: dict[str, tuple[float, float]] = {}
    by_table: dict[str, list[str]] = {}
    for _name, sql in indexes:
        table = sql.split(" ON ")[1].split(" ")[0].strip('"')
        by_table.setdefault(table, []).append(sql)
    waiting: list[str] = []
    aliases = {member: f"st{number}" for number, member in enumerate(MEMBERS)}

    def copy_and_index(member: str) -> None:
        table = MEMBERS[member]
        db.execute(f"ATTACH ? AS {aliases[member]}", (str(out / f"stage_{member}.sqlite3"),))
        copy(db, aliases[member], table, types[table])
        for sql in by_table.pop(table, []):
            db.execute(sql)

    # the copies as each member is staged (the firms' first: the others join on them),
    # each table's indexes right after its rows, while the children go on reading
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        jobs = [(member, types[table], str(package), str(out)) for member, table in MEMBERS.items()]
        for member, seconds in pool.imap_unordered(stage, jobs):
            staged[member] = (seconds, time.perf_counter() - started)
            waiting.append(member)
            if "enterprises.csv" in staged:
                for ready in sorted(waiting, key=lambda m: m != "enterprises.csv"):
                    copy_and_index(ready)
                waiting.clear()
    read = time.perf_counter() - started
    copied = time.perf_counter() - started
    db.execute("DROP INDEX staged_code")
    for sqls in by_table.values():  # (the change log's)
        for sql in sqls:
            db.execute(sql)
    indexed = time.perf_counter() - started
    db.execute("COMMIT")
    total = time.perf_counter() - started
    print(f"staged and copied {read:.2f}  change log's indexes {indexed - copied:.2f}  "
          f"commit {total - indexed:.2f}  total {total:.2f}  floor {floor:.2f}  "
          f"ratio {total / floor:.2f}")
    for member, (seconds, at) in staged.items():
        print(f"  {member:<25}{seconds:6.2f} s, done at {at:5.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
