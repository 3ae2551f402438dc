"""Where the user's files live: the database unless told otherwise, and what Tiers remembers
(the import mappings). Kept apart from ``database`` so that the command line can name the
default in its help without importing SQLAlchemy."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP_NAME = "Tiers"
LOG_NAME = "tiers.log"  # the client's and the command line's log, in log_folder()


def data_folder() -> Path:
    """The user's local (not roaming) app-data folder for Tiers; not created here."""
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_path() -> Path:
    """``TIERS_DB`` if set, else ``tiers.sqlite3`` in the user's local app-data folder."""
    env = os.environ.get("TIERS_DB")
    if env:
        return Path(env).expanduser()
    return data_folder() / "tiers.sqlite3"


def log_folder() -> Path:
    """The user's log folder for Tiers (tiers.log); not created here."""
    return Path(user_log_dir(APP_NAME, appauthor=False))
