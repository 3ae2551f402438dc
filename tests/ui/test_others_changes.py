"""Two officers on one server: what one commits reaches the other's open window (the roster,
its search, the counts) within a couple of seconds, without a restart. On a file, what
another program commits (the command line's import while the window is open) likewise."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
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
    other = open_database(db_target)  # the second officer's client
    try:
        with other.session() as session:
            enterprises.create(session, {"credit_code": make_code(77), "county": "武进区",
                                         "name": "常州别处保存科技有限公司"})
    finally:
        other.dispose()
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
