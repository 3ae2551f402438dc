"""A package member's CSV text cut into columns, the fast way where it is plain: a table
Tiers writes has no quote, so it is split at the commas and line ends with one C call and
cut into columns with a stride; anything else (quotes, a lone CR or mixed line ends, NUL,
blank lines, uneven rows, over-long cells) is left to the csv module, which says where.
A property test (tests/tiers/test_exchange_plain_csv.py) holds the two to the same cells."""

from __future__ import annotations

import csv
from collections.abc import Iterator
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


SLICE_ROWS = 4096  # rows split and read at a time (column_slices)


def plain_rows(lines: list[str], width: int) -> bool:
    """Whether every row of plain_cells' lines (the header first) is ``width`` cells long
    and no cell is longer than the csv module takes (False: the csv module reads the text
    and says where). Checked a slice at a time, as column_slices cuts them."""
    commas = width - 1
    limit = csv.field_size_limit()
    for start in range(1, len(lines), SLICE_ROWS):
        part = lines[start:start + SLICE_ROWS]
        if set(map(str.count, part, repeat(",", len(part)))) != {commas} or (
                commas == 0 and "" in part):  # (a blank line is a row of no cells)
            return False
        if max(map(len, part)) > limit:
            return False
    return True


def column_slices(lines: list[str], width: int) -> Iterator[tuple[int, list[list[str]]]]:
    """The rows of plain_cells' lines (the header first; plain_rows of them true) by column,
    SLICE_ROWS rows at a time: the number of the slice's first row as a spreadsheet shows
    it (the header is row 1), and its columns. Each slice is split at the commas with one C
    call and cut into columns with a stride, where the csv module made a list per row and
    a str per cell in Python's loop (300k rows of 31 columns: 0.91 s → 0.63 s). A slice at
    a time because an import writes the tables read before while it reads the next: one C
    call over a whole table (0.5 s to split 9 million cells) holds the GIL so long that
    the writer's thread waits for it between every two statements. No rows: one slice of
    empty columns."""
    if len(lines) <= 1:
        yield 2, [[] for _ in range(width)]
        return
    for start in range(1, len(lines), SLICE_ROWS):
        cells = ",".join(lines[start:start + SLICE_ROWS]).split(",")
        yield start + 1, [cells[index::width] for index in range(width)]


def by_column(rows: list[list[str]], width: int) -> list[list[str]]:
    """The rows' cells by column (every row ``width`` long): all cells in one list, cut
    into columns with a stride (half the time of zip(*rows), which makes a tuple of
    100k iterators and walks them all for every column)."""
    cells = list(chain.from_iterable(rows))
    return [cells[index::width] for index in range(width)]
