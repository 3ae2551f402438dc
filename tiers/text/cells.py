"""Text in a cell that a spreadsheet program will read: never taken for a formula.

Excel, WPS and LibreOffice run a CSV cell that begins with = + - @ (or TAB, CR before one
of them) as a formula: a firm named ``=HYPERLINK("http://…","点我")`` becomes a link,
``=DDE(…)`` a command. OWASP's remedy for CSV: such a cell gets a leading single quote
(the program then shows the text as it is), and every field is quoted, so that a
separator inside a cell cannot start a new cell that begins like a formula. Names are
NFKC-folded before they are stored (a full-width ＝ becomes =), so the check is on the
text as it is written out. xlsx reports write text cells as strings with Excel's quote
prefix for the same starts (``tiers.reports.cells``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(text: str) -> str:
    """``text`` as a CSV cell: with a leading ' when it begins like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A header and rows of text as CSV, every field quoted and made safe."""
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
    writer.writerow(list(map(safe_csv_cell, header)))
    writer.writerows([list(map(safe_csv_cell, row)) for row in rows])
