"""The exchange package (数据包) format: what a package holds and how each value is written.

A package is a zip of UTF-8 CSV files, one per table with a header row, and a
``manifest.json`` (docs/exchange_package.md describes it for people). The columns of each
table are the ORM's columns, less what is local to one database (ids, the import batch,
the provenance, derived sort keys, versions and times): a column added by a migration is
carried without a code change here. Rows are tied to their firm by 统一社会信用代码 (Tiers
requires one of every firm), never by a local id.

Each record table has a natural key (``key``): two rows of a firm with the same key are
the same record. Where a firm may hold two records with the same key (a recognition or a
measure entered twice), the n-th of them in id order matches the n-th in the package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String

from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    CultivationEntry,
    Enterprise,
    FormerName,
    Recognition,
    SupportMeasure,
)
from tiers.storage.bulk import Amounts

FORMAT_NAME = "tiers-exchange-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_KIND = "package"  # the kind of import batch a package's import records

# columns local to one database: never carried
LOCAL = frozenset((
    "id", "enterprise_id", "import_batch_id", "source_package_id", "source_county",
    "name_key", "pinyin_initials", "pinyin_key", "version", "created_at", "updated_at",
    "deleted_at", "is_alias"))  # (a name kept for matching only: not sent, see writer)


@dataclass(frozen=True)
class TableSpec:
    """One table of the package: its member, its model, its natural key."""

    member: str  # file name in the zip
    label: str  # what an officer calls it
    model: Any
    key: tuple[str, ...]  # natural key within a firm (the enterprise: its credit code)
    repeatable: bool = False  # the key may repeat within a firm: matched by occurrence

    @property
    def entity(self) -> str:
        return self.model.__tablename__

    @property
    def name(self) -> str:
        return self.member.removesuffix(".csv")

    def columns(self) -> tuple[str, ...]:
        """The CSV's columns: the firm's credit code first, then the carried columns."""
        own = tuple(c.name for c in self.model.__table__.columns
                    if c.name not in LOCAL and c.name != "credit_code")
        return ("credit_code", *own)


ENTERPRISES = TableSpec("enterprises.csv", "企业", Enterprise, ())
RECORD_TABLES = (
    TableSpec("former_names.csv", "曾用名", FormerName, ("name",)),
    TableSpec("recognitions.csv", "认定", Recognition,
              ("tier_code", "level", "batch_year", "batch_label", "is_review", "chain_code"),
              repeatable=True),
    TableSpec("chain_roles.csv", "产业链", ChainRole, ("chain_code",)),
    TableSpec("support_measures.csv", "扶持措施", SupportMeasure, ("kind", "name", "year"),
              repeatable=True),
    TableSpec("annual_figures.csv", "年度数据", AnnualFigures, ("year",)),
    TableSpec("cultivation_entries.csv", "培育库", CultivationEntry,
              ("target_tier", "target_year")),
)
TABLES = (ENTERPRISES, *RECORD_TABLES)
BY_MEMBER = {spec.member: spec for spec in TABLES}


def rows_text(counts: Mapping[str, int]) -> str:
    """企业 36，认定 59，…: rows per table (by TableSpec.name), those with none left out; 无
    when all are none. The command line's and the client's words of a package's counts."""
    shown = [f"{spec.label} {counts.get(spec.name, 0)}" for spec in TABLES
             if counts.get(spec.name)]
    return "，".join(shown) or "无"


def write_value(value: Any) -> str:
    """A value as its CSV cell: blank for none, ISO dates, 1/0, plain decimals."""
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


class CellError(ValueError):
    """A cell that is not a value of its column; the message says what is expected."""


ColumnReader = Callable[[Sequence[str]], Sequence[Any]]


def _each_distinct(convert: Callable[[str], Any], cells: Sequence[str]) -> list[Any]:
    """convert of each cell, None for a blank, each distinct text converted once: a
    column of years or counts holds few (one dict lookup per cell in C, where a call
    per cell took three times as long)."""
    made = {text: convert(text) for text in set(cells) if text}
    return list(map(made.get, cells))


def _blanks_as_none(cells: Sequence[str]) -> list[str | None]:
    # {"": None}.get(text, text): the text itself unless blank, in C (a comprehension's
    # test per cell: twice as long)
    return list(map(_BLANK.get, cells, cells))


_BLANK: dict[str, None] = {"": None}


def _integers(cells: Sequence[str]) -> list[Any]:
    try:
        return _each_distinct(int, cells)
    except ValueError:
        raise CellError("应为整数") from None


NOT_PLAIN = re.compile(r"[^0-9.\n-]")  # a character no plain decimal has (nor inf, nan)


@lru_cache
def _finer_than(scale: int) -> re.Pattern[str]:
    """A cell with more decimal places than ``scale`` (a plain column's joined text)."""
    return re.compile(rf"\.[0-9]{{{scale + 1}}}")


