"""Migration 0009 adds FormerName.is_alias (a name kept for matching only): every name stored
before stays a former name, shown and sent as before; the upgrade is one step that either
happens whole or leaves the file as it was."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import make_code
from tiers.queries import profiles
from tiers.services import enterprises
from tiers.storage.database import open_database
from tiers.storage.schema import head_revision


def _old_file(path):
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1),
                                            "name": "常州旧库有限公司"})
        enterprises.add_former_name(session, firm.id, "常州旧名有限公司")
    database.dispose()
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE former_name DROP COLUMN is_alias")
    raw.execute("UPDATE alembic_version SET version_num = '0008'")
    raw.commit()
    raw.close()


def test_upgrade_keeps_every_former_name(tmp_path):
    path = tmp_path / "old.sqlite3"
    _old_file(path)
    database = open_database(path)
    with database.session() as session:
        (former,) = enterprises.get(session, 1).former_names
        assert former.is_alias is False
        assert profiles.profile(session, 1)["former_names"] == ["常州旧名有限公司"]
    database.dispose()
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == head_revision()  # (0009, or a later revision on top)


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    _old_file(path)
    from alembic.operations import Operations

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Operations, "batch_alter_table", broken)
    with pytest.raises(Exception):  # noqa: B017 (whatever the opening reports)
        open_database(path)
    raw = sqlite3.connect(path)
    columns = {row[1] for row in raw.execute("PRAGMA table_info(former_name)")}
    assert "is_alias" not in columns
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0008"
    assert raw.execute("SELECT name FROM former_name").fetchall() == [("常州旧名有限公司",)]
    raw.close()
