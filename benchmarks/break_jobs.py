"""The blows of benchmarks/break_writes.py: each write on a copy of its fixture database
(killed, on a full disk, on a read-only file) and the concurrent pairs, with what each
must leave (the fixtures and the digests are in break_fixtures.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.break_fixtures import (
    HOSTILE,
    Db,
    Fixtures,
    digest,
    package_status,
    state_verdict,
)
from benchmarks.break_runs import CLI, ENGLISH_ERROR, ENV, ROOT, tiers
from tiers.storage.database import open_database

# --- the writes --------------------------------------------------------------------------

@dataclass
class WriteJob:
    """A write on a copy of the database ``start``: ``args(fixtures, folder)`` its command
    line. ``check(folder, finished)`` says "ok" when the copy holds the before or the after
    state (only the after state when ``finished``)."""
    name: str
    start: str
    args: Callable[[Fixtures, Path], list[str]]
    fixtures: Fixtures | None = None
    files_check: Callable[[Fixtures, Db, Path, bool], str] | None = None
    status: bool = False  # 报送情况 (tiers package list) must agree with the tables
    # the command writes files, not the database (a backup): its after state is its before
    # state, with no reference run (which would back up a scratch copy at another path)
    files_only: bool = False


    def prepare(self, folder: Path) -> tuple[Db, list[str]]:
        return self.fixtures.copy(self.start, folder), self.args(self.fixtures, folder)

    def before(self) -> dict[str, str]:
        return self.fixtures.state(self.start)

    def after(self) -> dict[str, str]:
        if self.files_only:
            return self.before()
        return self.fixtures.reference(self.start, self.args(self.fixtures, self.fixtures.folder))

    def writes(self) -> bool:
        """Whether the command changes the database (a re-import of the same file does not)."""
        return self.before() != self.after()

    def check(self, db: Db, folder: Path, *, finished: bool) -> str:
        allowed = [self.after()] if finished else [self.before(), self.after()]
        verdict = state_verdict(db, self.fixtures.since, *allowed)
        if verdict == "ok" and self.files_check is not None:
            verdict = self.files_check(self.fixtures, db, folder, finished)
        if verdict == "ok" and self.status:
            verdict = self.status_verdict(db)
        return verdict

    def status_verdict(self, db: Db) -> str:
        """报送情况 as it is in the state the tables hold (before or after)."""
        fixtures = self.fixtures
        before = digest(db, fixtures.since) == self.before()
        expected = (fixtures.status_after(self.start) if before else
                    fixtures.status_after(self.start, self.args(fixtures, fixtures.folder)))
        found = package_status(db, fixtures.since)
        return "ok" if found == expected else (
            f"status: 报送情况 is not that of the {'before' if before else 'after'} state")


def _sheet_values(path: Path) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def template_check(fixtures: Fixtures, db: Db, folder: Path, finished: bool) -> str:
    """The template untouched; the output absent (unless finished) or whole; the hidden
    copy of a killed save removed by the next save (once an hour old: a younger one may be
    another program's save in progress)."""
    template = fixtures.files["template"]
    if template.read_bytes() != fixtures.files["template-bytes"].read_bytes():
        return "file: the template was written"
    output = folder / "filled.xlsx"
    leftovers = list(folder.glob(".~filled-*.xlsx.part"))
    if leftovers:
        an_hour_ago = time.time() - 3700
        for path in leftovers:
            os.utime(path, (an_hour_ago, an_hour_ago))
        tiers("fill-template", str(template), str(output), db=db)
        if any(path.exists() for path in leftovers):
            return "file: a killed save's hidden copy stays in the folder"
    if not output.exists():
        return "file: no output after a finished run" if finished else "ok"
    reference = fixtures.files.get("filled-reference")
    try:
        values = _sheet_values(output)
    except Exception as exc:  # noqa: BLE001 - a half-written workbook fails in many ways
        return f"file: the output is not a whole workbook ({type(exc).__name__})"
    if reference is None:
        fixtures.files["filled-reference"] = output
        shutil.copy(output, fixtures.folder / "filled-reference.xlsx")
        fixtures.files["filled-reference"] = fixtures.folder / "filled-reference.xlsx"
        return "ok"
    return "ok" if values == _sheet_values(reference) else "file: the output differs"


def write_jobs(fixtures: Fixtures) -> list[WriteJob]:
    f = fixtures.files
    template_copy = f.setdefault("template-bytes", fixtures.folder / "template-bytes.xlsx")
    if not template_copy.exists():
        shutil.copy(f["template"], template_copy)

    def bulk(action: str, *options: str, codes: str = "wujin") -> Callable:
        return lambda fx, folder: ["bulk", action, *options, "--codes", str(fx.files[codes])]

    jobs = [
        WriteJob("package import (first)", "city0",
                 lambda fx, folder: ["package", "import", str(fx.files["p1"])], status=True),
        WriteJob("package import (newer replaces)", "city1",
                 lambda fx, folder: ["package", "import", str(fx.files["p2"])], status=True),
        # the same data sent again, later: an import batch and a package, no records
        WriteJob("package import (receipt only)", "city1",
                 lambda fx, folder: ["package", "import", str(fx.files["p1-again"])],
                 status=True),
        WriteJob("package undo", "city2", lambda fx, folder: ["undo-import", "3"],
                 status=True),
        WriteJob("package undo (receipt only)", "city1-sent",
                 lambda fx, folder: ["undo-import", "3"], status=True),
        # the neighbour's first package: every firm it created deleted with its records
        WriteJob("package undo (first)", "city1", lambda fx, folder: ["undo-import", "2"],
                 status=True),
        # the merge with the city's own corrections (#20): the newer package over them
        # (kept, and 本市和区县都修改过), a third that agrees with them (marker lines), the
        # undo of each
        WriteJob("package import (merged with city edits)", "city-edited",
                 lambda fx, folder: ["package", "import", str(fx.files["pm2"])], status=True),
        WriteJob("package import (marker lines)", "city-merged",
                 lambda fx, folder: ["package", "import", str(fx.files["pm3"])], status=True),
        WriteJob("package undo (merged)", "city-merged", lambda fx, folder: ["undo-import", "3"],
                 status=True),
        WriteJob("package undo (marker lines)", "city-marked",
                 lambda fx, folder: ["undo-import", "4"], status=True),
        WriteJob("bulk cultivate", "demo",
                 bulk("cultivate", "--tier", "省级专精特新", "--year", "2027", "--officer", "张三")),
        WriteJob("bulk officer", "bulked", bulk("officer", "--officer", "李四")),
        WriteJob("bulk measure", "demo", bulk("measure", "--kind", "资金奖励", "--name",
                                              "技改补助", "--amount", "20", "--year", "2026")),
        WriteJob("bulk chain", "demo", bulk("chain", "--chain", "C01", "--role", "核心配套")),
        WriteJob("bulk review", "demo", bulk("review", "--tier", "创新型", "--year", "2026",
                                             "--batch", "2026年度复核", "--date", "2026-06-01")),
        WriteJob("bulk trash", "demo", bulk("trash")),
        WriteJob("bulk undo", "bulked", lambda fx, folder: ["undo-import", "2"]),
        # 回收站 恢复 as one batch (#25), and its undo (the firms back in the bin)
        WriteJob("bulk restore", "binned", bulk("restore", codes="trash")),
        WriteJob("bulk restore undo", "restored", lambda fx, folder: ["undo-import", "3"]),
        # the newer imports (#25): the 复核批次 column, the 采集表 with plausibility warnings
        WriteJob("review list with 复核批次 column", "demo",
                 lambda fx, folder: ["import", str(fx.files["reviews"])]),
        WriteJob("采集表 import (plausibility warnings)", "demo",
                 lambda fx, folder: ["import", str(fx.files["returns"])]),
        WriteJob("roster import .xlsx (first)", "city0",
                 lambda fx, folder: ["import", str(fx.files["roster1-xlsx"])]),
        WriteJob("roster undo", "rostered", lambda fx, folder: ["undo-import", "1"]),
        WriteJob("re-import same file", "rostered",
                 lambda fx, folder: ["import", str(fx.files["roster1"])]),
        WriteJob("re-import 只补空白", "rostered",
                 lambda fx, folder: ["import", str(fx.files["roster2"]), "--fill-blanks-only"]),
        WriteJob("re-import 全部更新", "rostered",
                 lambda fx, folder: ["import", str(fx.files["roster2"]), "--overwrite"]),
        WriteJob("confirm-batch", "pending",
                 lambda fx, folder: ["confirm-batch", "--tier", "创新型", "--batch", "2026年度",
                                     "--year", "2026"]),
        WriteJob("fill-template", "demo",
                 lambda fx, folder: ["fill-template", str(fx.files["template"]),
                                     str(folder / "filled.xlsx")],
                 files_check=template_check),
        *session27_jobs(),
    ]
    if fixtures.store.server is not None:  # (a server's backup is pg_dump's, not a file's)
        jobs = [job for job in jobs if job.files_check is not backup_check]
    for job in jobs:
        job.fixtures = fixtures
    return jobs


def session27_jobs() -> list[WriteJob]:
    return [
        WriteJob("package import (two units: 武进's with firms without a county)", "city0",
                 lambda fx, folder: ["package", "import", str(fx.files["ua"])], status=True),
        WriteJob("package import (two units: 新北's beside 武进's)", "city-ua",
                 lambda fx, folder: ["package", "import", str(fx.files["ub"])], status=True),
        WriteJob("package import (another spelling of the bureau)", "city-uab",
                 lambda fx, folder: ["package", "import", str(fx.files["ua-spelled"])],
                 status=True),
        WriteJob("package import (two units: 武进's newer)", "city-uab",
                 lambda fx, folder: ["package", "import", str(fx.files["ua2"])], status=True),
        WriteJob("package undo (two units: 新北's)", "city-uab",
                 lambda fx, folder: ["undo-import", "2"], status=True),
        WriteJob("package undo (two units: 武进's under 新北's)", "city-uab",
                 lambda fx, folder: ["undo-import", "1"], status=True),
        WriteJob("takeover import", "city-carried",
                 lambda fx, folder: ["package", "import", str(fx.files["xb-own"])],
                 status=True),
        WriteJob("takeover undo", "city-taken", lambda fx, folder: ["undo-import", "2"],
                 status=True),
        WriteJob("check --fix", "misdated",
                 lambda fx, folder: ["check", "--fix", "--user", "张三"]),
        WriteJob("check --fix undo", "fixed",
                 lambda fx, folder: ["undo-import", fx.files["fix-batch"]]),
        WriteJob("backup over an earlier backup", "demo", _backup_args,
                 files_check=backup_check, files_only=True),
    ]


EARLIER = "earlier.sqlite3"


EARLIER_REF = "earlier.ref"  # what the earlier backup held, to compare with after a run


def _backup_args(fixtures: Fixtures, folder: Path) -> list[str]:
    """tiers backup over an earlier backup in the folder, put there first as the officer's
    last week's copy. On SQLite it is a backup of this very database file (bk27: a backup
    of another database is refused, never replaced); on a server, of the county file."""
    if str(fixtures.files["city1"]).startswith("postgresql"):
        earlier = fixtures.files.get("earlier-backup")
        if earlier is None:
            earlier = fixtures.files["earlier-backup"] = (fixtures.folder
                                                          / "earlier-backup.sqlite3")
            from tiers.storage.backups import backup_file

            backup_file(Path(fixtures.files["county"]), earlier)
        if not (folder / EARLIER).exists():
            shutil.copy(earlier, folder / EARLIER)
            shutil.copy(earlier, folder / EARLIER_REF)
        return ["backup", str(folder / EARLIER)]
    if not (folder / EARLIER).exists():
        from tiers.storage.backups import backup_file

        backup_file(folder / "db.sqlite3", folder / EARLIER)
        shutil.copy(folder / EARLIER, folder / EARLIER_REF)
    return ["backup", str(folder / EARLIER)]


def backup_check(fixtures: Fixtures, db: Db, folder: Path, finished: bool) -> str:
    """The earlier backup byte for byte (unless finished), or a whole backup of the
    database (marked as a backup, intact, its tables those of the database)."""
    from benchmarks.break_runs import integrity
    from tiers.storage.backups import backup_marked

    target = folder / EARLIER
    if not target.exists():
        return "file: the earlier backup is gone"
    if target.read_bytes() == (folder / EARLIER_REF).read_bytes():
        return "ok"  # (unfinished; or finished: this database unchanged, the same copy)
    if not backup_marked(target):
        return "file: the earlier backup was replaced by a file not marked as a backup"
    if integrity(target) != "ok":
        return "file: the earlier backup was replaced by a damaged copy"
    if digest(target, fixtures.since) != digest(db, fixtures.since):
        return "file: the backup holds another state than the database"
    return "ok"


def backup_read_only_target(fixtures: Fixtures, work: Path) -> str:
    """The earlier backup read-only in a folder an ordinary user (nobody) may not write:
    one Chinese line, the earlier backup byte for byte, nothing left beside it."""
    folder = Path(tempfile.mkdtemp(dir=work))
    try:
        os.chmod(folder, 0o755)
        job = next(job for job in write_jobs(fixtures)
                   if job.name == "backup over an earlier backup")
        db, args = job.prepare(folder)
        os.chmod(db, 0o644)
        os.chmod(folder / EARLIER, 0o444)
        before = sorted(path.name for path in folder.iterdir())
        result = _run(db, args, user=(65534, 65534))
        if (folder / EARLIER).read_bytes() != (folder / EARLIER_REF).read_bytes():
            return "the read-only backup changed"
        if result.returncode == 0:
            return "succeeded in a folder it may not write"
        if not chinese_refusal(result.stderr):
            return "not a Chinese refusal: " + result.stderr.strip()[-160:]
        after = sorted(path.name for path in folder.iterdir())
        return "ok" if after == before else f"left beside it: {sorted(set(after) - set(before))}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- full disk, read-only ----------------------------------------------------------------

def chinese_refusal(stderr: str) -> bool:
    return "错误" in stderr and not ENGLISH_ERROR.search(stderr)


def _run(db: Path, args: list[str], *, user: tuple[int, int] | None = None
         ) -> subprocess.CompletedProcess:
    prefix = [] if user is None else ["setpriv", f"--reuid={user[0]}", f"--regid={user[1]}",
                                      "--clear-groups"]
    return subprocess.run([*prefix, *CLI, "--db", str(db), *args], cwd=ROOT,
                          env={**ENV, "TIERS_IMPORT_MAPPINGS": str(db.parent / "maps.json")},
                          capture_output=True, text=True, timeout=300)


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def full_disk_run(job: WriteJob, work: Path, slack: int = 16 * 1024) -> str:
    """The write on a tmpfs with ``slack`` bytes left: one Chinese line, the before state
    (a command that writes nothing, or a file smaller than that, may succeed)."""
    point = Path(tempfile.mkdtemp(dir=work))
    source = job.fixtures.db(job.start)
    size = source.stat().st_size + 4 * 1024 * 1024
    if not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)):
        return "skipped"
    try:
        db, args = job.prepare(point)
        open_database(db).dispose()  # its -wal and -shm made while there is room
        free = os.statvfs(point)
        filler = free.f_bavail * free.f_frsize - slack
        with (point / "filler").open("wb") as handle, contextlib.suppress(OSError):
            handle.write(b"\0" * max(0, filler))
        result = _run(db, args)
        (point / "filler").unlink()
        if result.returncode == 0:
            return job.check(db, point, finished=True)
        if not chinese_refusal(result.stderr):
            return "not a Chinese refusal: " + result.stderr.strip()[-160:]
        verdict = state_verdict(db, job.fixtures.since, job.before())
        if verdict == "ok" and job.files_check is not None:
            verdict = job.files_check(job.fixtures, db, point, False)
        return verdict
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def read_only_run(job: WriteJob, work: Path) -> str:
    """The database file read-only (mode 0444) for an ordinary user (nobody) in a folder
    the user may write: one Chinese line, not a byte of the file changed."""
    folder = Path(tempfile.mkdtemp(dir=work))
    try:
        os.chmod(folder, 0o777)
        db, args = job.prepare(folder)
        open_database(db).dispose()
        for path in folder.iterdir():
            os.chmod(path, 0o444)
        os.chmod(db, 0o444)
        before = db.read_bytes()
        for path in (Path(p) for p in args if p.startswith(str(folder))):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path, 0o666)
        result = _run(db, args, user=(65534, 65534))
        if db.read_bytes() != before:
            return "the read-only file changed"
        if result.returncode == 0:
            return "succeeded on a read-only file" if job.writes() else "ok"
        if not chinese_refusal(result.stderr):
            return "not a Chinese refusal: " + result.stderr.strip()[-160:]
        return "ok"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- hostile packages against the receipt-only path -----------------------------------

