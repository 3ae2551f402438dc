"""``tiers package export`` and ``tiers package import``, whole commands from process start
(interpreter, imports, the database opened, the package written or read and imported, the
checkpoint a command waits for), each beside its floor as a whole process of the standard
library alone (benchmarks/package_floors.py), in the same loop; medians and ratios.

    .venv/bin/python benchmarks/package_commands.py [--firms 100000] [--runs 3]

The import goes into a copy of an empty database made before the clock starts (a county
new to it: the command writes each table while it reads the next, tiers.exchange.streamed).
benchmarks/package.py times the same jobs inside one process, in their parts.

Every process, Tiers's and the floor's, runs with its modules' compiled bytecode kept (in a
folder of its own, PYTHONPYCACHEPREFIX, after one untimed run of each command), as an
installed Tiers has it: a machine that writes no bytecode (PYTHONDONTWRITEBYTECODE, as on
the developers' machine) would otherwise compile Tiers's own modules in every command
(0.3 s of the 1.2 s a command takes to start), which no officer's installation does.
"""

from __future__ import annotations

import argparse
import json
import os
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


def compiled_environment(folder: Path) -> dict[str, str]:
    """The environment of a process whose modules' bytecode is written once and reused."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(folder)
    return environment


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
        environment = compiled_environment(folder / "bytecode")
        for run in range(args.runs + 1):  # (the first: untimed, the bytecode written)
            # (the demo's three counties named: a database of several, not the city's, is
            # asked which rather than exported whole)
            spent = {"export": timed([*CLI, "--db", str(source), "package", "export",
                                      str(package), *DEMO_COUNTIES], environment),
                     "export floor": timed([PYTHON, FLOORS, "export", str(source),
                                            str(plain), str(statements)], environment)}
            for leftover in folder.glob("city.sqlite3*"):
                leftover.unlink()
            shutil.copy(empty, city)
            spent["import"] = timed([*CLI, "--db", str(city), "package", "import",
                                     str(package)], environment)
            spent["import floor"] = timed([PYTHON, FLOORS, "import", str(plain),
                                           str(folder / "floor.sqlite3")], environment)
            if run:
                for step, seconds in spent.items():
                    times[step].append(seconds)
        print(f"整条命令，{args.firms:,} 家企业（{args.runs} 次的中位数；字节码已编译，如安装后）")
        print(f"{'命令':<24}{'Tiers s':>9}{'下限 s':>9}{'倍数':>7}")
        for step, label in (("export", "tiers package export"),
                            ("import", "tiers package import")):
            ours = statistics.median(times[step])
            floor = statistics.median(times[f"{step} floor"])
            print(f"{label:<24}{ours:>9.2f}{floor:>9.2f}{ours / floor:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
