"""Migration 0006 adds the 2022 13-indicator score's own inputs to 年度数据: figures stored
before keep their values (the new inputs start empty, never guessed), and an upgrade that fails
part way leaves the database exactly as it was (issue #17)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from tests.conftest import make_code
from tiers.errors import TiersError
from tiers.services import enterprises, figures
from tiers.storage import schema
from tiers.storage.database import open_database

NEW = ["ip_class1_high_value", "ip_class1_own", "municipal_rd_centers", "lower_rd_centers",
       "digital_level", "quality_items", "lead_field_class", "distinctive_score"]


def as_of_0005(tmp_path):
    """A database as release 0005 left it, with one year of figures."""
    path = tmp_path / "old.sqlite3"
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州旧库有限公司"})
        figures.set_year(session, firm.id, 2025, {"revenue": 1000, "ip_class1": 2,
                                                  "development_score": 61})
    database.dispose()
    raw = sqlite3.connect(path)
    for column in NEW:
        raw.execute(f"ALTER TABLE annual_figures DROP COLUMN {column}")
    raw.execute("UPDATE alembic_version SET version_num = '0005'")
    raw.commit()
    raw.close()
    return path


def columns(path) -> list[str]:
    return [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(annual_figures)")]


def test_upgrade_adds_the_score_inputs_and_keeps_the_figures(tmp_path):
    path = as_of_0005(tmp_path)
    assert not set(NEW) & set(columns(path))
    database = open_database(path)
    with database.session() as session:
        (row,) = enterprises.get(session, 1).figures
        assert row.revenue == Decimal(1000) and row.ip_class1 == 2
        assert row.development_score == Decimal(61)
        assert all(getattr(row, column) is None for column in NEW)
    database.dispose()
    assert set(NEW) <= set(columns(path))
    version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version[0] == schema.head_revision()  # 0006 and every revision after it


def test_a_failed_upgrade_changes_nothing(tmp_path):
    path = as_of_0005(tmp_path)
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
    assert version[0] == "0005"


def test_the_score_inputs_are_checked(session, enterprise_factory):
    firm = enterprise_factory("常州录入测试有限公司")
    figures.set_year(session, firm.id, 2025, {"digital_level": 3, "quality_items": 2,
                                              "lead_field_class": 1, "distinctive_score": 12,
                                              "ip_class1_high_value": 1, "ip_class1_own": 2,
                                              "municipal_rd_centers": 1, "lower_rd_centers": 0})
    session.flush()
    for values, words in (({"digital_level": 5}, "数字化水平等级"),
                          ({"lead_field_class": 0}, "主导产品领域档次"),
                          ({"distinctive_score": 16}, "特色化指标得分"),
                          ({"quality_items": -1}, "质量管理水平达标项")):
        with pytest.raises(TiersError, match=words):
            figures.set_year(session, firm.id, 2025, values)