def hostile_run(fixtures: Fixtures, name: str, work: Path) -> str:
    """The hostile package ``name`` imported into a city holding the county's first
    package: refused in Chinese with nothing changed (报送情况 too), or taken as it is
    (the state of a reference run); either way 新北区, reported by another unit, keeps its
    line in 报送情况 as it was."""
    folder = Path(tempfile.mkdtemp(dir=work))
    try:
        db = fixtures.copy("city1", folder)
        result = tiers("package", "import", str(fixtures.files[name]), db=db)
        english = ENGLISH_ERROR.search(result.stderr) or "内部错误" in result.stderr
        if result.returncode != 0 and (english or not chinese_refusal(result.stderr)):
            return "not a Chinese refusal: " + result.stderr.strip()[-160:]
        expected = HOSTILE[name]
        if result.returncode == 0:
            if expected == "refused":
                return "taken in"
            verdict = state_verdict(db, fixtures.since, fixtures.reference(
                "city1", ["package", "import", str(fixtures.files[name])]))
        else:
            if expected == "taken":
                return "refused: " + result.stderr.strip()[-160:]
            verdict = state_verdict(db, fixtures.since, fixtures.state("city1"))
            if verdict == "ok" and package_status(db, fixtures.since) != \
                    fixtures.status_after("city1"):
                verdict = "status: 报送情况 changed by a refused package"
        if verdict == "ok" and _county_line(package_status(db, fixtures.since), "320411") != \
                _county_line(fixtures.status_after("city1"), "320411"):
            verdict = "status: 新北区's line changed by 武进区's package"
        fixtures.store.drop(db)
        return verdict
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _county_line(status: str, code: str) -> object:
    import json

    return next((line for line in json.loads(status) if line["code"] == code), None)


