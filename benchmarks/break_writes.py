"""Try to break the newer writes (#16 packages, #19 bulk actions and re-imports), as
benchmarks/break_campaign.py does the plain import, and count what broke.

    .venv/bin/python benchmarks/break_writes.py [--rounds N] [--firms N] [--seed S]
                                                [--only NAME …] [--keep DIR]

Everything runs the real command line (``python -m ui.cli``) on SQLite files:

1. kills: every write below killed with SIGKILL at a random moment within its measured
   duration, ``--rounds`` times each (30 by default). Afterwards the library must open the
   database, ``PRAGMA integrity_check`` must say ok and every table's content (a digest of
   all its rows, not a count) must be exactly that of before or after the command. A killed
   ``fill-template`` must leave the template byte for byte, and no output or a whole one.
2. a full disk: each write on a small tmpfs filled up to a few KB (a real ENOSPC from the
   kernel, not an injected one) must end with one Chinese line and the before state;
3. a read-only database (a read-only bind mount: the campaign runs as root, whom a file's
   mode does not stop) must end with one Chinese line and nothing changed;
4. concurrent pairs started together through a barrier: package import beside a bulk
   action on the same firms, bulk beside bulk, undo beside bulk: both finish or one is
   refused in Chinese, and each one that finished is whole in the result;
5. hostile packages against the path of a newer package that changes nothing (recorded as
   sent only, #17): the county's first package with a newer date and one byte of a table
   changed, dated ten years ahead, claiming another county (or another too), a county
   listed twice or a code no county has, a date with its UTC offset: each refused in
   Chinese with nothing changed (报送情况 too) or taken as what it is.

The merge with the city's own corrections (#20) is under the same blows: a city that
corrected phones and addresses after the county's first package (city-edited), the newer
package merged over it (kept values, 本市和区县都修改过), a third package that agrees with
the city's values (marker lines), the undo of each, and the merged import beside a bulk
edit of the same firms, beside a bulk trash of the corrected ones and beside undos.

Session 27's writes are under them too: two units' packages each with its own firms without
a county (one unit's newer package, the other's undo, both at once), the county's package
under another spelling of its bureau, a county's own package taking over what a carrier
brought (and its undo), ``tiers check --fix`` (and its undo, twice at once, beside a package
import and a bulk trash), and a backup over an earlier backup (killed, on a full disk, that
backup read-only): the earlier backup byte for byte or a whole new one.

The package writes (import, receipt only, undo) also check 报送情况 (tiers package list
--json) after every kill: it must be that of the state the tables hold.

The fixtures are in break_fixtures.py, the writes and pairs in break_jobs.py; this script
only counts, and prints its figures beside what is required (0).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.break_campaign import kill_at_random  # noqa: E402
from benchmarks.break_fixtures import HOSTILE, Fixtures, build, differences  # noqa: E402
from benchmarks.break_jobs import (  # noqa: E402
    PAIRS,
    backup_read_only_target,
    chinese_refusal,
    full_disk_run,
    hostile_run,
    pair_verdict,
    read_only_run,
    write_jobs,
)
from benchmarks.break_runs import ENV, reference_run, together  # noqa: E402


@dataclass
class Figures:
    kills: int = 0
    killed: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    full_disk: int = 0
    full_disk_bad: int = 0
    read_only: int = 0
    read_only_bad: int = 0
    pairs: int = 0
    pairs_bad: int = 0
    hostile: int = 0
    hostile_bad: int = 0
    failing: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)


def run_kills(fixtures: Fixtures, work: Path, rounds: int, rng: random.Random,
              figures: Figures, only: set[str]) -> None:
    for job in write_jobs(fixtures):
        if only and job.name not in only:
            continue
        folder = Path(tempfile.mkdtemp(dir=work))
        db, args = job.prepare(folder)
        duration = reference_run(db, *args)
        if job.check(db, folder, finished=True) != "ok":
            figures.failing.append(f"{job.name}: its reference run is not in its after state")
        fixtures.store.drop(db)
        shutil.rmtree(folder)
        for _ in range(rounds):
            folder = Path(tempfile.mkdtemp(dir=work))
            db, args = job.prepare(folder)
            killed = kill_at_random(db, args, rng.uniform(0.05, 0.98) * duration)
            verdict = job.check(db, folder, finished=False)
            fixtures.store.drop(db)
            figures.kills += 1
            figures.killed += killed
            figures.verdicts[verdict] = figures.verdicts.get(verdict, 0) + 1
            if verdict != "ok":
                figures.failing.append(f"kill {job.name}: {verdict}")
            shutil.rmtree(folder)
        changes = differences(job.before(), job.after()) or "nothing"
        figures.outcomes.append(f"{job.name}: {duration:.2f} s per run; writes {changes}")


def run_faults(fixtures: Fixtures, work: Path, figures: Figures, only: set[str]) -> None:
    for job in write_jobs(fixtures):
        if only and job.name not in only:
            continue
        for kind, run in (("full disk", full_disk_run), ("read-only", read_only_run)):
            verdict = run(job, work)
            if verdict == "skipped":
                figures.outcomes.append(f"{kind} {job.name}: skipped (cannot mount)")
                continue
            if kind == "full disk":
                figures.full_disk += 1
                figures.full_disk_bad += verdict != "ok"
            else:
                figures.read_only += 1
                figures.read_only_bad += verdict != "ok"
            if verdict != "ok":
                figures.failing.append(f"{kind} {job.name}: {verdict}")
        if job.name == "backup over an earlier backup":  # that backup read-only (session 27)
            verdict = backup_read_only_target(fixtures, work)
            figures.read_only += 1
            figures.read_only_bad += verdict != "ok"
            if verdict != "ok":
                figures.failing.append(f"read-only earlier backup: {verdict}")


def run_pairs(fixtures: Fixtures, work: Path, rounds: int, figures: Figures,
              only: set[str]) -> None:
    for round_ in range(rounds):
        for pair in PAIRS:
            if only and pair.name not in only:
                continue
            folder = Path(tempfile.mkdtemp(dir=work))
            db, commands = pair.prepare(fixtures, folder)
            outcomes = together(folder, db, *commands)
            verdict = pair_verdict(pair, fixtures, db, outcomes)
            fixtures.store.drop(db)
            english = [stderr for status, stderr in outcomes
                       if status != 0 and not chinese_refusal(stderr)]
            if english and verdict == "ok":
                verdict = "not a Chinese refusal: " + english[0].strip()[-120:]
            figures.pairs += 1
            figures.pairs_bad += verdict != "ok"
            figures.outcomes.append(f"{pair.name} (round {round_ + 1}): exits "
                                    + ", ".join(str(status) for status, _ in outcomes)
                                    + f" → {verdict}")
            if verdict != "ok":
                figures.failing.append(f"pair {pair.name} (round {round_ + 1}): {verdict}")
            shutil.rmtree(folder)


def run_hostile(fixtures: Fixtures, work: Path, figures: Figures) -> None:
    for name in HOSTILE:
        verdict = hostile_run(fixtures, name, work)
        figures.hostile += 1
        figures.hostile_bad += verdict != "ok"
        figures.outcomes.append(f"{name} (expected {HOSTILE[name]}) → {verdict}")
        if verdict != "ok":
            figures.failing.append(f"{name}: {verdict}")


def print_table(figures: Figures, seconds: float) -> None:
    lines = [
        ("kills run", figures.kills, f"({figures.killed} killed while running)"),
        ("  corrupt", figures.verdicts.get("corrupt", 0), 0),
        ("  half-applied", figures.verdicts.get("half-applied", 0), 0),
        ("  unopenable", figures.verdicts.get("unopenable", 0), 0),
        ("  template or output damaged", sum(
            n for v, n in figures.verdicts.items() if v.startswith("file")), 0),
        ("full-disk runs", figures.full_disk, ""),
        ("  not Chinese or not before", figures.full_disk_bad, 0),
        ("read-only runs", figures.read_only, ""),
        ("  not Chinese or changed", figures.read_only_bad, 0),
        ("concurrent pairs run", figures.pairs, ""),
        ("  lost or English", figures.pairs_bad, 0),
        ("hostile packages", figures.hostile, ""),
        ("  taken in, English or changed", figures.hostile_bad, 0),
    ]
    print(f"\nbreak campaign of the newer writes ({seconds:.0f} s)")
    print(f"{'':34}{'found':>10}  required")
    for label, found, required in lines:
        print(f"{label:34}{found!s:>10}  {required}")
    if figures.failing:
        print("\nfailing:")
        for line in figures.failing:
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="kills per write")
    parser.add_argument("--pair-rounds", type=int, default=5)
    parser.add_argument("--firms", type=int, default=3000, help="firms of the demo county")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--only", nargs="*", default=[], help="only these writes")
    parser.add_argument("--only-pairs", nargs="*", default=[], help="only these pairs")
    parser.add_argument("--skip", nargs="*", default=[], choices=["kills", "faults", "pairs", "hostile"])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--server", help="a PostgreSQL superuser's URL: the databases there "
                                         "(kills and pairs; a full disk and a read-only file "
                                         "are SQLite's)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="tiers-break-writes-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    ENV["TIERS_IMPORT_MAPPINGS"] = str(work / "mappings.json")  # not the user's own
    figures = Figures()
    started = time.perf_counter()
    fixtures = build(work / "fixtures", args.firms, args.server)
    try:
        if "kills" not in args.skip:
            run_kills(fixtures, work, args.rounds, rng, figures, set(args.only))
        if "faults" not in args.skip and args.server is None:
            run_faults(fixtures, work, figures, set(args.only))
        if "pairs" not in args.skip:
            run_pairs(fixtures, work, args.pair_rounds, figures, set(args.only_pairs))
        if "hostile" not in args.skip:
            run_hostile(fixtures, work, figures)
    finally:
        fixtures.store.drop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.verbose:
        print(*figures.outcomes, sep="\n")
    print_table(figures, time.perf_counter() - started)


if __name__ == "__main__":
    main()
