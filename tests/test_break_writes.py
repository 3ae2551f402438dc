"""The newer writes under the break campaign's blows (benchmarks/break_writes.py runs the
full campaign: 30 kills per write, every write on a full disk and a read-only file, the
concurrent pairs): here a few of each, on a small county, so that they keep holding.

- ``kill -9`` mid-write: the database opens, is intact and holds exactly the state before
  or after (a digest of every table's rows); a killed fill-template leaves the template
  as it was and no output or a whole one;
- a full disk (a tmpfs filled up: the kernel's own ENOSPC) and a read-only database file
  (for an ordinary user): one Chinese line and nothing changed;
- two writers at once: both finish or one is refused in Chinese, and the result is that of
  the two run one after the other;
- hostile packages against a newer package that changes nothing (recorded as sent only):
  refused in Chinese with nothing changed, 报送情况 too, or taken as what they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import break_jobs as breaking  # noqa: E402
from benchmarks.break_campaign import kill_at_random  # noqa: E402
from benchmarks.break_fixtures import build  # noqa: E402
from benchmarks.break_runs import ENV, reference_run, together  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

# a few moments of each write, as fractions of its own duration (the campaign draws them)
KILLS = {"package import (newer replaces)": (0.85,), "package undo": (0.85,),
         "package import (receipt only)": (0.9,),
         # the newer package merged with the city's own corrections, and the third one
         # that agrees with them (its marker lines)
         "package import (merged with city edits)": (0.85,),
         "package import (marker lines)": (0.85,),
         "bulk review": (0.9,), "re-import 只补空白": (0.9,), "fill-template": (0.9,),
         # the writes of #25: 回收站 恢复 as one batch, the 采集表 with plausibility warnings
         "bulk restore": (0.85,), "采集表 import (plausibility warnings)": (0.85,),
         # session 27: two units' firms without a county (one unit's newer package beside
         # the other's, the other's undone), a county's own package taking over from a
         # carrier, check --fix, a backup over an earlier backup
         "package import (two units: 武进's newer)": (0.85,),
         "package undo (two units: 新北's)": (0.85,), "takeover import": (0.85,),
         "check --fix": (0.85,), "backup over an earlier backup": (0.8,)}
WRITES_NOTHING = {"fill-template", "backup over an earlier backup"}  # (to the database)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("break-writes")
    ENV["TIERS_IMPORT_MAPPINGS"] = str(folder / "mappings.json")
    return build(folder / "fixtures", 300)


@pytest.fixture(scope="module")
def jobs(fixtures):
    return {job.name: job for job in breaking.write_jobs(fixtures)}


def _can_mount(tmp_path) -> bool:
    point = tmp_path / "probe"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)],
                      capture_output=True).returncode != 0:
        return False
    subprocess.run(["umount", str(point)], capture_output=True)
    return True


@pytest.mark.parametrize("name", list(KILLS))
def test_a_killed_write_leaves_the_state_before_or_after(jobs, name, tmp_path):
    job = jobs[name]
    folder = tmp_path / "reference"
    folder.mkdir()
    db, args = job.prepare(folder)
    duration = reference_run(db, *args)
    assert job.check(db, folder, finished=True) == "ok"
    assert job.writes() or name in WRITES_NOTHING
    for number, moment in enumerate(KILLS[name]):
        # a run may end before its moment (start-up is most of a small write, and it
        # varies): earlier moments until one is killed mid-way, each run checked
        for attempt, share in enumerate((moment, moment * 0.7, moment * 0.5, 0.3)):
            folder = tmp_path / f"kill{number}-{attempt}"
            folder.mkdir()
            db, args = job.prepare(folder)
            killed = kill_at_random(db, args, share * duration)
            assert job.check(db, folder, finished=not killed) == "ok"
            if killed:
                break
        assert killed, f"{name}: every run ended before it could be killed"


@pytest.mark.parametrize("name", ["package import (newer replaces)", "bulk measure",
                                  "fill-template", "check --fix",
                                  # the earlier backup beside it stays byte for byte
                                  "backup over an earlier backup"])
def test_a_full_disk_is_one_chinese_line_and_the_state_before(jobs, name, tmp_path):
    if os.geteuid() != 0 or not _can_mount(tmp_path):
        pytest.skip("mounting a small tmpfs needs root")
    assert breaking.full_disk_run(jobs[name], tmp_path) == "ok"


@pytest.mark.parametrize("name", ["package import (newer replaces)", "confirm-batch"])
def test_a_read_only_database_is_one_chinese_line_and_unchanged(jobs, name, tmp_path):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("running as another user (a read-only file stops only them) needs root")
    _reachable_by_nobody(tmp_path)
    assert breaking.read_only_run(jobs[name], tmp_path) == "ok"


def _reachable_by_nobody(tmp_path):
    os.chmod(tmp_path, 0o777)
    for parent in tmp_path.parents:  # the ordinary user must reach the folder
        if parent == Path(parent.anchor) or str(parent) == "/tmp":
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o005)


def test_a_backup_over_a_read_only_earlier_one_is_one_chinese_line_and_keeps_it(
        fixtures, tmp_path):
    """The earlier backup read-only in a folder the user may not write: refused in
    Chinese, the earlier backup byte for byte, nothing left beside it."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("running as another user (a read-only file stops only them) needs root")
    _reachable_by_nobody(tmp_path)
    assert breaking.backup_read_only_target(fixtures, tmp_path) == "ok"


@pytest.mark.parametrize("name", ["package import vs bulk trash", "undo vs bulk officer",
                                  "merged import vs bulk officer",
                                  # the loser was silent on stderr (#26)
                                  "bulk restore vs bulk restore",
                                  # session 27: two units' firms without a county, a
                                  # takeover, check --fix beside a package import
                                  "two units' packages with firms without a county at once",
                                  "takeover vs bulk officer on the county's firms",
                                  "check --fix vs the county's newer package"])
def test_two_writers_at_once_are_one_after_the_other(fixtures, name, tmp_path):
    pair = next(pair for pair in breaking.PAIRS if pair.name == name)
    db, commands = pair.prepare(fixtures, tmp_path)
    outcomes = together(tmp_path, db, *commands)
    for status, stderr in outcomes:
        assert status == 0 or breaking.chinese_refusal(stderr), stderr
    assert breaking.pair_verdict(pair, fixtures, db, outcomes) == "ok"


@pytest.mark.parametrize("name", list(breaking.HOSTILE))
def test_a_hostile_package_is_refused_or_taken_as_it_is(fixtures, name, tmp_path):
    assert breaking.hostile_run(fixtures, name, tmp_path) == "ok"
