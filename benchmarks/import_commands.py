"""``tiers import``, a re-import of the same file and ``tiers undo-import``, whole commands
from process start, each beside its floor in the same loop (benchmarks/import_floors.py).

    .venv/bin/python benchmarks/import_commands.py [--rows 100000] [--runs 5] [--tree OTHER …]

Every run imports the generated roster into a new database (job ``import``, floors: the
bare read, and read + sqlite3 executemany + commit), imports it again unchanged
(``re-import``, floor: read + SELECT + compare), then undoes the first batch (``undo``,
floor: one DELETE per table by batch, on a copy of the same database). ``--tree`` runs
the same jobs with other checkouts in the same loop, so that the ratios compare under the
same load. Prints medians (and ranges) in seconds and the ratios to the floors.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_roster import generate  # noqa: E402

PYTHON = sys.executable
FLOORS = str(ROOT / "benchmarks" / "import_floors.py")
AIMS = {"import": ("read", 3.0), "import ": ("insert", 2.0), "re-import": ("compare", 1.5),
        "undo": ("delete", 2.0)}


def cli(tree: Path) -> list[str]:
    return [PYTHON, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
            "sys.argv[0] = 'tiers'; from ui.cli.main import main; sys.exit(main())"]


def timed(argv: list[str], environment: dict[str, str] | None = None) -> float:
    """The seconds of the whole process (``environment``: its own, else this one's)."""
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=environment)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", default=[])
    parser.add_argument("--warm-up", type=int, default=1, help="runs first, not counted")
    args = parser.parse_args()
    trees = [ROOT, *(tree.resolve() for tree in args.tree)]
    folder = Path(tempfile.mkdtemp(prefix="tiers-import-commands-"))
    roster = str(folder / f"roster-{args.rows}.xlsx")
    generate(Path(roster), args.rows)
    times: dict[str, list[float]] = {}

    def record(who: str, seconds: float) -> None:
        times.setdefault(who, []).append(seconds)

    for run in range(args.warm_up + args.runs):  # the warm-up runs fill the caches
        keep = run >= args.warm_up
        work = folder / str(run)
        work.mkdir()
        runs = {"read": timed([PYTHON, FLOORS, "read", roster]),
                "insert": timed([PYTHON, FLOORS, "insert", roster, str(work / "floor.db")])}
        for number, tree in enumerate(trees):
            database = str(work / f"tree{number}.sqlite3")
            runs[f"import/{number}"] = timed([*cli(tree), "--db", database, "import", roster,
                                              "--kind", "roster"])
            if number == 0:
                copy = str(work / "delete.sqlite3")
                shutil.copy(database, copy)
                runs["compare"] = timed([PYTHON, FLOORS, "compare", roster, copy])
                runs["delete"] = timed([PYTHON, FLOORS, "delete", copy, "1"])
            runs[f"re-import/{number}"] = timed([*cli(tree), "--db", database, "import",
                                                 roster, "--kind", "roster"])
            runs[f"undo/{number}"] = timed([*cli(tree), "--db", database, "undo-import", "1"])
        if keep:
            for who, seconds in runs.items():
                record(who, seconds)
        shutil.rmtree(work, ignore_errors=True)
        print(f"run {run + 1 - args.warm_up}/{args.runs}{'' if keep else ' (warm-up)'} done",
              file=sys.stderr)

    def median(who: str) -> str:
        values = times[who]
        return f"{statistics.median(values):6.2f} ({min(values):.2f}–{max(values):.2f})"

    print(f"\n{args.rows:,}-row roster, medians (ranges) of {args.runs} runs, seconds from "
          "process start")
    print(f"{'job':<10} {'floor':<8} {'floor s':>20} | " + " | ".join(
        f"{'tree' + str(n) + ' s':>20} {'ratio':>6}" for n in range(len(trees))) + " | aim")
    for job, (floor, aim) in AIMS.items():
        floor_median = statistics.median(times[floor])
        line = f"{job:<10} {floor:<8} {median(floor):>20} | "
        line += " | ".join(
            f"{median(job.strip() + '/' + str(n)):>20} "
            f"{statistics.median(times[job.strip() + '/' + str(n)]) / floor_median:5.2f}×"
            for n in range(len(trees)))
        print(line + f" | ≤ {aim}×")
    for n, tree in enumerate(trees):
        print(f"tree{n}: {tree}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
