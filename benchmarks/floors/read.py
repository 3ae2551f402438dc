"""Floor of ``tiers import``: python-calamine reads the workbook's first sheet, nothing else.

    python read.py ROSTER.xlsx
"""

import sys

import python_calamine

book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
