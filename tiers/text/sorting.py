"""How every table sorts its rows: blanks last in both directions, Chinese text by pinyin.

An officer sorting by 有效期至 wants the soonest first and the firms without a date after
them, not on top; sorting the other way, the latest first and still the blanks last. Text
compares by its pinyin key (``tiers.model.pinyin.sort_key``), as the roster's names do, so
常州东… comes after 常州的…. Numbers, dates and text never compare with each other: a column
that mixes them (a year typed as text in one row) keeps numbers before dates before text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from tiers.model.pinyin import sort_key as pinyin_key

Row = TypeVar("Row")
Key = tuple[int, Any] | None  # a cell's sort key; None for a blank

# The order of kinds within one column; blanks are handled apart (always last).
_NUMBER, _DATE, _TEXT = 0, 1, 2


def is_blank(value: Any) -> bool:
    """None, empty or whitespace-only text: what a table shows as an empty cell."""
    return value is None or (isinstance(value, str) and not value.strip())


def value_key(value: Any) -> tuple[int, Any]:
    """A comparable key for one non-blank cell value (its kind first, then the value)."""
    if isinstance(value, bool):
        return _NUMBER, int(value)
    if isinstance(value, (int, float, Decimal)):
        return _NUMBER, value
    if isinstance(value, dt.datetime):
        return _DATE, value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return _DATE, dt.datetime(value.year, value.month, value.day)
    return _text_key(str(value))


@lru_cache(maxsize=65_536)
def _text_key(text: str) -> tuple[int, tuple[str, str]]:
    # a column repeats its texts (镇街, 县区, 状态): each is worked out once
    return _TEXT, (pinyin_key(text), text)


def sorted_rows(rows: Sequence[Row], value: Callable[[Row], Any], *,
                descending: bool = False) -> list[Row]:
    """``rows`` ordered by ``value(row)``: blanks last whichever the direction; rows with
    equal values keep their order (a stable sort)."""
    keys = column_keys(value(row) for row in rows)
    return [rows[p] for p in sorted_positions(keys, range(len(rows)), descending=descending)]


def column_keys(values: Iterable[Any]) -> list[Key]:
    """Each value's sort key (None for a blank), made once: a table that keeps them (made
    on the background runner when its rows arrive) sorts by a header with a key sort."""
    return [None if is_blank(value) else value_key(value) for value in values]


def sorted_positions(keys: Sequence[Key], positions: Iterable[int], *,
                     descending: bool = False) -> list[int]:
    """``positions`` (into ``keys``) in the order of their keys, blanks last whichever the
    direction, equal keys in their order: the tuples compare in C, no Python per row."""
    positions = list(positions)
    filled = [p for p in positions if keys[p] is not None]
    blanks = [p for p in positions if keys[p] is None]
    # reverse=True keeps equal rows in their order too (Python's sort is stable both ways)
    filled.sort(key=keys.__getitem__, reverse=descending)
    return filled + blanks
