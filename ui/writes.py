"""One write from a page's button: its own transaction, a refusal shown to the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from tiers.services.errors import NotFound, ValidationError
from tiers.storage.database import Database
from ui.ask import MessageDialog


def write(parent: QWidget, database: Database, title: str,
          action: Callable[[Any], object]) -> bool:
    """Run ``action`` (given the session) in one transaction. A refusal by the services (a rule broken, the
    record gone meanwhile) is shown under ``title`` and nothing is written: False."""
    try:
        with database.session() as session:
            action(session)
    except (ValidationError, NotFound) as exc:
        MessageDialog.error(parent, title, str(exc))
        return False
    return True
