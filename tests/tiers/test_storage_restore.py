"""Restoring a backup checks its schema version: an older backup is upgraded (in a copy:
the backup file stays as it was) before it goes into the live file, a newer one is refused."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from tests.tiers.test_storage_upgrade import make_first_release_database
from tiers.services import demo
from tiers.storage import backups, schema
from tiers.storage.database import open_database
from tiers.storage.faults import FileRefused

pytestmark = pytest.mark.sqlite_only  # the file-based backup and restore


def test_an_older_backup_is_upgraded_on_restore_and_an_open_connection_keeps_working(tmp_path):
    old = tmp_path / "first-release.sqlite3"
    make_first_release_database(old)
    old_bytes = old.read_bytes()
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=20))
    holder = sqlite3.connect(tmp_path / "live.sqlite3")  # another window, still open
    holder.execute("SELECT count(*) FROM enterprise").fetchone()

    before = backups.restore_file(old, tmp_path / "live.sqlite3")

    # the open connection meets the current schema, holding the backup's three firms
    names = holder.execute(
        "SELECT name, pinyin_key FROM enterprise ORDER BY pinyin_key").fetchall()
    assert [name for name, _key in names] == ["阿尔法科技有限公司", "常州东方特钢有限公司",
                                               "中天钢铁有限公司"]
    assert all(key for _name, key in names)
    holder.close()
    with live.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM enterprise")).scalar() == 3
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert schema.current_revision(live.engine) == schema.head_revision()
    live.dispose()
    assert old.read_bytes() == old_bytes  # the backup itself is its own safety copy
    assert before.exists()
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [before.name]  # no leftovers


def test_a_backup_of_a_newer_release_is_refused_and_nothing_changes(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    open_database(newer).dispose()
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=5))
    with pytest.raises(FileRefused, match="由更新版本的 Tiers 创建，请升级程序"):
        backups.restore_file(newer, tmp_path / "live.sqlite3")
    assert not (tmp_path / "backups").exists()
    with live.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM enterprise")).scalar() == 5
    live.dispose()


def test_a_backup_without_tables_is_refused(tmp_path):
    bare = tmp_path / "bare.sqlite3"
    connection = sqlite3.connect(bare)
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    with pytest.raises(FileRefused, match="不是 Tiers 数据库备份"):
        backups.check_backup(bare)
