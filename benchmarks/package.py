"""Exchange packages (数据包): export and import of a county's firms with their records,
each beside its floor in the same run (median of several runs, and the ratio):

- export: ``export_package`` (query, CSV, zip, manifest with checksums) against the bare
  driver selecting the same columns and the csv module writing them to plain CSV files;
- import: ``import_package_file`` (as ``tiers package import``: a county new to the database
  is written table by table while the package is read) into an empty database (checks,
  plan, bulk writer, change log, provenance) against the csv module reading the same CSV
  files and the bare driver inserting the rows (executemany, one transaction) into tables
  of the same columns; and ``read_package`` + ``import_package`` (the package read whole
  first, as the client's preview reads it), beside the same floor.

Then the peak memory (resident set) of one import and of its floor, each run alone in a
child process (where Linux's /proc tells it).

    .venv/bin/python benchmarks/package.py [--firms 100000] [--runs 3]

Measured (2026-12-05, 13th session, 2 shared cores under load 2.5-3.5, 100k firms): export
1.87-1.90x its floor; import into an empty database 3.71-3.92x (before: 3.98-4.14x in the
same hour), peak 1,310 MB. The import's CPU (read + import, all threads) fell from 11.0-11.3
to 10.3-10.4 s; what remains and why it is not 2x: README 性能, the thirteenth session.
14th session (machine idle): import 8.79 s, 3.19x its floor (the commit no longer copies
the pages into the file: a thread does, timed apart as "checkpoint"); export 1.80x.
15th session (idle): the file's import, written while read, 6.79 s, 2.74x its floor (read
whole first, as before: 8.38 s, 3.36x, same run); export 1.69x; README 性能, 第十五轮.
16th session (idle): the import 8.05 s, 2.93x (read whole 3.21x: reading 1.25x, the
writing alone 1.98x, which no faster reading can take away); export 1.81x; README 性能,
第十六轮 (with benchmarks/package_commands.py: the whole commands).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import package_floors  # noqa: E402

from tiers.exchange import (  # noqa: E402
    export_package,
    import_package,
    import_package_file,
    read_package,
)
from tiers.exchange.format import ENTERPRISES, TABLES  # noqa: E402
from tiers.progress import drain  # noqa: E402
from tiers.services import demo  # noqa: E402
from tiers.storage.database import open_database, wait_for_checkpoints  # noqa: E402


def build(path: Path, firms: int) -> dict[str, int]:
    database = open_database(path)
    with database.session() as session:
        drain(demo.generate(session, enterprises=firms, seed=16))
    database.dispose()
    connection = sqlite3.connect(path)
    counts = {spec.name: connection.execute(f'SELECT count(*) FROM "{spec.entity}"').fetchone()[0]
              for spec in TABLES}
    connection.close()
    return counts


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def export_tiers(source: Path, target: Path) -> None:
    database = open_database(source)
    with database.session() as session:
        drain(export_package(session, target))
    database.dispose()


def floor_statements() -> list[list]:
    """[member, SQL, header] of each table, as the export floor selects it."""
    statements = []
    for spec in TABLES:
        columns = spec.columns()
        if spec is ENTERPRISES:
            sql = f'SELECT {", ".join(columns)} FROM enterprise WHERE deleted_at IS NULL'
        else:
            own = ", ".join(f't."{c}"' for c in columns[1:])
            sql = (f'SELECT e.credit_code, {own} FROM "{spec.entity}" t '
                   "JOIN enterprise e ON e.id = t.enterprise_id WHERE e.deleted_at IS NULL")
        statements.append([spec.member, sql, list(columns)])
    return statements


def export_floor(source: Path, folder: Path) -> None:
    package_floors.export_floor(source, folder, floor_statements())


def import_tiers(package: Path, empty: Path, target: Path) -> None:
    shutil.copy(empty, target)
    database = open_database(target)
    with database.session() as session:
        drain(import_package_file(session, package))
    database.dispose()


def import_read_whole(package: Path, empty: Path, target: Path) -> tuple[float, float]:
    """The package read whole, then imported; the seconds of each part (the second: the
    import's own work in the database, the package already in memory)."""
    shutil.copy(empty, target)
    database = open_database(target)
    started = time.perf_counter()
    loaded = read_package(package)
    read = time.perf_counter() - started
    with database.session() as session:
        drain(import_package(session, loaded))
    database.dispose()
    return read, time.perf_counter() - started - read


def import_floor(folder: Path, target: Path) -> None:
    package_floors.import_floor(folder, target)


def peak_memory(work: str, *args: Path) -> int | None:
    """The peak resident set (bytes) of ``work`` (a function of this module) run on its
    own in a child process; None where the platform cannot say (Linux's /proc tells it:
    getrusage would count the parent's memory the child had before exec)."""
    if not Path("/proc/self/status").exists():
        return None
    child = subprocess.run([sys.executable, __file__, "--child", work, *map(str, args)],
                           check=True, capture_output=True, text=True)
    return int(child.stdout.split()[-1])


def _report_peak() -> None:
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines()
                     if line.startswith("VmHWM:"))
    print(int(kilobytes) * 1024)


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        globals()[sys.argv[2]](*map(Path, sys.argv[3:]))
        _report_peak()
        return 0
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiers-package-bench-") as temporary:
        folder = Path(temporary)
        source, empty = folder / "county.sqlite3", folder / "empty.sqlite3"
        counts = build(source, args.firms)
        open_database(empty).dispose()
        package, plain = folder / "county.zip", folder / "plain"
        plain.mkdir()
        times: dict[str, list[float]] = {k: [] for k in (
            "export", "export floor", "import", "import floor", "checkpoint", "read whole",
            "read whole floor", "reading", "writing")}
        for run in range(args.runs):
            times["export"].append(timed(lambda: export_tiers(source, package)))
            times["export floor"].append(timed(lambda: export_floor(source, plain)))
            city = folder / f"city{run}.sqlite3"
            times["import"].append(timed(lambda city=city: import_tiers(package, empty, city)))
            # the copy of the new pages into the file, on a thread after the commit: the
            # officer does not wait for it in the client; a command ends after it. Waited
            # for here so that it does not slow the floor's run
            times["checkpoint"].append(timed(wait_for_checkpoints))
            times["import floor"].append(timed(lambda: import_floor(plain,
                                                                    folder / "floor.sqlite3")))
            city.unlink()
            parts = import_read_whole(package, empty, city)
            times["reading"].append(parts[0])
            times["writing"].append(parts[1])
            times["read whole"].append(sum(parts))
            wait_for_checkpoints()
            times["read whole floor"].append(timed(lambda: import_floor(
                plain, folder / "floor.sqlite3")))
            city.unlink()
        with zipfile.ZipFile(package) as archive:
            size = sum(info.file_size for info in archive.infolist())
        print(f"数据包：{args.firms:,} 家企业，" + "，".join(
            f"{name} {count:,}" for name, count in counts.items())
            + f"；解压后 {size / 1e6:.1f} MB，zip {package.stat().st_size / 1e6:.1f} MB")
        print(f"{'步骤':<8}{'中位数 s':>10}{'下限 s':>10}{'倍数':>8}    （{args.runs} 次）")
        for step in ("export", "import", "read whole"):
            ours = statistics.median(times[step])
            floor = statistics.median(times[f"{step} floor"])
            print(f"{step:<10}{ours:>10.2f}{floor:>10.2f}{ours / floor:>8.2f}"
                  + ("    （先整包读入再导入：客户端预览后导入的读法）" if step == "read whole" else ""))
        # the two parts of "read whole", each beside the same floor: the writing alone (the
        # rows with the indexes and the change log the database keeps, and the commit) is
        # what no faster reading can take away
        floor = statistics.median(times["read whole floor"])
        for step, label in (("reading", "读取并检查整个数据包"),
                            ("writing", "数据已在内存中，只算写入（行、索引、变更记录、提交）")):
            ours = statistics.median(times[step])
            print(f"{'  ' + step:<10}{ours:>10.2f}{floor:>10.2f}{ours / floor:>8.2f}    （{label}）")
        ours = statistics.median(a + b for a, b in zip(times["import"], times["checkpoint"],
                                                       strict=True))
        floor = statistics.median(times["import floor"])
        print(f"{'import + checkpoint':<10}{ours:>10.2f}{floor:>10.2f}{ours / floor:>8.2f}"
              "    （含提交后在后台把新页写入数据库文件：命令行程序等它做完才退出）")
        floor_peak = peak_memory("import_floor", plain, folder / "floor.sqlite3")
        peak = peak_memory("import_tiers", package, empty, folder / "peak.sqlite3")
        if peak is not None and floor_peak is not None:
            print(f"导入的内存峰值 {peak / 1e6:,.0f} MB（下限 {floor_peak / 1e6:,.0f} MB）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
