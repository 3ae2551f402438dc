"""One desktop client per database: the lock file beside it names who has it open; a lock
whose process has ended is stale and taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from tiers.errors import Conflict
from tiers.storage import instance
from tiers.storage.instance import DatabaseInUse, Holder, claim, lock_path, release

pytestmark = pytest.mark.sqlite_only  # the one-client lock file beside the SQLite file


def write_lock(database, **values) -> None:
    holder = {"pid": os.getpid(), "user": "王科长", "host": socket.gethostname(),
              "since": "2026-03-02T08:30:00"} | values
    lock_path(database).write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def database(tmp_path):
    return tmp_path / "tiers.sqlite3"


@pytest.fixture
def other_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child
    child.kill()
    child.wait()


def test_the_first_client_takes_the_database_and_gives_it_back(database):
    assert claim(database) is True
    holder = instance.read_holder(lock_path(database))
    assert holder.pid == os.getpid() and holder.host == socket.gethostname()
    assert claim(database) is False  # the same process again (a restore reopens it)
    release(database)
    assert not lock_path(database).exists()


def test_a_second_client_is_told_who_has_it_open(database, other_process):
    write_lock(database, pid=other_process.pid)
    before = lock_path(database).read_bytes()
    with pytest.raises(DatabaseInUse) as refused:
        claim(database)
    assert isinstance(refused.value, Conflict)
    message = str(refused.value)
    assert "王科长" in message and socket.gethostname() in message
    assert "2026-03-02 08:30:00" in message and str(database) in message
    assert lock_path(database).read_bytes() == before


def test_a_lock_left_by_a_killed_client_is_taken_over(database):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    write_lock(database, pid=ended.pid)
    assert claim(database) is True
    assert instance.read_holder(lock_path(database)).pid == os.getpid()


def test_a_lock_from_another_computer_is_respected(database):
    write_lock(database, pid=1, host="另一台电脑")
    with pytest.raises(DatabaseInUse, match="另一台电脑"):
        claim(database)


def test_an_unreadable_old_lock_is_taken_over(database):
    lock_path(database).write_text("{", encoding="utf-8")  # killed while writing it
    old = time.time() - 60
    os.utime(lock_path(database), (old, old))
    assert claim(database) is True


def test_another_clients_lock_is_never_released(database, other_process):
    write_lock(database, pid=other_process.pid)
    release(database)
    assert lock_path(database).exists()


def test_a_folder_without_write_access_does_not_block(database, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(instance, "_create", refuse)
    assert claim(database) is False


def test_process_check():
    assert instance.pid_alive(os.getpid())
    assert not instance.pid_alive(0)
    assert Holder.this_process().is_this_process()