# --- concurrent pairs --------------------------------------------------------------------

# Each process imports the heavy modules, says it is ready (a file of its own) and waits for
# the barrier file, so that both reach the database at the same moment (as break_campaign's
# pairs do, for a database that may be a server's URL).
@dataclass
class Pair:
    name: str
    start: str
    commands: Callable[[Fixtures], list[list[str]]]
    side_by_side: bool = False  # may run at once on a server: compared without ids

    def prepare(self, fixtures: Fixtures, folder: Path) -> tuple[Db, list[list[str]]]:
        return fixtures.copy(self.start, folder), self.commands(fixtures)


def _c(fixtures: Fixtures, name: str) -> str:
    return str(fixtures.files[name])


PAIRS = [
    Pair("package import vs bulk measure", "city1", lambda fx: [
        ["package", "import", _c(fx, "p2")],
        ["bulk", "measure", "--kind", "资金奖励", "--name", "市级补助", "--amount", "5",
         "--year", "2026", "--codes", _c(fx, "wujin")]]),
    Pair("package import vs bulk trash", "city1", lambda fx: [
        ["package", "import", _c(fx, "p2")], ["bulk", "trash", "--codes", _c(fx, "half")]]),
    Pair("bulk officer vs bulk officer", "bulked", lambda fx: [
        ["bulk", "officer", "--officer", "甲", "--codes", _c(fx, "half")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "wujin")]]),
    Pair("bulk cultivate vs bulk trash", "demo", lambda fx: [
        ["bulk", "cultivate", "--tier", "省级专精特新", "--year", "2027", "--codes",
         _c(fx, "wujin")], ["bulk", "trash", "--codes", _c(fx, "other-half")]]),
    Pair("undo vs bulk officer", "bulked", lambda fx: [
        ["undo-import", "2"], ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "half")]]),
    Pair("re-import 全部更新 vs bulk trash", "rostered", lambda fx: [
        ["import", _c(fx, "roster2"), "--overwrite"],
        ["bulk", "trash", "--codes", _c(fx, "rostered-half")]]),
    Pair("confirm-batch vs bulk review", "pending", lambda fx: [
        ["confirm-batch", "--tier", "创新型", "--batch", "2026年度", "--year", "2026"],
        ["bulk", "review", "--tier", "创新型", "--year", "2029", "--batch", "2029年度复核",
         "--date", "2029-06-01", "--codes", _c(fx, "pending-codes")]]),
    Pair("two counties' packages at once", "city0", lambda fx: [
        ["package", "import", _c(fx, "p1")], ["package", "import", _c(fx, "neighbour")]],
         side_by_side=True),
    Pair("the same package twice at once", "city0", lambda fx: [
        ["package", "import", _c(fx, "p1")], ["package", "import", _c(fx, "p1")]]),
    Pair("package import vs undo of the neighbour's batch", "city1", lambda fx: [
        ["package", "import", _c(fx, "p2")], ["undo-import", "2"]]),
    # (without ids, as the receipt's below: see there)
    Pair("package import vs undo of the county's earlier batch", "city1", lambda fx: [
        ["package", "import", _c(fx, "p2")], ["undo-import", "1"]], side_by_side=True),
    # the newer paths of #17: the same data sent again (recorded as sent only), its undo
    Pair("receipt import vs bulk officer", "city1", lambda fx: [
        ["package", "import", _c(fx, "p1-again")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "wujin")]]),
    Pair("the same receipt twice at once", "city1", lambda fx: [
        ["package", "import", _c(fx, "p1-again")], ["package", "import", _c(fx, "p1-again")]]),
    Pair("receipt import vs a newer package", "city1", lambda fx: [
        ["package", "import", _c(fx, "p1-again")], ["package", "import", _c(fx, "p2")]]),
    # (without ids: an import started before the undo of the county's firms finds them
    # here and reads the package whole; run after the undo, it writes while it reads
    # (tiers.exchange.streamed): the same rows, the change log's lines numbered in another
    # order)
    Pair("receipt import vs undo of the county's earlier batch", "city1", lambda fx: [
        ["package", "import", _c(fx, "p1-again")], ["undo-import", "1"]], side_by_side=True),
    Pair("receipt undo vs a newer package", "city1-sent", lambda fx: [
        ["undo-import", "3"], ["package", "import", _c(fx, "p2")]]),
    Pair("newer package vs bulk officer on its entries", "city1", lambda fx: [
        ["package", "import", _c(fx, "p2")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "wujin")]]),
    # the merge with the city's own corrections (#20)
    Pair("merged import vs bulk officer", "city-edited", lambda fx: [
        ["package", "import", _c(fx, "pm2")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "wujin")]]),
    Pair("merged import vs bulk trash of the corrected firms", "city-edited", lambda fx: [
        ["package", "import", _c(fx, "pm2")],
        ["bulk", "trash", "--codes", _c(fx, "edited-codes")]]),
    Pair("merged import vs undo of the neighbour's batch", "city-edited", lambda fx: [
        ["package", "import", _c(fx, "pm2")], ["undo-import", "2"]]),
    Pair("merged import vs undo of the county's earlier batch", "city-edited", lambda fx: [
        ["package", "import", _c(fx, "pm2")], ["undo-import", "1"]], side_by_side=True),
    Pair("marker import vs undo of the merged batch", "city-merged", lambda fx: [
        ["package", "import", _c(fx, "pm3")], ["undo-import", "3"]]),
    Pair("merged undo vs bulk officer", "city-merged", lambda fx: [
        ["undo-import", "3"], ["bulk", "officer", "--officer", "乙", "--codes",
                               _c(fx, "wujin")]]),
    Pair("marker import vs bulk officer", "city-merged", lambda fx: [
        ["package", "import", _c(fx, "pm3")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "wujin")]]),
    # 回收站 恢复 (#25): the same firms restored by one and binned again or edited by the
    # other; the restore's undo by one while the other builds on the restored firms
    Pair("bulk restore vs bulk trash of the same firms", "binned", lambda fx: [
        ["bulk", "restore", "--codes", _c(fx, "trash")],
        ["bulk", "trash", "--codes", _c(fx, "trash")]]),
    Pair("bulk restore vs bulk restore", "binned", lambda fx: [
        ["bulk", "restore", "--codes", _c(fx, "trash")],
        ["bulk", "restore", "--codes", _c(fx, "trash")]]),
    Pair("bulk restore vs bulk officer on the binned firms", "binned", lambda fx: [
        ["bulk", "restore", "--codes", _c(fx, "trash")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "trash")]]),
    Pair("restore undo vs bulk officer on the restored firms", "restored", lambda fx: [
        ["undo-import", "3"], ["bulk", "officer", "--officer", "乙", "--codes",
                               _c(fx, "trash")]]),
    Pair("restore undo vs bulk trash of the restored firms", "restored", lambda fx: [
        ["undo-import", "3"], ["bulk", "trash", "--codes", _c(fx, "trash")]]),
    # two ways out of the bin at once: the 恢复 and the undo of the batch that binned them
    Pair("bulk restore vs undo of the trash batch", "binned", lambda fx: [
        ["bulk", "restore", "--codes", _c(fx, "trash")], ["undo-import", "2"]]),
    # the restore's undo twice at once
    Pair("restore undo twice at once", "restored", lambda fx: [
        ["undo-import", "3"], ["undo-import", "3"]]),
    Pair("package undo vs bulk measure", "city2", lambda fx: [
        ["undo-import", "3"],
        ["bulk", "measure", "--kind", "资金奖励", "--name", "市级补助", "--amount", "5",
         "--year", "2026", "--codes", _c(fx, "wujin")]]),
]


