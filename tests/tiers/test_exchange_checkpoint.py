"""A large package's commit only appends its pages to the write-ahead log; copying them
into the database file (the checkpoint) runs afterwards on a thread, as a roster import's
does. The package import commits after its large-write block, whose end used to put the
automatic checkpoint back, so the commit itself ran it; the setting now waits for the end
of the transaction (tiers.storage.database.checkpoint_afterwards)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.tiers.exchange_helpers import DAY, WUJIN, carried, county_database, imported, sent
from tiers.storage import bulk_sqlite
from tiers.storage import database as tiers_db
from tiers.storage.database import open_database


@pytest.mark.sqlite_only  # the SQLite file and its write-ahead log
def test_a_large_packages_commit_leaves_the_copy_into_the_file_to_a_thread(tmp_path,
                                                                          monkeypatch):
    county = county_database(tmp_path / "county.sqlite3", enterprises=40)
    package = sent(county, tmp_path / "p.zip", WUJIN, DAY)
    path = tmp_path / "city.sqlite3"
    city = open_database(path)
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    size_before = path.stat().st_size
    started: list[str] = []
    checkpoint = tiers_db._checkpoint
    monkeypatch.setattr(tiers_db, "_checkpoint", started.append)
    monkeypatch.setattr(bulk_sqlite, "LARGE_WRITE", 10)  # this package is a large write
    monkeypatch.setattr(tiers_db, "AUTOCHECKPOINT_PAGES", 1)  # else any commit copies
    imported(city, package)
    assert started == [str(path)]
    assert path.stat().st_size == size_before  # the commit copied nothing into the file
    checkpoint(started[0])  # what the thread does
    assert path.stat().st_size > size_before
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    other.close()
    assert carried(city) == carried(county, county=WUJIN)
    city.dispose()
    county.dispose()


@pytest.mark.sqlite_only
def test_a_large_undo_commits_to_the_wal_and_leaves_the_copy_to_a_thread(tmp_path,
                                                                         monkeypatch):
    """The undo runs in its caller's transaction and is committed after it: that commit,
    too, runs without SQLite's automatic checkpoint (it copied every page it freed)."""
    from sqlalchemy import event

    from importers.undo import undo_batch
    from tiers.progress import drain

    county = county_database(tmp_path / "county.sqlite3", enterprises=40)
    package = sent(county, tmp_path / "p.zip", WUJIN, DAY)
    path = tmp_path / "city.sqlite3"
    city = open_database(path)
    batch_id = imported(city, package).batch_id
    started: list[str] = []
    monkeypatch.setattr(tiers_db, "_checkpoint", started.append)
    monkeypatch.setattr(bulk_sqlite, "LARGE_WRITE", 10)
    monkeypatch.setattr(tiers_db, "AUTOCHECKPOINT_PAGES", 1)
    at_commit: list[int] = []

    def commit(connection):
        at_commit.append(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())

    event.listen(city.engine, "commit", commit)
    with city.session() as session:
        drain(undo_batch(session, batch_id, user="市局"))
    assert at_commit == [0]
    assert started == [str(path)]
    assert sum(map(sum, (c.values() for c in carried(city).values()))) == 0
    city.dispose()
    county.dispose()


@pytest.mark.sqlite_only
def test_a_large_write_puts_the_page_cache_back(tmp_path, monkeypatch):
    """The large-write page cache (128 MB) is the block's: the connection goes back to the
    pool with the size it had, or the client holds the memory for good."""
    from sqlalchemy import text

    from tiers.storage.bulk import prepared_for_bulk

    database = open_database(tmp_path / "city.sqlite3")
    monkeypatch.setattr(tiers_db, "_checkpoint", lambda path: None)
    with database.session() as session:
        before = session.execute(text("PRAGMA cache_size")).scalar()
        with prepared_for_bulk(session, rows=bulk_sqlite.LARGE_WRITE + 1):
            assert session.execute(text("PRAGMA cache_size")).scalar() == -131072
        assert session.execute(text("PRAGMA cache_size")).scalar() == before
        with pytest.raises(RuntimeError), prepared_for_bulk(
                session, rows=bulk_sqlite.LARGE_WRITE + 1):
            raise RuntimeError("cancelled")
        assert session.execute(text("PRAGMA cache_size")).scalar() == before
    database.dispose()
