import sqlite3
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from tests.conftest import make_code
from tiers import db as tiers_db
from tiers import demo, queries
from tiers.db import DatabaseError, open_database
from tiers.models import Base


def test_new_database_is_created_at_head_with_pragmas(tmp_path):
    database = open_database(tmp_path / "sub" / "new.sqlite3")
    engine = database.engine
    assert tiers_db.current_revision(engine) == tiers_db.head_revision(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
    database.dispose()


def test_models_and_migrations_agree(database):
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migrating_a_populated_database_keeps_data_and_backs_up(tmp_path):
    """A database made by the first release (revision 0001), with rows written as that
    release wrote them, upgrades to head: data kept, pinyin sort keys filled, backup made."""
    path = tmp_path / "old.sqlite3"
    engine = tiers_db.make_engine(path)
    command.upgrade(tiers_db.migrations_config(engine), "0001")
    columns = ("credit_code, name, name_key, pinyin_initials, legacy_code, county_name, town, "
               "address, industry, main_product, legal_representative, contact_person, "
               "contact_phone, size, listing_status, tags, notes, is_demo, created_at, "
               "updated_at")
    with engine.begin() as connection:
        for serial, name in enumerate(["中天钢铁有限公司", "常州东方特钢有限公司",
                                       "阿尔法科技有限公司"], start=1):
            connection.execute(text(
                f"INSERT INTO enterprise ({columns}) VALUES (:code, :name, :name, '', '', "
                "'武进区', '', '', '', '', '', '', '', '', '', '', '', 0, "
                "'2024-01-01 00:00:00', '2024-01-01 00:00:00')"),
                {"code": make_code(serial), "name": name})
    engine.dispose()
    reopened = open_database(path)
    with reopened.session() as session:
        rows = queries.roster(session, queries.RosterFilter())
    assert [r["name"] for r in rows] == ["阿尔法科技有限公司", "常州东方特钢有限公司",
                                         "中天钢铁有限公司"]  # a, chang, zhong: by pinyin
    assert tiers_db.current_revision(reopened.engine) == tiers_db.head_revision(reopened.engine)
    assert len(list((tmp_path / "backups").glob("*before-upgrade*"))) == 1
    reopened.dispose()


def test_downgrade_and_upgrade_again(tmp_path):
    database = open_database(tmp_path / "round.sqlite3")
    config = tiers_db.migrations_config(database.engine)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    database.dispose()


def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path):
    open_database(tmp_path / "a.sqlite3").dispose()
    open_database(tmp_path / "a.sqlite3").dispose()
    assert not (tmp_path / "backups").exists()


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是 Tiers 数据库"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "这不是数据库"


def test_backup_while_another_connection_writes(tmp_path):
    database = open_database(tmp_path / "live.sqlite3")
    with database.session() as session:
        list(demo.generate(session, enterprises=200))
    stop = threading.Event()
    errors: list[Exception] = []

    def writer():
        connection = sqlite3.connect(tmp_path / "live.sqlite3", timeout=10)
        try:
            n = 0
            while not stop.is_set():
                connection.execute("UPDATE enterprise SET notes = ? WHERE id = 1", (str(n),))
                connection.commit()
                n += 1
        except sqlite3.Error as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = database.backup(tmp_path / "copies" / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()
    assert not errors
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 200
    finally:
        copy.close()
    assert not list(target.parent.glob("*.partial"))
    database.dispose()


def test_backup_into_a_folder_names_the_file(tmp_path):
    database = open_database(tmp_path / "x.sqlite3")
    target = database.backup(str(tmp_path / "folder") + "/")
    assert target.parent == tmp_path / "folder" and target.suffix == ".sqlite3"
    database.dispose()


def test_default_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TIERS_DB", str(tmp_path / "env.sqlite3"))
    assert tiers_db.default_path() == tmp_path / "env.sqlite3"
    monkeypatch.delenv("TIERS_DB")
    assert tiers_db.default_path().name == "tiers.sqlite3"
