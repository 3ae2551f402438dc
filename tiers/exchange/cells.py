"""The cells an export writes: each column of values as the driver returned them, turned
into the package's text (amounts at the column's scale, yes/no as 1/0, dates in ISO form)
and checked to be what the reader (tiers.exchange.format) takes back.

SQLite keeps whatever another program put into a column (its type affinity lets "abc" sit
in an amount or a date column); such a cell written as it is would make a package that
Tiers itself refuses to read. The export is then refused, naming the firm, the table and
the column, rather than writing a package that cannot be used or leaving the cell out.
The checks work a whole column at a time in C (types, a set of distinct values, one
regular expression over the column's text); the rows are walked only to say which cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Boolean, Date, Integer, Numeric, String

from tiers.exchange.format import NOT_PLAIN, write_value


class OddCell(ValueError):
    """A stored value the package cannot carry: which row of the column, and what it
    should have been (said to the officer by the writer, with the firm's name)."""

    def __init__(self, row: int, column: str, value: Any, expected: str) -> None:
        super().__init__(f"{column} row {row}: {value!r}")
        self.row, self.column, self.value, self.expected = row, column, value, expected


ColumnCells = Callable[[str, Sequence[Any]], Sequence[Any]]


def package_cells(table: Any, columns: tuple[str, ...], rows: list[Any]) -> Iterable[Any]:
    """The rows (the firm's credit code, then ``columns[1:]`` of ``table``) as the
    package's cells; raises OddCell for a value the package cannot carry. The rows are
    returned as they are when no column needs a change."""
    made: dict[int, ColumnCells] = {}
    for index, name in enumerate(columns[1:], start=1):
        cells = _column_cells(table.c[name].type)
        if cells is not None:
            made[index] = cells
    if not made or not rows:
        return rows
    # by column: all cells in one list cut with a stride (zip(*rows) makes a tuple of
    # every row's iterator and walks them all for each column: twice as long)
    width = len(columns)
    flat = list(chain.from_iterable(rows))
    values = [flat[index::width] for index in range(width)]
    del flat
    for index, make in made.items():
        values[index] = make(columns[index], values[index])
    return zip(*values, strict=True)


def _column_cells(kind: Any) -> ColumnCells | None:
    if isinstance(kind, Boolean):
        return _flags
    if isinstance(kind, Numeric):
        return _amounts(kind.scale, kind.precision)
    if isinstance(kind, Integer):
        return _integers
    if isinstance(kind, Date):
        return _dates
    if isinstance(kind, String):  # (Text too: no length)
        return _texts(kind.length)
    return None


def _first(column: str, values: Sequence[Any], bad: Callable[[Any], bool],
           expected: str) -> OddCell:
    """The first value of the column that ``bad`` finds (the slow walk, once found)."""
    row = next(index for index, value in enumerate(values) if value is not None and bad(value))
    return OddCell(row, column, values[row], expected)


def _flags(column: str, values: Sequence[Any]) -> list[Any]:
    if not set(values) <= {None, 0, 1}:  # (True and False are 1 and 0 to a set)
        raise _first(column, values, lambda value: value not in (0, 1), "是或否（1 或 0）")
    return [write_value(value) for value in values]


def _amounts(scale: int, precision: int) -> ColumnCells:
    spec = f".{scale}f"
    bound = 10 ** (precision - scale)  # more integer digits: a server would not take it
    expected = f"数字（整数部分最多 {precision - scale} 位）"

    def cells(column: str, values: Sequence[Any]) -> list[Any]:
        # a float from SQLite, a Decimal of the column's scale from a server: both
        # formatted exactly as the ORM's Decimal of them prints (Decimal("%.2f" % value))
        if not set(map(type, values)) <= {float, int, Decimal, type(None)}:
            raise _first(column, values, lambda value: not isinstance(
                value, (float, int, Decimal)) or isinstance(value, bool), "数字")
        if Decimal in set(map(type, values)) and not all(
                value.is_finite() for value in values if type(value) is Decimal):
            # a server's NUMERIC holds NaN (another program's): no comparison takes it
            raise _first(column, values, lambda value: type(value) is Decimal
                         and not value.is_finite(), expected)
        # (filter(None): the numbers but 0, which is within bounds; a float nan compares
        # false, and is found in the text below.) A value a hair below the bound rounds
        # up to it as it is formatted (99999.96 at one place): those near it are judged
        # by their text, as the reader will see it.
        edge = bound - 10.0 ** -scale
        if max(filter(None, values), default=0) >= edge or (
                min(filter(None, values), default=0) <= -edge):
            too_big = [value for value in values if value is not None and abs(value) >= edge
                       and abs(Decimal(format(value, spec))) >= bound]
            if too_big:
                raise _first(column, values, lambda value: value in too_big, expected)
        written = [None if value is None else format(value, spec) for value in values]
        if NOT_PLAIN.search("\n".join(filter(None, written))):
            raise _first(column, written, NOT_PLAIN.search, expected)
        return written
    return cells


def _integers(column: str, values: Sequence[Any]) -> Sequence[Any]:
    if not set(map(type, values)) <= {int, type(None)}:
        raise _first(column, values, lambda value: type(value) is not int, "整数")
    return values


def _dates(column: str, values: Sequence[Any]) -> Sequence[Any]:
    """Dates in ISO form: a server's date objects the csv module writes so; SQLite's text
    as it is when it is a date in ISO form already, another form of one the reader takes
    (20261204) written as 2026-12-04, anything else refused."""
    canonical: dict[Any, str] = {}
    for value in set(values):
        if value is None or type(value) is dt.date:
            continue
        try:
            written = dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise _first(column, values, lambda cell, odd=value: cell == odd and type(
                cell) is type(odd), "日期（如 2026-12-04）") from None
        if written != value:
            canonical[value] = written
    if not canonical:
        return values
    return [canonical.get(value, value) if type(value) is str else value for value in values]


def _texts(limit: int | None) -> ColumnCells:
    def cells(column: str, values: Sequence[Any]) -> Sequence[Any]:
        if limit is not None:
            try:
                longest = max(map(len, filter(None, values)), default=0)
            except TypeError:  # not text at all
                longest = limit + 1
            if longest > limit:
                raise _first(column, values, lambda value: type(value) is not str
                             or len(value) > limit, f"不超过 {limit} 个字的文字")
        try:
            joined = "".join(filter(None, values))
        except TypeError:  # (a number in a text column of no length: written as it is)
            joined = "".join(value for value in values if type(value) is str)
        if "\x00" in joined:  # the reader refuses it (no server stores it)
            raise _first(column, values, lambda value: type(value) is str and "\x00" in value,
                         "不含空字符（NUL，一种看不见的控制字符）的文字")
        return values
    return cells
