"""设置 → 连接服务器 switches the open window to the server, and 改用本机数据库 brings it back
to the file used before: the window's pages are rebuilt each time, the local file's lock is
given up while on the server, and the next start goes where the officer went last."""

from __future__ import annotations

import pytest

from tests.server_helpers import memory_keyring  # noqa: F401
from tiers.storage import instance
from tiers.storage.credentials import ServerAddress
from tiers.storage.database import open_database
from ui.app_settings import AppSettings
from ui.main_window import MainWindow
from ui.server_changes import ServerChanges

pytestmark = pytest.mark.server_only


def test_to_the_server_and_back(qtbot, tmp_path, db_target, settings, runner,
                                memory_keyring):  # noqa: F811
    local = tmp_path / "desk.sqlite3"
    instance.claim(local)
    window = MainWindow(open_database(local), settings, runner)
    qtbot.addWidget(window)
    watcher = ServerChanges.attach(window)
    settings.database_path = str(local)
    dialog = window.open_settings()
    assert not dialog.local_button.isEnabled()  # on the file already

    connect = dialog.connect_server()
    address, _ = ServerAddress.from_url(db_target)
    connect.host.setText(address.host)
    connect.port.setValue(address.port)
    connect.database_name.setText(address.database)
    connect.user.setText(address.user)
    with qtbot.waitSignal(window.database_switched, timeout=15_000):
        connect.save_and_connect()
    assert window.database.path is None and "服务器" in window.windowTitle()
    assert not instance.lock_path(local).exists()  # the file is free for another client
    assert watcher.listener is not None and watcher.listener.listening.wait(10)
    assert settings.database_path == str(local)  # still known, for the way back
    assert AppSettings(settings.settings).uses_server

    assert dialog.local_button.isEnabled() and not dialog.restore_button.isEnabled()
    with qtbot.waitSignal(window.database_switched, timeout=15_000):
        dialog.use_local()
    assert window.database.path == local
    assert instance.read_holder(instance.lock_path(local)).is_this_process()
    # back on the file: no server's notifications, the file's look for other programs
    assert type(watcher.listener).__name__ == "FileChangeListener"
    assert not settings.uses_server
    watcher.stop()
    window.database.dispose()
    instance.release(local)
