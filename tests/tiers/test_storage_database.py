import sqlite3
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from tests.conftest import make_code
from tiers.model.orm import Base
from tiers.queries import roster
from tiers.services import demo
from tiers.storage import backups, schema
from tiers.storage import database as tiers_db
from tiers.storage.database import DatabaseError, open_database


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_new_database_is_created_at_head_with_pragmas(tmp_path):
    database = open_database(tmp_path / "sub" / "new.sqlite3")
    engine = database.engine
    assert schema.current_revision(engine) == schema.head_revision(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
    database.dispose()


def test_models_and_migrations_agree(database):
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migrating_a_populated_database_keeps_data_and_backs_up(tmp_path, new_target,
                                                                on_postgres):
    """A database made by the first release (revision 0001), with rows written as that
    release wrote them, upgrades to head: data kept, pinyin sort keys filled, backup made
    (of a file: a server's backups are the server's)."""
    path = new_target("old.sqlite3", migrated=False)
    engine = tiers_db.make_engine(path)
    command.upgrade(schema.migrations_config(engine), "0001")
    columns = ("credit_code, name, name_key, pinyin_initials, legacy_code, county_name, town, "
               "address, industry, main_product, legal_representative, contact_person, "
               "contact_phone, size, listing_status, tags, notes, is_demo, created_at, "
               "updated_at")
    with engine.begin() as connection:
        for serial, name in enumerate(["中天钢铁有限公司", "常州东方特钢有限公司",
                                       "阿尔法科技有限公司"], start=1):
            connection.execute(text(
                f"INSERT INTO enterprise ({columns}) VALUES (:code, :name, :name, '', '', "
                "'武进区', '', '', '', '', '', '', '', '', '', '', '', :demo, "
                "'2024-01-01 00:00:00', '2024-01-01 00:00:00')"),
                {"code": make_code(serial), "name": name, "demo": False})
    engine.dispose()
    reopened = open_database(path)
    with reopened.session() as session:
        rows = roster.roster(session, roster.RosterFilter())
    assert [r["name"] for r in rows] == ["阿尔法科技有限公司", "常州东方特钢有限公司",
                                         "中天钢铁有限公司"]  # a, chang, zhong: by pinyin
    assert schema.current_revision(reopened.engine) == schema.head_revision(reopened.engine)
    assert len(list((tmp_path / "backups").glob("*before-upgrade*"))) == (not on_postgres)
    reopened.dispose()


def test_downgrade_and_upgrade_again(db_target):
    database = open_database(db_target)
    config = schema.migrations_config(database.engine)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path):
    open_database(tmp_path / "a.sqlite3").dispose()
    open_database(tmp_path / "a.sqlite3").dispose()
    assert not (tmp_path / "backups").exists()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是 Tiers 数据库"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "这不是数据库"


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
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


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_backup_into_a_folder_names_the_file(tmp_path):
    database = open_database(tmp_path / "x.sqlite3")
    target = database.backup(str(tmp_path / "folder") + "/")
    assert target.parent == tmp_path / "folder" and target.suffix == ".sqlite3"
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_default_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TIERS_DB", str(tmp_path / "env.sqlite3"))
    assert tiers_db.default_path() == tmp_path / "env.sqlite3"
    monkeypatch.delenv("TIERS_DB")
    assert tiers_db.default_path().name == "tiers.sqlite3"


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_restore_while_a_connection_is_open_gives_exactly_the_backup(tmp_path):
    live = open_database(tmp_path / "live.sqlite3")
    with live.session() as session:
        list(demo.generate(session, enterprises=3))
    copy = live.backup(tmp_path / "copy.sqlite3")
    with live.session() as session:  # more data after the backup, some of it still in the WAL
        list(demo.generate(session, enterprises=36))
    holder = sqlite3.connect(tmp_path / "live.sqlite3")  # another window or task, still open
    holder.execute("SELECT count(*) FROM enterprise").fetchone()
    before = backups.restore_file(copy, tmp_path / "live.sqlite3")
    assert holder.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 3
    holder.close()
    live.dispose()
    reopened = open_database(tmp_path / "live.sqlite3")
    with reopened.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("SELECT count(*) FROM enterprise")).scalar() == 3
    reopened.dispose()
    check = sqlite3.connect(before)  # what was there before the restore is kept
    assert check.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 39
    check.close()


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 100, None])
@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_restore_refuses_what_is_not_a_tiers_backup(tmp_path, content):
    live = open_database(tmp_path / "live.sqlite3")
    candidate = tmp_path / "other.db"
    if content is None:  # another program's SQLite database
        other = sqlite3.connect(candidate)
        other.execute("CREATE TABLE notes (x)")
        other.commit()
        other.close()
    else:
        candidate.write_bytes(content)
    snapshot = candidate.read_bytes()
    with pytest.raises(DatabaseError, match="不是 Tiers 数据库备份|无法读取数据库备份"):
        backups.restore_file(candidate, tmp_path / "live.sqlite3")
    assert candidate.read_bytes() == snapshot  # looked at, not changed
    assert not (tmp_path / "backups").exists()  # refused before anything was done
    live.dispose()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_checkpoint_afterwards_leaves_the_copy_into_the_file_to_a_thread(tmp_path, monkeypatch):
    """A large write's commit appends to the WAL only (the database file does not grow);
    the checkpoint runs afterwards with its own connection, and then the file holds all."""
    path = tmp_path / "big.sqlite3"
    database = open_database(path)
    started: list[str] = []
    checkpoint = tiers_db._checkpoint
    monkeypatch.setattr(tiers_db, "_checkpoint", started.append)
    # what open_database wrote is in the file already
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    size_before = path.stat().st_size
    with database.session() as session:
        connection = session.connection()
        driver = connection.connection.dbapi_connection
        with tiers_db.checkpoint_afterwards(connection):
            assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            for _ in demo.generate(session, enterprises=5000):
                pass
            session.commit()  # the commit itself, inside: it must not copy the pages
        assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    wal = path.with_name(path.name + "-wal")
    assert started == [str(path)]
    assert wal.stat().st_size > 1000 * 4096  # more than the automatic checkpoint allows
    assert path.stat().st_size == size_before
    checkpoint(started[0])  # what the thread does
    assert path.stat().st_size > size_before + 1000 * 4096
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 5000
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    other.close()
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_checkpoint_afterwards_runs_in_the_background_and_survives_a_failure(tmp_path):
    path = tmp_path / "big.sqlite3"
    database = open_database(path)
    with pytest.raises(RuntimeError), database.session() as session:
        connection = session.connection()
        with tiers_db.checkpoint_afterwards(connection):
            raise RuntimeError("cancelled")
    with database.session() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        with tiers_db.checkpoint_afterwards(connection):
            for _ in demo.generate(session, enterprises=500):
                pass
            session.commit()
    tiers_db.wait_for_checkpoints()
    # everything is in the file: a checkpoint now finds no frame left to copy
    busy, frames, copied = sqlite3.connect(path).execute(
        "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == copied
    database.dispose()


@pytest.mark.sqlite_only  # the SQLite file: pragmas, backups, checkpoints, restore
def test_checkpoint_afterwards_holds_until_a_commit_made_after_the_block(tmp_path,
                                                                          monkeypatch):
    """A caller that commits after the block (an undo runs in its caller's transaction):
    that commit too only appends to the WAL; the setting comes back, and the thread
    starts, once the connection is back in the pool. Rolled back, the same."""
    path = tmp_path / "big.sqlite3"
    database = open_database(path)
    started: list[str] = []
    monkeypatch.setattr(tiers_db, "_checkpoint", started.append)
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    size_before = path.stat().st_size
    with database.session() as session:
        connection = session.connection()
        driver = connection.connection.dbapi_connection
        with tiers_db.checkpoint_afterwards(connection):
            for _ in demo.generate(session, enterprises=5000):
                pass
        assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert started == []
    # committed by the session: nothing copied into the file, the thread asked to
    assert path.stat().st_size == size_before
    assert started == [str(path)]
    assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    with pytest.raises(RuntimeError), database.session() as session:
        connection = session.connection()
        driver = connection.connection.dbapi_connection
        with tiers_db.checkpoint_afterwards(connection):
            for _ in demo.generate(session, enterprises=50):
                pass
        raise RuntimeError("cancelled after the block")
    assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert started == [str(path)] * 2
    assert sqlite3.connect(path).execute("SELECT count(*) FROM enterprise").fetchone()[0] == 5000
    database.dispose()


@pytest.mark.sqlite_only
def test_a_connection_closed_before_its_checkin_is_forgotten(tmp_path, monkeypatch):
    """A connection invalidated inside a large write (never checked back in) leaves no
    entry behind holding it."""
    database = open_database(tmp_path / "big.sqlite3")
    monkeypatch.setattr(tiers_db, "_checkpoint", lambda path: None)
    with database.session() as session:
        connection = session.connection()
        with tiers_db.checkpoint_afterwards(connection):
            for _ in demo.generate(session, enterprises=20):
                pass
        driver = connection.connection.dbapi_connection
        assert id(driver) in tiers_db._after_transaction
        connection.invalidate()
        session.rollback()
    assert id(driver) not in tiers_db._after_transaction
    database.dispose()
