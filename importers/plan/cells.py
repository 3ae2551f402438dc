"""The mapped columns of a sheet's data rows, each parsed as a whole before the row loop.

A column's values are parsed in one tight loop, and columns such as 县区, 镇街, 年度, 规模
that repeat a few values over 100k rows parse each distinct value once (parsed values are
immutable, so sharing is safe). Measured: a per-cell call with its cache look-up was half
of the plan. Each row's value is the parsed value, SKIP for a blank cell, or Failed with
the problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import Any

from importers import values as parse
from importers.errors import Problem, column_letter
from importers.plan.types import rows_listed
from importers.read.detection import Detection
from importers.read.header import FIGURE_FIELDS
from tiers.model import credit_code
from tiers.model.names import (
    clean_display,
    clean_displays,
    has_invisible,
    keys_of_displays,
)
from tiers.services import figures as figures_service

_MISSING = object()
_CACHEABLE = frozenset({str, int, float, dt.date, dt.datetime})  # immutable, hashable
SKIP = object()  # a blank cell (or one that parses to nothing): never overwrites

# one parsed column: (column index, field key, value per data row, the year its header
# names (figures only) or None, the field's label)
Column = tuple[int, str, list[Any], Any, str]


class Failed:
    """A cell that could not be parsed as its column's type (the message to follow the
    column's label), or whose value a service refused (``whole``: the message says it all)."""

    __slots__ = ("message", "whole")

    def __init__(self, message: str, whole: bool = False) -> None:
        self.message = message
        self.whole = whole

def _outcome(parse_cell: Any, *args: Any) -> Any:
    """A parser's result as a parsed column holds it: the value, SKIP when it gives
    nothing, Failed with the message when it refuses the cell."""
    try:
        value = parse_cell(*args)
    except parse.ValueProblem as exc:
        return Failed(str(exc))
    return SKIP if value is None else value


def is_odd(value: Any) -> bool:
    return value is SKIP or type(value) is Failed



