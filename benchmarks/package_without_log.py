"""An experiment, not the product's import: how far the package import of an empty database
is from its floor when the change log's 620k "新建" lines are not written at all, beside the
same import as shipped, each with the floor in the same run (medians, ratios).

The change log is what undo, the firm's history and a newer package's replacement read (who
created a record, in which batch); a product without it for imported records would need those
to read the records' own ``import_batch_id`` instead. This measures whether that redesign
could reach the #16 aim (2x) on its own.

    .venv/bin/python benchmarks/package_without_log.py [--firms 100000] [--runs 3]

Measured (2026-12-06, 24th session, machine idle, 100k firms): README 性能, 第二十四轮.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import package as bench  # noqa: E402

from tiers.storage.bulk_sqlite import SqliteBulkWriter  # noqa: E402
from tiers.storage.database import open_database, wait_for_checkpoints  # noqa: E402


def measure(package: Path, plain: Path, empty: Path, folder: Path, runs: int
            ) -> tuple[float, float, float]:
    """Medians of the streamed import, its floor, and the writing alone (read whole first)."""
    ours, floors, writing = [], [], []
    for run in range(runs):
        city = folder / f"city{run}.sqlite3"
        ours.append(bench.timed(lambda city=city: bench.import_tiers(package, empty, city)))
        wait_for_checkpoints()
        floors.append(bench.timed(lambda: bench.import_floor(plain, folder / "floor.sqlite3")))
        city.unlink()
        writing.append(bench.import_read_whole(package, empty, city)[1])
        wait_for_checkpoints()
        city.unlink()
    return statistics.median(ours), statistics.median(floors), statistics.median(writing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiers-package-nolog-") as temporary:
        folder = Path(temporary)
        source, empty = folder / "county.sqlite3", folder / "empty.sqlite3"
        bench.build(source, args.firms)
        open_database(empty).dispose()
        package, plain = folder / "county.zip", folder / "plain"
        plain.mkdir()
        bench.export_tiers(source, package)
        bench.export_floor(source, plain)
        rows = [("as shipped", measure(package, plain, empty, folder, args.runs))]
        shipped = SqliteBulkWriter.record_creations
        SqliteBulkWriter.record_creations = lambda self, *a, **k: None  # (the experiment)
        try:
            rows.append(("no creation log", measure(package, plain, empty, folder, args.runs)))
        finally:
            SqliteBulkWriter.record_creations = shipped
    print(f"{'导入空库，10 万家':<18}{'导入 s':>8}{'下限 s':>8}{'倍数':>7}{'只算写入 s':>11}{'倍数':>7}")
    for label, (ours, floor, writing) in rows:
        print(f"{label:<20}{ours:>8.2f}{floor:>8.2f}{ours / floor:>7.2f}"
              f"{writing:>11.2f}{writing / floor:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
