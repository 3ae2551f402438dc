"""What the status bar says when the window refreshes for changes made elsewhere: 其他用户
修改了数据 only for another officer's. The tester read it after the client's connection to
the server came back (a restart: nothing said who changed anything) and after an import of
his own made then."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
from tests.server_helpers import admin
from tiers.services import enterprises
from tiers.storage import notify
from tiers.storage.database import open_database
from tiers.storage.file_changes import OTHER_PROGRAM
from ui import server_changes
from ui.main_window import MainWindow
from ui.server_changes import ServerChanges

OTHER_USER = "其他用户修改了数据，已刷新"
RECONNECTED = "已重新连接数据库服务器，数据已刷新"
SAME_LOGIN = "本账号在其他程序中修改了数据，已刷新"


@pytest.fixture
def window(qtbot, database, settings, runner, monkeypatch):
    monkeypatch.setattr(server_changes, "QUIET_MS", 100)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    watcher = ServerChanges.attach(window)
    yield window
    watcher.stop()


def _said_after(qtbot, window, *senders: str) -> str:
    watcher = window.server_changes
    with qtbot.waitSignal(watcher.refreshed, timeout=5_000):
        for sender in senders:
            watcher.heard.emit(sender)
    return window.statusBar().currentMessage()


def test_a_reconnection_is_said_as_one_not_as_another_users_change(qtbot, window):
    assert _said_after(qtbot, window, notify.RECONNECTED) == RECONNECTED


def test_the_same_login_elsewhere_and_another_program(qtbot, window):
    assert _said_after(qtbot, window, notify.SAME_LOGIN) == SAME_LOGIN
    assert _said_after(qtbot, window, OTHER_PROGRAM) == "数据已被其他程序修改，已刷新"


def test_another_officer_heard_among_them_is_said(qtbot, window):
    """One refresh for all heard meanwhile: another officer's change is the news."""
    assert _said_after(qtbot, window, notify.RECONNECTED, "0123456789abcdef",
                       notify.SAME_LOGIN) == OTHER_USER
    # and what was heard before that refresh is not carried into the next one
    assert _said_after(qtbot, window, notify.RECONNECTED) == RECONNECTED


def test_a_lost_server_is_said_at_once_until_it_is_back(qtbot, window):
    """tester27's finding 5: the server down, a window sitting idle showed nothing (the
    reason came only beside the count, once unread rows were painted). The listener's loss
    is said at once in red in the status bar, with no refresh (nothing can be read), until
    the reconnection's refresh."""
    watcher = window.server_changes
    refreshed = []
    watcher.refreshed.connect(lambda: refreshed.append(1))
    watcher.heard.emit(notify.LOST)
    assert watcher.lost and watcher.lost_label.isVisibleTo(window)
    assert watcher.lost_label.text().startswith("与数据库服务器的连接已中断，正在自动重试")
    qtbot.wait(300)  # (QUIET_MS is 100 here)
    assert refreshed == []
    assert _said_after(qtbot, window, notify.RECONNECTED) == RECONNECTED
    assert not watcher.lost and not watcher.lost_label.isVisibleTo(window)


@pytest.mark.server_only
def test_on_a_server_a_lost_listener_found_again(qtbot, window, db_target, monkeypatch):
    """The server's connections cut (as by a restart): the window refreshes once its
    listener is back, and says that, not 其他用户修改了数据."""
    monkeypatch.setattr(notify.ChangeListener, "RETRY_SECONDS", (0.2,))
    window.server_changes.follow()  # (with the short retry)
    assert window.server_changes.listener.listening.wait(10)
    with qtbot.waitSignal(window.server_changes.refreshed, timeout=10_000), \
            admin(db_target) as connection:
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE query LIKE 'LISTEN tiers_changes%' "
                               "AND pid <> pg_backend_pid() AND datname = current_database()")
    assert window.statusBar().currentMessage() == RECONNECTED


@pytest.mark.server_only
def test_on_a_server_the_same_login_from_the_command_line(qtbot, window, db_target):
    assert window.server_changes.listener.listening.wait(10)
    elsewhere = open_database(db_target)  # the officer's `tiers import`, say
    try:
        with qtbot.waitSignal(window.server_changes.refreshed, timeout=5_000), \
                elsewhere.session() as session:
            enterprises.create(session, {"credit_code": make_code(79), "county": "武进区",
                                         "name": "常州命令行保存科技有限公司"})
    finally:
        elsewhere.dispose()
    assert window.statusBar().currentMessage() == SAME_LOGIN


def test_a_loss_no_reconnection_follows_does_not_stay(qtbot, window):
    """A loss reported by a listener stopped since (the database switched), or any whose
    listener listens again without a word: the red line goes once the listener listens."""
    watcher = window.server_changes
    watcher.lost_check.setInterval(50)
    assert watcher.listener is not None
    qtbot.waitUntil(watcher.listener.listening.is_set, timeout=5_000)
    watcher.heard.emit(notify.LOST)
    assert watcher.lost
    qtbot.waitUntil(lambda: not watcher.lost, timeout=2_000)
