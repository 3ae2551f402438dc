"""文件 → 账号管理… against a real server: the bureau's admin (not a programmer) adds,
changes, resets and disables accounts without ``tiers user``; every change goes through the
core (tiers.storage.server.users) on the runner, and every refusal is its Chinese sentence.
The item is there only for an admin connected to a server; a Tiers admin who is not the
database's owner reads the accounts, his changes greyed with the reason."""

from __future__ import annotations

import psycopg
import pytest

from tests.tiers.server.conftest import PASSWORD, WUJIN, XINBEI, bureau  # noqa: F401
from tiers.storage.database import open_database
from tiers.storage.server.connection import NOT_USER_MANAGER
from tiers.storage.server.users import list_users
from ui.accounts_dialog import AccountsDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.server_only


@pytest.fixture
def opened(qtbot, runner):
    """An AccountsDialog over the database at ``url``, its first read done."""
    databases = []

    def make(url: str) -> AccountsDialog:
        database = open_database(url)
        databases.append(database)
        dialog = AccountsDialog(database, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot, dialog)
        return dialog

    yield make
    runner.wait(10_000)
    for database in databases:
        database.dispose()


def settle(qtbot, dialog: AccountsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.reading is None and not dialog.busy
                    and dialog.accounts is not None, timeout=20_000)


def saved(qtbot, dialog: AccountsDialog, form) -> None:
    """Press 确定 and wait until the form has closed and the list was read again."""
    form.submit()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=20_000)
    settle(qtbot, dialog)


def refused(qtbot, form) -> str:
    form.submit()
    qtbot.waitUntil(lambda: not form.saving, timeout=20_000)
    assert form.isVisible()  # the form stays, its values kept
    return form.error.text()


def rows(dialog: AccountsDialog) -> dict[str, tuple[str, ...]]:
    return {dialog.table.item(row, 0).text(): tuple(
        dialog.table.item(row, column).text() for column in range(1, 4))
        for row in range(dialog.table.rowCount())}


def accounts(url: str) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    return {user.name: (user.role, user.counties, user.enabled) for user in list_users(url)}


