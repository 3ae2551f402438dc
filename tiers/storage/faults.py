"""What goes wrong with a database file, told to the user in one Chinese line."""

from __future__ import annotations

from tiers.errors import StorageError


class DatabaseError(StorageError):
    """A database that cannot be opened, migrated, backed up or restored; the message is
    for the user."""
