"""The bulk writer: many new rows into a few tables inside the caller's transaction, as
fast as the database engine allows. An import turns its plan into rows and hands them here;
how they reach the database (SQLite: multi-row INSERTs on a thread of their own;
PostgreSQL: COPY) is the engine's business, chosen by ``bulk_writer``.

The caller keeps its session's transaction: whatever a writer wrote is rolled back with it.
Between ``insert_rows`` and ``wait`` the writer may still be using the session's connection,
so the caller must not run statements of its own in between."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from tiers.errors import StorageError


class Amounts(list):
    """A column of amounts as their checked text (what a server is given: exact) that also
    holds the float of each (what SQLite stores, REAL), made once where the text was
    checked: a package's 3.6 million amounts per 100k firms were parsed twice (0.5 s)."""

    def __init__(self, texts: Sequence[str], floats: list[float]) -> None:
        super().__init__(texts)
        self.floats = floats


class BulkWriter(ABC):
    """Writes rows in the order given; ``wait`` until they are all written, ``close`` at the
    end (also after a failure or a cancel, before the rollback)."""

    @abstractmethod
    def new_ids(self, table: Table, *, expected: int) -> Iterator[int]:
        """Ids for the new rows of ``table``, increasing, about ``expected`` of them (more
        are given as they are asked for). Call before the first insert_rows: on SQLite
        (max(id) + 1 under the write lock) the ids are counted without the database; on a
        server they come from the table's sequence, so that other officers' inserts, now
        or later, never take one of them."""

    @abstractmethod
    def insert_rows(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]],
                    *, constants: Mapping[str, Any]) -> None:
        """New rows of ``table``, each a tuple in the order of ``columns`` (names that are
        not columns of the table are skipped), Python values as the ORM holds them (an
        amount, a Numeric column's, may also be given as its text, such as "12.5").
        ``constants`` are the values every row shares for the columns not given (this
        import's batch, its time, blank defaults): written once per statement where the
        engine allows, instead of being bound with every row."""

    def insert_columns(self, table: Table, columns: Sequence[str],
                       values: Sequence[Sequence[Any]], *, constants: Mapping[str, Any]) -> None:
        """insert_rows given a column at a time: ``values[i]`` holds column i's value of
        every row (all of the same length). For a caller that holds its data by column:
        the engine's writer may convert each column whole before making the rows."""
        self.insert_rows(table, columns, list(zip(*values, strict=True)), constants=constants)

    @abstractmethod
    def record_creations(self, table: Table, *, first_id: int, last_id: int, owner: str,
                         identity: Sequence[str], change: Mapping[str, Any]) -> None:
        """A row of the change log for each row of ``table`` with an id from first_id to
        last_id and ``import_batch_id`` = change["import_batch_id"], written by the database
        from the rows themselves: entity = the table's name, entity_id = the row's id,
        enterprise_id = its ``owner`` column, action "create", new_value = a JSON object of
        its ``identity`` columns, and ``change``'s "at", "user" and "import_batch_id"."""

    @abstractmethod
    def drop_secondary_indexes(self, table: Table, *, adding: int) -> None:
        """Before adding ``adding`` rows: drop the table's secondary indexes when building
        them again afterwards is cheaper than keeping them up to date row by row."""

    @abstractmethod
    def rebuild_secondary_indexes(self, table: Table | None = None) -> None:
        """Build again the indexes dropped (of one table, or of all), after the rows."""

    @abstractmethod
    def wait(self) -> None:
        """Until everything given has been written; raises what failed. The session's
        connection is then the caller's again."""

    @abstractmethod
    def close(self) -> None:
        """Skip what is still queued and release what the writer holds; safe to repeat."""


def bulk_writer(session: Session, *, deep_queue: bool = False) -> BulkWriter:
    """The bulk writer for the database engine behind the session. ``deep_queue``: a writer
    that writes on a thread of its own (SQLite) lets the caller run a few hundred statements
    ahead (about 64 MB of their values) instead of a few, for a caller with other work
    meanwhile (reading the next table)."""
    dialect = session.connection().dialect.name
    if dialect == "sqlite":
        from tiers.storage.bulk_sqlite import SqliteBulkWriter

        return SqliteBulkWriter(session, deep_queue=deep_queue)
    if dialect == "postgresql":
        from tiers.storage.bulk_postgres import PostgresBulkWriter

        return PostgresBulkWriter(session)
    raise StorageError(f"暂不支持向 {dialect} 数据库批量写入")


def prepared_for_bulk(session: Session, *, rows: int) -> AbstractContextManager[None]:
    """Around a transaction that writes about ``rows`` rows: the engine's settings for a
    large write (SQLite: a bigger page cache, the checkpoint after the commit on a thread;
    PostgreSQL: the tables analysed before the commit, tiers.storage.server.statistics)."""
    dialect = session.connection().dialect.name
    if dialect == "sqlite":
        from tiers.storage.bulk_sqlite import prepared_for_bulk as prepared_for_sqlite

        return prepared_for_sqlite(session.connection(), rows=rows)
    if dialect == "postgresql":
        from tiers.storage.server.statistics import analysed_afterwards

        return analysed_afterwards(session.connection(), rows=rows)
    return nullcontext()