# session 27: firms without a county owned per sending unit, a county's own package taking
# over from a carrier, check --fix, all beside each other and beside the older writes
PAIRS += [
    Pair("two units' packages with firms without a county at once", "city0", lambda fx: [
        ["package", "import", _c(fx, "ua")], ["package", "import", _c(fx, "ub")]],
         side_by_side=True),
    Pair("the county's package under two spellings of its bureau at once", "city0",
         lambda fx: [["package", "import", _c(fx, "ua")],
                     ["package", "import", _c(fx, "ua-spelled")]], side_by_side=True),
    Pair("a unit's newer package vs the other unit's first", "city-ua", lambda fx: [
        ["package", "import", _c(fx, "ua2")], ["package", "import", _c(fx, "ub")]],
         side_by_side=True),
    Pair("a unit's newer package vs undo of the other unit's", "city-uab", lambda fx: [
        ["package", "import", _c(fx, "ua2")], ["undo-import", "2"]], side_by_side=True),
    Pair("takeover vs bulk officer on the county's firms", "city-carried", lambda fx: [
        ["package", "import", _c(fx, "xb-own")],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "xinbei")]]),
    Pair("takeover vs the other county's own package", "city-carried", lambda fx: [
        ["package", "import", _c(fx, "xb-own")], ["package", "import", _c(fx, "ua")]],
         side_by_side=True),
    Pair("takeover undo vs bulk officer on the county's firms", "city-taken", lambda fx: [
        ["undo-import", "2"],
        ["bulk", "officer", "--officer", "乙", "--codes", _c(fx, "xinbei")]]),
    Pair("check --fix vs the county's newer package", "city-misdated", lambda fx: [
        ["check", "--fix", "--user", "张三"], ["package", "import", _c(fx, "p2")]],
         side_by_side=True),
    Pair("check --fix twice at once", "misdated", lambda fx: [
        ["check", "--fix", "--user", "张三"], ["check", "--fix", "--user", "李四"]]),
    Pair("check --fix vs bulk trash", "misdated", lambda fx: [
        ["check", "--fix", "--user", "张三"], ["bulk", "trash", "--codes", _c(fx, "half")]]),
    Pair("check --fix undo vs check --fix", "fixed", lambda fx: [
        ["undo-import", fx.files["fix-batch"]], ["check", "--fix", "--user", "李四"]]),
]


def pair_verdict(pair: Pair, fixtures: Fixtures, db: Db,
                 outcomes: list[tuple[int, str]]) -> str:
    """Serialisable: the result is that of the commands that succeeded run one after the
    other, in one order or the other (a refused one counts as not run)."""
    first, second = pair.commands(fixtures)
    ok = [status == 0 for status, _ in outcomes]
    ids = not pair.side_by_side
    if all(ok):
        allowed = [fixtures.reference(pair.start, first, second, ids=ids),
                   fixtures.reference(pair.start, second, first, ids=ids)]
    elif ok[0]:
        allowed = [fixtures.reference(pair.start, first, ids=ids)]
    elif ok[1]:
        allowed = [fixtures.reference(pair.start, second, ids=ids)]
    else:
        allowed = [fixtures.state(pair.start, ids=ids)]
    return state_verdict(db, fixtures.since, *allowed, ids=ids)
