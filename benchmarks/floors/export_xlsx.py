"""Floor of ``tiers export roster``: the report's own query (Tiers' ``roster_records``, as
the command runs it, SQLAlchemy and all) and its rows dumped by bare XlsxWriter in
constant-memory (streamed) mode: the same cells, no formats, no widths, no row heights.
What the command costs beyond it is the bureau layout.

    python export_xlsx.py DEMO.sqlite3 OUT.xlsx
"""

import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tiers.reports import data  # noqa: E402
from tiers.reports.base import ReportRequest  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

database = open_database(Path(sys.argv[1]))
book = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True,
                                         "default_date_format": "yyyy-mm-dd"})
sheet = book.add_worksheet()
with database.session() as session:
    for number, record in enumerate(data.roster_records(session, ReportRequest()), start=1):
        sheet.write_row(number, 0, (number, *record))
book.close()
database.dispose()
