"""Whole commands, timed from process start, each beside its floor in the same loop.

    .venv/bin/python benchmarks/commands.py [--rows 20000] [--runs 5] [--tree OTHER_CHECKOUT …]

What the officer waits for is the whole ``tiers`` process, not a function inside it. Every
job runs ``--runs`` times as a fresh process; each run of a job is paired with a run of its
floor (the same work done by the bare libraries: python-calamine alone, sqlite3 and json,
XlsxWriter dumping the same cells, ``import argparse``), interleaved, so that both see the
same load on a shared machine. The table shows medians and the ratio job / floor.

``--tree`` adds other checkouts of Tiers (for example a worktree of an older commit) to the
same loop, so that a change is compared with what it replaced under the same conditions:
the ratio of each tree is printed side by side. The trees share the generated inputs; each
works on its own copy of the database.
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


def cli_prefix(tree: Path) -> list[str]:
    """How to run the command line of a checkout (it moved from tiers.cli to ui.cli.main)."""
    module = "ui.cli.main" if (tree / "ui" / "cli" / "main.py").exists() else "tiers.cli"
    return [PYTHON, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
            f"sys.argv[0] = 'tiers'; from {module} import main; sys.exit(main())"]


FLOORS = {
    "help": "import argparse",
    "import": ("import python_calamine, sys\n"
               "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
               "rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)\n"),
    "search": ("import json, sqlite3, sys\n"
               "db = sqlite3.connect(sys.argv[1])\n"
               "rows = db.execute(\"SELECT id, credit_code, name, county_name, town FROM enterprise "
               "WHERE name LIKE '%液压%' ORDER BY name\").fetchall()\n"
               "print(json.dumps([dict(zip(('id','code','name','county','town'), r)) "
               "for r in rows], ensure_ascii=False))\n"),
    "export": ("import sqlite3, sys, xlsxwriter\n"
               "db = sqlite3.connect(sys.argv[1])\n"
               "book = xlsxwriter.Workbook(sys.argv[2], {'constant_memory': True})\n"
               "sheet = book.add_worksheet()\n"
               "for n, row in enumerate(db.execute('SELECT e.county_name, e.town, e.name, "
               "e.credit_code, r.tier_code, r.level, r.batch_label, r.recognized_on, r.valid_until "
               "FROM recognition r JOIN enterprise e ON e.id = r.enterprise_id ORDER BY e.name')):\n"
               "    sheet.write_row(n, 0, [str(v) if v is not None else '' for v in row])\n"
               "book.close()\n"),
}


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 2):
        raise SystemExit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the roster imported")
    parser.add_argument("--firms", type=int, default=5_000, help="firms of the demo county")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="another checkout to compare with (repeatable)")
    args = parser.parse_args()
    trees = [ROOT, *(tree.resolve() for tree in args.tree)]
    folder = Path(tempfile.mkdtemp(prefix="tiers-commands-"))
    roster = folder / f"roster-{args.rows}.xlsx"
    generate(roster, args.rows)
    demo = folder / "demo.sqlite3"
    subprocess.run([*cli_prefix(ROOT), "--db", str(demo), "demo", "--enterprises",
                    str(args.firms)], check=True, stderr=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL)

    jobs: dict[str, dict[str, list[float]]] = {}

    def record(job: str, who: str, seconds: float) -> None:
        jobs.setdefault(job, {}).setdefault(who, []).append(seconds)

    for run in range(args.runs):
        for number, tree in enumerate(trees):
            who = f"tree{number}"
            cli = cli_prefix(tree)
            work = folder / f"{who}-{run}"
            work.mkdir()
            record("help", who, timed([*cli, "--help"]))
            record("help", "floor", timed([PYTHON, "-c", FLOORS["help"]]))
            database = work / "import.sqlite3"
            record("import", who, timed([*cli, "--db", str(database), "import", str(roster),
                                         "--kind", "roster"]))
            record("import", "floor", timed([PYTHON, "-c", FLOORS["import"], str(roster)]))
            record("re-import", who, timed([*cli, "--db", str(database), "import",
                                            str(roster), "--kind", "roster"]))
            record("re-import", "floor", timed([PYTHON, "-c", FLOORS["import"], str(roster)]))
            record("undo", who, timed([*cli, "--db", str(database), "undo-import", "1"]))
            copy = work / "demo.sqlite3"
            shutil.copy(demo, copy)
            record("search", who, timed([*cli, "--db", str(copy), "enterprises", "--search",
                                         "液压", "--format", "json"]))
            record("search", "floor", timed([PYTHON, "-c", FLOORS["search"], str(copy)]))
            record("export", who, timed([*cli, "--db", str(copy), "export", "roster",
                                         str(work / "roster.xlsx"), "--quiet"]))
            record("export", "floor", timed([PYTHON, "-c", FLOORS["export"], str(copy),
                                             str(work / "floor.xlsx")]))
        print(f"run {run + 1}/{args.runs} done", file=sys.stderr)

    names = ["this tree" if n == 0 else str(tree) for n, tree in enumerate(trees)]
    print(f"\n{args.rows:,}-row roster, {args.firms:,}-firm demo county; medians of "
          f"{args.runs} runs, seconds from process start")
    header = f"{'job':<10} {'floor':>7}" + "".join(
        f" | {'tree' + str(n):>7} {'ratio':>6}" for n in range(len(trees)))
    print(header)
    print("-" * len(header))
    for job, results in jobs.items():
        floor = statistics.median(results["floor"]) if "floor" in results else None
        line = f"{job:<10} {floor:7.2f}" if floor else f"{job:<10} {'—':>7}"
        for n in range(len(trees)):
            median = statistics.median(results[f"tree{n}"])
            ratio = f"{median / floor:5.2f}×" if floor else "     —"
            line += f" | {median:7.2f} {ratio:>6}"
        print(line)
    for n, name in enumerate(names):
        print(f"tree{n}: {name}")
    print("(undo has no floor here; re-import's floor is the bare read)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
