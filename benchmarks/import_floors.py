"""The floors of the import jobs: the same work done by the bare libraries, each a whole
process as the ``tiers`` command it is paired with (benchmarks/import_commands.py).

    python benchmarks/import_floors.py read FILE            python-calamine reads the sheet
    python benchmarks/import_floors.py insert FILE DB       … and sqlite3 executemany + commit
    python benchmarks/import_floors.py compare FILE DB      … SELECT the firms, compare cells
    python benchmarks/import_floors.py delete DB BATCH      one DELETE per table by batch
"""

from __future__ import annotations

import sqlite3
import sys


def read(path: str) -> list[list]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(path)
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def insert(path: str, database: str) -> None:
    rows = read(path)
    width = len(rows[0])
    db = sqlite3.connect(database)
    db.execute(f"CREATE TABLE roster ({', '.join(f'c{i}' for i in range(width))})")
    db.executemany(f"INSERT INTO roster VALUES ({', '.join('?' * width)})",
                   [[str(v) if hasattr(v, "isoformat") else v for v in row] for row in rows[1:]])
    db.commit()


def compare(path: str, database: str) -> None:
    """Every row's name, town and address against the firm of its credit code."""
    rows = read(path)
    header = rows[0]
    name, code, town, address = (header.index(h) for h in
                                 ("企业名称", "统一社会信用代码", "镇（街道）", "地址"))
    db = sqlite3.connect(database)
    stored = {row[0]: row[1:] for row in db.execute(
        "SELECT credit_code, name, town, address FROM enterprise")}
    same = sum(stored.get(row[code]) == (row[name], row[town], row[address]) for row in rows[1:])
    print(same)


def delete(database: str, batch: str) -> None:
    db = sqlite3.connect(database)
    db.execute("PRAGMA foreign_keys = ON")  # the schema's cascades, as Tiers connects
    for table in ("recognition", "annual_figures", "support_measure", "chain_role",
                  "enterprise"):
        db.execute(f"DELETE FROM {table} WHERE import_batch_id = ?", (int(batch),))
    db.commit()


if __name__ == "__main__":
    job, *arguments = sys.argv[1:]
    {"read": read, "insert": insert, "compare": compare, "delete": delete}[job](*arguments)
