"""Floor of re-importing an unchanged roster: read the sheet, SELECT the firms it names by
credit code from the database Tiers wrote, compare each row's name, town and address.

    python read_compare.py ROSTER.xlsx IMPORTED.sqlite3
"""

import sqlite3
import sys

import python_calamine

book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
header, *rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
db = sqlite3.connect(sys.argv[2])
stored = {code: (name, town, address) for code, name, town, address in db.execute(
    "SELECT credit_code, name, town, address FROM enterprise WHERE deleted_at IS NULL")}
changed = sum(1 for row in rows if stored.get(row[2]) != (row[1], row[4], row[5]))
print(changed)
