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
import html
import re
from collections.abc import Iterable, Sequence
from typing import IO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text a spreadsheet would read as a number and change: more digits than a double keeps
# (an all-digit credit code), a leading 0 (座机, 邮编), digits around an E (scientific)
_CHANGED_AS_NUMBER = re.compile(r"\d{16,}|0\d+|\d+[Ee]\d+")
# a negative amount (净利润 -12.50, -1,234.00): a number to the sheet, which must sum it
_NEGATIVE_NUMBER = re.compile(r"-(?:0|[1-9]\d{0,14}|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?")
# a cell kept as text when pasted: Excel and WPS read mso-number-format, LibreOffice sdnum
_TEXT_CELL = ' style="mso-number-format:\'\\@\'" sdnum="2052;0;@"'


def safe_csv_cell(text: str) -> str:
    """``text`` as a CSV cell: with a leading ' when it begins like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A header and rows of text as CSV, every field quoted and made safe."""
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
    writer.writerow(list(map(safe_csv_cell, header)))
    writer.writerows([list(map(safe_csv_cell, row)) for row in rows])


def keeps_as_text(text: str) -> bool:
    """Whether a pasted cell must be marked as text so that the spreadsheet keeps it as
    written (a number it would round or strip, or a formula it would run)."""
    return bool(_CHANGED_AS_NUMBER.fullmatch(text)) or (
        text.startswith(FORMULA_START) and not _NEGATIVE_NUMBER.fullmatch(text))


def html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Rows of text as the HTML table a spreadsheet pastes (beside the tab-separated text
    on the clipboard): the cells ``keeps_as_text`` names are marked as text, the others
    (amounts, years, dates) stay the numbers and dates the program makes of them."""
    lines = ['<html><head><meta charset="utf-8"></head><body><table>']
    for row in ([header] if header else []) + [list(row) for row in rows]:
        cells = "".join(f"<td{_TEXT_CELL if keeps_as_text(text) else ''}>{html.escape(text)}</td>"
                        for text in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table></body></html>")
    return "\n".join(lines)