class ParsedColumns:
    """The sheet's mapped columns, parsed at once; ``parse`` fills the fields below."""

    def __init__(self, detection: Detection, mapping: dict[int, str], specs: dict[str, Any],
                 text_keys: tuple[str, ...]) -> None:
        self.detection = detection
        self.mapping = mapping
        self.specs = specs
        self.text_keys = text_keys
        self.start = 0  # the index of the first data row: offsets below count from it
        self.parsed_columns: list[Column] = []
        self.name_keys: list[str | None] | None = None
        self.codes: list[str | None] | None = None
        self.long_texts = True
        # the parsed columns whose key no other column has and that name no year, row by row
        # (fast_rows), and the rest (slow_columns, read cell by cell)
        self.fast_keys: tuple[str, ...] = ()
        self.fast_rows: list[tuple[Any, ...]] = []
        self.slow_columns: list[Column] = []
        self.blank_rows: set[int] = set()  # offsets with a blank among the fast columns
        self.failed_rows: set[int] = set()  # offsets with a cell that failed to parse
        self.figure_keys: tuple[str, ...] = ()
        # date columns with cells naming a month only (Excel rows), read as its first day
        self.month_only: list[tuple[int, str, list[int]]] = []
        # name columns with cells holding invisible characters (dropped from the names)
        self.invisible: list[tuple[int, str, list[int]]] = []

    def month_notes(self, sheet: str) -> list[Problem]:
        """One note per date column with cells that name a month only (2024年3月)."""
        return [Problem(
            sheet, None, column_letter(column), None,
            f"{label}（{column_letter(column)} 列）有 {len(rows)} 格只写了年月（{rows_listed(rows, 8)}），"
            "按该月1日记录，请核对", "warning") for column, label, rows in self.month_only]

    def invisible_notes(self, sheet: str) -> list[Problem]:
        """One note per name column whose cells held control, bidi or zero-width
        characters: the names are saved without them."""
        return [Problem(
            sheet, None, column_letter(column), None,
            f"{label}（{column_letter(column)} 列）有 {len(rows)} 格含不可见的控制字符或零宽字符"
            f"（{rows_listed(rows, 8)}），已删除这些字符后保存", "warning")
            for column, label, rows in self.invisible]

    def parse(self, rows: list[list[Any]], start: int) -> None:
        """Parse each mapped column of ``rows[start:]`` (see the module's docstring)."""
        self.start = start
        data = rows[start:]
        narrowest = min(map(len, data), default=0)
        self.parsed_columns = []
        odd_columns: list[list[Any]] = []  # those with a blank or failed cell
        for column, key in self.mapping.items():
            if column < narrowest:
                raws = list(map(itemgetter(column), data))
            else:
                raws = [cells[column] if column < len(cells) else None for cells in data]
            entry, odd = self._parsed_column(column, key, raws)
            self.parsed_columns.append(entry)
            if odd:
                odd_columns.append(entry[2])
        keys = [key for _, key, _, year, _ in self.parsed_columns if year is None]
        fast = [entry for entry in self.parsed_columns
                if entry[3] is None and keys.count(entry[1]) == 1]
        self.slow_columns = [entry for entry in self.parsed_columns if entry not in fast]
        self.fast_keys = tuple(entry[1] for entry in fast)
        self.fast_rows = list(zip(*(entry[2] for entry in fast), strict=True)) if fast else (
            [()] * len(data))
        self._odd_rows(odd_columns)
        self.figure_keys = tuple(dict.fromkeys(k for k in keys if k in FIGURE_FIELDS))
        self.long_texts = self._has_long_texts()
        # for the rows read the fast way, made at once: the matching key of each row's
        # name, and its credit code where valid (None: validate() says what is wrong)
        self.name_keys = self._made(fast, "name", keys_of_displays)
        self.codes = self._made(fast, "credit_code", credit_code.valid_codes)

    def _parsed_column(self, column: int, key: str, raws: list[Any]) -> tuple[Column, bool]:
        """One column parsed (figures cleaned as the figures service does), and whether
        any value is SKIP or Failed. Notes the cells of a date column naming a month only."""
        spec = self.specs[key]
        year = self.detection.header_years.get(column) if key in FIGURE_FIELDS else None
        values, odd = self._parse_column(spec.type, raws, column)
        if key in FIGURE_FIELDS:
            values, odd = self._clean_figures(key, values, odd)
        if spec.type == "date" and not {str, float}.isdisjoint(map(type, raws)):
            months = [self.start + i + 1 for i, raw in enumerate(raws)
                      if type(raw) in (str, float) and parse.is_month_only(raw)]
            if months:
                self.month_only.append((column, spec.label, months))
        if spec.type == "name" and _any_invisible(raws):
            found = [self.start + i + 1 for i, raw in enumerate(raws)
                     if type(raw) is str and has_invisible(raw)]
            if found:
                self.invisible.append((column, spec.label, found))
        return (column, key, values, year, spec.label), odd

    def _odd_rows(self, odd_columns: list[list[Any]]) -> None:
        """The rows with a blank (blank_rows) or a failed cell (failed_rows)."""
        self.blank_rows, self.failed_rows = set(), set()
        for values in odd_columns:
            odd = [i for i, value in enumerate(values) if value is SKIP or type(value) is Failed]
            self.blank_rows.update(i for i in odd if values[i] is SKIP)
            self.failed_rows.update(i for i in odd if values[i] is not SKIP)

    def _has_long_texts(self) -> bool:
        """Whether a text column holds a value too long for its field (else no row checks)."""
        return any(
            max(map(len, values if set(map(type, values)) <= {str}
                    else [v for v in values if type(v) is str]), default=0) > 300
            for _, key, values, _, _ in self.parsed_columns if key in self.text_keys)

    @staticmethod
    def _made(fast: list[Column], key: str,
              make: Callable[[list[str]], list[Any]]) -> list[Any] | None:
        """make() of the fast column of that key, None for a cell that is not text."""
        values = next((entry[2] for entry in fast if entry[1] == key), None)
        if values is None:
            return None
        if set(map(type, values)) <= {str}:
            return make(values)
        texts = [i for i, value in enumerate(values) if type(value) is str]
        made: list[Any] = [None] * len(values)
        for i, value in zip(texts, make([values[i] for i in texts]), strict=True):
            made[i] = value
        return made

    @staticmethod
    def _clean_figures(key: str, values: list[Any], odd: bool) -> tuple[list[Any], bool]:
        """The figures service's checks (bounds, scale) over a parsed column at once; a
        value it refuses becomes Failed with its message."""
        if odd:
            given = [i for i, value in enumerate(values)
                     if value is not SKIP and type(value) is not Failed]
            cleaned, refused = figures_service.clean_column(key, [values[i] for i in given])
            out = list(values)
            for i, value in zip(given, cleaned, strict=True):
                out[i] = value
        else:
            given = None
            out, refused = figures_service.clean_column(key, values)
        for i, message in refused.items():
            out[i if given is None else given[i]] = Failed(message, whole=True)
        return out, odd or bool(refused)

    def _parse_column(self, kind: str, raws: list[Any], column: int) -> tuple[list[Any], bool]:
        """The column's values, and whether any is SKIP or Failed."""
        if kind not in parse.PARSERS and kind != "money":
            return self._parse_text_column(kind, raws, column)
        return self._parse_column_general(kind, raws, column)

    def _parse_text_column(self, kind: str, raws: list[Any], column: int
                           ) -> tuple[list[Any], bool]:
        """Text, name, code: most cells are strings longer than any blank marker, which
        parse.text would return stripped (the name cleaned); anything else goes the
        general way. A column of strings only is stripped and measured with map (in C); a
        non-string cell makes str.strip raise, and a loop does it (_long_strings)."""
        strip, name = parse.STRIP, kind == "name"
        sample = raws[:200]
        if sum(1 for raw in sample if type(raw) is not str or len(raw.strip(strip)) <= 6) > len(
                sample) // 2:  # mostly short values (镇街, 规模, 姓名): each distinct one once
            return self._parse_column_general(kind, raws, column)
        try:
            stripped = list(map(str.strip, raws, repeat(strip)))
        except TypeError:
            stripped = None
        if stripped is not None:
            out = clean_displays(stripped) if name else stripped
            if min(map(len, stripped), default=7) > 6 and max(map(len, out), default=0) <= 2000:
                return out, False
            general = [i for i, (value, shown) in enumerate(zip(stripped, out, strict=True))
                       if len(value) <= 6 or len(shown) > 2000]
        else:
            out, general = _long_strings(raws, strip, name)
        odd = False
        if general:
            parsed, odd = self._parse_column_general(kind, [raws[i] for i in general], column)
            for position, value in zip(general, parsed, strict=True):
                out[position] = value
        return out, odd

    def _parse_column_general(self, kind: str, raws: list[Any], column: int
                              ) -> tuple[list[Any], bool]:
        if kind in ("name", "code"):  # a new value on every row: nothing to share
            out = [self._parse_one(kind, raw, column) for raw in raws]
            return out, any(map(is_odd, out))
        types = set(map(type, raws))
        if kind == "money" and types == {float}:  # amounts as numbers: most are distinct
            unit = self.detection.units.get(column, Decimal(1))
            plain = parse.money_of_floats(raws, unit)
            if plain is not None:
                return plain, False
            out = [_outcome(parse.money_of_float, raw, unit) for raw in raws]
            return out, any(map(is_odd, out))
        if len(types - {type(None)}) == 1 and types <= _CACHEABLE | {type(None)}:
            # one type of cell (and blanks): equal cells are the same value, so a column of
            # a few values (县区, 镇街, 规模, 年度) parses each once and maps the rest in C
            distinct = set(raws)
            if len(distinct) <= 20_000:
                parsed = {raw: self._parse_one(kind, raw, column) for raw in distinct}
                return list(map(parsed.__getitem__, raws)), any(map(is_odd, parsed.values()))
        return self._parse_mixed(kind, raws, column)

    def _parse_mixed(self, kind: str, raws: list[Any], column: int) -> tuple[list[Any], bool]:
        """Mixed cell types: equal values of different types (1, 1.0, True) are kept apart;
        each distinct cell parsed once (up to 20,000 of them)."""
        out: list[Any] = []
        append = out.append
        odd = False  # set when a SKIP or Failed is made (a cache hit repeats one made)
        cache: dict[tuple[type, Any], Any] = {}
        texts: dict[str, Any] = {}  # the same, for text cells: no key tuple to build
        cacheable = _CACHEABLE
        for raw in raws:
            raw_type = type(raw)
            if raw_type is str:
                hit = texts.get(raw, _MISSING)
                if hit is not _MISSING:
                    append(hit)
                    continue
            elif raw_type in cacheable:
                hit = cache.get((raw_type, raw), _MISSING)
                if hit is not _MISSING:
                    append(hit)
                    continue
            value = self._parse_one(kind, raw, column)
            if is_odd(value):
                odd = True
            if raw_type is str:
                if len(texts) < 20_000:
                    texts[raw] = value
            elif raw_type in cacheable and len(cache) < 20_000:
                cache[(raw_type, raw)] = value
            append(value)
        return out, odd

    def _parse_one(self, kind: str, raw: Any, column: int) -> Any:
        """One cell: its value, SKIP (blank, or nothing to keep) or Failed."""
        if raw is None or parse.is_blank(raw):
            return SKIP
        return _outcome(self._parse, kind, raw, column)

    def _parse(self, kind: str, raw: Any, column: int) -> Any:
        if kind == "money":
            return parse.money(raw, unit=self.detection.units.get(column, Decimal(1)))
        if kind in parse.PARSERS:
            return parse.PARSERS[kind](raw)
        value = parse.text(raw)
        if value is not None and kind == "name":
            value = clean_display(value)
        if value is not None and len(value) > 2000:
            raise parse.ValueProblem(f"内容过长（{len(value)} 字）")
        return value


def _any_invisible(raws: list[Any]) -> bool:
    """Whether a cell of the column holds an invisible character: one check over the
    column's strings joined (the common answer, no, without a call per cell)."""
    return has_invisible(" ".join([raw for raw in raws if type(raw) is str]))


def _long_strings(raws: list[Any], strip: str, name: bool) -> tuple[list[Any], list[int]]:
    """A text column with cells of other types: each string longer than 6 characters
    stripped (a name cleaned), and the positions of the rest, for the general way (their
    places hold SKIP until then)."""
    out: list[Any] = []
    append = out.append
    general: list[int] = []
    for position, raw in enumerate(raws):
        if type(raw) is str:
            value = raw.strip(strip)
            if len(value) > 6:
                if name:
                    value = clean_display(value)
                if len(value) <= 2000:
                    append(value)
                    continue
        general.append(position)
        append(SKIP)
    return out, general
