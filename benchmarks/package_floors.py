"""The floors of the exchange package's jobs, done by the standard library alone: used in
process by benchmarks/package.py, and as whole processes beside the ``tiers package``
commands by benchmarks/package_commands.py (no module of Tiers is imported here, so a
floor's process starts as a bare Python does).

    python benchmarks/package_floors.py export DB FOLDER STATEMENTS.json
    python benchmarks/package_floors.py import FOLDER DB

export: the bare driver selects each table's rows (STATEMENTS.json: [member, SQL, header]
for each) and the csv module writes them to plain CSV files in FOLDER. import: the csv
module reads every CSV file of FOLDER and the bare driver inserts the rows (executemany,
one transaction) into a new database of tables of the same columns.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path


def export_floor(database: Path, folder: Path, statements: list[list]) -> None:
    connection = sqlite3.connect(database)
    for member, sql, header in statements:
        with (folder / member).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(connection.execute(sql))
    connection.close()


def import_floor(folder: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            quoted = ", ".join(f'"{c}"' for c in header)
            connection.execute(f'CREATE TABLE "{path.stem}" ({quoted})')
            connection.executemany(
                f'INSERT INTO "{path.stem}" VALUES ({", ".join("?" * len(header))})', reader)
    connection.commit()
    connection.close()


def main(argv: list[str]) -> int:
    if argv[:1] == ["export"] and len(argv) == 4:
        export_floor(Path(argv[1]), Path(argv[2]), json.loads(Path(argv[3]).read_text()))
    elif argv[:1] == ["import"] and len(argv) == 3:
        import_floor(Path(argv[1]), Path(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
