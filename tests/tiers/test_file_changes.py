"""A SQLite file's commits by another program are noticed (PRAGMA data_version on a
connection of the listener's own); the engine's own writes, and reads, are not reported."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from tiers.storage.file_changes import OTHER_PROGRAM, FileChangeListener


@pytest.fixture
def listened(tmp_path, monkeypatch):
    monkeypatch.setattr(FileChangeListener, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(FileChangeListener, "OWN_SECONDS", 0.3)
    path = tmp_path / "库.sqlite3"
    database = open_database(path)
    heard: list[str] = []
    changed = threading.Event()
    listener = FileChangeListener(database.engine, path,
                                  lambda sender: (heard.append(sender), changed.set()))
    listener.start()
    assert listener.listening.wait(5)
    yield database, path, heard, changed
    listener.stop()
    assert not listener.running
    database.dispose()


def _add(database, serial: int) -> None:
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                     "name": f"常州监听{serial}号科技有限公司"})


def test_another_programs_commit_is_heard(listened):
    _database, path, heard, changed = listened
    other = open_database(path)  # the command line, in a process of its own
    try:
        _add(other, 1)
    finally:
        other.dispose()
    assert changed.wait(5)
    assert heard[0] == OTHER_PROGRAM


def test_own_writes_and_reads_are_not_reported(listened):
    database, _path, heard, _changed = listened
    _add(database, 2)
    for _ in range(5):
        with database.session() as session:
            enterprises.by_code(session, make_code(2))
    time.sleep(1.0)  # several looks, past the own write's moment
    assert heard == []
