"""The main window: navigation between the pages, refreshing what a write changed, the
enterprise windows, switching the database and closing; owns the background runner. Its menus,
status bar and tool windows are mixins (ui/main_menus.py, ui/main_status.py, ui/tool_windows.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from tiers.storage import instance
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.bulk_operation import BulkOperation
from ui.chains_view import ChainsView
from ui.county_column import firms_changed
from ui.cultivation_view import CultivationView
from ui.dashboard_view import DashboardView
from ui.data_check import DataCheck
from ui.first_steps import FirstSteps
from ui.imports_view import ImportsView
from ui.main_menus import MainMenus
from ui.main_status import MainStatus
from ui.measures_view import MeasuresView
from ui.operations import Changes, in_session, run_operation
from ui.roster_view import RosterView
from ui.table_comforts import TableComforts
from ui.tool_windows import ToolWindows

if TYPE_CHECKING:
    from ui.enterprise_dialog import EnterpriseDialog  # opened on demand: imported then


class MainWindow(MainMenus, MainStatus, ToolWindows, QMainWindow):
    database_switched = Signal()
    # after the pages were told of a write (data_changed's Changes; None: anything): the
    # tool windows that show data (报送情况) read again too
    written = Signal(object)

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
        self.data_check = DataCheck(self, lambda: self.database, settings, self.runner,
                                    open_firm=self.open_enterprise)
        self.data_check.notice.connect(lambda text: self.statusBar().showMessage(text, 30_000))
        self.data_check.corrected.connect(self.bulk.remember)  # its batch: 撤销上次批量操作
        self._build_pages()
        self._build_actions()
        self.apply_rights()
        self._build_status_bar()
        self.update_title()
        self.update_counts()
        geometry = settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.geometry("main_state")
        if state is not None:
            self.restoreState(state)
        self.show_page(1)

    # the first size's share of the screen's available room: at 1920 × 1080 the fixed
    # 1320 × 820 left 企业库 scrolling sideways, its last column cut, beside a blank screen
    SCREEN_SHARE = 0.85
    LEAST_FIRST = QSize(1320, 820)  # what a 1366 × 768 laptop had: never less where it fits

    @classmethod
    def first_size(cls) -> QSize:
        """A share of the screen's available room (1632 × 918 at 1920 × 1080), at least
        1320 × 820, and less where the screen is smaller (a 1366 × 768 office laptop with its
        task bar): the status bar and the table's last rows must be on screen. A geometry
        saved by a previous run is restored over it."""
        screen = QApplication.primaryScreen()
        if screen is None:
            return cls.LEAST_FIRST
        available = screen.availableGeometry().size()
        share = QSize(round(available.width() * cls.SCREEN_SHARE),
                      round(available.height() * cls.SCREEN_SHARE))
        room = available - QSize(40, 60)  # the frame and title bar
        return share.expandedTo(cls.LEAST_FIRST).boundedTo(room).expandedTo(QSize(760, 520))

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
            if hasattr(page, "open_assessment_requested"):  # 候选企业: on its 对标预审
                page.open_assessment_requested.connect(
                    lambda enterprise_id, opening: self.open_enterprise(
                        enterprise_id, opening["year"],
                        assessment=(opening["tier"], opening["rule_set"])))
            if hasattr(page, "data_changed"):
                page.data_changed.connect(self.data_changed)
        self.roster.new_requested.connect(self.new_enterprise)
        self.roster.notice.connect(lambda text: self.statusBar().showMessage(text, 30_000))
        self._roster_wait = ""  # the wait the status bar says, while it says it
        self.roster.waiting_changed.connect(self._say_roster_wait)
        # the 回收站's 恢复 is a batch: 撤销上次批量操作 takes it back, as it does 移入回收站
        self.roster.restored.connect(self.bulk.remember)
        self.roster.count_changed.connect(lambda _n: self.update_counts(requery=False))
        self.dashboard.filter_requested.connect(self.show_roster_filtered)
        # the status bar counts the county 工作台 shows (see MainStatus.update_counts)
        self.dashboard.loaded.connect(lambda: self.update_counts(requery=False))
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

    def _say_roster_wait(self, text: str) -> None:
        """An action waits for the 企业库's list (导出采集表 asked from the 工作台 too): said
        where the officer is, the status bar; cleared when it runs (not another message)."""
        if text:
            self.statusBar().showMessage(text)
        elif self._roster_wait and self.statusBar().currentMessage() == self._roster_wait:
            self.statusBar().clearMessage()
        self._roster_wait = text

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

    # --- demo data and refreshing -------------------------------------------------------
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

    def data_changed(self, changes: Changes | None = None) -> None:
        """Something was written: the current page refreshes now, the other pages that show
        what changed (all of them when nobody said what) when they are shown."""
        if self.runner.closed:  # closing: a write's result arrived after the runner stopped
            return
        current = self.pages[self.stack.currentIndex()]
        touched = changes.touched() if changes is not None else None
        if touched is None or "enterprises" in touched:
            firms_changed(self.database)  # the 县区 columns count the counties again
        self.stale |= {page for page in self.pages if page is not current and (
            touched is None or touched & self.page_shows.get(page, touched))}
        current.refresh()
        if current is not self.roster:
            # the status bar's 当前列表 is the roster's count: stale until the roster is
            # re-queried (an undo on 导入记录 left it at the removed firms' 60,004)
            self.stale.discard(self.roster)
            self.roster.refresh()
        self.update_counts()
        self.written.emit(changes)

    def refresh_all(self) -> None:
        self.data_changed()

    # --- enterprises --------------------------------------------------------------------
    def open_enterprise(self, enterprise_id: int | None, figures_year: int | None = None, *,
                        assessment: tuple[str, str] | None = None) -> EnterpriseDialog:
        """The firm's window; ``figures_year``: the year its 对标预审 is judged on (a year the
        officer picked in 候选企业; None: the one the data support); ``assessment``: (target
        tier, rule set) to open it on its 对标预审 tab with (a 候选企业 list's)."""
        dialog = self.enterprise_dialogs.get(enterprise_id)
        if dialog is not None and dialog.isVisible():
            # the year first: its refresh then shows the list's choice (the choice first
            # read it on the old year, and the refresh read again)
            dialog.assessment_tab.use_year(figures_year)
            if assessment is not None:
                dialog.show_assessment(*assessment)
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        from ui.enterprise_dialog import EnterpriseDialog

        try:
            dialog = EnterpriseDialog(self.database, self.settings, enterprise_id, self,
                                      runner=self.runner, figures_year=figures_year)
        except LookupError as exc:
            MessageDialog.error(self, self.tr("打开企业"), str(exc))
            raise
        dialog.setWindowModality(Qt.NonModal)
        dialog.changed.connect(self.data_changed)
        if enterprise_id is None:  # once saved, the new firm is shown in the roster
            dialog.changed.connect(lambda _c, d=dialog: self.reveal_enterprise(d.enterprise_id))
        dialog.notice.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        # a write anywhere (another officer's heard on the server too): the window looks
        # whether its firm changed, and shows it or says so (tester27's finding 4)
        self.written.connect(dialog.follow_changes)
        dialog.finished.connect(lambda _r, key=enterprise_id: self.enterprise_dialogs.pop(key,
                                                                                           None))
        self.enterprise_dialogs[enterprise_id] = dialog
        dialog.show()
        if assessment is not None:
            dialog.show_assessment(*assessment)
        return dialog

    def reveal_enterprise(self, enterprise_id: int | None) -> None:
        if enterprise_id is None:
            return
        self.show_page(1)
        self.roster.reveal(enterprise_id)

    def new_enterprise(self) -> EnterpriseDialog:
        return self.open_enterprise(None)

    # --- switching the database ---------------------------------------------------------
    def switch_database(self, database: Database) -> None:
        """Open another database file: every page is rebuilt over it."""
        for dialog in [*self.enterprise_dialogs.values(), *self.tool_windows]:
            if not dialog.close():
                return
        self.tool_windows.clear()
        old = self.database
        self.database = database
        # the old database's totals and first steps go now, not when the recount arrives
        self.clear_counts()
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
        self.apply_rights()  # the new database's login may have other rights
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
