"""A start-up on the bureau's server: the password (from the credential store, else asked),
the connection behind a busy window (the connect timeout is seconds, not minutes), and when
it fails the officer's choice: 重试, 修改连接, 改用本机数据库 or 退出. Never a traceback.

A server needs none of the file's things: no lock file beside it, no backups folder, no
daily copy (its backups are the administrator's ``tiers backup``).
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QProgressDialog

from tiers.storage import credentials
from tiers.storage.address import is_url
from tiers.storage.credentials import ServerAddress
from tiers.storage.database import Database, open_database
from ui.app_settings import AppSettings
from ui.background_runner import BackgroundRunner
from ui.connect_dialog import ConnectDialog, ConnectFailedDialog, PasswordDialog
from ui.operations import run_operation
from ui.settings_dialog import told_in_chinese

NO_PASSWORD_GIVEN = "没有输入服务器密码，无法连接。"
NOT_KEPT = "这台电脑上还没有保存这个账号的密码。"


class GoLocal(Exception):  # noqa: N818 - a choice, not an error
    """The officer chose 改用本机数据库."""


def server_target(db_path: str | None, settings: AppSettings,
                  environment: str | None) -> ServerAddress | str | None:
    """What the start-up connects to, if a server: ``--db URL``, ``TIERS_DB`` with a URL,
    else the server of 设置 when the client was last on it. None: a file."""
    if db_path:
        return db_path if is_url(db_path) else None
    if environment:
        return environment if is_url(environment) else None
    if settings.uses_server:
        return settings.server
    return None


def open_server(target: ServerAddress | str, settings: AppSettings) -> Database | None:
    """The server's database, or None when the officer quit. Raises GoLocal when he chose
    the local database instead (the choice is remembered for the next start)."""
    runner = BackgroundRunner()
    try:
        return _connect(target, settings, runner)
    finally:
        runner.shutdown()


def _connect(target: ServerAddress | str, settings: AppSettings,
             runner: BackgroundRunner) -> Database | None:
    password: str | None = None
    if isinstance(target, ServerAddress):
        password = credentials.saved_password(target)
        if password is None:
            reason = NOT_KEPT if credentials.store_available() else credentials.NO_STORE
            password = PasswordDialog.ask(None, target, reason)
        url, label = target.url(password), target.label()
    else:
        url, label = target, ServerAddress.from_url(target)[0].label()
    message = NO_PASSWORD_GIVEN if password is None and isinstance(target, ServerAddress) \
        else ""
    while True:
        if not message:
            database, message = open_with_busy(runner, url, label)
            if database is not None:
                return database
        choice = ConnectFailedDialog.ask(None, message)
        if choice == ConnectFailedDialog.RETRY:
            message = ""
        elif choice == ConnectFailedDialog.EDIT:
            database = ConnectDialog.ask(None, settings, runner, message=message,
                                         password=password)
            if database is not None:
                return database
        elif choice == ConnectFailedDialog.LOCAL:
            settings.uses_server = False
            raise GoLocal()
        else:
            return None


def open_with_busy(runner: BackgroundRunner, url: str,
                   label: str) -> tuple[Database | None, str]:
    """Open the database on the runner while a busy window says where to; the event loop
    runs meanwhile. (The database, "") or (None, the reason in Chinese)."""
    busy = QProgressDialog(f"正在连接{label}……", None, 0, 0)
    busy.setWindowTitle("梯度培育企业库")
    busy.setCancelButton(None)
    busy.setMinimumDuration(300)
    outcome: dict = {"database": None, "message": ""}
    loop = QEventLoop()
    run_operation(None, runner, "连接服务器",
                  told_in_chinese("无法连接服务器", lambda _task: open_database(url)),
                  on_success=lambda database: outcome.update(database=database),
                  on_failure=lambda message: outcome.update(message=message),
                  on_finished=loop.quit)
    loop.exec()  # the task starts on the loop's first turn: its end cannot come before
    busy.close()
    return outcome["database"], outcome["message"]
