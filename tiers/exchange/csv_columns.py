"""A package member's CSV text cut into columns, the fast way where it is plain: a table
Tiers writes has no quote, so it is split at the commas and line ends with one C call and
cut into columns with a stride; anything else (quotes, a lone CR or mixed line ends, NUL,
blank lines, uneven rows, over-long cells) is left to the csv module, which says where.
A property test (tests/tiers/test_exchange_plain_csv.py) holds the two to the same cells."""

from __future__ import annotations

import csv
from itertools import chain, repeat


def plain_cells(text: str) -> tuple[tuple[str, ...], list[str]] | None:
    """The header and the other lines of a CSV the csv module would read by commas and
    line ends alone (no quote, no NUL, every line ended alike: by CRLF as Tiers writes, or
    by LF); None for any other (read by the csv module)."""
    if not text or '"' in text or "\x00" in text:
        return None
    returns = text.count("\r")
    line_end = "\r\n" if returns else "\n"
    lines = text.split(line_end)
    if returns and not returns == text.count("\n") == len(lines) - 1:
        return None  # a lone CR, or CRLF and LF mixed
    if lines[-1] == "":  # (the last line's end)
        lines.pop()
    if not lines or not lines[0]:
        return None  # (the csv module reads a blank first line as no header at all)
    return tuple(lines[0].split(",")), lines


def split_columns(lines: list[str], width: int) -> tuple[int, list[list[str]]] | None:
    """The rows of plain_cells' lines (the header first) by column: split at the commas
    with one C call over them all and cut into columns with a stride, where the csv module
    made a list per row and a str per cell in Python's loop and the rows were transposed
    again (measured on 300k rows of 31 columns: 0.91 s → 0.63 s). None where a row's width
    differs, a line is blank or a cell is longer than the csv module takes (it then says
    where)."""
    rows = len(lines) - 1
    if not rows:
        return 0, [[] for _ in range(width)]
    commas = width - 1
    if set(map(str.count, lines, repeat(",", len(lines)))) != {commas} or (
            commas == 0 and "" in lines):  # (a blank line is a row of no cells)
        return None
    if max(map(len, lines)) > csv.field_size_limit():
        return None
    cells = ",".join(lines).split(",")
    return rows, [cells[index::width] for index in range(width, 2 * width)]


def by_column(rows: list[list[str]], width: int) -> list[list[str]]:
    """The rows' cells by column (every row ``width`` long): all cells in one list, cut
    into columns with a stride (half the time of zip(*rows), which makes a tuple of
    100k iterators and walks them all for every column)."""
    cells = list(chain.from_iterable(rows))
    return [cells[index::width] for index in range(width)]
