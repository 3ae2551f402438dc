"""The folders keep telling the truth: the core and the importers know nothing of Qt."""

from __future__ import annotations

import ast
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


def is_cli(path: Path) -> bool:
    return path.parent.name == "tiers" and path.stem.startswith("cli")


@pytest.mark.parametrize("package", ["tiers", "importers"])
def test_no_qt_in_core_or_importers(package):
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources(package)
                 for m in imported_modules(p)
                 if top_level(m) in {"PySide6", "shiboken6", "ui"} and not is_cli(p)]
    assert offenders == []


def test_only_the_cli_in_tiers_reaches_importers():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("tiers")
                 for m in imported_modules(p)
                 if top_level(m) == "importers" and not is_cli(p)]
    assert offenders == []


def test_importers_do_not_import_ui():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("importers")
                 for m in imported_modules(p) if top_level(m) == "ui"]
    assert offenders == []


def test_importing_the_core_loads_no_qt():
    code = ("import sys, tiers.cli, tiers.queries, tiers.demo, tiers.services.enterprises;"
            "import importlib.util as u;"
            "[__import__(m) for m in ('importers',) if u.find_spec(m)];"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport ui.app\n", encoding="utf-8")
    assert {"PySide6.QtCore", "ui.app"} <= imported_modules(bad)
