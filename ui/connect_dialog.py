"""设置 → 连接服务器: the bureau's PostgreSQL server (host, port, database, user, password),
a 测试连接 that runs off the GUI thread, and 保存并连接. The password goes to the operating
system's credential store (tiers.storage.credentials), never into the settings file.

Also the questions of a start-up on a server: the password when none is kept, and what to
do when the server cannot be used (重试 / 修改连接 / 改用本机数据库).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tiers.storage import credentials
from tiers.storage.credentials import PasswordStoreUnavailable, ServerAddress
from tiers.storage.database import Database, open_database
from tiers.storage.server_schema import ServerState, probe
from ui.app_settings import AppSettings
from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation
from ui.settings_dialog import told_in_chinese
from ui.tab_order import tab_as_they_read

OK_STYLE = "color: #1b5e20;"
FAILED_STYLE = "color: #b71c1c;"
NOTE_STYLE = "color: #7a5c00;"


class ConnectDialog(QDialog):
    """Connect the client to a server. ``connected`` carries the opened Database; the
    address is remembered and the password kept (where the system can) when it is emitted."""

    connected = Signal(object)  # a Database on the server, opened and checked

    def __init__(self, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, address: ServerAddress | None = None,
                 password: str | None = None, message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接服务器"))
        self.settings = settings
        self.runner = runner
        self.task: Task | None = None
        self.database: Database | None = None
        self.password_note = ""  # why the password was not kept, when it was not
        address = address or settings.server or ServerAddress(host="")
        if password is None and address.host:
            password = credentials.saved_password(address)

        intro = QLabel(self.tr("连接本单位共用的 Tiers 数据库服务器（PostgreSQL）。"
                               "服务器地址、数据库名称、用户名和密码请向管理员索取。"))
        intro.setWordWrap(True)
        self.host = QLineEdit(address.host)
        self.host.setPlaceholderText(self.tr("如 192.168.1.10 或 tiers-server"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(address.port)
        self.port.setGroupSeparatorShown(False)
        self.database_name = QLineEdit(address.database)
        self.user = QLineEdit(address.user)
        self.password = QLineEdit(password or "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库名称"), self.database_name)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        self.store_note = QLabel()
        self.store_note.setWordWrap(True)
        if credentials.store_available():
            self.store_note.setText(self.tr("密码由系统的密码库保存（Windows 凭据管理器等），"
                                            "不写入设置文件。"))
        else:
            self.store_note.setText(credentials.NO_STORE)
            self.store_note.setStyleSheet(NOTE_STYLE)  # a fact of this computer, no failure

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy: no steps to count
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.status = QLabel(message)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setStyleSheet(FAILED_STYLE if message else "")

        self.test_button = QPushButton(self.tr("测试连接"))
        self.test_button.clicked.connect(self.test_connection)
        self.connect_button = QPushButton(self.tr("保存并连接"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.save_and_connect)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # 取消 keeps Qt's way: Enter on it when the officer tabbed there cancels, as a
        # focused button does. The test's busy spell no longer leaves the focus on it (it
        # greyed every other button, the focus fell to 取消, and Enter lost what was typed:
        # tester25): _give_focus_back puts it on 保存并连接, or back on the field
        self._focus_before: QWidget | None = None
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.store_note)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        tab_as_they_read(self.buttons)  # (Tab went 取消 → 保存并连接 → 测试连接)
        self.setMinimumWidth(480)
        (self.password if address.host and address.user else self.host).setFocus()

    # --- what was typed -------------------------------------------------------------------
    def address(self) -> ServerAddress:
        return ServerAddress(host=self.host.text().strip(), port=self.port.value(),
                             database=self.database_name.text().strip(),
                             user=self.user.text().strip())

    def _complete_address(self) -> ServerAddress | None:
        address = self.address()
        missing = address.missing()
        if missing:
            self._show(self.tr("请填写：") + "、".join(missing), ok=False)
            return None
        return address

    def _show(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(OK_STYLE if ok else FAILED_STYLE)

    def _working(self, on: bool, text: str = "") -> None:
        if on:  # greying the focused field or button drops the focus (onto 取消)
            self._focus_before = self.focusWidget()
        self.busy.setVisible(on)
        for widget in (self.test_button, self.connect_button, self.host, self.port,
                       self.database_name, self.user, self.password):
            widget.setEnabled(not on)
        if on:
            self.status.setStyleSheet("")
            self.status.setText(text)

    def _give_focus_back(self, *, tested: bool = False) -> None:
        """After the busy spell: a test that connected leaves the focus on 保存并连接 (Enter
        then saves and connects); otherwise it goes back where it was, to correct a field."""
        before, self._focus_before = self._focus_before, None
        if tested:
            self.connect_button.setFocus()
        elif before is not None and before.isEnabled() \
                and before is not self.buttons.button(QDialogButtonBox.StandardButton.Cancel):
            before.setFocus()
        else:
            self.host.setFocus()

    # --- 测试连接 ---------------------------------------------------------------------------
    def test_connection(self) -> Task | None:
        """Connect, look at the database (version, rights, firms) and close again, on the
        runner: an unreachable server takes the connect timeout (seconds), and the window
        stays alive meanwhile."""
        address = self._complete_address()
        if address is None:
            return None
        url = address.url(self.password.text())
        self._working(True, self.tr("正在连接 %1 ……").replace("%1", address.label()))
        self.task = run_operation(
            self, self.runner, self.tr("测试连接"),
            told_in_chinese("无法连接服务器", lambda _task: probe(url)),
            on_success=self._tested, on_failure=self._test_failed,
            on_finished=lambda: self._working(False))
        return self.task

    def _test_failed(self, message: str) -> None:
        self._working(False)  # (before the focus: a greyed field takes none)
        self._show(message, ok=False)
        self._give_focus_back()

    def _tested(self, state: ServerState) -> None:
        self._working(False)
        self._give_focus_back(tested=True)
        if state.revision is None:
            self._show(self.tr("连接成功，但这个数据库还是空的：保存并连接时将建立 Tiers 数据库"
                               "（需要管理员权限）。"), ok=True)
            return
        self._show(self.tr("连接成功：用户 %1，数据库中有 %2 家企业。")
                   .replace("%1", state.login).replace("%2", f"{state.firms:,}"), ok=True)

    # --- 保存并连接 -------------------------------------------------------------------------
    def save_and_connect(self) -> Task | None:
        """Open the database on the server (on the runner); when it is open, remember the
        address and keep the password, and hand the database over."""
        address = self._complete_address()
        if address is None:
            return None
        password = self.password.text()
        url = address.url(password)
        self._working(True, self.tr("正在连接 %1 ……").replace("%1", address.label()))
        self.task = run_operation(
            self, self.runner, self.tr("连接服务器"),
            told_in_chinese("无法连接服务器", lambda _task: open_database(url)),
            on_success=lambda database: self._opened(database, address, password),
            on_failure=self._connect_failed, on_finished=lambda: self._working(False))
        return self.task

    def _connect_failed(self, message: str) -> None:
        self._working(False)
        self._show(message, ok=False)
        self._give_focus_back()

    def _opened(self, database: Database, address: ServerAddress, password: str) -> None:
        self.settings.server = address
        self.settings.uses_server = True
        try:
            credentials.remember_password(address, password)
        except PasswordStoreUnavailable as exc:
            self.password_note = str(exc)
        self.database = database
        self.connected.emit(database)
        self.accept()

    def reject(self) -> None:
        if self.task is not None and not self.task.done.is_set():
            return  # the attempt ends within the connect timeout; then the dialog may close
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, settings: AppSettings, runner: BackgroundRunner, *,
            message: str = "", password: str | None = None) -> Database | None:
        """Modal, for a start-up that could not connect: the database once connected, None
        when the officer gave up."""
        dialog = cls(settings, runner, parent, message=message, password=password)
        dialog.exec()
        return dialog.database


class PasswordDialog:
    """The server's password at start-up, when the credential store has none for it."""

    @classmethod
    def ask(cls, parent: QWidget | None, address: ServerAddress, reason: str = "") -> str | None:
        text = f"连接{address.label()}\n\n"
        if reason:
            text += reason + "\n\n"
        value, ok = QInputDialog.getText(parent, "服务器密码", text + "密码：",
                                         QLineEdit.EchoMode.Password)
        return value if ok else None


class ConnectFailedDialog:
    """A start-up on the server that failed: "retry", "edit" (修改连接), "local" (改用本机
    数据库) or None (quit)."""

    RETRY, EDIT, LOCAL = "retry", "edit", "local"

    @classmethod
    def build(cls, parent: QWidget | None, message: str) -> tuple[QMessageBox, dict]:
        """The box and which of its buttons means what (a screenshot shows it unasked)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "无法连接数据库服务器", message,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setInformativeText("您可以重试、修改连接设置，或改用这台电脑上的本机数据库。")
        buttons = {box.addButton("重试", QMessageBox.ButtonRole.AcceptRole): cls.RETRY,
                   box.addButton("修改连接…", QMessageBox.ButtonRole.ActionRole): cls.EDIT,
                   box.addButton("改用本机数据库", QMessageBox.ButtonRole.ActionRole): cls.LOCAL}
        quit_button = box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(next(iter(buttons)))
        box.setEscapeButton(quit_button)
        return box, buttons

    @classmethod
    def ask(cls, parent: QWidget | None, message: str) -> str | None:
        box, buttons = cls.build(parent, message)
        box.exec()
        return buttons.get(box.clickedButton())
