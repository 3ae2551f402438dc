"""The main window: navigation, menu, toolbar, status bar; owns the background runner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from tiers.queries import dashboard
from tiers.services import bulk
from tiers.storage import instance, server_schema
from tiers.storage.database import Database
from ui import about
from ui.app_settings import AppSettings
from ui.ask import MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.bulk_operation import BulkOperation
from ui.chains_view import ChainsView
from ui.cultivation_view import CultivationView
from ui.dashboard_view import DashboardView
from ui.first_steps import FirstSteps
from ui.imports_view import ImportsView
from ui.measures_view import MeasuresView
from ui.operations import Changes, in_session, run_operation
from ui.roster_view import RosterView
from ui.table_comforts import TableComforts

if TYPE_CHECKING:
    from ui.enterprise_dialog import EnterpriseDialog  # opened on demand: imported then

# .et is taken too: the importer then says how to save it as .xlsx
IMPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".et"}


class MainWindow(QMainWindow):
    database_switched = Signal()

    def __init__(self, database: Database, settings: AppSettings,
                 runner: BackgroundRunner | None = None, *,
                 roster_later: bool = False) -> None:
        """``roster_later``: list the firms on the runner once the window is up (the
        client's start: the window paints before the roster's query is done)."""
        super().__init__()
        self._roster_later = roster_later
        self.database = database
        self.settings = settings
        self.runner = runner or BackgroundRunner(self)
        self.runner.changed.connect(self.data_changed)  # a write done through ui.operations
        self.enterprise_dialogs: dict[int | None, EnterpriseDialog] = {}
        self.tool_windows: list = []  # import wizards and export dialogs now open
        self.overview: dict[str, int] | None = None
        self.setAcceptDrops(True)
        self.resize(self.first_size())
        self.setMinimumSize(QSize(760, 520))
        self.bulk = BulkOperation(self, lambda: self.database, settings, self.runner)
        self.bulk.notice.connect(lambda text: self.statusBar().showMessage(text, 30_000))
        self._build_pages()
        self._build_actions()
        self.count_label = QLabel()
        self.busy_label = QLabel()
        self.selection_label = QLabel()  # 已选 3 行 · 扶持合计 …: the table in view
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.selection_label)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.runner.busy_changed.connect(
            lambda busy: self.busy_label.setText(self.tr("后台任务进行中……") if busy else ""))
        self.update_title()
        self.update_counts()
        geometry = settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.geometry("main_state")
        if state is not None:
            self.restoreState(state)
        self.show_page(1)

    @staticmethod
    def first_size() -> QSize:
        """1320 × 820, or less where the screen is smaller (a 1366 × 768 office laptop
        with its task bar): the status bar and the table's last rows must be on screen."""
        screen = QApplication.primaryScreen()
        wanted = QSize(1320, 820)
        if screen is None:
            return wanted
        room = screen.availableGeometry().size() - QSize(40, 60)  # the frame and title bar
        return wanted.boundedTo(room).expandedTo(QSize(760, 520))

    # --- pages --------------------------------------------------------------------------
    PAGE_TITLES = ("工作台", "企业库", "培育库", "扶持措施", "产业链", "导入记录")

    def _build_pages(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(120)
        self.navigation.setIconSize(QSize(0, 0))
        self.navigation.setStyleSheet(
            "#navigation { font-size: 11pt; } #navigation::item { padding: 10px 12px; }")
        self.stack = QStackedWidget()
        self.dashboard = DashboardView(self.database, self.runner)
        self.roster = RosterView(self.database, self.settings, runner=self.runner,
                                 load_later=self._roster_later)
        # pages other than the roster load when first shown: a large database opens fast
        self.cultivation = CultivationView(self.database, self.settings, load=False,
                                          runner=self.runner)
        self.measures = MeasuresView(self.database, load=False, settings=self.settings,
                                     runner=self.runner)
        self.chains = ChainsView(self.database, self.settings, load=False, runner=self.runner)
        self.imports = ImportsView(self.database, self.settings, self.runner, load=False)
        self.pages: list[QWidget] = [self.dashboard, self.roster, self.cultivation,
                                     self.measures, self.chains, self.imports]
        for title, page in zip(self.PAGE_TITLES, self.pages, strict=True):
            self.navigation.addItem(QListWidgetItem(self.tr(title)))
            self.stack.addWidget(page)
        self.stale = {self.cultivation, self.measures, self.chains, self.imports}
        # what each page shows, so that a write refreshes only the pages it concerns
        self.page_shows: dict[QWidget, set[str]] = {
            self.cultivation: {"enterprises", "recognitions", "figures", "cultivation"},
            self.measures: {"enterprises", "measures"},
            self.chains: {"enterprises", "recognitions", "chains"},
            self.imports: {"imports"},
        }
        self.navigation.currentRowChanged.connect(self.show_page)
        for comforts in self.stack.findChildren(TableComforts):
            comforts.summary_changed.connect(self._selection_summary)
            model = comforts.table.model()
            for signal in (model.modelReset, model.layoutChanged):
                signal.connect(lambda *_: self.update_counts(requery=False))
        for page in self.pages:
            if hasattr(page, "open_requested"):
                page.open_requested.connect(self.open_enterprise)
            if hasattr(page, "data_changed"):
                page.data_changed.connect(self.data_changed)
        self.roster.new_requested.connect(self.new_enterprise)
        self.roster.count_changed.connect(lambda _n: self.update_counts(requery=False))
        self.dashboard.filter_requested.connect(self.show_roster_filtered)
        # while the database has no firm: what to do first, in place of the pages
        self.first_steps = FirstSteps(can_load_demo=self.database.path is not None)
        self.first_steps.import_requested.connect(lambda: self.open_import_wizard())
        self.first_steps.package_requested.connect(self.open_package_import)
        self.first_steps.demo_requested.connect(self.load_demo)
        self.first_steps.new_requested.connect(self.new_enterprise)
        self.content = QStackedWidget()
        self.content.addWidget(self.stack)
        self.content.addWidget(self.first_steps)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.content, 1)
        self.setCentralWidget(central)

    def show_page(self, number: int) -> None:
        if self.navigation.currentRow() != number:
            self.navigation.setCurrentRow(number)
            return
        self.stack.setCurrentIndex(number)
        page = self.pages[number]
        self.show_first_steps_if_empty()
        if hasattr(self, "selection_label"):
            self.selection_label.clear()
            self.update_counts(requery=False)
        if page in self.stale or (page is self.dashboard and not self.dashboard.loaded_once):
            self.stale.discard(page)
            page.refresh()
        if page is self.roster:
            self.roster.focus_search()

    def show_roster_filtered(self, values: dict) -> None:
        self.show_page(1)
        self.roster.show_filtered(**values)

    # --- menu and toolbar ---------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(self.tr(text), self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(self.tr(tip))
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("新建企业", self.new_enterprise, QKeySequence.New,
                                       "录入一家新企业")
        self.import_action = self._action("导入…", self.open_import_wizard, "Ctrl+I",
                                          "从 Excel / CSV 名单导入")
        self.export_action = self._action("导出报表…", self.open_export_dialog, "Ctrl+E",
                                          "生成上报用的 Excel 报表")
        self.template_action = self._action("填写上级模板…", self.open_template_dialog, None,
                                            "把企业库当前筛选的企业填入省厅、市局发来的报送模板")
        self.collection_action = self._action(
            "导出采集表…", self.open_collection_dialog, None,
            "生成发给企业填写年度数据的 Excel 采集表（企业库当前列表或选中的企业）")
        self.package_export_action = self._action(
            "导出数据包…", self.open_package_export, None, "把所选区县的全部数据导出为数据包，报送上级")
        self.package_import_action = self._action(
            "导入数据包…", self.open_package_import, None, "导入区县报送的数据包（先预览）")
        self.package_status_action = self._action(
            "报送情况…", self.open_package_status, None, "各区县数据包的报送情况")
        self.backup_action = self._action("立即备份", self.backup_now, None, "备份数据库")
        self.settings_action = self._action("设置…", self.open_settings, "Ctrl+,",
                                            "数据库位置、备份、填报单位")
        self.refresh_action = self._action("刷新", self.refresh_all, QKeySequence.Refresh)
        self.find_action = self._action("查找企业", self._find, QKeySequence.Find)
        quit_action = self._action("退出", self.close, QKeySequence.Quit)
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
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
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        for number, title in enumerate(self.PAGE_TITLES):
            action = self._action(title, lambda _c=False, n=number: self.show_page(n),
                                  f"Ctrl+{number + 1}")
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.refresh_action)
        self._build_bulk_menu()
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.manual_action = self._action("使用说明", self.open_manual, QKeySequence.HelpContents,
                                          "导入、公示与认定、对标预审、上报、备份")
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self._action(
            "关于", lambda: about.AboutDialog.show_for(self, self.database.path)))
        toolbar = self.addToolBar(self.tr("常用"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        toolbar.setMovable(False)
        for action in (self.new_action, self.import_action, self.export_action,
                       self.backup_action, self.refresh_action, self.settings_action):
            toolbar.addAction(action)

    def _build_bulk_menu(self) -> None:
        """批量操作 on the firms selected in 企业库: the menu, and the roster's right-click."""
        menu = self.menuBar().addMenu(self.tr("批量操作(&B)"))
        self.bulk_actions: dict[str, QAction] = {}
        for name, bulk_action in bulk.ACTIONS.items():
            action = self._action(bulk_action.label + "…",
                                  lambda _c=False, n=name: self.start_bulk(n),
                                  tip="对企业库中选中的企业" + bulk_action.label)
            self.bulk_actions[name] = action
            menu.addAction(action)
        menu.addSeparator()
        self.bulk_undo_action = self._action("撤销上次批量操作", self.bulk.undo_last,
                                             tip="整批撤销刚才的批量操作")
        menu.addAction(self.bulk_undo_action)
        self.roster.row_actions = list(self.bulk_actions.values())

    def start_bulk(self, name: str):
        """A bulk action on the roster's selection (the roster is shown if it was not)."""
        if self.stack.currentWidget() is not self.roster:
            self.show_page(1)
        return self.bulk.start(name, self.roster.selected_ids())

    def open_manual(self):
        from ui.help_dialog import HelpDialog

        return HelpDialog.show_for(self)

    def _find(self) -> None:
        self.show_page(1)
        self.roster.focus_search()

    # --- status -------------------------------------------------------------------------
    def update_title(self) -> None:
        where = str(self.database.path) if self.database.path \
            else server_schema.where(self.database.engine)  # which server, which login
        # Qt adds the application's display name to a title that does not end with it:
        # end with it ourselves, so it shows once (path — 梯度培育企业库)
        name = QApplication.applicationDisplayName() or self.tr("梯度培育企业库")
        self.setWindowTitle(f"{where} — {name}")

    def update_counts(self, *, requery: bool = True) -> None:
        """The status bar; the database totals are re-counted only after writes."""
        if requery or self.overview is None:
            with self.database.session() as session:
                self.overview = dashboard.overview(session)
        counts = self.overview
        self.show_first_steps_if_empty()
        shown, unit = self.shown_count()
        text = self.tr("企业 %1 家 · 当前列表 %2 %6 · 有效认定 %3 项 · 180天内到期 %4 项 · 回收站 %5 家")
        if shown is None:  # the 工作台 shows no list
            text = text.replace(self.tr(" · 当前列表 %2 %6"), "")
        text = text.replace("%6", unit)
        for number, value in enumerate((counts["enterprises"], shown or 0, counts["recognitions"],
                                        counts["expiring"], counts["deleted"]), start=1):
            text = text.replace(f"%{number}", f"{value:,}")
        self.count_label.setText(text)

    def database_is_empty(self) -> bool:
        counts = self.overview
        return counts is not None and counts["enterprises"] == 0 and counts["deleted"] == 0

    def show_first_steps_if_empty(self) -> None:
        """An empty database shows what to do first on every page (导入记录 aside: it
        keeps the history of undone imports)."""
        number = self.stack.currentIndex()
        empty = self.database_is_empty() and self.pages[number] is not self.imports
        if empty:
            self.first_steps.show_for(self.PAGE_TITLES[number])
        self.content.setCurrentWidget(self.first_steps if empty else self.stack)

    def load_demo(self) -> Task:
        """载入演示数据 on the runner (a few seconds), then every page refreshes."""
        database = self.database
        self.first_steps.demo_button.setEnabled(False)
        self.first_steps.hint.setText(self.tr("正在生成演示数据……"))

        def work(session):
            from tiers.services import demo  # the generator: only when asked for

            return demo.generate(session, progress_every=50)  # the 300 firms of first start

        return run_operation(self, self.runner, self.tr("载入演示数据"), in_session(database, work),
                             changes=Changes.everything(),
                             on_finished=lambda: self.first_steps.demo_button.setEnabled(True))

    def shown_count(self) -> tuple[int | None, str]:
        """The rows of the list on the page in view (its visible table when it has two)
        and what they count (家, 项)."""
        found = self.stack.currentWidget().findChildren(TableComforts)
        if not found:
            return None, ""
        shown = [c for c in found if c.table.isVisible()] or found
        return shown[0].table.model().rowCount(), shown[0].unit

    def _selection_summary(self, text: str) -> None:
        source = self.sender()
        if source is not None and source.table.isVisible():
            self.selection_label.setText(text)

    def data_changed(self, changes: Changes | None = None) -> None:
        """Something was written: the current page refreshes now, the other pages that show
        what changed (all of them when nobody said what) when they are shown."""
        current = self.pages[self.stack.currentIndex()]
        touched = changes.touched() if changes is not None else None
        self.stale |= {page for page in self.pages if page is not current and (
            touched is None or touched & self.page_shows.get(page, touched))}
        current.refresh()
        if current is not self.roster:
            # the status bar's 当前列表 is the roster's count: stale until the roster is
            # re-queried (an undo on 导入记录 left it at the removed firms' 60,004)
            self.stale.discard(self.roster)
            self.roster.refresh()
        self.update_counts()

    def refresh_all(self) -> None:
        self.data_changed()

    # --- enterprises --------------------------------------------------------------------
    def open_enterprise(self, enterprise_id: int | None) -> EnterpriseDialog:
        dialog = self.enterprise_dialogs.get(enterprise_id)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        from ui.enterprise_dialog import EnterpriseDialog

        try:
            dialog = EnterpriseDialog(self.database, self.settings, enterprise_id, self,
                                      runner=self.runner)
        except LookupError as exc:
            MessageDialog.error(self, self.tr("打开企业"), str(exc))
            raise
        dialog.setWindowModality(Qt.NonModal)
        dialog.changed.connect(self.data_changed)
        if enterprise_id is None:  # once saved, the new firm is shown in the roster
            dialog.changed.connect(lambda _c, d=dialog: self.reveal_enterprise(d.enterprise_id))
        dialog.notice.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        dialog.finished.connect(lambda _r, key=enterprise_id: self.enterprise_dialogs.pop(key,
                                                                                           None))
        self.enterprise_dialogs[enterprise_id] = dialog
        dialog.show()
        return dialog

    def reveal_enterprise(self, enterprise_id: int | None) -> None:
        if enterprise_id is None:
            return
        self.show_page(1)
        self.roster.reveal(enterprise_id)

    def new_enterprise(self) -> EnterpriseDialog:
        return self.open_enterprise(None)

    # --- import, export, settings -------------------------------------------------------
    def open_import_wizard(self, path: str | None = None):
        try:
            from ui.import_wizard import ImportWizard
        except ImportError as exc:
            MessageDialog.error(self, self.tr("导入"), self.tr("导入功能尚未就绪：") + str(exc))
            return None
        wizard = ImportWizard(self.database, self.settings, self.runner, self, path=path)
        self._track(wizard)
        wizard.show()
        wizard.raise_()
        wizard.activateWindow()  # typing goes to the file field, not the roster's search
        return wizard

    def open_export_dialog(self):
        try:
            from ui.export_dialog import ExportDialog
        except ImportError as exc:
            MessageDialog.error(self, self.tr("导出"), self.tr("导出功能尚未就绪：") + str(exc))
            return None
        # the export starts from what the officer is looking at: the 企业库's filters and
        # its selected firms (企业档案), when the 企业库 is the page on screen
        on_roster = self.stack.currentWidget() is self.roster
        dialog = ExportDialog(self.database, self.settings, self.runner, self,
                              filters=self.roster.screen_filters() if on_roster else None)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_template_dialog(self):
        from ui.template_dialog import TemplateDialog

        filters = {k: v for k, v in self.roster.screen_filters().items() if k != "code"}
        described = self.roster.filters_described() if filters else ""
        dialog = TemplateDialog(self.database, self.settings, self.runner, self,
                                filters=filters, described=described)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_collection_dialog(self):
        from ui.collection_dialog import CollectionDialog

        dialog = CollectionDialog(self.database, self.settings, self.runner, self,
                                  listed=self.roster.model.ids,
                                  selected=self.roster.selected_ids())
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_export(self):
        from ui.package_export_dialog import PackageExportDialog

        dialog = PackageExportDialog(self.database, self.settings, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_import(self):
        from ui.package_import_dialog import PackageImportDialog

        dialog = PackageImportDialog(self.database, self.settings, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_status(self):
        from ui.package_status_dialog import PackageStatusDialog

        dialog = PackageStatusDialog(self.database, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def _track(self, window) -> None:
        """Windows that work on the current database (import, export): closed before the
        database is switched, so none of them goes on writing to the old file."""
        self.tool_windows.append(window)
        window.destroyed.connect(lambda *_: self.tool_windows.remove(window)
                                 if window in self.tool_windows else None)

    def open_settings(self):
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.database, self.settings, self.runner, self)
        dialog.database_chosen.connect(self.switch_database)
        dialog.restored.connect(self.data_changed)
        dialog.show()
        return dialog

    def backup_now(self):
        from ui.settings_dialog import SettingsDialog

        return SettingsDialog.backup(self, self.database, self.settings, self.runner)

    def switch_database(self, database: Database) -> None:
        """Open another database file: every page is rebuilt over it."""
        for dialog in [*self.enterprise_dialogs.values(), *self.tool_windows]:
            if not dialog.close():
                return
        self.tool_windows.clear()
        old = self.database
        self.database = database
        if database.path is not None:  # a server's address is kept apart (no password)
            self.settings.database_path = str(database.path)
        self.stack.blockSignals(True)
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.navigation.blockSignals(True)
        self.navigation.clear()
        self.navigation.blockSignals(False)
        old_central = self.centralWidget()
        self._build_pages()
        self.roster.row_actions = list(self.bulk_actions.values())
        old_central.deleteLater()
        if old is not database:
            old.dispose()
            if old.path is not None and database.path != old.path:
                instance.release(old.path)  # the new file was taken when it was opened
        self.update_title()
        self.update_counts()
        self.show_page(1)
        self.database_switched.emit()

    def about(self) -> None:
        MessageDialog.info(self, self.tr("关于"), self.tr(
            "梯度培育企业库（Tiers）\n优质中小企业梯度培育与链主企业数据库。\n数据库：")
            + str(self.database.path))

    # --- drag and drop ------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(Path(url.toLocalFile()).suffix.lower() in IMPORT_SUFFIXES
               for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if Path(path).suffix.lower() in IMPORT_SUFFIXES:
                self.open_import_wizard(path)
                event.acceptProposedAction()
                return

    # --- closing ------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802
        for dialog in list(self.enterprise_dialogs.values()):
            if not dialog.close():
                if dialog.saving is not None:  # the user chose to save first: close after it
                    dialog.finished.connect(self.close, Qt.SingleShotConnection)
                event.ignore()
                return
        self.settings.set_geometry("main", self.saveGeometry())
        self.settings.set_geometry("main_state", self.saveState())
        self.runner.shutdown()
        self.dashboard.shutdown()
        event.accept()
