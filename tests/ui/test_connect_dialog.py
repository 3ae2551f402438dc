"""设置 → 连接服务器: the fields, 测试连接 off the GUI thread (busy meanwhile, the reason in
Chinese when it fails), 保存并连接 that remembers the address in the settings and the password
in the credential store only; where there is no store, it says so and keeps nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from tests.server_helpers import closed_port, memory_keyring, no_keyring  # noqa: F401
from tiers.storage import connection_faults, credentials
from tiers.storage.credentials import ServerAddress
from tiers.storage.server_schema import ServerState
from ui import connect_dialog
from ui.connect_dialog import ConnectDialog


def dialog_for(qtbot, settings, runner, **values) -> ConnectDialog:
    dialog = ConnectDialog(settings, runner)
    qtbot.addWidget(dialog)
    for name, value in values.items():
        widget = getattr(dialog, name)
        if name == "port":
            widget.setValue(value)
        else:
            widget.setText(value)
    return dialog


def server_values(url: str) -> dict:
    address, password = ServerAddress.from_url(url)
    return {"host": address.host, "port": address.port, "database_name": address.database,
            "user": address.user, "password": password or ""}


def settings_text(settings) -> str:
    settings.settings.sync()
    with open(settings.settings.fileName(), encoding="utf-8") as handle:
        return handle.read()


def test_the_fields_and_their_defaults(qtbot, settings, runner, memory_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner)
    assert dialog.port.value() == 5432
    assert dialog.database_name.text() == "tiers"
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert "密码库" in dialog.store_note.text() and "不写入设置文件" in dialog.store_note.text()


def test_the_remembered_server_and_its_kept_password_fill_the_fields(
        qtbot, settings, runner, memory_keyring):  # noqa: F811
    address = ServerAddress(host="192.168.1.10", port=5433, database="changzhou", user="zhang")
    settings.server = address
    credentials.remember_password(address, "kept-pw")
    dialog = dialog_for(qtbot, settings, runner)
    assert (dialog.host.text(), dialog.port.value(), dialog.database_name.text(),
            dialog.user.text(), dialog.password.text()) == (
        "192.168.1.10", 5433, "changzhou", "zhang", "kept-pw")


def test_missing_fields_are_named(qtbot, settings, runner, memory_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner, host="", user="")
    assert dialog.test_connection() is None
    assert "服务器地址" in dialog.status.text() and "用户名" in dialog.status.text()


def test_a_failed_test_says_why_and_the_window_stays_alive(qtbot, settings, runner,
                                                         memory_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner, host="127.0.0.1", port=closed_port(),
                        user="zhang", password="pw")
    task = dialog.test_connection()
    assert not dialog.busy.isHidden() and not dialog.test_button.isEnabled()  # busy meanwhile
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15_000)
    assert task.done.is_set()
    assert connection_faults.UNREACHABLE in dialog.status.text()
    assert dialog.busy.isHidden()
    assert "pw" not in dialog.status.text().replace("PostgreSQL", "")


def test_without_a_credential_store_it_says_why(qtbot, settings, runner, no_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner)
    assert dialog.store_note.text() == credentials.NO_STORE
    assert "每次启动时需要输入" in dialog.store_note.text()


@pytest.mark.server_only
def test_a_successful_test_reports_the_login_and_the_firms(qtbot, settings, runner, db_target,
                                                            memory_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner, **server_values(db_target))
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15_000)
    assert "连接成功" in dialog.status.text() and "0 家企业" in dialog.status.text()
    assert settings.server is None  # a test remembers nothing


@pytest.mark.server_only
def test_save_and_connect_keeps_the_password_in_the_store_only(
        qtbot, settings, runner, new_target, memory_keyring):  # noqa: F811
    target = new_target()
    values = server_values(target) | {"password": "secret-of-zhang"}  # (trusted: any works)
    dialog = dialog_for(qtbot, settings, runner, **values)
    with qtbot.waitSignal(dialog.connected, timeout=15_000) as connected:
        dialog.save_and_connect()
    database = connected.args[0]
    try:
        assert database.path is None and database.engine.dialect.name == "postgresql"
        address = settings.server
        assert address == ServerAddress(host=values["host"], port=values["port"],
                                        database=values["database_name"], user=values["user"])
        assert settings.uses_server
        assert memory_keyring.kept == {(credentials.KEYRING_SERVICE, address.key):
                                       "secret-of-zhang"}
        assert "secret-of-zhang" not in settings_text(settings)
        assert dialog.password_note == ""
    finally:
        database.dispose()


@pytest.mark.server_only
def test_without_a_store_the_password_is_kept_nowhere(qtbot, settings, runner, db_target,
                                                      no_keyring):  # noqa: F811
    values = server_values(db_target) | {"password": "secret-of-li"}
    dialog = dialog_for(qtbot, settings, runner, **values)
    with qtbot.waitSignal(dialog.connected, timeout=15_000) as connected:
        dialog.save_and_connect()
    connected.args[0].dispose()
    assert dialog.password_note == credentials.NO_STORE
    assert "secret-of-li" not in settings_text(settings)
    assert settings.uses_server and settings.server.user == values["user"]


@pytest.mark.server_only
def test_a_refused_connection_keeps_the_dialog_open_with_the_reason(
        qtbot, settings, runner, db_target, memory_keyring):  # noqa: F811
    values = server_values(db_target) | {"database_name": "no_such_tiers_database"}
    dialog = dialog_for(qtbot, settings, runner, **values)
    dialog.show()
    dialog.save_and_connect()
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=15_000)
    assert connection_faults.NO_SUCH_DATABASE in dialog.status.text()
    assert dialog.isVisible() and dialog.database is None
    assert settings.server is None and memory_keyring.kept == {}


def _tested_by_mouse(qtbot, dialog) -> None:
    """测试连接 clicked as an officer does (the button takes the focus), and its end."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15_000)


