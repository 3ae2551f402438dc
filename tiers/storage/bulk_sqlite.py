"""The bulk writer for SQLite: the session's own driver connection, multi-row INSERTs on a
thread of their own, constants written into the statements, and secondary indexes built
again after a large insert instead of being kept up to date row by row.

Measured on a 100k-row roster (see benchmarks/import_roster.py), what costs is binding
values and maintaining indexes, so:
- each group of rows is inserted with a statement naming only the columns the rows carry;
  the columns every row shares (an import's batch, its time, the blank text defaults) are
  written into the statement as literals instead of being bound 100k times;
- the change-log rows of created records are written by SQLite itself, with one
  INSERT … SELECT over the id range of the new rows;
- when an insert adds more rows than a table holds, the table's secondary indexes are
  dropped and built again afterwards (a sort instead of 100k random b-tree inserts), inside
  the same transaction, so a rollback restores them too;
- the INSERTs run on a thread of their own (WriterThread) with the session's driver
  connection, in order, while the caller builds the next chunk: SQLite works without the
  GIL, so on a second core the two overlap.
"""

from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from itertools import chain, count
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Numeric, Table
from sqlalchemy.orm import Session

from tiers.storage.bulk import Amounts, BulkWriter
from tiers.storage.database import checkpoint_afterwards
from tiers.storage.locking import translate_busy

LARGE_WRITE = 10_000  # rows: a bigger page cache, and the WAL checkpoint afterwards
REBUILD_INDEXES_FROM = 20_000  # rows added to one table before its indexes are rebuilt
_CHANGE_COLUMNS = ('"at", "user", "entity", "entity_id", "enterprise_id", "action", "field", '
                   '"old_value", "new_value", "import_batch_id"')


ColumnConverter = Callable[[Sequence[Any]], Sequence[Any]]


def driver_column(column_type: Any) -> ColumnConverter | None:
    """How SQLAlchemy's SQLite dialect stores Python values of this column type, a whole
    column at a time (None: as they are). One comprehension per column: a function call
    per value cost as much as the conversion (3 million amounts: 0.8 s)."""
    if isinstance(column_type, DateTime):
        return lambda values: [None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
                               for v in values]
    if isinstance(column_type, Date):
        return _dates
    if isinstance(column_type, Numeric):  # (a Decimal, or its text: float takes both)
        return _amounts
    if isinstance(column_type, Boolean):
        return lambda values: [None if v is None else int(bool(v)) for v in values]
    return None


def _amounts(values: Sequence[Any]) -> list[Any]:
    if None not in values:  # (a column without blanks: float of each, in C)
        return list(map(float, values))
    return [None if v is None else float(v) for v in values]


def _dates(values: Sequence[Any]) -> Sequence[Any]:
    """Dates as SQLite keeps them: their ISO text (as given already by a package, which
    keeps its checked text)."""
    if set(map(type, values)) <= {str, type(None)}:
        return values
    return [v if v is None or type(v) is str else v.isoformat() for v in values]


def driver_value(column_type: Any, value: Any) -> Any:
    """One value as driver_column stores it."""
    convert = driver_column(column_type)
    return value if convert is None else convert([value])[0]


def _literal(value: Any) -> str:
    """A constant as SQL text: only numbers and text the caller made (never user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if "'" in text:  # never the case for the constants given; refuse rather than quote
        raise ValueError(f"not a safe literal: {text!r}")
    return f"'{text}'"


@contextmanager
def prepared_for_bulk(connection: Connection, *, rows: int) -> Iterator[None]:
    """A bigger page cache and the checkpoint after the commit, for a large write."""
    if rows <= LARGE_WRITE:
        yield
        return
    # the default 2 MB page cache thrashes on six indexes of 100k new rows; put back
    # afterwards (the connection stays in the pool: 128 MB held for good in the client)
    driver = connection.connection.dbapi_connection
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute("PRAGMA cache_size = -131072")
    try:
        with checkpoint_afterwards(connection):
            yield
    finally:
        with suppress(sqlite3.Error):  # (never in place of the block's own error)
            driver.execute(f"PRAGMA cache_size = {int(before)}")


class _TableShape:
    """What the writer needs to know of a table: its columns and their converters."""

    def __init__(self, table: Table) -> None:
        self.name = table.name
        self.columns = {column.name for column in table.columns}
        self.convert = {column.name: convert for column in table.columns
                        if (convert := driver_column(column.type)) is not None}


def _driver_rows(shape: _TableShape, columns: Sequence[str], rows: list[tuple[Any, ...]]
                 ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns of the table among those given, and the rows cut to them with their
    values as the driver takes them (converted a column at a time)."""
    kept = [i for i, key in enumerate(columns) if key in shape.columns]
    names = [columns[i] for i in kept]
    if len(kept) < len(columns):
        pick = itemgetter(*kept)
        rows = [pick(row) for row in rows] if len(kept) > 1 else [(r[kept[0]],) for r in rows]
    if any(name in shape.convert for name in names):
        by_column = _driver_columns(shape, names, list(zip(*rows, strict=True)))
        rows = list(zip(*by_column, strict=True))
    return names, rows


