"""Two officers on one server: what one commits reaches the other's open window (the roster,
its search, the counts) within a couple of seconds, without a restart. On a file, what
another program commits (the command line's import while the window is open) likewise."""

from __future__ import annotations

import contextlib

import pytest

from tests.conftest import make_code
from tests.server_helpers import login, with_login
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.main_window import MainWindow
from ui.server_changes import ServerChanges


@pytest.fixture
def window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    watcher = ServerChanges.attach(window)
    yield window
    watcher.stop()


def test_a_change_of_another_officer_reaches_the_roster(qtbot, window, db_target, on_postgres):
    assert window.server_changes.listener.listening.wait(10)
    before = window.roster.model.rowCount()
    with contextlib.ExitStack() as stack:
        # the second officer's client (on a server: a login of its own)
        target = with_login(db_target, stack.enter_context(login(db_target))) \
            if on_postgres else db_target
        other = open_database(target)
        stack.callback(other.dispose)
        with other.session() as session:
            enterprises.create(session, {"credit_code": make_code(77), "county": "武进区",
                                         "name": "常州别处保存科技有限公司"})
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == before + 1, timeout=5_000)
    # a server's other client is another officer; a file's, another program (the CLI)
    said = "其他用户修改了数据" if on_postgres else "数据已被其他程序修改"
    assert said in window.statusBar().currentMessage()
    # (the totals are counted on the runner, after the roster's reading)
    qtbot.waitUntil(lambda: "企业 1 家" in window.count_label.text(), timeout=3_000)
    # the search (SQL and its index in memory) finds the new firm
    window.roster.search.setText("别处保存")
    window.roster.apply_filters()
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 1, timeout=3_000)


def test_its_own_writes_do_not_refresh_twice(qtbot, window, database, on_postgres):
    assert window.server_changes.listener.listening.wait(10)
    refreshed: list[bool] = []
    window.server_changes.refreshed.connect(lambda: refreshed.append(True))
    with database.session() as session:  # this client's own engine
        enterprises.create(session, {"credit_code": make_code(78), "county": "武进区",
                                     "name": "常州本机保存科技有限公司"})
    qtbot.wait(1_000 if on_postgres else 2_500)  # (a file is looked at every second)
    assert refreshed == []


def test_the_window_follows_a_switch_to_another_database(qtbot, window, new_target, settings,
                                                         runner):
    first = window.server_changes.listener
    window.switch_database(open_database(new_target()))
    assert window.server_changes.listener is not first and not first.running
    assert window.server_changes.listener.listening.wait(10)


def _hear_repeatedly(qtbot, watcher, every_ms: int, times: int) -> list[float]:
    """``times`` notifications ``every_ms`` apart (another program committing steadily);
    the moments (ms since the first) of the refreshes made meanwhile."""
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    refreshed: list[float] = []
    watcher.refreshed.connect(lambda: refreshed.append(clock.elapsed()))
    for _ in range(times):
        watcher.heard.emit("file")
        qtbot.wait(every_ms)
    return refreshed


def test_a_steady_stream_of_outside_commits_refreshes_once(qtbot, window):
    """A script committing every half second: one refresh once it has stopped, not one per
    commit (on a 100k database each took most of a second: the window froze, review)."""
    watcher = window.server_changes
    refreshed = _hear_repeatedly(qtbot, watcher, 500, 6)
    assert refreshed == []
    qtbot.waitUntil(lambda: len(refreshed) == 1, timeout=5_000)
    qtbot.wait(500)
    assert len(refreshed) == 1


def test_a_stream_that_never_stops_still_refreshes_now_and_then(qtbot, window, monkeypatch):
    """Notifications that never leave a quiet spell still refresh at least every LONGEST_MS."""
    from ui import server_changes

    monkeypatch.setattr(server_changes, "QUIET_MS", 300)
    monkeypatch.setattr(server_changes, "LONGEST_MS", 800)
    refreshed = _hear_repeatedly(qtbot, window.server_changes, 100, 25)
    assert len(refreshed) >= 2
    assert refreshed[0] <= 1_200
