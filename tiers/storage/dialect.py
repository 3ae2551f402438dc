"""What differs between the engines below the queries: reading whole tables straight from
the driver, and the few expressions whose meaning differs (order, LIKE, string aggregation).

The import plan loads every enterprise at once (100k rows). Going through SQLAlchemy's row
processing (its date parsing above all) was most of that time, so the plan reads the raw
driver rows; only this module knows how each engine hands Date and DateTime columns back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal


def raw_rows(connection: Connection, columns: Sequence[Column]) -> list[Any]:
    """Every row of the columns' table as the driver returns it: tuples in column order,
    no SQLAlchemy processing. Dates are as the engine gives them: see date_readers."""
    quote = connection.dialect.identifier_preparer.quote
    table = columns[0].table
    listed = ", ".join(quote(column.name) for column in columns)
    return connection.exec_driver_sql(f"SELECT {listed} FROM {quote(table.name)}").all()


def _sqlite_date(stored: str) -> dt.date:
    """A Date column's text as SQLite stores it (2015-03-08) back to a date."""
    return dt.date.fromisoformat(stored[:10])


def _as_given(value: Any) -> Any:
    return value


def date_readers(connection: Connection
                 ) -> tuple[Callable[[Any], dt.date], Callable[[Any], dt.datetime]]:
    """(date of, datetime of) a raw driver value that is not None: SQLite stores text,
    the other drivers return date and datetime objects already."""
    if connection.dialect.name == "sqlite":
        return _sqlite_date, dt.datetime.fromisoformat
    return _as_given, _as_given


# --- one order, one search, whatever the engine ----------------------------------------------
# The queries are written once and compile on both engines; where SQLite and PostgreSQL
# differ in meaning, the difference is settled here, and SQLite's SQL stays exactly what it
# was (its speed too). SQLite is the reference:
#   - text sorts by code point (BINARY). PostgreSQL sorts by the database's collation,
#     whatever the server was set up with (zh_CN, en_US: punctuation before letters, case
#     and spaces weighed last …), so text is sorted COLLATE "C" there, which every
#     PostgreSQL has and which is code-point order for UTF-8. The pinyin key
#     (tiers.model.pinyin.sort_key) then orders Chinese names the same on both.
#   - NULL is the smallest value (first ascending, last descending); PostgreSQL's NULL is
#     the largest, so it is told NULLS FIRST / NULLS LAST.
#   - LIKE ignores the case of ASCII letters, and of nothing else; PostgreSQL's LIKE is
#     case-sensitive and its ILIKE folds every letter the collation knows (Ａ and ａ too),
#     so the column's ASCII capitals are translated to small letters there instead.
#   - group_concat is string_agg, ordered by the key given (SQLite concatenates in the
#     order it reads the rows: by rowid through the index on the foreign key).

_ASCII_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Sorted(ColumnElement):
    """``expression`` ASC or DESC, sorted the way SQLite sorts it."""

    inherit_cache = True
    _traverse_internals = [("element", InternalTraversal.dp_clauseelement),
                           ("descending", InternalTraversal.dp_boolean)]

    def __init__(self, expression: Any, descending: bool) -> None:
        self.element = coercions.expect(roles.ExpressionElementRole, expression)
        self.descending = descending
        self.type = self.element.type


def ascending(expression: Any) -> ColumnElement:
    """ORDER BY ``expression`` ASC: code-point order for text, NULL first."""
    return _Sorted(expression, descending=False)


def descending(expression: Any) -> ColumnElement:
    """ORDER BY ``expression`` DESC: code-point order for text, NULL last."""
    return _Sorted(expression, descending=True)


@compiles(_Sorted)
def _sorted_as_sqlite(element: _Sorted, compiler: Any, **kw: Any) -> str:
    direction = element.element.desc() if element.descending else element.element.asc()
    return compiler.process(direction, **kw)


@compiles(_Sorted, "postgresql")
def _sorted_on_postgresql(element: _Sorted, compiler: Any, **kw: Any) -> str:
    expression = element.element
    if isinstance(expression.type, String):
        expression = expression.collate("C")
    ordered = (expression.desc().nulls_last() if element.descending
               else expression.asc().nulls_first())
    return compiler.process(ordered, **kw)


class ascii_folded(FunctionElement):
    """The text with ASCII capitals as small letters, for LIKE: on SQLite the text itself
    (its LIKE folds ASCII already), elsewhere translate()."""

    type = String()
    inherit_cache = True
    name = "ascii_folded"


