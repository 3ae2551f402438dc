"""Floor of ``tiers export roster``: the same firms and recognitions queried by sqlite3 and
dumped with bare XlsxWriter in constant-memory (streamed) mode, no formats.

    python export_xlsx.py DEMO.sqlite3 OUT.xlsx
"""

import sqlite3
import sys

import xlsxwriter

db = sqlite3.connect(sys.argv[1])
book = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
sheet = book.add_worksheet()
query = ("SELECT e.county_name, e.town, e.name, e.credit_code, r.tier_code, r.level, "
         "r.batch_label, r.recognized_on, r.valid_until FROM recognition r "
         "JOIN enterprise e ON e.id = r.enterprise_id WHERE e.deleted_at IS NULL "
         "ORDER BY e.pinyin_key")
for number, row in enumerate(db.execute(query)):
    sheet.write_row(number, 0, ["" if value is None else str(value) for value in row])
book.close()
