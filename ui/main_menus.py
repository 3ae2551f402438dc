"""The main window's menus and toolbar: each action with its shortcut and tip, the 批量操作
menu, and the small slots only they call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from tiers.services import bulk
from ui import about
from ui.mnemonics import letters_for


def _with_key(text: str, key: str) -> str:
    """导入数据包… with P: 导入数据包(&P)… (the key before the trailing ellipsis, as Chinese
    software writes it)."""
    if not key:
        return text
    bare = text.removesuffix("…")
    return f"{bare}(&{key}){text[len(bare):]}"


class MainMenus:
    """The menu bar and toolbar of MainWindow (a mixin: its actions call the window's slots)."""

    def _action(self, text: str, slot, shortcut=None, tip: str = "", key: str = "") -> QAction:
        """``key``: the letter that chooses it in its open menu, shown as 导入数据包(P)… (an
        officer at the keyboard: Alt+F, then P); the toolbar's button keeps the bare text."""
        text = self.tr(text)
        action = QAction(_with_key(text, key), self)
        action.setIconText(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(self.tr(tip))
            action.setData(self.tr(tip))  # the status tip given back when allowed again
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("新建企业", self.new_enterprise, QKeySequence.New,
                                       "录入一家新企业", key="N")
        self.import_action = self._action("导入…", self.open_import_wizard, "Ctrl+I",
                                          "从 Excel / CSV 名单导入", key="I")
        self.export_action = self._action("导出报表…", self.open_export_dialog, "Ctrl+E",
                                          "生成上报用的 Excel 报表", key="E")
        self.template_action = self._action("填写上级模板…", self.open_template_dialog, None,
                                            "把企业库当前筛选的企业填入省厅、市局发来的报送模板", key="T")
        self.collection_action = self._action(
            "导出采集表…", self.open_collection_dialog, None,
            "生成发给企业填写年度数据的 Excel 采集表（企业库当前列表或选中的企业）",
            key="C")
        self.package_export_action = self._action(
            "导出数据包…", self.open_package_export, None, "把所选区县的全部数据导出为数据包，报送上级",
            key="X")
        self.package_import_action = self._action(
            "导入数据包…", self.open_package_import, None, "导入区县报送的数据包（先预览）", key="P")
        self.package_status_action = self._action(
            "报送情况…", self.open_package_status, None, "各区县数据包的报送情况", key="S")
        self.backup_action = self._action("立即备份", self.backup_now, None, "备份数据库", key="B")
        self.settings_action = self._action("设置…", self.open_settings, "Ctrl+,",
                                            "数据库位置、备份、填报单位", key="O")
        # a server's logins, for its admin (tiers user's desktop face); shown by apply_rights
        self.accounts_action = self._action("账号管理…", self.open_accounts, None,
                                            "服务器数据库的账号：添加、修改角色与区县、重设密码、停用", key="A")
        self.refresh_action = self._action("刷新", self.refresh_all, QKeySequence.Refresh, key="R")
        self.find_action = self._action("查找企业", self._find, QKeySequence.Find, key="F")
        quit_action = self._action("退出", self.close, QKeySequence.Quit, key="Q")
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        file_menu.setToolTipsVisible(True)  # a greyed action says why (apply_rights)
        for action in (self.new_action, self.import_action, self.export_action,
                       self.template_action,
                       self.collection_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.package_export_action, self.package_import_action,
                       self.package_status_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.accounts_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        for number, title in enumerate(self.PAGE_TITLES):
            action = self._action(title, lambda _c=False, n=number: self.show_page(n),
                                  f"Ctrl+{number + 1}", key=str(number + 1))
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.refresh_action)
        self._build_bulk_menu()
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.manual_action = self._action("使用说明", self.open_manual, QKeySequence.HelpContents,
                                          "导入、公示与认定、对标预审、上报、备份", key="U")
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self._action(
            "关于", lambda: about.AboutDialog.show_for(self, self.database.path), key="A"))
        toolbar = self.addToolBar(self.tr("常用"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        toolbar.setMovable(False)
        for action in (self.new_action, self.import_action, self.export_action,
                       self.backup_action, self.refresh_action, self.settings_action):
            toolbar.addAction(action)

    def apply_rights(self) -> None:
        """Grey out, with the reason as tooltip, what the login may not do, as the server's
        rights read at connection say (Database.rights): a viewer writes nothing, an editor
        imports no package and makes no server backup. The server refuses them anyway;
        this tells the officer before the work, not after. Again after a switch of database."""
        rights = self.database.rights
        refusal = rights.refusal()
        # a server's backup is an admin's; a file opened read-only is read to back it up
        backup = "" if getattr(self.database, "read_only", False) else rights.admin_refusal(
            self.tr("备份服务器数据库"))  # (a file: everything)
        package = rights.admin_refusal(self.tr("导入数据包"))
        blocked = {self.new_action: refusal, self.import_action: refusal,
                   self.package_import_action: package,
                   self.backup_action: backup, self.bulk_undo_action: refusal,
                   **dict.fromkeys(self.bulk_actions.values(), refusal)}
        for action, reason in blocked.items():
            action.setEnabled(not reason)
            # the tooltip in the menu and on the toolbar; "" gives back the default (its text)
            action.setToolTip(reason)
            action.setStatusTip(reason or action.data() or "")
        self.roster.set_read_only(refusal)
        self.first_steps.set_read_only(refusal, package)
        # 账号管理: an admin's on a server (a file has no logins; an editor or a viewer
        # manages none: the item is not there rather than greyed)
        self.accounts_action.setVisible(
            self.database.server_target is not None and rights.role == "admin")

    def _build_bulk_menu(self) -> None:
        """批量操作 on the firms selected in 企业库: the menu, and the roster's right-click."""
        menu = self.menuBar().addMenu(self.tr("批量操作(&B)"))
        menu.setToolTipsVisible(True)
        self.bulk_actions: dict[str, QAction] = {}
        # (the 回收站's 恢复 is on the firms it lists, not here)
        shown = {name: a for name, a in bulk.ACTIONS.items() if not a.on_binned}
        undo, check = "撤销上次批量操作", "数据核查…"
        # each with a letter of its own (加入培育库(&J)…), the pinyin initial of its words
        *keys, undo_key, check_key = letters_for([self.tr(a.label) for a in shown.values()]
                                                 + [self.tr(undo), self.tr(check)])
        for (name, bulk_action), key in zip(shown.items(), keys, strict=True):
            action = self._action(bulk_action.label + "…",
                                  lambda _c=False, n=name: self.start_bulk(n),
                                  tip="对企业库中选中的企业" + bulk_action.label, key=key)
            self.bulk_actions[name] = action
            menu.addAction(action)
        menu.addSeparator()
        self.bulk_undo_action = self._action(undo, self.bulk.undo_last,
                                             tip="整批撤销刚才的批量操作", key=undo_key)
        menu.addAction(self.bulk_undo_action)
        menu.addSeparator()
        # tiers check's desktop face: the misdated 复核 records listed, corrected as one batch
        # that 撤销上次批量操作 undoes (a viewer may list them: its 全部更正 is greyed), and the
        # firms whose stored credit code is no longer valid, opened to be corrected
        self.data_check_action = self._action(
            check, self.data_check.start, tip="找出疑似记错的记录（年度记错的复核、不合规的信用代码）及改法",
            key=check_key)
        menu.addAction(self.data_check_action)
        self.roster.row_actions = list(self.bulk_actions.values())

    def start_bulk(self, name: str):
        """A bulk action on the roster's selection (the roster is shown if it was not)."""
        if self.stack.currentWidget() is not self.roster:
            self.show_page(1)
        # the selection of the list of the filters chosen: one still read is waited for
        return self.roster.when_listed(
            lambda: self.bulk.start(name, self.roster.selected_ids()),
            self.tr(bulk.ACTIONS[name].label), selection=True)

    def open_manual(self):
        from ui.help_dialog import HelpDialog

        return HelpDialog.show_for(self)

    def _find(self) -> None:
        self.show_page(1)
        self.roster.focus_search()
