"""Reading whole tables straight from the driver, whatever the engine.

The import plan loads every enterprise at once (100k rows). Going through SQLAlchemy's row
processing (its date parsing above all) was most of that time, so the plan reads the raw
driver rows; only this module knows how each engine hands Date and DateTime columns back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column
from sqlalchemy.engine import Connection


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
