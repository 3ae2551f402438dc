"""The package reader's quick way through a table (split at commas and line ends, where
the text holds no quote) reads what the csv module reads, or leaves the text to it: any
mix of cells, commas, quotes, CR, LF, CRLF, blank lines, NULs and rows of another width."""

import csv
import io
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tiers.exchange import csv_columns
from tiers.exchange.csv_columns import column_slices, plain_cells, plain_rows

cells = st.text(st.sampled_from(list("ab中1.-, \"\r\n\x00")), max_size=4)
line_ends = st.sampled_from(["\r\n", "\n", "\r"])


def split_columns(lines, width):
    """The rows of plain_cells' lines (the header first) by column, as the reader takes
    them (plain_rows, then column_slices joined); None where the csv module reads them."""
    if not plain_rows(lines, width):
        return None
    columns = [[] for _ in range(width)]
    for _, part in column_slices(lines, width):
        for column, cells in zip(columns, part, strict=True):
            column.extend(cells)
    return len(lines) - 1, columns


@st.composite
def csv_texts(draw):
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(cells, min_size=width - draw(st.integers(0, 1)),
                                  max_size=width + draw(st.integers(0, 1))), max_size=6))
    text = "".join(",".join(row) + draw(line_ends) for row in [["h"] * width, *rows])
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # (no line end after the last row)
    return text


def by_csv_module(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = tuple(rows[0]), rows[1:]
    if any(len(row) != len(header) for row in body):
        return None  # (refused: the csv way says which row)
    return header, len(body), [[row[i] for row in body] for i in range(len(header))]


@settings(max_examples=600, deadline=None)
@given(csv_texts())
def test_the_quick_way_reads_what_the_csv_module_reads_or_leaves_it(text):
    plain = plain_cells(text)
    if plain is None:
        return
    header, lines = plain
    split = split_columns(lines, len(header))
    with mock.patch.object(csv_columns, "SLICE_ROWS", 2):  # (rows split 2 at a time)
        assert split_columns(lines, len(header)) == split
    if split is None:
        return
    assert by_csv_module(text) == (header, *split)


def test_what_the_quick_way_leaves_to_the_csv_module():
    assert plain_cells('h,i\r\n"a,b",c\r\n') is None  # quoted
    assert plain_cells("h,i\r\na,b\nc,d\r\n") is None  # CRLF and LF mixed
    assert plain_cells("h,i\ra,b\r") is None  # CR alone
    assert plain_cells("h\r\na\x00\r\n") is None  # NUL (the csv module refuses it)
    assert plain_cells("\r\nh\r\n") is None  # blank first line: no header
    header, lines = plain_cells("h,i\r\na,b\r\n\r\nc,d\r\n")
    assert split_columns(lines, 2) is None  # a blank line: a row of no cells
    header, lines = plain_cells("h\r\na\r\n\r\nc\r\n")
    assert split_columns(lines, 1) is None
    header, lines = plain_cells("h,i\r\na,b,c\r\nd\r\n")
    assert split_columns(lines, 2) is None  # widths differ (the total would fit)


def test_the_quick_way_of_a_plain_table():
    header, lines = plain_cells("credit_code,year\r\nA,2024\r\nB,\r\n")
    assert header == ("credit_code", "year")
    assert split_columns(lines, 2) == (2, [["A", "B"], ["2024", ""]])
    header, lines = plain_cells("credit_code,year\n")
    assert split_columns(lines, 2) == (0, [[], []])
