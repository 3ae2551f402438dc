"""Floor of ``tiers import`` into a new database: read the sheet, one sqlite3 executemany of
its rows (every cell as text) into a fresh table, one commit.

    python read_insert.py ROSTER.xlsx NEW.sqlite3
"""

import sqlite3
import sys

import python_calamine

book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
header, *rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
db = sqlite3.connect(sys.argv[2])
columns = ", ".join(f"c{n} TEXT" for n in range(len(header)))
db.execute(f"CREATE TABLE roster (id INTEGER PRIMARY KEY, {columns})")
marks = ", ".join("?" * len(header))
db.executemany(f"INSERT INTO roster VALUES (NULL, {marks})",
               ([None if cell == "" else str(cell) for cell in row] for row in rows))
db.commit()
db.close()