def _decimals(scale: int, precision: int, cells: Sequence[str]) -> Sequence[str | None]:
    """A column of amounts, checked and at the column's scale, kept as their text (None
    for a blank): each becomes a Decimal only where a record is compared (decimal_value);
    the bulk writer takes the text as it is (3 million amounts per 100k firms: a Decimal
    of each, and a float of that again for SQLite, took 2.5 s). A cell finer than the
    column (1499.99996 from another program, in a column of 4 places) is rounded as every
    other way into Tiers rounds it (tiers.services.records.decimal: half up), so that what
    is written is what is read back and compared the next time."""
    joined = "\n".join(cells)
    if not NOT_PLAIN.search(joined):
        # digits, point and minus only: float and Decimal take the same of these, and
        # float checks a column in C five times faster (a regular expression: slower)
        try:
            numbers = list(map(float, filter(None, cells)))
        except ValueError:
            raise CellError("应为数字") from None
        # (float's bound only picks the slow path: the exact check is the Decimal's)
        fits = not numbers or max(max(numbers), -min(numbers)) < 10.0 ** (precision - scale) - 1
        if fits and not _finer_than(scale).search(joined):
            # (a number for every cell: no blank to make None; the floats kept for SQLite)
            return Amounts(cells, numbers) if len(numbers) == len(cells) else (
                _blanks_as_none(cells))
    # another way of writing a number (1E+3, ١٢), finer than the column or near its
    # bound: each cell rounded, checked and written plain
    quantum = Decimal(1).scaleb(-scale)
    bound = Decimal(10) ** (precision - scale)
    values: list[str | None] = []
    for text in cells:
        if not text:
            values.append(None)
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise CellError("应为数字") from None
        if not value.is_finite():
            raise CellError("应为数字")
        try:
            value = value.quantize(quantum, rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than a Decimal's context holds
            raise CellError(f"数值过大（整数部分最多 {precision - scale} 位）") from None
        if abs(value) >= bound:
            raise CellError(f"数值过大（整数部分最多 {precision - scale} 位）")
        values.append(str(value))
    return values


def joined_column(pieces: list[Sequence[Any]]) -> Sequence[Any]:
    """A column read a slice at a time (column_reader of each slice) as one: Amounts
    again where every slice was (their floats kept), else a list of the values."""
    if len(pieces) == 1:
        return pieces[0]
    if all(isinstance(piece, Amounts) for piece in pieces):
        texts: list[Any] = []
        floats: list[float] = []
        for piece in pieces:
            texts.extend(piece)
            floats.extend(piece.floats)  # type: ignore[attr-defined]
        return Amounts(texts, floats)
    values: list[Any] = []
    for piece in pieces:
        values.extend(piece)
    return values


def decimal_value(text: str | None) -> Decimal | None:
    """The Decimal of a cell _decimals kept."""
    return None if text is None else Decimal(text)


def date_value(text: str | None) -> dt.date | None:
    """The date of a cell _dates kept."""
    return None if text is None else dt.date.fromisoformat(text)


def held_value(column: Any) -> Callable[[str | None], Any] | None:
    """How a cell column_reader kept as its text becomes the value the ORM holds (None:
    it is that value already)."""
    if isinstance(column.type, Numeric):
        return decimal_value
    if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
        return date_value
    return None


def _dates(cells: Sequence[str], seen: dict[str, str] | None = None
           ) -> Sequence[str | None]:
    """A column of dates, checked, kept as their ISO text (None for a blank), as SQLite
    stores them and a server's COPY takes them: 400k dates per 100k firms made date objects
    here and text again for the driver (0.4 s). Another form date.fromisoformat takes
    (20261204) is kept as 2026-12-04. Each distinct text is checked once; ``seen`` (text:
    its ISO form) keeps them across the slices of one table (_date_reader)."""
    seen = {} if seen is None else seen
    distinct = set(cells)
    try:
        for text in distinct.difference(seen):
            seen[text] = dt.date.fromisoformat(text).isoformat() if text else ""
    except ValueError:
        raise CellError("应为日期（如 2026-12-04）") from None
    if any(seen[text] != text for text in distinct):
        cells = [seen[text] for text in cells]
    return _blanks_as_none(cells) if "" in distinct else cells


def _date_reader() -> ColumnReader:
    """_dates for one table read a slice at a time: a date checked in one slice is not
    checked again in the next (100k firms' dates: 80k checks instead of 8k)."""
    seen: dict[str, str] = {}
    return lambda cells: _dates(cells, seen)


def _booleans(cells: Sequence[str]) -> list[Any]:
    if not set(cells) <= {"0", "1"}:
        raise CellError("应为 1 或 0")
    return [text == "1" for text in cells]


def _texts(limit: int | None, nullable: bool) -> ColumnReader:
    def read(cells: Sequence[str]) -> Sequence[Any]:
        if limit is not None and cells and max(map(len, cells)) > limit:
            raise CellError(f"超过 {limit} 个字")
        if nullable and "" in cells:
            return _blanks_as_none(cells)
        return cells
    return read


def column_reader(column: Any) -> ColumnReader:
    """How to read a whole column of cells back into the values the ORM holds; raises
    CellError (call it again on one cell to find which)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return _booleans
    if isinstance(kind, Integer):
        return _integers
    if isinstance(kind, Numeric):
        return partial(_decimals, kind.scale, kind.precision)
    if isinstance(kind, DateTime):
        raise TypeError(f"no date-time column is carried: {column.name}")
    if isinstance(kind, Date):
        return _date_reader()
    limit = kind.length if isinstance(kind, String) else None
    return _texts(limit, bool(column.nullable) and column.name != "credit_code")
