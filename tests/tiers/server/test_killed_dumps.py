"""A backup (or a restore's safety copy) killed mid-way on a server leaves its
``.dump.partial`` beside the user's backups for ever: pg_dump, left running by the killed
Tiers, finishes writing it, and nobody renames it (the break campaign of #16 found 9 beside
20 restores). The next backup into the folder removes such copies once they are stale, and
nothing that is not pg_dump's."""

from __future__ import annotations

import os
import time

import pytest

from tiers.storage.server.dump import ARCHIVE_MAGIC, dump_server

pytestmark = pytest.mark.server_only


def test_the_next_backup_removes_what_killed_ones_left(bureau, tmp_path):
    an_hour_ago = time.time() - 2 * 3600
    killed = tmp_path / "tiers-20261201-090000-before-restore.dump.partial"
    killed.write_bytes(ARCHIVE_MAGIC + b"\0" * 100)
    empty = tmp_path / "tiers-20261201-090001-manual.dump.partial"
    empty.write_bytes(b"")
    foreign = tmp_path / "电影.dump.partial"
    foreign.write_bytes(b"not a dump")
    for path in (killed, empty, foreign):
        os.utime(path, (an_hour_ago, an_hour_ago))
    in_progress = tmp_path / "tiers-20261201-090002-manual.dump.partial"
    in_progress.write_bytes(ARCHIVE_MAGIC)

    made = dump_server(bureau.url, tmp_path / "new.dump")

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [made.name, foreign.name, in_progress.name])
