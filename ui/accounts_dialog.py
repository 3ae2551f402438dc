"""文件 → 账号管理…: the logins of a server database for its admin, who is not a programmer
(``tiers user`` was the only way): the accounts listed (用户名, 角色, 负责区县, 状态), one
added with its role, counties and first password, its role and counties changed, its
password reset, disabled or enabled again. Everything goes through the core functions the
command line uses (tiers.storage.server.users), on the background runner; every refusal is
the core's Chinese sentence. Shown only to an admin connected to a server; a Tiers admin
who is not the database's owner reads the list, his changes greyed with the reason (the
server lets only its owner or a superuser manage logins: users.py says why)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.model.vocabulary import NO_COUNTY_ARG, NO_COUNTY_NAME
from tiers.storage.database import Database
from tiers.storage.server import users
from tiers.storage.server.roles import ROLE_NAMES, ROLES
from ui.ask import ConfirmDialog, MessageDialog
from ui.background_runner import BackgroundRunner
from ui.operations import Refusal, run_operation
from ui.screen_fit import screen_room

HEADERS = ("用户名", "角色", "负责区县", "状态")
STATE_COLUMN = 3
DISABLED_COLOUR = QColor("#888888")
ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "background: #fff8d6; border: 1px solid #e0c860; padding: 6px;"
CODE_ROLE = Qt.UserRole + 1
# what each role may do, under the role's box (README 服务器模式, 各角色能做什么)
ROLE_HINTS = {
    "admin": "管理员：查看、修改全部企业，导入数据包，备份服务器数据库；不需要指定区县。",
    "editor": "编辑：查看全部企业，只能修改所勾选区县的企业；须至少勾选一项。"
              f"勾选“{NO_COUNTY_NAME}”可修改县（市、区）未填的企业（开发区等）。",
    "viewer": "查看：只读。不勾选区县时可查看全部区县（市、省里的同志），勾选时只看所勾选的区县。",
}


def _split_codes(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,，、;；]+", text.strip()) if part]


class AccountForm(QDialog):
    """One account's form: 添加账号 (name, role, counties, password twice), 修改角色与区县
    (role, counties) or 重设密码 (password twice). 确定 runs ``save`` (a core function of
    the form's values) on the runner; a refusal is said in red above the buttons and the
    form stays, its values kept; done, the form closes and ``saved`` hears the result."""

    def __init__(self, parent: QWidget, runner: BackgroundRunner, title: str, *,
                 save: Callable[[dict[str, Any]], Any], saved: Callable[[Any], None],
                 name: bool = False, role: bool = False, password: bool = False,
                 choices: list[tuple[str, str]] = (), user: users.ServerUser | None = None,
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(title))
        self.runner, self.title, self.save, self.saved = runner, title, save, saved
        self.saving = False
        form = QFormLayout()
        self.name = self.role = self.counties = self.other_codes = None
        self.password = self.again = None
        if user is not None:
            shown = QLabel(f"{user.name}（{user.role_name}，区县：{user.counties_text}）")
            shown.setTextInteractionFlags(Qt.TextSelectableByMouse)
            form.addRow(self.tr("账号："), shown)
        if name:
            self.name = QLineEdit()
            self.name.setPlaceholderText(self.tr("登录名：英文字母开头，如 wujin01"))
            form.addRow(self.tr("用户名(&U)："), self.name)
        if role:
            self.role = QComboBox()
            for code in ROLES:
                self.role.addItem(self.tr(ROLE_NAMES[code]), code)
            self.role_hint = QLabel()
            self.role_hint.setWordWrap(True)
            form.addRow(self.tr("角色(&R)："), self.role)
            form.addRow("", self.role_hint)
            self.counties = QListWidget()
            self.counties.setMinimumHeight(180)
            held = set(user.county_codes) if user is not None else set()
            for code, county_name in choices:
                self._county_item(f"{county_name}（{code}）", code, code in held)
            self.no_county = self._county_item(NO_COUNTY_NAME, NO_COUNTY_ARG, "" in held)
            form.addRow(self.tr("负责区县(&C)："), self.counties)
            self.other_codes = QLineEdit()
            self.other_codes.setPlaceholderText(self.tr("列表中没有的区县：6 位代码，多个用空格分开"))
            form.addRow(self.tr("其他区县代码(&O)："), self.other_codes)
            if user is not None:
                self.role.setCurrentIndex(ROLES.index(user.role))
            self.role.currentIndexChanged.connect(self._role_chosen)
            self._role_chosen()
        if password:
            self.password = QLineEdit()
            self.password.setEchoMode(QLineEdit.Password)
            self.password.setPlaceholderText(
                self.tr("至少 %1 个字符").replace("%1", str(users.SHORTEST_PASSWORD)))
            self.again = QLineEdit()
            self.again.setEchoMode(QLineEdit.Password)
            label = "初始密码(&P)：" if name else "新密码(&P)："
            form.addRow(self.tr(label), self.password)
            form.addRow(self.tr("再输入一次(&A)："), self.again)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error.hide()
        self.ok = QPushButton(self.tr("确定"))
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def _county_item(self, text: str, code: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(CODE_ROLE, code)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.counties.addItem(item)
        return item

    def _role_chosen(self) -> None:
        """An admin needs no county; 未填区县的企业 is an editor's grant (users.py)."""
        chosen = self.role.currentData()
        self.role_hint.setText(self.tr(ROLE_HINTS[chosen]))
        self.counties.setEnabled(chosen != "admin")
        self.other_codes.setEnabled(chosen != "admin")
        flags = self.no_county.flags()
        if chosen == "editor":
            self.no_county.setFlags(flags | Qt.ItemIsEnabled)
            self.no_county.setToolTip("")
        else:
            self.no_county.setFlags(flags & ~Qt.ItemIsEnabled)
            self.no_county.setToolTip(self.tr("这项授权只用于编辑账号"))

    def check_county(self, code: str, checked: bool = True) -> None:
        """Tick (or untick) the county ``code`` (none: 未填区县的企业)."""
        for row in range(self.counties.count()):
            item = self.counties.item(row)
            if item.data(CODE_ROLE) == code:
                item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
                return
        raise KeyError(code)

    def values(self) -> dict[str, Any]:
        """What the form holds: name, role, counties (codes; none for 未填区县的企业,
        only an editor's), password."""
        values: dict[str, Any] = {}
        if self.name is not None:
            values["name"] = self.name.text().strip()
        if self.role is not None:
            role = self.role.currentData()
            values["role"] = role
            codes = []
            if role != "admin":
                for row in range(self.counties.count()):
                    item = self.counties.item(row)
                    if item.checkState() == Qt.Checked and (
                            item is not self.no_county or role == "editor"):
                        codes.append(item.data(CODE_ROLE))
                codes += [code for code in _split_codes(self.other_codes.text())
                          if code not in codes]
            values["counties"] = codes
        if self.password is not None:
            values["password"] = self.password.text()
        return values

    def submit(self) -> None:
        if self.saving:
            return
        if self.name is not None and not self.name.text().strip():
            self.say(self.tr("请填写用户名"))
            return
        if self.password is not None and self.password.text() != self.again.text():
            self.say(self.tr("两次输入的密码不一致，请重新输入"))
            self.again.clear()
            self.again.setFocus()
            return
        values = self.values()
        self.saving = True
        self.ok.setEnabled(False)
        self.say(self.tr("正在保存…"), error=False)
        run_operation(self, self.runner, self.title, lambda _task: self.save(values),
                      on_success=self._done, on_failure=self.say,
                      on_refusal=lambda refusal: self.say(refusal.message),
                      on_finished=self._finished)

    def _finished(self) -> None:
        self.saving = False
        self.ok.setEnabled(True)

    def _done(self, outcome: Any) -> None:
        self.saved(outcome)
        self.accept()

    def say(self, text: str, *, error: bool = True) -> None:
        self.error.setStyleSheet(ERROR_STYLE if error else "")
        self.error.setText(text)
        self.error.setVisible(bool(text))


class AccountsDialog(QDialog):
    def __init__(self, database: Database, runner: BackgroundRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("账号管理"))
        self.database, self.runner = database, runner
        self.target = database.server_target or ""
        self.accounts: users.Accounts | None = None
        self.city: str | None = None
        self.reading = None  # the task reading the accounts, while it runs
        self.busy = False  # a disable or enable on the runner
        self.form: AccountForm | None = None
        self.note = QLabel()  # why this login may only read (a Tiers admin, not the owner)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.hide()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(text) for text in HEADERS])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _index: self.change_account())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.add_button = QPushButton(self.tr("添加账号(&A)…"))
        self.add_button.clicked.connect(self.add_account)
        self.change_button = QPushButton(self.tr("修改角色与区县(&M)…"))
        self.change_button.clicked.connect(self.change_account)
        self.password_button = QPushButton(self.tr("重设密码(&P)…"))
        self.password_button.clicked.connect(self.reset_password)
        self.state_button = QPushButton(self.tr("停用(&D)"))
        self.state_button.clicked.connect(self.toggle_enabled)
        refresh = QPushButton(self.tr("刷新(&R)"))
        refresh.clicked.connect(lambda: self.refresh())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        self.changes = (self.add_button, self.change_button, self.password_button,
                        self.state_button)
        buttons = QHBoxLayout()
        for button in self.changes:
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setSizeGripEnabled(True)
        self.resize(self.first_size())
        self._enable()
        self.refresh()

    LEAST_FIRST = QSize(760, 460)

    def first_size(self) -> QSize:
        room = screen_room(self)
        wanted = self.LEAST_FIRST.expandedTo(self.minimumSizeHint())
        return wanted.boundedTo(room) if room is not None else wanted

    # reading
    def refresh(self, name: str | None = None, message: str = "") -> None:
        """Read the accounts (and the database's city, for the counties offered) on the
        runner; then select ``name`` and say ``message`` (a change just done)."""
        from tiers.exchange.status import city_of_database

        database, target = self.database, self.target

        def job(_task):
            accounts = users.read_accounts(target)
            with database.reading() as session:
                city = city_of_database(session)
            users.county_choices(city)  # (the divisions read here, not on the GUI thread)
            return accounts, city

        def shown(outcome) -> None:
            self.show_accounts(outcome)
            if name is not None:
                with contextlib.suppress(KeyError):  # (gone meanwhile)
                    self.select(name)
            if message:
                self.status.setText(message)

        if not message:
            self.status.setText(self.tr("正在读取账号……"))
        self.reading = run_operation(self, self.runner, self.tr("账号管理"), job,
                                     on_success=shown, on_failure=self._read_failed,
                                     on_refusal=lambda refusal: self._read_failed(refusal.message),
                                     on_finished=self._read_done)
        self._enable()

    def _read_done(self) -> None:
        self.reading = None
        self._enable()

    def _read_failed(self, message: str) -> None:
        self.status.setText(self.tr("无法读取账号：") + message)

    def show_accounts(self, outcome: tuple[users.Accounts, str | None]) -> None:
        chosen = self.selected_name()
        self.accounts, self.city = outcome
        self.note.setText(self.accounts.refusal)
        self.note.setVisible(bool(self.accounts.refusal))
        self.table.setRowCount(len(self.accounts.users))
        for row, user in enumerate(self.accounts.users):
            cells = (user.name, user.role_name, user.counties_text,
                     "启用" if user.enabled else "已停用")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(self.tr(text) if column in (1, STATE_COLUMN) else text)
                item.setToolTip(text)
                if not user.enabled:
                    item.setForeground(DISABLED_COLOUR)
                self.table.setItem(row, column, item)
            if user.name == chosen:
                self.table.selectRow(row)
        if not self.accounts.users:
            self.status.setText(self.tr("还没有账号：按“添加账号”添加"))
        else:
            disabled = sum(not user.enabled for user in self.accounts.users)
            self.status.setText(self.tr("共 %1 个账号").replace("%1", str(len(self.accounts.users)))
                                + (self.tr("，其中 %1 个已停用").replace("%1", str(disabled))
                                   if disabled else "")
                                + self.tr("（当前登录：%1）").replace("%1", self.accounts.login))
        self._enable()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def selected(self) -> users.ServerUser | None:
        name = self.selected_name()
        if self.accounts is None or name is None:
            return None
        return next((user for user in self.accounts.users if user.name == name), None)

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == name:
                self.table.selectRow(row)
                return
        raise KeyError(name)

    def _enable(self) -> None:
        """The changes greyed while reading or writing, without a selection (but 添加), and
        with the reason for a login that may not manage accounts."""
        refusal = self.accounts.refusal if self.accounts is not None else ""
        idle = self.accounts is not None and self.reading is None and not self.busy
        user = self.selected()
        for button in self.changes:
            needs_user = button is not self.add_button
            button.setEnabled(idle and not refusal and (user is not None or not needs_user))
            button.setToolTip(refusal)
        self.state_button.setText(self.tr("启用(&E)") if user is not None and not user.enabled
                                  else self.tr("停用(&D)"))

    # changes
    def _form(self, title: str, save, saved, **parts) -> AccountForm:
        self.form = AccountForm(self, self.runner, title, save=save, saved=saved, **parts)
        self.form.finished.connect(lambda _result: setattr(self, "form", None))
        self.form.open()
        return self.form

    def _after(self, message: str, name: str) -> None:
        self.status.setText(message)
        self.refresh(name, message)

    def add_account(self) -> AccountForm:
        target = self.target

        def save(values):
            return users.add_user(target, values["name"], values["role"], values["counties"],
                                  values["password"])

        def saved(added: users.ServerUser) -> None:
            self._after(self.tr("已添加账号 %1（%2，区县：%3）")
                        .replace("%1", added.name).replace("%2", added.role_name)
                        .replace("%3", added.counties_text), added.name)

        return self._form("添加账号", save, saved, name=True, role=True, password=True,
                          choices=users.county_choices(self.city))

    def change_account(self) -> AccountForm | None:
        user = self.selected()
        if user is None or not self.change_button.isEnabled():
            return None
        target, name = self.target, user.name

        def save(values):  # what was ticked; none is read by the role in the core
            return users.change_user(target, name, role=values["role"],
                                     counties=values["counties"])

        def saved(changed: users.ServerUser) -> None:
            message = (self.tr("已修改账号 %1：%2，区县：%3（他的客户端重新连接后按新的权限显示）")
                       .replace("%1", changed.name).replace("%2", changed.role_name)
                       .replace("%3", changed.counties_text))
            if changed.note:
                message += self.tr("。注意：") + changed.note
            self._after(message, changed.name)

        return self._form("修改角色与区县", save, saved, role=True, user=user,
                          choices=users.county_choices(self.city, user.county_codes))

    def reset_password(self) -> AccountForm | None:
        user = self.selected()
        if user is None or not self.password_button.isEnabled():
            return None
        target, name = self.target, user.name

        def saved(changed: users.ServerUser) -> None:
            state = "" if changed.enabled else self.tr("（该账号已停用：启用后才能登录）")
            self._after(self.tr("已重设账号 %1 的密码").replace("%1", changed.name) + state,
                        changed.name)

        return self._form("重设密码", lambda values: users.set_password(
            target, name, values["password"]), saved, password=True, user=user)

    def toggle_enabled(self) -> None:
        user = self.selected()
        if user is None or not self.state_button.isEnabled():
            return
        target, name = self.target, user.name
        if user.enabled:
            if not ConfirmDialog.ask(self, self.tr("停用账号"), self.tr(
                    "停用账号 %1？停用后不能再登录（已打开的客户端关闭后即断开），"
                    "他做过的修改和变更记录中他的名字都保留；以后可以再启用。").replace("%1", name)):
                return
            title, job = self.tr("停用账号"), lambda _task: users.disable_user(target, name)
            done = self.tr("已停用账号 %1：不能再登录，其记录保留").replace("%1", name)
        else:
            title, job = self.tr("启用账号"), lambda _task: users.enable_user(target, name)
            done = self.tr("已启用账号 %1：可以再登录（角色与区县不变）").replace("%1", name)
        self.busy = True
        self._enable()
        self.status.setText(self.tr("正在保存…"))

        def refused(refusal: Refusal | str) -> None:
            message = refusal.message if isinstance(refusal, Refusal) else refusal
            self.status.setText(title + self.tr("未完成：") + message)
            MessageDialog.error(self, title, message)

        def finished() -> None:
            self.busy = False
            self._enable()

        run_operation(self, self.runner, title, job,
                      on_success=lambda _user: self._after(done, name),
                      on_failure=refused, on_refusal=refused, on_finished=finished)
