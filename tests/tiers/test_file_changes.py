"""A SQLite file's commits by another program are noticed (PRAGMA data_version on a
connection of the listener's own); the engine's own writes, and reads, are not reported."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.services import enterprises
from tiers.storage.backups import backup_file, backup_marked, restore_file
from tiers.storage.database import open_database
from tiers.storage.file_changes import OTHER_PROGRAM, FileChangeListener

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def listened(tmp_path, monkeypatch):
    monkeypatch.setattr(FileChangeListener, "POLL_SECONDS", 0.05)
    path = tmp_path / "库.sqlite3"
    database = open_database(path)
    heard: list[str] = []
    changed = threading.Event()
    listener = FileChangeListener(database.engine, path,
                                  lambda sender: (heard.append(sender), changed.set()))
    listener.start()
    assert listener.listening.wait(5)
    yield database, path, heard, changed
    listener.stop()
    assert not listener.running
    database.dispose()


def _add(database, serial: int) -> None:
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                     "name": f"常州监听{serial}号科技有限公司"})


def test_another_programs_commit_is_heard(listened):
    _database, path, heard, changed = listened
    other = open_database(path)  # the command line, in a process of its own
    try:
        _add(other, 1)
    finally:
        other.dispose()
    assert changed.wait(5)
    assert heard[0] == OTHER_PROGRAM


def test_own_writes_and_reads_are_not_reported(listened):
    database, _path, heard, _changed = listened
    _add(database, 2)
    for _ in range(5):
        with database.session() as session:
            enterprises.by_code(session, make_code(2))
    time.sleep(1.0)  # several looks, past the own write's moment
    assert heard == []


def test_the_window_s_own_package_import_is_not_reported(listened, tmp_path):
    """导入数据包 in the window said 数据已被其他程序修改，已刷新 (tester24): the import's
    savepoint, before any write of its session, began SQLite's transaction, and the
    savepoint's RELEASE committed it where no commit was bracketed (the session's commit
    then found nothing to commit)."""
    database, _path, heard, _changed = listened
    county = county_database(tmp_path / "区县.sqlite3", enterprises=12)
    package = sent(county, tmp_path / "武进.zip", WUJIN, DAY)
    county.dispose()
    assert imported(database, package).batch_id is not None
    time.sleep(1.0)  # several looks, past the import's commit
    assert heard == []


def test_a_savepoint_s_commit_is_own_and_another_program_s_after_it_is_heard(listened):
    """The RELEASE of the savepoint that began the transaction commits it (an own write);
    that of an inner savepoint commits nothing, and leaves nothing bracketed that would
    keep the thread from seeing another program's commit afterwards."""
    database, path, heard, changed = listened
    # first in its session: SQLite's transaction itself
    with database.session() as session, session.begin_nested():
        enterprises.create(session, {"credit_code": make_code(3), "county": "武进区",
                                     "name": "常州保存点3号科技有限公司"})
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(4), "county": "武进区",
                                     "name": "常州保存点4号科技有限公司"})
        with session.begin_nested():  # (flushed first: inside the write's transaction)
            enterprises.create(session, {"credit_code": make_code(5), "county": "武进区",
                                         "name": "常州保存点5号科技有限公司"})
        with database.engine.connect() as reading:  # (another pooled connection reads)
            reading.exec_driver_sql("SELECT count(*) FROM enterprise").scalar()
    time.sleep(1.0)
    assert heard == []
    other = open_database(path)
    try:
        _add(other, 6)
    finally:
        other.dispose()
    assert changed.wait(5)
    assert heard == [OTHER_PROGRAM]


