"""Migration 0008 adds 公示中 to recognitions: every recognition stored before came from a
final list and stays held (issue #16)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tests.conftest import make_code
from tiers.model import ladder
from tiers.queries import dashboard
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from tiers.storage.schema import head_revision


def test_upgrade_keeps_every_recognition_held(tmp_path):
    path = tmp_path / "old.sqlite3"
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州旧库有限公司"})
        recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2025})
    database.dispose()
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE recognition DROP COLUMN is_pending")
    raw.execute("UPDATE alembic_version SET version_num = '0007'")
    raw.commit()
    raw.close()
    database = open_database(path)
    with database.session() as session:
        (recognition,) = enterprises.get(session, 1).recognitions
        assert recognition.is_pending is False
        assert dashboard.overview(session, today=dt.date(2026, 1, 1))["recognitions"] == 1
        assert ladder.status_of(valid_until=recognition.valid_until, revoked_on=None,
                                today=dt.date(2026, 1, 1),
                                pending=recognition.is_pending) == ladder.VALID
    database.dispose()
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == head_revision() >= "0008"
