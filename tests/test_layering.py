"""The folders keep telling the truth: every import arrow points down (ui → importers →
tiers), the core and the importers know nothing of Qt, and the command line is Qt-free.

The rules are import-linter contracts in pyproject.toml; this test runs them, so a broken
contract fails the suite. The AST check below is a second, dependency-free guard that also
covers function-level imports in the core.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top_level(module: str) -> str:
    return module.split(".")[0]


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("package", ["tiers", "importers"])
def test_no_qt_and_no_ui_in_core_or_importers(package):
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources(package)
                 for m in imported_modules(p)
                 if top_level(m) in {"PySide6", "shiboken6", "ui"}]
    assert offenders == []


def test_the_core_does_not_reach_up_to_the_importers():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("tiers")
                 for m in imported_modules(p) if top_level(m) == "importers"]
    assert offenders == []


def test_the_command_line_imports_no_qt():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("ui/cli")
                 for m in imported_modules(p)
                 if top_level(m) in {"PySide6", "shiboken6"}
                 or (m.startswith("ui.") and not m.startswith("ui.cli") and m != "ui.app")]
    assert offenders == []


def test_importing_the_core_and_the_cli_loads_no_qt():
    code = ("import sys, ui.cli.main, tiers.queries.roster, tiers.services.demo,"
            " tiers.services.enterprises, importers;"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


ENGINE_NAMES = {"postgresql", "sqlite"}


def engine_checks(path: Path) -> list[int]:
    """The lines that ask which engine a database is: ``….dialect.name``, or a comparison
    with an engine's name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def asks(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return (node.attr == "name" and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "dialect")
        return isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Constant) and side.value in ENGINE_NAMES
            for side in [node.left, *node.comparators])

    return [node.lineno for node in ast.walk(tree) if asks(node)]


def test_only_the_storage_asks_which_engine():
    """Only tiers/storage knows SQLite from PostgreSQL (design.md): a service or a window
    that asked itself (audit.current_user, the window's change listener) asks the storage
    now (mends27)."""
    storage = ROOT / "tiers" / "storage"
    offenders = [f"{p.relative_to(ROOT)}:{line}"
                 for package in ("tiers", "importers", "ui") for p in sources(package)
                 if storage not in p.parents for line in engine_checks(p)]
    assert offenders == []


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport ui.app\n", encoding="utf-8")
    assert {"PySide6.QtCore", "ui.app"} <= imported_modules(bad)
    asks = tmp_path / "asks.py"
    asks.write_text("if engine.dialect.name == 'postgresql':\n    pass\n"
                    "server = 'sqlite' != kind\n", encoding="utf-8")
    assert sorted(engine_checks(asks)) == [1, 1, 3]