def _other_process(code: str) -> str:
    """Run ``code`` in a separate Python process (another program on the same file)."""
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                           + code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_restore_with_the_listener_running_loses_no_program_s_writes(tmp_path):
    """The restore flow (settings_dialog: dispose, restore_file, open_database(current))
    while the listener's connection is open: opening the restored file read its header with
    open()/close(), which dropped the listener's POSIX locks; the command line then
    checkpointed and deleted the -wal/-shm under the window, and the window's later firm
    and the command line's were lost at its close (review)."""
    path = tmp_path / "库.sqlite3"
    database = open_database(path)
    backup = backup_file(path, tmp_path / "备份.sqlite3")
    listener = FileChangeListener(database.engine, path, lambda sender: None)
    listener.start()
    assert listener.listening.wait(5)
    database.dispose()
    restore_file(backup, path)
    restored = open_database(path)
    try:
        _add(restored, 1)
        _other_process(f"""
from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.services import enterprises
from tiers.storage.database import open_database
d = open_database({str(path)!r})
with d.session() as s:
    enterprises.create(s, {{"credit_code": make_code(2), "county": "武进区",
                           "name": "常州命令行2号科技有限公司"}})
d.dispose()""")
        with restored.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM enterprise").scalar() == 2
        _add(restored, 3)
    finally:
        listener.stop()
        restored.dispose()
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 3
    finally:
        check.close()


def test_opening_the_open_file_again_keeps_the_first_connection_s_lock(tmp_path):
    """open_database on a file this process holds (设置 → 打开数据库… on the current one)
    must not drop the first connection's locks: while it holds a write transaction, another
    process's exclusive lock must still fail."""
    path = tmp_path / "库.sqlite3"
    first = open_database(path)
    second = None
    try:
        with first.engine.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("PRAGMA user_version = 7")
            second = open_database(path)
            assert backup_marked(path) is False
            answer = _other_process(f"""
import sqlite3
c = sqlite3.connect({str(path)!r}, timeout=0)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
try:
    c.execute("BEGIN EXCLUSIVE")
    print("locked")
except sqlite3.OperationalError as exc:
    print("refused", exc)
c.close()
c = sqlite3.connect({str(path)!r}, timeout=0)
c.execute("PRAGMA user_version").fetchone()
c.close()""")
            assert answer.startswith("refused"), answer
            # the other program, closing, did not take itself for the last user
            assert path.with_name(path.name + "-wal").exists()
            assert path.with_name(path.name + "-shm").exists()
            connection.exec_driver_sql("ROLLBACK")
    finally:
        if second is not None:
            second.dispose()
        first.dispose()


def test_another_programs_commit_just_after_an_own_write_is_heard(listened):
    """A change seen within two seconds of the window's own write was taken as that write's
    and dropped for good (review): the command line's import right after a save was never
    shown. The own commit is bracketed now, so the other one is told."""
    database, path, heard, changed = listened
    _add(database, 3)
    other = open_database(path)  # another program (its engine is not the one listened to)
    try:
        _add(other, 4)
    finally:
        other.dispose()
    assert changed.wait(5)
    assert heard == [OTHER_PROGRAM]


def test_a_slow_own_commit_and_own_ddl_are_not_reported(listened):
    """A commit taking longer than the old two-second window, and DDL or a PRAGMA that
    writes outside a transaction (the driver's connection not in one at the commit), were
    reported as another program's (review)."""
    database, _path, heard, _changed = listened

    def slow(_connection):
        time.sleep(2.3)

    event.listen(database.engine, "commit", slow)
    try:
        _add(database, 5)
    finally:
        event.remove(database.engine, "commit", slow)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE probe (x)")
        connection.exec_driver_sql("PRAGMA user_version = 3")
    time.sleep(1.0)  # several looks
    assert heard == []


def test_a_file_gone_is_not_made_anew(tmp_path, monkeypatch):
    """The listener never creates the database it watches: a file moved or deleted under the
    window is not replaced by an empty one (review of the twenty-first session)."""
    monkeypatch.setattr(FileChangeListener, "POLL_SECONDS", 0.02)
    database = open_database(tmp_path / "库.sqlite3")
    gone = tmp_path / "已移走.sqlite3"
    listener = FileChangeListener(database.engine, gone, lambda sender: None)
    listener.start()
    try:
        time.sleep(0.3)
    finally:
        listener.stop()
        database.dispose()
    assert not gone.exists()