def test_enter_after_a_successful_test_saves_and_connects(
        qtbot, settings, runner, memory_keyring, monkeypatch):  # noqa: F811
    """After 测试连接 the focus sat on 取消 (the busy spell greyed the rest): Enter closed the
    dialog and what was typed was lost (tester25). It is on 保存并连接 now."""
    database = object()
    monkeypatch.setattr(connect_dialog, "probe",
                        lambda url: ServerState(revision="0042", firms=11, login="liyang02"))
    monkeypatch.setattr(connect_dialog, "open_database", lambda url: database)
    dialog = dialog_for(qtbot, settings, runner, host="127.0.0.1", port=52357,
                        user="liyang02", password="pw")
    _tested_by_mouse(qtbot, dialog)
    assert "连接成功" in dialog.status.text()
    assert dialog.focusWidget() is dialog.connect_button
    with qtbot.waitSignal(dialog.connected, timeout=15_000) as connected:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert connected.args[0] is database and dialog.result() == QDialog.DialogCode.Accepted
    assert settings.server == ServerAddress(host="127.0.0.1", port=52357, database="tiers",
                                            user="liyang02")


def test_enter_on_cancel_tabbed_to_cancels_and_saves_nothing(
        qtbot, settings, runner, memory_keyring, monkeypatch):  # noqa: F811
    """Enter on a focused 取消 (the officer tabbed there) cancels, as a focused button does:
    it does not save the address and connect (it did, for a while, to keep the busy spell's
    stray focus from losing what was typed; that focus goes to 保存并连接 now)."""
    monkeypatch.setattr(connect_dialog, "open_database", lambda url: object())
    dialog = dialog_for(qtbot, settings, runner, host="127.0.0.1", user="liyang02",
                        password="pw")
    dialog.show()
    qtbot.waitExposed(dialog)
    heard = []
    dialog.connected.connect(heard.append)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setFocus()
    qtbot.keyClick(cancel, Qt.Key.Key_Return)
    assert not dialog.isVisible()  # rejected at once: no connection was begun
    qtbot.waitUntil(lambda: runner.settled, timeout=15_000)
    assert dialog.result() == QDialog.DialogCode.Rejected and not heard
    assert settings.server is None


def test_a_failed_test_gives_the_focus_back_to_the_field(
        qtbot, settings, runner, memory_keyring):  # noqa: F811
    dialog = dialog_for(qtbot, settings, runner, host="127.0.0.1", port=closed_port(),
                        user="zhang", password="pw")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.password.setFocus()
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15_000)
    assert connection_faults.UNREACHABLE in dialog.status.text()
    assert dialog.focusWidget() is dialog.password
