"""Import a generated 100,000-row roster: read alone vs. the whole import.

    .venv/bin/python benchmarks/import_roster.py [--rows 100000] [--keep DIR]

Prints the time to read the .xlsx with python-calamine alone, then open + detect (which
reads it), plan, apply, a second import of the same file (all unchanged), undo, the peak
memory (max RSS) and the ratio whole import / bare read (the aim is ≤ 3×). The WAL
checkpoint that follows a large import on a thread is timed apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importers import apply_plan, build_plan, detect, drain, open_source, undo_batch  # noqa: E402
from tiers.model import credit_code  # noqa: E402
from tiers.storage.database import open_database, wait_for_checkpoints  # noqa: E402

HEADERS = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "镇（街道）", "地址",
           "国民经济行业分类", "主导产品", "成立日期", "法定代表人", "联系人", "联系电话",
           "企业规模", "营业收入（万元）", "年度"]
TOWNS = ["湖塘镇", "牛塘镇", "洛阳镇", "遥观镇", "横林镇", "雪堰镇", "前黄镇", "礼嘉镇"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("企业名录")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS)
    for i in range(1, rows + 1):
        org = "".join(rng.choice(ALPHABET) for _ in range(6))
        code = credit_code.make(f"91320412{org}{i % 100:02d}")
        sheet.write_row(i, 0, [
            i, f"常州{i:06d}号精密机械有限公司", code, "武进区", rng.choice(TOWNS),
            f"武进区{rng.choice(TOWNS)}工业园{i}号", "通用设备制造业", "精密齿轮", ])
        sheet.write_datetime(i, 8, dt.datetime(rng.randint(1995, 2020), rng.randint(1, 12),
                                               rng.randint(1, 28)), date_format)
        sheet.write_row(i, 9, ["王伟", "李娜", f"139{rng.randint(10_000_000, 99_999_999)}",
                               rng.choice(["小型", "中型", "微型"]),
                               round(rng.uniform(100, 90000), 2), 2024])
    workbook.close()


class Clock:
    """Wall and process CPU time since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the roster and database here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tiers-import-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"roster-{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1048576:.1f} MB)")

    # wall time, and the process's CPU time beside it: on a shared machine the CPU time
    # is the steadier figure for comparing runs
    clock = Clock()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    data = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    read, read_cpu = clock.lap()
    workbook.close()
    del data
    print(f"read with python-calamine alone : {read:6.2f} s  (cpu {read_cpu:5.2f} s)")

    database = open_database(folder / "bench.sqlite3")
    clock = Clock()
    source = open_source(path)
    detection = detect(source)
    opened, opened_cpu = clock.lap()
    print(f"open + detect (reads the sheet) : {opened:6.2f} s  (cpu {opened_cpu:5.2f} s)")

    with database.session() as session:
        plan = drain(build_plan(session, detection))
        planned, planned_cpu = clock.lap()
        print(f"plan                            : {planned:6.2f} s  (cpu {planned_cpu:5.2f} s)   "
              f"{plan.counts()}")
        result = drain(apply_plan(session, plan))
    applied, applied_cpu = clock.lap()
    print(f"apply (incl. commit)            : {applied:6.2f} s  (cpu {applied_cpu:5.2f} s)   "
          f"batch {result.batch_id}, records {result.records}")
    whole = opened + planned + applied
    whole_cpu = opened_cpu + planned_cpu + applied_cpu
    print(f"whole import                    : {whole:6.2f} s  (cpu {whole_cpu:5.2f} s)   "
          f"ratio whole/read = {whole / read:.2f}x (cpu {whole_cpu / read_cpu:.2f}x)")
    # the commit leaves copying the new pages into the database file (and syncing it) to a
    # thread; the user does not wait for it, but the machine does the work: shown apart
    started = time.perf_counter()
    wait_for_checkpoints()
    waited = time.perf_counter() - started
    print(f"  WAL checkpoint, after (thread): {waited:6.2f} s   "
          f"ratio with it = {(whole + waited) / read:.2f}x")

    # what a user's session would have let go by now (the GUI keeps one plan at a time)
    source.close()
    del plan, detection, source

    started = time.perf_counter()
    again_source = open_source(path)
    with database.session() as session:
        again = drain(build_plan(session, detect(again_source)))
        second = drain(apply_plan(session, again))
    print(f"re-import same file (no change) : {time.perf_counter() - started:6.2f} s   "
          f"batch {second.batch_id}, {again.counts()['unchanged']:,} unchanged")
    again_source.close()
    del again

    started = time.perf_counter()
    with database.session() as session:
        undone = drain(undo_batch(session, result.batch_id))
    print(f"undo                            : {time.perf_counter() - started:6.2f} s   "
          f"removed {undone.removed.get('enterprise', 0):,} enterprises")
    print(f"peak memory (max RSS)           : {peak_mb():6.0f} MB")
    database.dispose()


if __name__ == "__main__":
    main()
