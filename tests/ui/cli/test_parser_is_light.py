"""``tiers --help`` and building the parser import nothing heavy: SQLAlchemy, pypinyin, Qt
and the importers load only when a command that needs them runs (measured: tiers --help
1.17 s before the split into one module per command, 0.08 s after)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("sqlalchemy", "pypinyin", "PySide6", "importers", "xlsxwriter", "python_calamine",
         "tiers.reports", "tiers.assess")


def _loaded_after(code: str) -> list[str]:
    probe = (f"import sys\n{code}\n"
             f"print(' '.join(sorted({{m for m in sys.modules for h in {HEAVY!r}"
             f" if m == h or m.startswith(h + '.')}})))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    return result.stdout.split()


def test_building_the_parser_loads_nothing_heavy():
    assert _loaded_after("import ui.cli.main\nui.cli.main.build_parser()") == []


def test_help_loads_nothing_heavy():
    code = ("import contextlib, io, ui.cli.main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    ui.cli.main.main(['--help'])")
    assert _loaded_after(code) == []


def test_the_probe_sees_a_heavy_import():
    assert "sqlalchemy" in _loaded_after("import tiers.queries.roster")
