"""Migration 0012 grants on unit_county to the group roles by their names as they were at
that revision, not by importing the app's roles module (review26 #12): a later change of
tiers.storage.server.roles would change what an old migration does. The frozen names are
checked against today's rule, which they must equal while it is unchanged."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import tiers.storage.migrations.versions as versions
from tiers.storage.server.roles import group_roles

MIGRATION = Path(versions.__path__[0]) / "0012_unit_counties.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0012", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_imports_no_app_code():
    imported = []
    for node in ast.walk(ast.parse(MIGRATION.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert [name for name in imported if name.split(".")[0] in ("tiers", "importers", "ui")] == []


@pytest.mark.parametrize("database", ["tiers", "changzhou_2026", "Tiers", "常州市库",
                                      "a-b.c", "x" * 60, "tiers_test_" + "9" * 40])
def test_the_frozen_role_names_are_the_apps(database):
    assert _migration()._group_roles(database) == group_roles(database)