def test_another_programs_commit_between_an_own_commit_and_its_return_is_heard(listened):
    """Another program committing after the window's commit let go of the write lock but
    before its connection went back to the pool was taken for the window's own: the
    listener's connection sees one change for both, and its look at the return took it as
    seen. The committing connection's own data_version (which its own commits never move)
    tells them apart. Deterministic: the other program commits, in a thread of its own
    joined before the return, while the listener's thread holds off its looks (an own
    commit in flight)."""
    from sqlalchemy.orm import Session

    database, path, heard, changed = listened

    def other_program() -> None:
        connection = sqlite3.connect(path, timeout=5)
        try:
            connection.execute("UPDATE enterprise SET name = name || '（改）'")
            connection.commit()
        finally:
            connection.close()

    with database.engine.connect() as connection:  # the window's own connection
        with Session(bind=connection) as session:
            enterprises.create(session, {"credit_code": make_code(6), "county": "武进区",
                                         "name": "常州提交间隙科技有限公司"})
            session.commit()  # committed; the connection is not yet back in the pool
        thread = threading.Thread(target=other_program, name="other-program")
        thread.start()
        thread.join()
    assert changed.wait(5)
    assert heard == [OTHER_PROGRAM]


def test_own_commits_on_two_connections_one_after_the_other_are_not_reported(listened):
    """The engine's own connections, each committing and going back in turn (the runner's
    write, then the window's), move each other's data_version: not another program's."""
    database, _path, heard, _changed = listened
    _add(database, 7)
    with database.engine.connect() as first, database.engine.connect() as second:
        first.exec_driver_sql("CREATE TABLE probe (x)")
        first.commit()
        second.exec_driver_sql("INSERT INTO probe VALUES (1)")
        second.commit()
    _add(database, 8)
    time.sleep(1.0)  # several looks
    assert heard == []


def test_another_programs_commit_just_before_own_ddl_outside_a_transaction_is_heard(
        listened, monkeypatch):
    """A statement outside a transaction (DDL, a PRAGMA) holds no write lock before it runs:
    another program's commit between the listener's look and the committing connection's
    own data_version read was in neither difference and taken as the window's own. The
    connection's version is now read first. Deterministic: the other program commits (in a
    thread joined at once) just before that read."""
    from tiers.storage import file_changes

    database, path, heard, changed = listened
    original, armed = file_changes._version_of, [True]

    def other_program_then_read(driver):
        if armed[0]:
            armed[0] = False

            def commit() -> None:
                other = sqlite3.connect(path, timeout=5)
                try:
                    other.execute("CREATE TABLE other_program (x)")
                    other.commit()
                finally:
                    other.close()

            thread = threading.Thread(target=commit, name="other-program")
            thread.start()
            thread.join()
        return original(driver)

    monkeypatch.setattr(file_changes, "_version_of", other_program_then_read)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE ours (x)")  # outside a transaction
        connection.commit()
    assert not armed[0]
    assert changed.wait(5)
    assert heard == [OTHER_PROGRAM]


def test_the_window_s_own_exports_are_not_reported(listened, tmp_path):
    """An export's read snapshot (tiers.storage.snapshot: a BEGIN and a ROLLBACK of its own)
    is no commit of another program."""
    from tiers import reports
    from tiers.exchange import export_package
    from tiers.progress import drain
    from tiers.reports import ReportRequest

    database, _path, heard, _changed = listened
    _add(database, 3)
    for _ in range(3):
        with database.session() as session:
            drain(export_package(session, tmp_path / "武进区.zip", counties=[WUJIN], now=DAY))
        with database.reading() as session:
            drain(reports.export_steps(session, "roster", tmp_path / "名单.xlsx",
                                       ReportRequest(county="all", unit="武进区工信局")))
    time.sleep(1.0)  # several looks, past the exports
    assert heard == []
