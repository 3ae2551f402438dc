"""Migration 0010 adds Recognition.valid_until_estimated (有效期至 推算 by Tiers): every date
stored before stays as it was and unflagged (a computed one and one a list gave cannot be
told apart afterwards); the upgrade is one step that either happens whole or leaves the
file as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from tests.conftest import make_code
from tiers.model.orm import Recognition
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from tiers.storage.schema import head_revision


def _old_file(path):
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1),
                                            "name": "常州旧库有限公司"})
        recognitions.add(session, firm.id, {"tier_code": "专精特新中小企业",
                                            "batch_label": "2023年度", "batch_year": 2023})
    database.dispose()
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE recognition DROP COLUMN valid_until_estimated")
    raw.execute("UPDATE alembic_version SET version_num = '0009'")
    raw.commit()
    raw.close()


def test_upgrade_keeps_every_date_unflagged(tmp_path):
    path = tmp_path / "old.sqlite3"
    _old_file(path)
    database = open_database(path)
    with database.session() as session:
        (title,) = session.query(Recognition).all()
        assert (title.valid_until, title.valid_until_estimated) == (dt.date(2026, 12, 31),
                                                                     False)
    database.dispose()
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == head_revision()  # 0010, and whatever came after it


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
    columns = {row[1] for row in raw.execute("PRAGMA table_info(recognition)")}
    assert "valid_until_estimated" not in columns
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0009"
    assert raw.execute("SELECT valid_until FROM recognition").fetchall() == [("2026-12-31",)]
    raw.close()
