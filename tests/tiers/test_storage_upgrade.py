"""A schema upgrade is all or nothing, and the backup made before it is kept.

A database at revision 0001 with firms in it is upgraded while the 0002 step fails after its
DDL (the column is added, the keys are being filled): killed outright in a subprocess, or by
an exception. The file must stay at 0001, intact, and upgrade on the next open."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from tests.conftest import make_code
from tiers.model import pinyin
from tiers.storage import backups, schema
from tiers.storage.database import DatabaseError, make_engine, open_database

pytestmark = pytest.mark.sqlite_only  # an upgrade of the SQLite file killed midway, and the file backups

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["中天钢铁有限公司", "常州东方特钢有限公司", "阿尔法科技有限公司"]


def make_first_release_database(path: Path) -> None:
    """A database as the first release left it: revision 0001, three firms."""
    engine = make_engine(path)
    command.upgrade(schema.migrations_config(engine), "0001")
    columns = ("credit_code, name, name_key, pinyin_initials, legacy_code, county_name, town, "
               "address, industry, main_product, legal_representative, contact_person, "
               "contact_phone, size, listing_status, tags, notes, is_demo, created_at, "
               "updated_at")
    with engine.begin() as connection:
        for serial, name in enumerate(NAMES, start=1):
            connection.execute(text(
                f"INSERT INTO enterprise ({columns}) VALUES (:code, :name, :name, '', '', "
                "'武进区', '', '', '', '', '', '', '', '', '', '', '', 0, "
                "'2024-01-01 00:00:00', '2024-01-01 00:00:00')"),
                {"code": make_code(serial), "name": name})
    engine.dispose()


def state_of(path: Path) -> tuple[str, list[str], int, str]:
    """(revision, enterprise's columns, firms, integrity) read with plain sqlite3."""
    connection = sqlite3.connect(path)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(enterprise)")]
        firms = connection.execute("SELECT count(*) FROM enterprise").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return revision, columns, firms, integrity


def upgrade_backups(folder: Path) -> list[Path]:
    return sorted((folder / "backups").glob("*before-upgrade*"))


def assert_upgrades_fine_now(path: Path) -> None:
    database = open_database(path)
    try:
        assert schema.current_revision(database.engine) == schema.head_revision(database.engine)
    finally:
        database.dispose()
    revision, columns, firms, integrity = state_of(path)
    assert "pinyin_key" in columns and firms == 3 and integrity == "ok"


def test_an_upgrade_killed_midway_leaves_the_old_version_intact(tmp_path):
    path = tmp_path / "old.sqlite3"
    make_first_release_database(path)
    killer = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tiers.model import pinyin
        pinyin.sort_key = lambda name: os._exit(9)  # dies after 0002 added its column
        from tiers.storage.database import open_database
        open_database({str(path)!r})
        """)
    for _attempt in range(3):
        finished = subprocess.run([sys.executable, "-c", killer], capture_output=True,
                                  text=True, timeout=120)
        assert finished.returncode == 9, finished.stderr
        revision, columns, firms, integrity = state_of(path)
        assert (revision, "pinyin_key" in columns, firms, integrity) == ("0001", False, 3, "ok")
    assert len(upgrade_backups(tmp_path)) == 1  # one per version step, not one per attempt
    assert_upgrades_fine_now(path)
    assert len(upgrade_backups(tmp_path)) == 1


def test_an_upgrade_that_fails_is_rolled_back_and_told(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    make_first_release_database(path)

    def broken(_name: str) -> str:
        raise RuntimeError("a fault in the middle of the upgrade")

    monkeypatch.setattr(pinyin, "sort_key", broken)
    for _attempt in range(2):
        with pytest.raises(DatabaseError, match="升级"):
            open_database(path)
        revision, columns, firms, integrity = state_of(path)
        assert (revision, "pinyin_key" in columns, firms, integrity) == ("0001", False, 3, "ok")
    monkeypatch.undo()
    assert len(upgrade_backups(tmp_path)) == 1
    assert_upgrades_fine_now(path)


def test_the_backup_made_before_an_upgrade_is_never_pruned(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "tiers-20250101-120000-before-upgrade-0001.sqlite3").write_bytes(b"x")
    (folder / "tiers-20250102-120000-before-upgrade.sqlite3").write_bytes(b"x")  # older release
    for day in range(1, 13):
        (folder / f"tiers-202502{day:02d}-120000-before-restore.sqlite3").write_bytes(b"x")
    backups.prune_backups(folder)
    names = sorted(p.name for p in folder.iterdir())
    assert "tiers-20250101-120000-before-upgrade-0001.sqlite3" in names
    assert "tiers-20250102-120000-before-upgrade.sqlite3" in names
    restores = [n for n in names if n.endswith("before-restore.sqlite3")]
    assert len(restores) == backups.BACKUPS_KEPT and restores[0].startswith("tiers-20250203")
