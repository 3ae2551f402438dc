"""What goes wrong with a database file, told to the user in one Chinese line."""

from __future__ import annotations

from tiers.errors import Kind, StorageError


class DatabaseError(StorageError):
    """A database that cannot be opened, migrated, backed up or restored; the message is
    for the user."""


class FileRefused(DatabaseError):
    """A file Tiers will not open or restore (another program's database, a newer schema);
    it was not changed."""

    kind = Kind.REFUSED