def test_the_owner_lists_adds_changes_resets_and_disables(qtbot, opened, bureau,  # noqa: F811
                                                          messages, questions):
    dialog = opened(bureau.url)
    assert dialog.note.isHidden() and dialog.add_button.isEnabled()
    shown = rows(dialog)
    assert shown[bureau.logins["editor"]] == ("编辑", "武进区", "启用")
    assert shown[bureau.logins["viewer"]] == ("查看", "全部", "启用")
    assert not dialog.change_button.isEnabled()  # nothing selected yet

    # added: an editor of 武进区 and the firms without a county, with a first password
    form = dialog.add_account()
    name = "gui_" + bureau.logins["editor"]
    bureau.logins["gui"] = name  # (dropped with the bureau)
    form.name.setText(name)
    form.role.setCurrentIndex(1)  # 编辑
    assert refused(qtbot, form) == "编辑须指定其负责的区县（区县代码，如 320412 武进区）"
    form.check_county(WUJIN)
    form.check_county("none")
    form.password.setText("first-pass-1")
    form.again.setText("first-pass-2")
    assert refused(qtbot, form) == "两次输入的密码不一致，请重新输入"
    form.again.setText("first-pass-1")
    saved(qtbot, dialog, form)
    assert rows(dialog)[name] == ("编辑", "武进区、未填区县的企业", "启用")
    assert dialog.selected_name() == name
    assert dialog.status.text() == f"已添加账号 {name}（编辑，区县：武进区、未填区县的企业）"
    psycopg.connect(bureau.url_of("gui", "first-pass-1")).close()  # he logs in

    # the same name again: the core's refusal, in the form
    form = dialog.add_account()
    form.name.setText(name)
    form.role.setCurrentIndex(0)
    form.password.setText("first-pass-1")
    form.again.setText("first-pass-1")
    assert refused(qtbot, form).startswith(f"用户 {name} 已存在")
    form.reject()

    # moved to 新北区 (未填区县的企业 kept), then made a viewer: the grant is an editor's
    form = dialog.change_account()
    assert form.no_county.checkState() == form.no_county.checkState().Checked
    form.check_county(WUJIN, False)
    form.check_county(XINBEI)
    saved(qtbot, dialog, form)
    assert accounts(bureau.url)[name] == ("editor", ("新北区", "未填区县的企业"), True)
    assert dialog.status.text().startswith(f"已修改账号 {name}：编辑，区县：新北区、未填区县的企业")
    form = dialog.change_account()
    form.role.setCurrentIndex(2)  # 查看
    assert not form.no_county.flags() & form.no_county.flags().ItemIsEnabled
    saved(qtbot, dialog, form)
    assert accounts(bureau.url)[name] == ("viewer", ("新北区",), True)
    form = dialog.change_account()  # nothing changed: said so
    assert "没有需要修改的内容" in refused(qtbot, form)
    form.reject()

    # the dialog passes what was ticked; the core reads none by the role (users.py): a
    # viewer with none ticked reads every county, an admin holds none
    form = dialog.change_account()
    form.check_county(XINBEI, False)
    saved(qtbot, dialog, form)
    assert accounts(bureau.url)[name] == ("viewer", (), True)
    assert rows(dialog)[name] == ("查看", "全部", "启用")
    form = dialog.change_account()
    form.check_county(XINBEI)
    form.role.setCurrentIndex(0)  # 管理员: the counties greyed out, not sent
    saved(qtbot, dialog, form)
    assert accounts(bureau.url)[name] == ("admin", (), True)
    form = dialog.change_account()
    form.role.setCurrentIndex(2)  # 查看, none ticked
    saved(qtbot, dialog, form)
    assert accounts(bureau.url)[name] == ("viewer", (), True)

    # a new password; disabled and enabled again
    form = dialog.reset_password()
    form.password.setText("short")
    form.again.setText("short")
    assert refused(qtbot, form) == "密码太短：至少 8 个字符"
    form.password.setText("second-pass-2")
    form.again.setText("second-pass-2")
    saved(qtbot, dialog, form)
    assert dialog.status.text() == f"已重设账号 {name} 的密码"
    psycopg.connect(bureau.url_of("gui", "second-pass-2")).close()
    assert dialog.state_button.text() == "停用(&D)"
    dialog.toggle_enabled()
    settle(qtbot, dialog)
    assert questions and name in questions[-1]
    assert rows(dialog)[name][2] == "已停用"
    assert dialog.state_button.text() == "启用(&E)"
    dialog.toggle_enabled()
    settle(qtbot, dialog)
    assert accounts(bureau.url)[name][2] is True

    # the last enabled admin is kept, in words
    dialog.select(bureau.logins["admin"])
    dialog.toggle_enabled()
    settle(qtbot, dialog)
    assert messages[-1][0] == "error" and "是唯一启用的管理员" in messages[-1][1]
    assert accounts(bureau.url)[bureau.logins["admin"]][2] is True


def test_a_tiers_admin_reads_the_accounts_and_is_told_why_he_may_not_change_them(
        qtbot, opened, bureau):  # noqa: F811
    dialog = opened(bureau.url_of("admin"))
    assert not dialog.note.isHidden() and dialog.note.text() == NOT_USER_MANAGER
    assert bureau.logins["editor"] in rows(dialog)
    dialog.select(bureau.logins["editor"])
    for button in dialog.changes:
        assert not button.isEnabled() and button.toolTip() == NOT_USER_MANAGER


def test_the_menu_item_is_an_admins_on_a_server(qtbot, runner, settings, bureau,  # noqa: F811
                                                 tmp_path):
    seen = {}
    for who in ("admin", "editor", "viewer"):
        database = open_database(bureau.url_of(who))
        window = MainWindow(database, settings, runner)
        qtbot.addWidget(window)
        seen[who] = window.accounts_action.isVisible()
        window.close()
        database.dispose()
    local = open_database(tmp_path / "tiers.sqlite3")
    window = MainWindow(local, settings, runner)
    qtbot.addWidget(window)
    seen["file"] = window.accounts_action.isVisible()
    window.close()
    local.dispose()
    assert seen == {"admin": True, "editor": False, "viewer": False, "file": False}
