"""The command line's tests need no Qt: the desktop's autouse fixture of tests/ui/conftest.py
(QSettings in tmp_path, patched message boxes) is replaced here by one that does nothing.
The database and HOME are still isolated per test by tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_settings() -> None:
    """No QSettings and no message boxes in the command line: nothing to isolate."""