def _driver_columns(shape: _TableShape, names: Sequence[str], values: Sequence[Sequence[Any]]
                    ) -> list[Sequence[Any]]:
    return [shape.convert[name](column) if name in shape.convert else column
            for name, column in zip(names, values, strict=True)]


class SqliteBulkWriter(BulkWriter):
    """Rows go to a WriterThread (started with the first of them) on the session's driver
    connection, so inside its transaction."""

    CHUNK = 5000  # rows made at a time by insert_columns

    def __init__(self, session: Session, *, deep_queue: bool = False) -> None:
        self.depth = WriterThread.DEEP if deep_queue else WriterThread.DEPTH
        self.connection = session.connection()
        self.driver = self.connection.connection.dbapi_connection
        self.thread: WriterThread | None = None
        self.shapes: dict[str, _TableShape] = {}
        self.dropped: list[tuple[str, str]] = []  # (table, CREATE INDEX …)

    def _shape(self, table: Table) -> _TableShape:
        shape = self.shapes.get(table.name)
        if shape is None:
            shape = self.shapes[table.name] = _TableShape(table)
        return shape

    def _writer(self) -> WriterThread:
        if self.thread is None:
            self.thread = WriterThread(self.driver, depth=self.depth)
        return self.thread

    def new_ids(self, table: Table, *, expected: int) -> Iterator[int]:
        # the write lock is held: nobody else inserts until the commit
        last = self.connection.exec_driver_sql(f'SELECT max("id") FROM "{table.name}"').scalar()
        return count((last or 0) + 1)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        """One statement, on the writer after the rows given before."""
        self._writer().submit(lambda cursor: cursor.execute(statement, params))

    def insert_rows(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]],
                    *, constants: Mapping[str, Any]) -> None:
        if not rows:
            return
        shape = self._shape(table)
        names, rows = _driver_rows(shape, columns, rows)
        self._writer().insert(*self._statement(shape, names, constants), rows)

    def _statement(self, shape: _TableShape, names: Sequence[str],
                   constants: Mapping[str, Any]) -> tuple[str, str]:
        """The INSERT's head and one row's VALUES for these columns (the constants
        written in as literals)."""
        literals = {name: _literal(shape.convert[name]([value])[0] if name in shape.convert
                                   else value)
                    for name, value in constants.items() if name not in names}
        quoted = ", ".join(f'"{n}"' for n in (*names, *literals))
        placeholders = ", ".join(("?",) * len(names) + tuple(literals.values()))
        return f'INSERT INTO "{shape.name}" ({quoted})', f"({placeholders})"

    def insert_columns(self, table: Table, columns: Sequence[str],
                       values: Sequence[Sequence[Any]], *, constants: Mapping[str, Any]) -> None:
        """A chunk of rows at a time, each of its columns converted whole and laid into
        the statements' values without a tuple per row (the writer inserts one chunk
        while the next is made)."""
        shape = self._shape(table)
        kept = [i for i, name in enumerate(columns) if name in shape.columns]
        names = [columns[i] for i in kept]
        head, row_values = self._statement(shape, names, constants)
        total = len(values[0]) if values else 0
        # (a column of Amounts: its floats, as _amounts would make them from the text)
        values = [values[i].floats if isinstance(values[i], Amounts) else values[i]
                  for i in range(len(values))]
        for start in range(0, total, self.CHUNK):
            part = [values[i][start:start + self.CHUNK] for i in kept]
            self._writer().insert_columns(head, row_values,
                                          _driver_columns(shape, names, part))

    def record_creations(self, table: Table, *, first_id: int, last_id: int, owner: str,
                         identity: Sequence[str], change: Mapping[str, Any]) -> None:
        members = ", ".join(f"'{name}', \"{name}\"" for name in identity)
        at = driver_value(DateTime(), change["at"])
        self.execute(
            f'INSERT INTO "change" ({_CHANGE_COLUMNS}) SELECT ?, ?, \'{table.name}\', "id", '
            f"\"{owner}\", 'create', '', NULL, json_object({members}), ? "
            f'FROM "{table.name}" WHERE "id" BETWEEN ? AND ? AND "import_batch_id" = ? '
            'ORDER BY "id"',
            (at, change["user"], change["import_batch_id"], first_id, last_id,
             change["import_batch_id"]))

    def drop_secondary_indexes(self, table: Table, *, adding: int) -> None:
        if adding < REBUILD_INDEXES_FROM:
            return
        self.wait()  # the statements below run on this thread
        existing = self.connection.exec_driver_sql(
            f'SELECT count(*) FROM "{table.name}"').scalar() or 0
        if adding < existing:
            return
        for name, sql in self.connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL", (table.name,)).all():
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
            self.dropped.append((table.name, sql))

    def rebuild_secondary_indexes(self, table: Table | None = None) -> None:
        kept = []
        for of_table, sql in self.dropped:
            if table is None or of_table == table.name:
                self.execute(sql)
            else:
                kept.append((of_table, sql))
        self.dropped = kept

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.wait()

    def close(self) -> None:
        if self.thread is not None:
            self.thread.close()


