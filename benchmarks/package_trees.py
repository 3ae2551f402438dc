"""The package import (``tiers package import``'s work: benchmarks/package.py import_tiers,
a county new to the database, written while read) of this checkout and of another one,
alternating, each import in a fresh child process of its own tree, beside the floor
(benchmarks/package_floors.py: the csv module reading the same rows and the bare driver
inserting them) in the same loop; medians, and each beside the floor. For a change to the
import: the two trees read the same package into the same empty database, on the same
machine in the same minutes.

    .venv/bin/python benchmarks/package_trees.py --tree OTHER_CHECKOUT [--firms 100000] [--runs 3]

"+ checkpoint": until the pages written are in the database file as well (a command
waits for it before it ends).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from package import build, export_floor, export_tiers  # noqa: E402

from tiers.storage.database import open_database  # noqa: E402

CHILD = r"""
import sys, time
tree, package, empty, target = sys.argv[1:5]
sys.path[:0] = [tree, tree + "/benchmarks"]
from pathlib import Path
import package as bench
from tiers.storage.database import wait_for_checkpoints
started = time.perf_counter()
bench.import_tiers(Path(package), Path(empty), Path(target))
imported = time.perf_counter() - started
wait_for_checkpoints()
print(imported, time.perf_counter() - started)
"""
FLOOR = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import package_floors
started = time.perf_counter()
package_floors.import_floor(Path(sys.argv[2]), Path(sys.argv[3]))
print(time.perf_counter() - started)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", required=True, help="the other checkout")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = {"this": str(ROOT), "other": str(Path(args.tree).resolve())}
    with tempfile.TemporaryDirectory(prefix="tiers-package-trees-") as temporary:
        folder = Path(temporary)
        source, empty, package = (folder / "county.sqlite3", folder / "empty.sqlite3",
                                  folder / "county.zip")
        plain = folder / "plain"
        plain.mkdir()
        build(source, args.firms)
        open_database(empty).dispose()
        export_tiers(source, package)
        export_floor(source, plain)
        times: dict[str, list[float]] = {}
        for run in range(args.runs):
            order = ("this", "other") if run % 2 == 0 else ("other", "this")
            for name in order:
                target = folder / f"{name}.sqlite3"
                for leftover in folder.glob(f"{name}.sqlite3*"):
                    leftover.unlink()
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, trees[name], str(package), str(empty),
                     str(target)], capture_output=True, text=True, check=True).stdout.split()
                times.setdefault(name, []).append(float(out[0]))
                times.setdefault(f"{name} + checkpoint", []).append(float(out[1]))
            for leftover in folder.glob("floor.sqlite3*"):
                leftover.unlink()
            times.setdefault("floor", []).append(float(subprocess.run(
                [sys.executable, "-c", FLOOR, str(ROOT / "benchmarks"), str(plain),
                 str(folder / "floor.sqlite3")], capture_output=True, text=True,
                check=True).stdout))
        floor = statistics.median(times["floor"])
        print(f"数据包导入，{args.firms:,} 家企业，两个检出交替各 {args.runs} 次（中位数）；"
              f"下限 {floor:.2f} s")
        print(f"{'检出':<22}{'秒':>8}{'倍数':>8}    各次")
        for name in ("this", "other", "this + checkpoint", "other + checkpoint"):
            median = statistics.median(times[name])
            label = name.replace("this", "本检出").replace("other", "另一检出").replace(
                " + checkpoint", "（含检查点）")
            print(f"{label:<18}{median:>8.2f}{median / floor:>8.2f}    "
                  + " ".join(f"{x:.2f}" for x in times[name]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
