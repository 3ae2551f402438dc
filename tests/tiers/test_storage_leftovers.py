"""A backup killed midway leaves ``.partial`` and ``.partial-journal`` files; the next backup
or open removes them (only ours, by their exact naming), and never a copy in progress."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tiers.services import demo
from tiers.storage import backups
from tiers.storage.database import open_database

pytestmark = pytest.mark.sqlite_only  # what killed backups leave beside the SQLite file

ROOT = Path(__file__).resolve().parents[2]

# backup_file, with the copy's source killed after its first step of pages
KILLED_BACKUP = textwrap.dedent("""
    import os, sqlite3, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tiers.storage import backups

    class DiesAfterOneStep:
        def __init__(self, connection):
            self.connection = connection
        def execute(self, *arguments):
            return self.connection.execute(*arguments)
        def close(self):
            self.connection.close()
        def backup(self, target, pages=-1, progress=None):
            self.connection.backup(target, pages=1, progress=lambda *_: os._exit(9))

    class Driver:
        Error = sqlite3.Error
        def connect(self, *arguments, **options):
            connection = sqlite3.connect(*arguments, **options)
            return DiesAfterOneStep(connection) if options.get("uri") else connection

    backups.sqlite3 = Driver()
    backups.backup_file(Path(sys.argv[1]), sys.argv[2])
    """)


def kill_a_backup(source: Path, target: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(source), str(target),
                               str(ROOT)], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 9, finished.stderr


def age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (then, then))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


@pytest.fixture
def live(tmp_path):
    database = open_database(tmp_path / "live.sqlite3")
    with database.session() as session:
        list(demo.generate(session, enterprises=50))
    yield database
    database.dispose()


def test_a_killed_backup_is_cleaned_at_the_next_open(tmp_path, live):
    kill_a_backup(live.path, tmp_path / "backups" / "live-killed.sqlite3")
    assert leftovers(tmp_path / "backups") == ["live-killed.sqlite3.partial",
                                               "live-killed.sqlite3.partial-journal"]
    age(tmp_path / "backups", backups.STALE_AFTER_SECONDS + 1)
    open_database(live.path).dispose()
    assert leftovers(tmp_path / "backups") == []


def test_a_killed_backup_is_cleaned_at_the_next_backup_into_its_folder(tmp_path, live):
    folder = tmp_path / "elsewhere"
    kill_a_backup(live.path, folder / "first.sqlite3")
    age(folder, backups.STALE_AFTER_SECONDS + 1)
    live.backup(folder / "second.sqlite3")
    assert sorted(p.name for p in folder.iterdir()) == ["second.sqlite3"]


def test_the_same_target_again_replaces_its_own_leftovers_at_once(tmp_path, live):
    target = tmp_path / "copies" / "copy.sqlite3"
    kill_a_backup(live.path, target)
    live.backup(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite3"]


def test_only_our_leftovers_and_no_copy_in_progress_are_removed(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "film.mkv.partial").write_bytes(b"\x1aE\xdf\xa3 another program's download")
    (folder / "notes.partial.txt").write_bytes(b"")
    (folder / "old.sqlite3.partial").write_bytes(b"")
    (folder / "old.sqlite3.partial-journal").write_bytes(b"\xd9\xd5\x05\xf9")
    # killed before page 1 was written, after later pages were: zeros up to them
    (folder / "zeros.sqlite3.partial").write_bytes(b"\0" * 4096 + b"\x0d\0\0\0")
    age(folder, backups.STALE_AFTER_SECONDS + 1)
    (folder / "running.sqlite3.partial").write_bytes(b"SQLite format 3\x00")  # being written
    backups.remove_leftovers(folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "film.mkv.partial", "notes.partial.txt", "running.sqlite3.partial"]
