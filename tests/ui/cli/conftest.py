"""The command line's tests need no Qt: the desktop's autouse fixture of tests/ui/conftest.py
(QSettings in tmp_path, patched message boxes) is replaced here by one that does nothing.
The database and HOME are still isolated per test by tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_settings() -> None:
    """No QSettings and no message boxes in the command line: nothing to isolate."""


@pytest.fixture
def cli(db_target, capsys):
    """``tiers --db <this test's database> …`` run in the test: (exit status, what it
    printed, what it said on stderr). Arguments may be paths."""
    from ui.cli.main import main

    def run(*args) -> tuple[int, str, str]:
        status = main(["--db", str(db_target), *(str(arg) for arg in args)])
        said = capsys.readouterr()
        return status, said.out, said.err

    return run