class WriterThread:
    """Statements run in order on a thread of their own with a driver connection (so inside
    its transaction), while the caller builds the next chunk. SQLite does its part (binding
    aside) without the GIL, so on a second core the b-tree inserts and index builds overlap
    the caller's Python work. Nothing else may use the connection until wait() has
    returned; close() ends the thread (before a rollback).

    The rows go in multi-row INSERTs (a statement per ~30k bound values): executemany gives
    the GIL back and takes it again for every row, and while the loop runs each of those
    waits out a switch interval. For the same reason the switch interval is shortened while
    the writer runs. Measured (100k rows, 2 cores): executemany on the thread 1.91 s,
    multi-row on the thread 1.47 s, both in the loop's thread 1.77 s."""

    DEPTH = 8  # statements queued before the loop waits for the writer: bounds the memory
    DEEP = 256  # the same, for a caller that reads meanwhile: at most 256 statements of
    # 32,766 values (a pointer each, 64 MB), the rows of a table or two of 100k firms
    SWITCH_INTERVAL = 0.0002  # s; Python's default is 0.005. The writer takes the GIL twice
    # per statement (binding, then after the step); a package import reading meanwhile
    # held it up to the interval each time: at 1 ms, 0.9 s of the annual figures' 4 s
    # of writing (README 性能, the thirty-first round)
    MAX_VALUES = 32766  # bound values per statement: SQLite's limit since 3.32 (the driver's
    # own, if lower, wins)

    def __init__(self, driver: Any, *, depth: int = DEPTH) -> None:
        """``depth``: the statements queued before the caller waits."""
        self.driver = driver
        self.values_per_statement = min(
            driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), self.MAX_VALUES)
        self.tasks: queue.Queue[Callable[[Any], None] | None] = queue.Queue(depth)
        self.error: BaseException | None = None
        self.cancelled = False
        self.sql: dict[tuple[str, str, int], str] = {}  # one text per statement shape:
        # the driver's statement cache then prepares it once
        _shorter_switch_interval(self.SWITCH_INTERVAL)
        self.thread: threading.Thread | None = threading.Thread(
            target=self._run, name="tiers-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.driver.cursor()
        try:
            while True:
                task = self.tasks.get()
                try:
                    if task is None:
                        return
                    if self.error is None and not self.cancelled:
                        task(cursor)
                except BaseException as exc:  # handed to the caller's thread, raised there
                    self.error = exc
                finally:
                    self.tasks.task_done()
        finally:
            cursor.close()

    def _raise(self) -> None:
        if self.error is not None:
            # the driver's own error: "database is locked" said as every other write says it
            raise translate_busy(self.error)

    def submit(self, task: Callable[[Any], None]) -> None:
        """Run task(cursor) on the writer after what was submitted before."""
        self._raise()
        self.tasks.put(task)

    def insert(self, head: str, row_values: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        per = max(1, self.values_per_statement // max(1, len(rows[0])))  # a row binds its tuple
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            # here: the writer's time is the scarcer
            self._submit_values(head, row_values, len(part), list(chain.from_iterable(part)))

    def insert_columns(self, head: str, row_values: str,
                       columns: Sequence[Sequence[Any]]) -> None:
        """insert, the rows given a column at a time (each of the same length): each
        column is laid into the statement's values with one slice assignment (a tuple
        per row, flattened again, cost six times as much)."""
        width = len(columns)
        total = len(columns[0]) if columns else 0
        per = max(1, self.values_per_statement // max(1, width))
        for start in range(0, total, per):
            count = min(per, total - start)
            values: list[Any] = [None] * (count * width)
            for index, column in enumerate(columns):
                values[index::width] = column[start:start + count]
            self._submit_values(head, row_values, count, values)

    def _submit_values(self, head: str, row_values: str, rows: int, values: list[Any]) -> None:
        shape = (head, row_values, rows)
        sql = self.sql.get(shape)
        if sql is None:
            sql = self.sql[shape] = f"{head} VALUES {', '.join([row_values] * rows)}"
        self.submit(lambda cursor, sql=sql, values=values: cursor.execute(sql, values))

    def wait(self) -> None:
        """Until everything submitted has run; raises what failed."""
        self.tasks.join()
        self._raise()

    def close(self) -> None:
        """Skip what is still queued and end the thread (waits for a statement running)."""
        if self.thread is None:
            return
        self.cancelled = True
        self.tasks.put(None)
        self.thread.join()
        self.thread = None
        _shorter_switch_interval(None)


_switch = {"users": 0, "saved": 0.0}
_switch_lock = threading.Lock()


def _shorter_switch_interval(interval: float | None) -> None:
    """Shorten the interpreter's switch interval while any writer runs (interval), and
    put the saved one back when the last one ends (None): two imports at once (two
    windows) must not leave it short."""
    with _switch_lock:
        if interval is not None:
            if _switch["users"] == 0:
                _switch["saved"] = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch["saved"], interval))
            _switch["users"] += 1
        else:
            _switch["users"] -= 1
            if _switch["users"] == 0:
                sys.setswitchinterval(_switch["saved"])
