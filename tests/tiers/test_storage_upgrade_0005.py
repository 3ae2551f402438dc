"""Migration 0005 adds the 2026 办法's inputs to 年度数据: figures stored before keep their values,
and an upgrade that fails part way leaves the database exactly as it was (issue #17)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from tests.conftest import make_code
from tiers.errors import TiersError
from tiers.services import enterprises, figures
from tiers.storage.database import open_database
from tiers.storage.schema import head_revision

NEW = ["development_score", "domestic_rank", "lead_product_ratio", "national_rd_centers",
       "provincial_rd_centers", "national_award_rank", "provincial_award_rank"]


def as_of_0004(tmp_path):
    """A database as release 0004 left it, with one year of figures."""
    path = tmp_path / "old.sqlite3"
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州旧库有限公司"})
        figures.set_year(session, firm.id, 2025, {"revenue": 1000, "ip_class1": 2})
    database.dispose()
    raw = sqlite3.connect(path)
    for column in NEW:
        raw.execute(f"ALTER TABLE annual_figures DROP COLUMN {column}")
    raw.execute("UPDATE alembic_version SET version_num = '0004'")
    raw.commit()
    raw.close()
    return path


def columns(path) -> list[str]:
    return [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(annual_figures)")]


def test_upgrade_adds_the_inputs_and_keeps_the_figures(tmp_path):
    path = as_of_0004(tmp_path)
    assert not set(NEW) & set(columns(path))
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.get(session, 1)
        (row,) = firm.figures
        assert row.revenue == Decimal(1000) and row.ip_class1 == 2
        assert row.development_score is None and row.domestic_rank is None
    database.dispose()
    assert set(NEW) <= set(columns(path))
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == head_revision()  # and on through the later revisions


def test_columns_already_there_are_kept(tmp_path):
    path = as_of_0004(tmp_path)
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE annual_figures ADD COLUMN domestic_rank INTEGER")
    raw.execute("UPDATE annual_figures SET domestic_rank = 4")
    raw.commit()
    raw.close()
    database = open_database(path)
    with database.session() as session:
        (row,) = enterprises.get(session, 1).figures
        assert row.domestic_rank == 4 and row.development_score is None
    database.dispose()


def test_a_failed_upgrade_changes_nothing(tmp_path):
    # the columns are added, then stamping the new revision fails (as a power cut or a full
    # disk would): the columns go with it
    path = as_of_0004(tmp_path)
    raw = sqlite3.connect(path)
    raw.execute("CREATE TRIGGER refuse BEFORE UPDATE ON alembic_version"
                " BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    raw.commit()
    raw.close()
    before = columns(path)
    with pytest.raises(TiersError):
        open_database(path)
    assert columns(path) == before
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == "0004"
