"""The main window's status bar and title: the database's totals and the list in view, the
selection's sums, and the first steps shown in place of the pages while the database is empty.

The totals are counted on the runner (110–155 ms at 100k firms, on the GUI thread at start and
after every write before): only the latest recount is shown, and the old text stays until it
arrives."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication, QLabel

from tiers.model.vocabulary import ALL_COUNTIES_ARG
from tiers.queries import dashboard
from tiers.storage import server_schema
from ui.background_runner import Task
from ui.latest_read import LatestRead
from ui.table_comforts import TableComforts

log = logging.getLogger(__name__)


class MainStatus:
    """The status bar and title of MainWindow (a mixin: it reads the window's pages)."""

    def _build_status_bar(self) -> None:
        # the totals: the latest recount only; a failed one leaves the old counts (a busy
        # database is no reason for a message box)
        self.counts_read = LatestRead(
            self, self.tr("统计企业数"),
            on_failure=lambda message: log.warning("状态栏未能统计：%s", message))
        self.count_label = QLabel()
        self.busy_label = QLabel()
        self.selection_label = QLabel()  # 已选 3 行 · 扶持合计 …: the table in view
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.selection_label)
        self.statusBar().addPermanentWidget(self.busy_label)
        # a file opened read-only (its rights or its folder's): said all along, the way out
        # in the tooltip (update_title shows it for the database of the moment)
        self.read_only_label = QLabel(self.tr("只读：可以查看和导出，不能修改"))
        self.read_only_label.setStyleSheet("color: #C00000;")
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.runner.busy_changed.connect(
            lambda busy: self.busy_label.setText(self.tr("后台任务进行中……") if busy else ""))

    def update_title(self) -> None:
        where = str(self.database.path) if self.database.path \
            else server_schema.where(self.database.engine)  # which server, which login
        # Qt adds the application's display name to a title that does not end with it:
        # end with it ourselves, so it shows once (path — 梯度培育企业库)
        name = QApplication.applicationDisplayName() or self.tr("梯度培育企业库")
        read_only = getattr(self.database, "read_only", False)
        if read_only:
            where += self.tr("（只读）")
        label = getattr(self, "read_only_label", None)
        if label is not None:
            label.setVisible(read_only)
            label.setToolTip(self.database.rights.refusal() if read_only else "")
        self.setWindowTitle(f"{where} — {name}")

    def update_counts(self, *, requery: bool = True) -> None:
        """The status bar; the database totals are re-counted (on the runner) only at the
        start and after writes, the list in view's count shown at once."""
        if requery or (self.overview is None and self.counting is None):
            self.recount()
        if self.overview is not None:
            self._show_counts()

    def recount(self) -> Task | None:
        """Count the database's totals on the runner; a recount begun later supersedes this
        one (one still queued is not run, one running is not shown)."""
        database = self.database

        def count(_task: Task) -> dict[str, int]:
            with database.session() as session:
                # the whole database's, as the roster lists it (the 工作台's blank choice
                # is the unit's when one is recorded)
                return dashboard.overview(session, county=ALL_COUNTIES_ARG)

        return self.counts_read.run(self.runner, count, self._counted)

    @property
    def counting(self) -> Task | None:
        """The recount under way, whose result is to be shown."""
        return self.counts_read.task

    def _counted(self, overview: dict[str, int]) -> None:
        self.overview = overview
        self._show_counts()

    def clear_counts(self) -> None:
        """Another database: its counts (and whether it is empty) are not the old one's."""
        self.counts_read.drop()
        self.overview = None
        self.count_label.setText(self.tr("正在统计……"))
        self.count_label.setToolTip("")

    def _show_counts(self) -> None:
        counts = self.overview
        self.show_first_steps_if_empty()
        shown, unit = self.shown_count()
        county = self._county_in_view()
        if county is None:
            text = self.tr(
                "企业 %1 家 · 当前列表 %2 %6 · 有效认定 %3 项 · 180天内到期 %4 项 · 回收站 %5 家")
        else:  # 工作台 counts one county: so does the status bar, saying so
            name, counts = county
            text = self.tr("%7：企业 %1 家 · 当前列表 %2 %6 · 有效认定 %3 项 · 180天内到期 %4 项 · "
                           "回收站 %5 家").replace("%7", name)
        if shown is None:  # the 工作台 shows no list
            text = text.replace(self.tr(" · 当前列表 %2 %6"), "")
        text = text.replace("%6", unit)
        self.count_label.setToolTip(
            self.tr("工作台只统计%1；其他页面显示全库的数字").replace("%1", county[0])
            if county is not None else "")
        for number, value in enumerate((counts["enterprises"], shown or 0, counts["recognitions"],
                                        counts["expiring"], counts["deleted"]), start=1):
            text = text.replace(f"%{number}", f"{value:,}")
        self.count_label.setText(text)

    def _county_in_view(self) -> tuple[str, dict[str, int]] | None:
        """The county 工作台 shows, and its counts, while 工作台 is the page in view."""
        if self.stack.currentWidget() is not self.dashboard:
            return None
        return self.dashboard.county_counts()

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
