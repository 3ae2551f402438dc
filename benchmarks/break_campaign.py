"""Try to break Tiers as issue #14 did, and count what broke.

    .venv/bin/python benchmarks/break_campaign.py [--quick] [--rounds N] [--seed S] [--keep DIR]
                                                  [--verbose]

Everything runs the real command line (``python -m ui.cli``) in temporary folders:

1. kills: ``tiers import`` of a generated 20,000-row roster, ``tiers undo-import``,
   ``tiers demo``, ``tiers backup`` and a schema upgrade from revision 0001, each killed with
   SIGKILL at a random moment within the command's measured duration. Afterwards the library
   must open the database, ``PRAGMA integrity_check`` must say ok and the rows must be
   exactly those from before or after the command (no half-applied batch); a killed backup
   leaves no ``.partial`` copy once the database is opened again;
2. hostile files (zip bombs, XML entities, huge claimed extents, FIFOs, …) imported into a
   fresh database under a 3 GB address-space limit and a 60 s timeout: crashes, tracebacks
   or English exception names on stderr, writes made although the file was refused, and
   (beside those) other English in the message and refusals slower than 10 s;
3. concurrent pairs started together through a barrier file: two imports of overlapping
   rosters, the same file twice, and an undo beside an import: lost updates and tracebacks;
4. output injection: every report and ``tiers enterprises --format csv`` for a database with
   hostile names: formula cells in the .xlsx files, CSV cells that start with = + - @, and
   cells with control, bidi or zero-width characters.

``--quick`` (the smoke test) runs one of each with a small roster and a few hostile files;
``--verbose`` adds what each hostile file and each pair ended with. The script only counts:
it prints the figures beside what is required (0), whatever they are. The hostile files are
made and imported in hostile_files.py; running the CLI and reading a database's state from
outside it is in break_runs.py.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.break_runs import (  # noqa: E402
    CLI,
    ENGLISH_ERROR,
    ENV,
    check_ok,
    empty_database,
    fingerprint,
    reference_run,
    tiers,
    together,
    verdict_after_kill,
)
from benchmarks.hostile_files import (  # noqa: E402
    CONTROL_NAMES,
    HOSTILE_NAMES,
    SLOW_SECONDS,
    Hostile,
    code_of,
    csv_file,
    roster_rows,
    run_hostile,
)
from benchmarks.import_roster import generate  # noqa: E402

# --- 1. kills ----------------------------------------------------------------------------

@dataclass
class Kills:
    run: int = 0
    killed: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def count(self, job: str, verdict: str, killed: bool) -> None:
        self.run += 1
        self.killed += killed
        self.verdicts[verdict] = self.verdicts.get(verdict, 0) + 1
        if verdict != "ok":
            self.failures.append(f"{job}: {verdict}")


@dataclass
class KillJob:
    """One command to kill: ``prepare(folder)`` makes its database and returns the command's
    arguments; ``check(folder)`` says what became of it."""
    name: str
    prepare: Callable[[Path], tuple[Path, list[str]]]
    check: Callable[[Path], str]
    duration: float = 0.0


def kill_at_random(db: Path, args: list[str], delay: float) -> bool:
    """Start the command, SIGKILL it after ``delay`` seconds; whether it was still running."""
    process = subprocess.Popen([*CLI, "--db", str(db), *args], cwd=ROOT, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    killed = process.poll() is None
    if killed:
        process.kill()
    process.wait()
    return killed


def kill_jobs(work: Path, rows: int, firms_at_0001: int) -> list[KillJob]:
    roster = work / "roster.xlsx"
    generate(roster, rows)
    empty = empty_database(work / "empty.sqlite3")
    imported = work / "imported.sqlite3"
    shutil.copy(empty, imported)
    took = {"import": reference_run(imported, "import", str(roster))}
    undone = work / "undone.sqlite3"
    shutil.copy(imported, undone)
    took["undo-import"] = reference_run(undone, "undo-import", "1")
    demo = work / "demo.sqlite3"
    took["demo"] = reference_run(demo, "demo")
    old = work / "old.sqlite3"
    make_old_database(old, firms_at_0001)
    states = {name: fingerprint(path) for name, path in
              [("empty", empty), ("imported", imported), ("undone", undone), ("demo", demo)]}

    def copy(source: Path, folder: Path) -> Path:
        shutil.copy(source, folder / "db.sqlite3")
        (folder / "backups").mkdir()  # a folder: the backup goes in it under a dated name
        return folder / "db.sqlite3"

    def check_backups(folder: Path) -> str:
        """The database is intact, so is every finished backup beside it (in backups/, where
        the client's 立即备份 writes), and reopening the database removed the killed copy.
        Opening removes only a copy untouched for a while (a younger one may be in progress
        in another process): the files are aged by an hour first, as a later open finds them."""
        an_hour_ago = time.time() - 3600
        for path in (folder / "backups").iterdir():
            os.utime(path, (an_hour_ago, an_hour_ago))
        verdict = verdict_after_kill(folder / "db.sqlite3", states["imported"])
        for backup in (folder / "backups").glob("*.sqlite3"):
            if verdict == "ok":
                verdict = verdict_after_kill(backup, states["imported"])
        leftovers = list((folder / "backups").glob("*.partial*"))
        return "leftover .partial" if verdict == "ok" and leftovers else verdict

    def in_state(*names: str) -> Callable[[Path], str]:
        return lambda folder: verdict_after_kill(folder / "db.sqlite3",
                                                 *(states[name] for name in names))

    jobs = [
        KillJob("import", lambda f: (copy(empty, f), ["import", str(roster)]),
                in_state("empty", "imported")),
        KillJob("undo-import", lambda f: (copy(imported, f), ["undo-import", "1"]),
                in_state("imported", "undone")),
        KillJob("demo", lambda f: (f / "db.sqlite3", ["demo"]), in_state("empty", "demo")),
        KillJob("backup", lambda f: (copy(imported, f), ["backup", str(f / "backups")]),
                check_backups),
        KillJob("upgrade 0001", lambda f: (copy(old, f), ["info"]),
                lambda f: upgrade_verdict(f / "db.sqlite3", firms_at_0001)),
    ]
    for job in jobs:
        job.duration = took.get(job.name, 0.0)
    return jobs


def make_old_database(path: Path, firms: int) -> None:
    """A database as the first release left it: revision 0001 with ``firms`` firms, so that
    the 0001 → 0002 upgrade (which fills a sort key per firm) takes a while."""
    from alembic import command

    from tiers.storage import schema
    from tiers.storage.database import make_engine

    engine = make_engine(path)
    command.upgrade(schema.migrations_config(engine), "0001")
    engine.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO enterprise (credit_code, name, name_key, pinyin_initials, legacy_code, "
            "county_name, town, address, industry, main_product, legal_representative, "
            "contact_person, contact_phone, size, listing_status, tags, notes, is_demo, "
            "created_at, updated_at) VALUES (?, ?, ?, '', '', '武进区', '', '', '', '', '', '', "
            "'', '', '', '', '', 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            ((code_of(i), f"常州{i:06d}号精密机械有限公司", f"常州{i:06d}号精密机械")
             for i in range(firms)))
    connection.close()


def upgrade_verdict(path: Path, firms: int) -> str:
    """Before the library touches it: the old revision without the new column, or the new
    revision with it (a half-done upgrade is what could never be opened again)."""
    connection = sqlite3.connect(path)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        columns = {row[1] for row in connection.execute("PRAGMA table_info(enterprise)")}
    except sqlite3.Error:
        return "corrupt"
    finally:
        connection.close()
    if (revision == "0001") == ("pinyin_key" in columns):
        return "half-applied"
    verdict = verdict_after_kill(path)
    if verdict == "ok" and fingerprint(path).get("enterprise") != firms:
        return "half-applied"
    return verdict


def run_kills(work: Path, rounds: int, rows: int, rng: random.Random) -> Kills:
    kills = Kills()
    work.mkdir()
    jobs = kill_jobs(work, rows, firms_at_0001=rows)
    for job in (job for job in jobs if not job.duration):  # how long it usually takes
        folder = Path(tempfile.mkdtemp(dir=work))
        db, args = job.prepare(folder)
        job.duration = reference_run(db, *args)
        shutil.rmtree(folder)
    for _ in range(rounds):
        for job in jobs:
            folder = Path(tempfile.mkdtemp(dir=work))
            db, args = job.prepare(folder)
            killed = kill_at_random(db, args, rng.uniform(0.05, 0.95) * job.duration)
            kills.count(job.name, job.check(folder), killed)
            shutil.rmtree(folder)
    return kills


# --- 2. hostile files: benchmarks/hostile_files.py --------------------------------------


# --- 3. concurrent pairs -----------------------------------------------------------------

@dataclass
class Pairs:
    run: int = 0
    lost_updates: int = 0
    tracebacks: int = 0
    failing: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # every pair's, for --verbose


def roster(path: Path, first: int, last: int, street: str) -> dict[str, str]:
    """A roster of firms first..last-1 whose address names ``street``; code → address."""
    rows = [[f"常州{i:06d}号精密机械有限公司", code_of(i), "武进区", f"{street}{i}号",
             "13912345678"] for i in range(first, last)]
    csv_file(path, rows)
    return {row[1]: row[3] for row in rows}


def addresses(db: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return dict(connection.execute(
            "SELECT credit_code, address FROM enterprise WHERE deleted_at IS NULL"))


def holds(db: Path, expected: dict[str, str]) -> bool:
    present = addresses(db)
    return all(present.get(code) == address for code, address in expected.items())


def pair_is_lost(db: Path, a: dict[str, str], b: dict[str, str], a_ok: bool, b_ok: bool) -> bool:
    """Two imports: every firm carries a value of a roster that succeeded, the firms in both
    all from the same one, and undoing the later batch gives back the earlier's values."""
    present = addresses(db)
    only = {code: value for code, value in {**a, **b}.items() if not (code in a and code in b)}
    if a_ok and b_ok:
        shared = [code for code in a if code in b]
        winners = {present.get(code) == b[code] for code in shared}
        if len(winners) != 1 or not holds(db, only):
            return True
        earlier = a if winners == {True} else b
        with contextlib.closing(sqlite3.connect(db)) as connection:
            (last_batch,) = connection.execute("SELECT max(id) FROM import_batch").fetchone()
        tiers("undo-import", str(last_batch), db=db)
        return not holds(db, earlier)
    survivor = a if a_ok else b if b_ok else {}
    return not holds(db, survivor)


def run_pairs(work: Path, rounds: int, firms: int) -> Pairs:
    figures = Pairs()
    a_path, b_path = work / "pair-a.csv", work / "pair-b.csv"
    a = roster(a_path, 0, firms, "甲路")
    b = roster(b_path, firms // 2, firms + firms // 2, "乙路")
    template = empty_database(work / "pair-empty.sqlite3")
    with_a = work / "pair-with-a.sqlite3"
    shutil.copy(template, with_a)
    check_ok(tiers("import", str(a_path), db=with_a), "import")
    for round_ in range(rounds):
        for kind in ("overlapping rosters", "same file twice", "undo beside an import"):
            db = work / f"pair-{round_}.sqlite3"
            shutil.copy(with_a if kind.startswith("undo") else template, db)
            if kind == "overlapping rosters":
                outcomes = together(db.parent, db, ["import", str(a_path)],
                                    ["import", str(b_path)])
                lost = pair_is_lost(db, a, b, outcomes[0][0] == 0, outcomes[1][0] == 0)
            elif kind == "same file twice":
                outcomes = together(db.parent, db, ["import", str(a_path)],
                                    ["import", str(a_path)])
                lost = not holds(db, a)
            else:  # the undo must not take the other import's data with it
                outcomes = together(db.parent, db, ["undo-import", "1"], ["import", str(b_path)])
                lost = outcomes[1][0] == 0 and not holds(db, b)
            figures.run += 1
            figures.outcomes.append(f"{kind} (round {round_ + 1}): exits "
                                    + ", ".join(f"{status} {stderr.strip()[:60]}".rstrip()
                                                for status, stderr in outcomes))
            figures.lost_updates += lost
            english = [stderr for _, stderr in outcomes if ENGLISH_ERROR.search(stderr)]
            figures.tracebacks += bool(english)
            if lost or english:
                shown = english[0].strip().splitlines()[-1][:120] if english else ""
                figures.failing.append(f"{kind} (round {round_ + 1}): "
                                       f"{'lost update ' if lost else ''}{shown}")
            db.unlink()
            for leftover in work.glob(f"pair-{round_}.sqlite3-*"):
                leftover.unlink()
    return figures


# --- 4. output injection -----------------------------------------------------------------

@dataclass
class Injection:
    files: int = 0
    xlsx_cells: int = 0
    formula_cells: int = 0
    csv_cells: int = 0
    csv_formulas: int = 0
    control_cells: int = 0  # in either, with control, bidi or zero-width characters
    failing: list[str] = field(default_factory=list)

    def count(self, place: str, value: object, *, formula: bool = False) -> None:
        text = str(value)
        if formula:
            self.failing.append(f"{place}: formula {text[:60]!r}")
        if any(unicodedata.category(char) in ("Cc", "Cf") and char not in LINE_BREAKS
               for char in text) or ESCAPED.search(text):
            self.control_cells += 1
            self.failing.append(f"{place}: control character in {text[:60]!r}")


# OWASP's characters that make a spreadsheet read a cell as a formula; a plain negative
# number starts with "-" too and is a number, not a formula
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")
LINE_BREAKS = "\n\r\t"  # in headings such as 本年\n新增, on purpose
ESCAPED = re.compile(r"_x00[01][0-9A-Fa-f]_")  # how xlsx spells a control character


def run_injection(work: Path, quick: bool) -> Injection:
    """Export what a database with hostile names holds; count what a spreadsheet would run."""
    figures = Injection()
    db = work / "injection.sqlite3"
    check_ok(tiers("demo", "--enterprises", "60", db=db), "demo")
    for start, names in [(900_000, HOSTILE_NAMES), (900_100, CONTROL_NAMES)]:
        path = work / f"names-{start}.csv"  # apart: a refusal of one leaves the other
        csv_file(path, roster_rows(names + [f"{name}二厂" for name in names], start=start))
        tiers("import", str(path), db=db)
    listed = tiers("enterprises", "--format", "csv", db=db)
    for row in csv.reader(listed.stdout.removeprefix("\ufeff").splitlines()):  # the BOM Excel needs
        for cell in row:
            figures.csv_cells += 1
            formula = bool(FORMULA_START.match(cell)) and not PLAIN_NUMBER.match(cell)
            figures.csv_formulas += formula
            figures.count("enterprises.csv", cell, formula=formula)
    reports = {"roster": [], "summary": [], "support": [], "expiring": ["--days", "3650"],
               "chains": [], "profile": ["--code", code_of(900_000)],
               "candidates": ["--tier", "创新型"]}
    hostile_title = ["--title", "=HYPERLINK(\"http://evil.example\")", "--unit", "+1",
                     "--by", "@SUM(1)", "--phone=-1+2"]
    for report, options in reports.items():
        if quick and report not in ("roster", "profile"):
            continue
        output = work / f"{report}.xlsx"
        result = tiers("export", report, str(output), "--quiet", *options, *hostile_title, db=db)
        if result.returncode != 0:
            figures.failing.append(f"{report}.xlsx: not exported: {result.stderr.strip()[:80]}")
            continue
        figures.files += 1
        count_xlsx(output, figures)
    return figures


def count_xlsx(path: Path, figures: Injection) -> None:
    from openpyxl import load_workbook

    for worksheet in load_workbook(path).worksheets:
        for row in worksheet.iter_rows():
            for cell in (cell for cell in row if cell.value is not None):
                figures.xlsx_cells += 1
                formula = cell.data_type == "f"
                figures.formula_cells += formula
                figures.count(f"{path.name} {cell.coordinate}", cell.value, formula=formula)


# --- the table ---------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one of each, small (a smoke test)")
    parser.add_argument("--rounds", type=int, help="kill rounds per command and pair rounds")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--verbose", action="store_true",
                        help="also print what the import said of each hostile file")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 10)
    rows = 500 if args.quick else 20_000
    work = args.keep or Path(tempfile.mkdtemp(prefix="tiers-break-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    try:
        kills = run_kills(work / "kills", rounds, rows, rng)
        hostile = run_hostile(work, args.quick)
        pairs = run_pairs(work, rounds, 200 if args.quick else 2000)
        injection = run_injection(work, args.quick)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.verbose:
        print("hostile files:", *hostile.outcomes, sep="\n  ")
        print("concurrent pairs:", *pairs.outcomes, sep="\n  ")
    print_table(kills, hostile, pairs, injection, time.perf_counter() - started)


def print_table(kills: Kills, hostile: Hostile, pairs: Pairs, injection: Injection,
                seconds: float) -> None:
    lines = [
        ("kills run", kills.run, f"({kills.killed} killed while running)"),
        ("  corrupt", kills.verdicts.get("corrupt", 0), 0),
        ("  half-applied", kills.verdicts.get("half-applied", 0), 0),
        ("  unopenable", kills.verdicts.get("unopenable", 0), 0),
        ("  backup leftovers (.partial)", kills.verdicts.get("leftover .partial", 0), 0),
        ("hostile files run", hostile.run, ""),
        ("  crashes (signal or timeout)", hostile.crashes, 0),
        ("  tracebacks", hostile.tracebacks, 0),
        ("  writes on refusal", hostile.writes_on_refusal, 0),
        ("  English in the message", hostile.english, 0),
        (f"  slower than {SLOW_SECONDS} s", hostile.slow, 0),
        ("concurrent pairs run", pairs.run, ""),
        ("  lost updates", pairs.lost_updates, 0),
        ("  tracebacks", pairs.tracebacks, 0),
        ("exported xlsx files / cells", f"{injection.files} / {injection.xlsx_cells}", ""),
        ("  formula cells", injection.formula_cells, 0),
        ("CSV cells (tiers enterprises)", injection.csv_cells, ""),
        ("  starting with = + - @", injection.csv_formulas, 0),
        ("cells with control/bidi/zero-width", injection.control_cells, 0),
    ]
    print(f"\nbreak campaign ({seconds:.0f} s)")
    print(f"{'':34}{'found':>10}  required")
    for label, found, required in lines:
        print(f"{label:34}{found!s:>10}  {required}")
    for title, failing in [("kills", kills.failures), ("hostile files", hostile.failing),
                           ("concurrent pairs", pairs.failing), ("injection", injection.failing)]:
        if failing:
            print(f"\nfailing {title}:")
            for line in failing:
                print(f"  {line}")


if __name__ == "__main__":
    main()