@compiles(ascii_folded)
def _folded_as_sqlite(element: ascii_folded, compiler: Any, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(ascii_folded, "postgresql")
def _folded_on_postgresql(element: ascii_folded, compiler: Any, **kw: Any) -> str:
    (expression,) = element.clauses
    return compiler.process(
        func.translate(expression, _ASCII_CAPITALS, _ASCII_CAPITALS.lower()), **kw)


def like_ignoring_ascii_case(column: Any, pattern: str, escape: str = "\\") -> ColumnElement:
    """``column LIKE pattern`` as SQLite means it: ASCII letters match whatever their case.
    The pattern's ASCII letters are folded here, the column's by the engine."""
    folded = pattern.translate(_FOLD_ASCII)
    return ascii_folded(column).like(folded, escape=escape)


_FOLD_ASCII = str.maketrans(_ASCII_CAPITALS, _ASCII_CAPITALS.lower())


class joined_strings(FunctionElement):
    """The group's values joined by ``separator`` in the order of ``order_key``:
    joined_strings(value, separator, order_key)."""

    type = String()
    inherit_cache = True
    name = "joined_strings"


@compiles(joined_strings)
def _joined_as_sqlite(element: joined_strings, compiler: Any, **kw: Any) -> str:
    value, separator, _order_key = element.clauses
    return compiler.process(func.group_concat(value, separator), **kw)


@compiles(joined_strings, "postgresql")
def _joined_on_postgresql(element: joined_strings, compiler: Any, **kw: Any) -> str:
    value, separator, order_key = element.clauses
    return compiler.process(
        func.string_agg(value, separator).aggregate_order_by(order_key), **kw)


class json_quoted(FunctionElement):
    """The value as a JSON literal, as text ("name" with its quotes escaped; null for
    NULL), for change rows written by INSERT … SELECT: SQLite's json_quote(), PostgreSQL's
    to_json()."""

    type = String()
    inherit_cache = True
    name = "json_quoted"


@compiles(json_quoted)
def _json_quoted_as_sqlite(element: json_quoted, compiler: Any, **kw: Any) -> str:
    return compiler.process(func.json_quote(*element.clauses), **kw)


@compiles(json_quoted, "postgresql")
def _json_quoted_on_postgresql(element: json_quoted, compiler: Any, **kw: Any) -> str:
    (expression,) = element.clauses
    as_text = func.to_json(expression).cast(String)
    return compiler.process(func.coalesce(as_text, "null"), **kw)


def database_now(connection: Connection) -> dt.datetime:
    """The database's own clock, in UTC, naive as the DateTime columns store it: a shared
    server's (the start of the transaction), a file's the SQLite library's. What compares
    with moments written by several computers asks it, not the client's clock: a PC whose
    clock ran a month ahead pruned a colleague's fresh 保存 token (review26)."""
    if connection.dialect.name == "postgresql":
        return connection.exec_driver_sql(
            "SELECT CURRENT_TIMESTAMP AT TIME ZONE 'UTC'").scalar_one()
    stored = connection.exec_driver_sql(
        "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')").scalar_one()
    return dt.datetime.fromisoformat(stored)


def server_login(session: Session) -> str | None:
    """The database login the session writes as on a shared server (the server's triggers
    write it into the change log whatever a client sends), asked once per session; None on
    a SQLite file, which has no logins."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    login = session.info.get("tiers_login")
    if login is None:
        login = session.execute(text("SELECT session_user")).scalar_one()
        session.info["tiers_login"] = login
    return login


def ids_given_by_hand(connection: Connection, table: Table) -> None:
    """After rows were inserted into ``table`` with ids of their own (the demo county):
    the ids the database gives next come after them. SQLite takes max(rowid) + 1 by itself;
    PostgreSQL's sequence knows nothing of ids it did not hand out, and its next insert
    would collide with them."""
    if connection.dialect.name != "postgresql":
        return
    (key,) = table.primary_key.columns
    connection.execute(select(func.setval(
        func.pg_get_serial_sequence(table.name, key.name),
        select(func.max(key)).scalar_subquery())).where(
            select(func.max(key)).scalar_subquery().isnot(None)))


def statistics_after_bulk_write(connection: Connection, tables: Sequence[Table]) -> None:
    """After many rows were written into ``tables`` in this transaction: PostgreSQL's
    planner knows the new sizes at once (measured: the roster sorted by tier on 100,000
    new firms took minutes with the statistics of the empty tables, a nested loop, until
    autovacuum came by; 1 s after ANALYZE). SQLite plans without such statistics."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        connection.exec_driver_sql(f"ANALYZE {quote(table.name)}")


def beyond_scale(connection: Connection, numbers: Sequence[tuple[str, int]]) -> list[str]:
    """SQL tests, one per (column, its scale), true for a stored number with more places
    than its column keeps (written by another program: SQLite stores any REAL). Rounding
    through integers, with no function call per cell, took a quarter of ROUND()'s time on
    a county's 3 million cells; a number the column keeps is the nearest double to its
    decimal, and division rounds correctly, so the test is exact below 10^11 at scale 4
    (above, it may say yes of a kept number, which only costs a firm the slow path).
    PostgreSQL's NUMERIC(p, s) rounds every number to its scale as it stores it: none."""
    if connection.dialect.name == "postgresql":
        return []
    return [f"{name} <> CAST({name} * {10 ** scale} + (CASE WHEN {name} < 0 THEN -0.5"
            f" ELSE 0.5 END) AS INTEGER) / {10 ** scale}.0" for name, scale in numbers]


# How Tiers' connections to a server are set up. JIT compilation pays off for queries that
# run for many seconds over millions of rows; the roster's queries over 100,000 firms cross
# its cost threshold and then spent 0.9–1.5 s compiling for 0.3 s of work (measured on the
# chain filter, PostgreSQL 15).
SERVER_CONNECT_ARGS = {"options": "-c jit=off"}


def connect_args(url: str) -> dict[str, Any]:
    """What the driver is given for the database at ``url`` (a sqlite:// URL gets nothing)."""
    return dict(SERVER_CONNECT_ARGS) if url.startswith("postgresql") else {}
