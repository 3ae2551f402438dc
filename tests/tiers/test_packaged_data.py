"""The migrations and the reference data are found as package data (importlib.resources),
never beside a source file, so that a frozen build finds them in its own folder."""

from __future__ import annotations

from tiers.model.reference import resource_path
from tiers.storage import schema


def test_migrations_are_found_as_package_data():
    assert (schema.MIGRATIONS / "env.py").is_file()
    assert sorted(path.name for path in (schema.MIGRATIONS / "versions").glob("0*.py"))
    assert schema.head_revision() in schema.known_revisions()


def test_the_icons_are_reference_data():
    for name in ("icons/tiers.svg", "icons/tiers.ico", "icons/tiers-16.png",
                 "icons/tiers-256.png"):
        assert resource_path(name).is_file(), name
