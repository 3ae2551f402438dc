"""``tiers package export`` and ``tiers package import``, whole commands from process start
(interpreter, imports, the database opened, the package written or read and imported, the
checkpoint a command waits for), each beside its floor as a whole process of the standard
library alone (benchmarks/package_floors.py), in the same loop; medians and ratios.

    .venv/bin/python benchmarks/package_commands.py [--firms 100000] [--runs 3]

The import goes into a copy of an empty database made before the clock starts (a county
new to it: the command writes each table while it reads the next, tiers.exchange.streamed).
benchmarks/package.py times the same jobs inside one process, in their parts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from package import build, floor_statements  # noqa: E402

from benchmarks.import_commands import cli, timed  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

DEMO_COUNTIES = ["--county", "320402", "--county", "320411", "--county", "320412"]

PYTHON = sys.executable
FLOORS = str(ROOT / "benchmarks" / "package_floors.py")
CLI = cli(ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiers-package-commands-") as temporary:
        folder = Path(temporary)
        source, empty = folder / "county.sqlite3", folder / "empty.sqlite3"
        build(source, args.firms)
        open_database(empty).dispose()
        package, plain, city = folder / "county.zip", folder / "plain", folder / "city.sqlite3"
        plain.mkdir()
        statements = folder / "statements.json"
        statements.write_text(json.dumps(floor_statements()))
        times: dict[str, list[float]] = {k: [] for k in ("export", "export floor", "import",
                                                         "import floor")}
        for _ in range(args.runs):
            # (the demo's three counties named: a database of several, not the city's, is
            # asked which rather than exported whole)
            times["export"].append(timed([*CLI, "--db", str(source), "package", "export",
                                          str(package), *DEMO_COUNTIES]))
            times["export floor"].append(timed([PYTHON, FLOORS, "export", str(source),
                                                str(plain), str(statements)]))
            for leftover in folder.glob("city.sqlite3*"):
                leftover.unlink()
            shutil.copy(empty, city)
            times["import"].append(timed([*CLI, "--db", str(city), "package", "import",
                                          str(package)]))
            times["import floor"].append(timed([PYTHON, FLOORS, "import", str(plain),
                                                str(folder / "floor.sqlite3")]))
        print(f"整条命令，{args.firms:,} 家企业（{args.runs} 次的中位数）")
        print(f"{'命令':<24}{'Tiers s':>9}{'下限 s':>9}{'倍数':>7}")
        for step, label in (("export", "tiers package export"),
                            ("import", "tiers package import")):
            ours = statistics.median(times[step])
            floor = statistics.median(times[f"{step} floor"])
            print(f"{label:<24}{ours:>9.2f}{floor:>9.2f}{ours / floor:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
