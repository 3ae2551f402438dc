"""企业库: search as you type, filters, the table over SQL, the 回收站."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tiers.queries import roster
from tiers.queries.selection_rights import SelectionRights, split_by_rights
from tiers.services import bulk, enterprises
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.elided_label import ElidedLabel
from ui.enterprise_table_model import EnterpriseTableModel, Listing
from ui.filter_panel import FilterPanel
from ui.lock_wait import LockWait
from ui.operations import Changes, in_session, run_operation, save_from_page
from ui.roster_cells import BIN_COLUMNS, COLUMNS, ROSTER_ONLY
from ui.roster_table import fill_the_width, roster_table, show_bin_columns
from ui.table_comforts import TableComforts
from ui.table_reading import selected_rows

SEARCH_DELAY_MS = 150
SEARCH_MIN_WIDTH = 220  # the box stays usable whatever the count label says
FILTERS_MARGIN = 20  # beside the filter panel's own width: a little air before the table


class RosterView(QWidget):
    open_requested = Signal(int)
    new_requested = Signal()
    save_finished = Signal(bool)  # a delete or restore ended: True when written
    count_changed = Signal(int)
    refreshed = Signal()  # a refresh's listing is shown (read on the runner)
    notice = Signal(str)  # for the main window's status bar (恢复: which firms)
    # an action waits for the list being read (its words), or no longer does (""): said in
    # the main window's status bar too, seen from any page (导出采集表 from the 工作台)
    waiting_changed = Signal(str)
    restored = Signal(object)  # a 恢复 written: its bulk.BulkResult (a batch to undo)

    def __init__(self, database: Database, settings: AppSettings,
                 parent: QWidget | None = None, *,
                 runner: BackgroundRunner | None = None, load_later: bool = False) -> None:
        """``load_later`` (with a runner): the firms are listed on the runner, after the
        window first paints (the client's start)."""
        super().__init__(parent)
        self.database = database
        self.settings = settings
        self.read_only = ""  # why this login may change no firm ("": it may)
        self.runner = runner  # deletes and restores run there (and the search index warms)
        self.saving: Task | None = None
        self.checking: Task | None = None  # a limited login's selection read before 删除
        # an action on the rows shown (导出当前列表, 删除, 批量操作 …) asked while the list of
        # the filters chosen is still read: (the action, what it is, whether it takes the
        # selection); run once that list is shown, never on the old rows (when_listed)
        self._waiting: tuple[Callable[[], Any], str, bool] | None = None

        self.search = QLineEdit()
        # the example must find firms in any Jiangsu roster (and the demo): 江苏省… → jss
        self.search.setPlaceholderText(
            self.tr("搜索企业名称、曾用名、信用代码或拼音首字母（如 jss 找“江苏省…”）"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self._search_return)
        self.search.installEventFilter(self)

        # the rows on screen are the 回收站's: the buttons and keys act on what is shown
        # (the box is ticked at once, its firms listed once read on the runner)
        self.bin_shown = False
        self.trash = QCheckBox(self.tr("回收站"))
        self.trash.setToolTip(self.tr("显示已删除的企业，可恢复"))
        self.trash.toggled.connect(self._trash_toggled)
        # (elided, the whole text in its tooltip: the server's long reason squeezed the
        # search box to some 70 px)
        self.count_label = ElidedLabel(minimum=140)
        self.search.setMinimumWidth(SEARCH_MIN_WIDTH)

        self.new_button = QPushButton(self.tr("新建企业"))
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(self.open_current)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button = QPushButton(self.tr("恢复"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.trash)
        for button in (self.new_button, self.open_button, self.delete_button,
                       self.restore_button):
            top.addWidget(button)

        self.filters = FilterPanel(database, runner=runner)
        self.filters.changed.connect(self._filters_changed)
        load_later = load_later and runner is not None
        self.model = EnterpriseTableModel(database, self, load=not load_later)
        self.model.counts_changed.connect(self._show_count)
        self.model.listed.connect(self._listed)
        self.model.listing_arriving.connect(self._arriving)
        self.model.listing_failed.connect(self._listing_failed)
        self.model.listing_dropped.connect(self._listing_dropped)
        # a row not read while painting (the server gone): the Chinese message here, the
        # rows already read stay; the reconnection's refresh reads them again
        self.model.rows_failed.connect(self.count_label.setText)
        # where the officer was when a refresh began: (the selected firms, the current
        # one, the firm at the top of the table and its pixel offset, the scroll bar's
        # value); a firm to reveal once the refresh's listing is in
        self._place: tuple[list[int], int | None, int | None, int, int] = ([], None, None, 0, 0)
        self._reveal_after: int | None = None
        self._select_after: int | None = None  # ...selected if listed, nothing cleared
        # the officer clicked or scrolled while the listing was read: the place is taken
        # anew just before it is shown; _restoring: the view's own moves, not the officer's
        self._moved = self._restoring = False
        self.table = roster_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._officer_moved)
        self.table.selectionModel().currentChanged.connect(self._officer_moved)
        self.table.verticalScrollBar().valueChanged.connect(self._officer_moved)
        self.table.activated.connect(self._activated)
        # the actions others hang on the rows' right-click menu (批量操作), shown as one
        # submenu of the comforts' menu
        self.row_actions: list[QAction] = []
        self.table.installEventFilter(self)
        # copy, menus, remembered columns, 导出当前列表; bulk actions join through
        # self.comforts.add_actions(...)
        self.comforts = TableComforts(
            self.table, "roster", settings, unit=self.tr("家"), title=self.tr("企业库"),
            open_row=lambda row: self._activated(self.model.index(row, 0)),
            row_actions=self._row_actions, describe=self.describe_filters, runner=runner,
            rows_job=self.model.rows_job)
        self.comforts.add_actions(self._bulk_submenu)
        self.comforts.when_ready = self.when_listed  # (导出当前列表: the rows asked for)
        # the 回收站's columns hidden on the roster; in the 回收站 they take the place of
        # two of the roster's, an arrangement not remembered as the officer's (the roster's
        # is); after 恢复默认列 (whose default is the roster's) made again in it
        show_bin_columns(self.table, False)
        self._hidden_for_bin: list[int] = []  # the roster's columns the 回收站 hid
        self.comforts.keeps_state = lambda: not self.bin_shown
        self.comforts.defaults_restored.append(self._defaults_restored)
        self.fill, self.row_fitter = fill_the_width(self.table, self.comforts)
        splitter = QSplitter()
        splitter.addWidget(self.filters)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(1, 1)
        # the filters as wide as their combo boxes want, not a fixed 230: in the 1366 × 768
        # window the table's columns ran 33 px past its edge, 扶持金额合计 cut
        splitter.setSizes([self.filters.sizeHint().width() + FILTERS_MARGIN, 1000])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        # Tab from the search goes to what it found (it went to 回收站 first), then on
        # along the top row: 回收站, 新建企业, 打开, 删除
        QWidget.setTabOrder(self.search, self.table)
        QWidget.setTabOrder(self.table, self.trash)
        if load_later:
            self.count_label.setText(self.tr("正在载入……"))
            self.model.load_in_background(runner)  # (before the index: the runner is a queue)
        else:
            self._show_count(len(self.model.ids))
        if runner is not None:
            self.filters.refresh_choices()  # after the listing: the runner is a queue
            self.model.warm_search(runner)

    # --- filters ------------------------------------------------------------------------
    def current_filters(self) -> roster.RosterFilter:
        filters = roster.RosterFilter(search=self.search.text(),
                                       deleted=self.trash.isChecked(),
                                       columns=self.model.filters.columns)
        return self.filters.apply(filters)

    def apply_filters(self) -> None:
        self.search_timer.stop()
        if self._reveal_after is not None:
            # the officer's own query, typed after the save, is not cleared for the new firm
            # a refresh under way was to reveal: it is selected if this query lists it
            self._select_after, self._reveal_after = self._reveal_after, None
        self.model.set_filters(self.current_filters())
        if self.model.error:
            self.count_label.setText(self.model.error)
        if not self.model.listing_pending:
            self._select_pending()

    def _search_return(self) -> None:
        if self.search_timer.isActive():
            self.apply_filters()
        if self.model.rowCount() == 1:
            self.open_requested.emit(self.model.ids[0])
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def set_read_only(self, reason: str) -> None:
        """新建企业, 删除 and 恢复 greyed with ``reason`` as their tooltip (a viewer's
        login): the officer is told before, not after choosing the firms."""
        self.read_only = reason
        for button in (self.new_button, self.delete_button, self.restore_button):
            button.setEnabled(not reason)
            button.setToolTip(reason)
        if not reason:
            self.new_button.setEnabled(not self.bin_shown)

    def _trash_toggled(self, on: bool) -> None:
        """The 回收站's firms (or the roster again) read on the runner, as a refresh's: the
        base query of 100k firms held the window half a second here. The old rows, and
        the buttons that act on them, stay until the new ones are shown (_show_count)."""
        self._list_in_background(self.tr("正在读取回收站……") if on
                                 else self.tr("正在读取企业库……"))

    def _filters_changed(self) -> None:
        """A choice in the filter panel (or the dashboard's, show_filtered): the firms read
        on the runner, as the 回收站 box's (a filter's query of 100k firms held the window
        a third of a second). If the read fails, the panel shows again what the rows do."""
        self._list_in_background(self.tr("正在筛选……"))

    def _list_in_background(self, saying: str) -> None:
        """The firms of the filters on screen read on the runner (without one: at once);
        ``saying`` in the count's place meanwhile. The old rows stay until the new are in;
        a search typed meanwhile supersedes the read (apply_filters)."""
        if self.runner is None or self.runner.closed:
            self.apply_filters()
            return
        self.search_timer.stop()
        if self._reveal_after is not None:  # (as apply_filters: selected if listed)
            self._select_after, self._reveal_after = self._reveal_after, None
        self.count_label.setText(saying)
        self.model.set_filters_in_background(self.current_filters(), self.runner,
                                             rows=range(self._rows_on_screen()))

    def _rows_on_screen(self) -> int:
        table = self.table
        return table.viewport().height() // max(table.verticalHeader().defaultSectionSize(),
                                                1) + 2

    def _show_bin_mode(self, on: bool) -> None:
        """The page acts on the rows shown: 恢复 for the 回收站's, 删除 and 打开 for the
        roster's."""
        self.bin_shown = on
        self._arrange_columns(on)
        if not on and COLUMNS[self.model.sort_column].key in BIN_COLUMNS:
            self.table.sortByColumn(0, Qt.AscendingOrder)  # (the column sorted by is gone)
        self.restore_button.setVisible(on)
        self.delete_button.setVisible(not on)
        self.new_button.setEnabled(not on and not self.read_only)
        # deleted firms are not opened for editing: restore first
        self.open_button.setEnabled(not on)
        self.open_button.setToolTip(self.tr("回收站中的企业请先恢复再打开") if on else "")

    def _arrange_columns(self, bin_shown: bool) -> None:
        """移入时间 and 操作人 in the 回收站, after the firm's name, in place of 所属产业链 and
        扶持金额合计 (each shown again on the roster if it was before)."""
        table = self.table
        if bin_shown:
            self._hidden_for_bin += [number for number, column in enumerate(COLUMNS)
                                     if column.key in ROSTER_ONLY
                                     and not table.isColumnHidden(number)]
            for number in self._hidden_for_bin:
                table.setColumnHidden(number, True)
        else:
            for number in self._hidden_for_bin:
                table.setColumnHidden(number, False)
            self._hidden_for_bin = []
        show_bin_columns(table, bin_shown)
        self.fill.fill()  # (the columns shown share the width anew)

    def _defaults_restored(self) -> None:
        self._hidden_for_bin = []  # (the default shows them all)
        if self.bin_shown:
            self._arrange_columns(True)

    def _show_count(self, n: int) -> None:
        if self.model.filters.deleted != self.bin_shown:  # (new rows: those it filtered)
            self._show_bin_mode(self.model.filters.deleted)
        total = ""
        if self.model.filters.search or self.filters.is_active():
            total = self.tr("（已筛选）")
        where = self.tr("回收站 ") if self.model.filters.deleted else ""
        self.count_label.setText(self.tr("%1共 %2 家%3").replace("%1", where)
                                 .replace("%2", f"{n:,}").replace("%3", total))
        self.count_changed.emit(n)
        self.row_fitter.request()  # 当前梯度 and 所属产业链 fitted to the new rows

    def refresh(self) -> None:
        """After a write anywhere (another program's too): re-run the query on the runner
        (the old rows stay meanwhile: a 100k roster took over a second on the GUI thread),
        then keep the selected firms, the current one and the firm at the top of the
        table where they are on screen."""
        self.filters.refresh_choices()
        if self.runner is None or self.runner.closed:
            selected = self.selected_ids()
            self.model.reload()
            for enterprise_id in selected[:1]:
                row = self.model.row_of(enterprise_id)
                if row >= 0:
                    self.table.selectRow(row)
            return
        table = self.table
        top = table.rowAt(0)
        selected, current, anchor = self._take_place()
        shown = self._rows_on_screen()
        self._moved = False
        self.model.reload_in_background(
            self.runner, about=[anchor if anchor is not None else -1,
                                current if current is not None else -1, *selected],
            rows=range(max(top, 0), max(top, 0) + shown))

    def _take_place(self) -> tuple[list[int], int | None, int | None]:
        """Where the officer is: kept in ``_place``; (selected, current, top firm)."""
        table, model = self.table, self.model
        top, selected = table.rowAt(0), self.selected_ids()
        current = model.enterprise_id(table.currentIndex().row())
        anchor = model.enterprise_id(top)
        self._place = (selected, current, anchor,
                       table.rowViewportPosition(top) if top >= 0 else 0,
                       table.verticalScrollBar().value())
        return selected, current, anchor

    def _officer_moved(self, *_args) -> None:
        if self.model.listing_pending and not self._restoring:
            self._moved = True

    def _arriving(self, listing: Listing) -> None:
        """Just before a listing is shown: if the officer clicked or scrolled since the
        refresh began, that place is kept, not the one the refresh started from (a context
        menu's 批量操作 or 删除 would apply to the old selection); its firms' rows in the
        new listing are found here (a scan of the ids, milliseconds at 100k)."""
        self._restoring = True
        if listing.keep_place and self._moved:
            selected, current, anchor = self._take_place()
            asked = {i for i in (anchor, current, *selected) if i is not None}
            listing.rows_of = {i: n for n, i in enumerate(listing.ids) if i in asked}
        self._moved = False

    def _listing_failed(self, message: str) -> None:
        self._restoring = self._moved = False
        if self.trash.isChecked() != self.model.filters.deleted:
            # the 回收站's firms (or the roster's) not read: the box says what is shown
            self.trash.blockSignals(True)
            self.trash.setChecked(self.model.filters.deleted)
            self.trash.blockSignals(False)
        self.filters.show_filters(self.model.filters)  # (the panel's choices, likewise)
        self._reveal_after = None  # (not read: the old rows stay, the new firm not in them)
        self._select_pending()
        if self._waiting is not None:  # asked of the list not read: not done on the old rows
            what, self._waiting = self._waiting[1], None
            message = self.tr("%1（列表未能读出，未%2）").replace("%1", message).replace(
                "%2", what)
            self.waiting_changed.emit("")
            self.notice.emit(message)  # (the officer may be on another page)
        self.count_label.setText(message)

    def _listing_dropped(self) -> None:
        """A query run here replaced the refresh's listing: a firm waiting for it is
        selected if the new list has it (nothing the officer typed is cleared)."""
        self._restoring = self._moved = False
        if self._reveal_after is not None:
            self._select_after, self._reveal_after = self._reveal_after, None
        self._select_pending()
        if self._waiting is not None:  # once the query replacing it has shown its rows
            QTimer.singleShot(0, self._run_waiting)

    def _select_pending(self) -> None:
        firm, self._select_after = self._select_after, None
        if firm is not None and (row := self.model.row_of(firm)) >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _listed(self, listing: Listing) -> None:
        """A refresh's listing is shown: the officer's place back (the reset lost it)."""
        try:
            if listing.keep_place:
                self._keep_place(listing)
        finally:
            self._restoring = False
        self.refreshed.emit()
        if self._reveal_after is not None:
            self.reveal(self._reveal_after)
        else:
            self._select_pending()
        self._run_waiting()  # (on the rows, and the selection, now shown)

    def _keep_place(self, listing: Listing) -> None:
        selected, current, anchor, offset, value = self._place
        rows_of, model, table = listing.rows_of, self.model, self.table
        bar = table.verticalScrollBar()
        # the scroll bar's range is the old list's until the delayed layout: laid out now,
        # or a list grown by many firms clamps the value (the top firm not kept)
        table.doItemsLayout()
        selection, last_column = QItemSelection(), model.columnCount() - 1
        chosen = sorted({rows_of[i] for i in selected if i in rows_of})
        start = None
        for n, row in enumerate(chosen):  # runs of rows: one range each (Ctrl+A: one)
            if start is None:
                start = row
            if n + 1 == len(chosen) or chosen[n + 1] != row + 1:
                selection.select(model.index(start, 0), model.index(row, last_column))
                start = None
        selections = table.selectionModel()
        selections.select(selection, QItemSelectionModel.ClearAndSelect
                          | QItemSelectionModel.Rows)
        if current in rows_of:
            selections.setCurrentIndex(model.index(rows_of[current], 0),
                                       QItemSelectionModel.NoUpdate)
        # the place last: a current row off screen scrolls the table to itself (Qt's
        # autoScroll), which put the list back at its top after a reconnection (tester27:
        # row 1 selected, the officer had scrolled to row 46 meanwhile)
        if anchor in rows_of:  # the same firm at the top, as far into its row as before
            row = rows_of[anchor]
            if table.verticalScrollMode() == QAbstractItemView.ScrollPerPixel:
                bar.setValue(table.verticalHeader().sectionPosition(row) - offset)
            else:
                bar.setValue(row)
        else:
            bar.setValue(value)

    # --- actions on the rows shown --------------------------------------------------------
    def when_listed(self, action: Callable[[], Any], what: str, *,
                    selection: bool = False) -> Any:
        """Run ``action`` (导出当前列表, 删除, 恢复, a 批量操作 …) on the rows of the filters
        the officer chose: at once when those are the rows shown, else once the list still
        read on the runner is shown (the count, and the main window's status bar, say what
        waits). The old rows on screen meanwhile are not those asked for: a 导出 wrote them
        under the new filters' title. One action waits at a time: another asked meanwhile
        is not done, and the officer is told so (it replaced the first without a word:
        删除, then 导出当前列表, dropped the 删除). ``selection``: the action takes the
        selected firms; a new list shown from its top has none selected, and the officer is
        told to choose again. A list that cannot be read drops the action (the old filters
        are back; the count says so). Returns what ``action`` does when run at once, else
        None."""
        if not self.model.listing_pending:
            self._waiting = None
            return action()
        if self._waiting is not None and self._waiting[1] != what:
            MessageDialog.info(self, what, self.tr(
                "列表还在按新的筛选条件读取，读出后将%1；%2未进行。\n请在列表显示后再%2。")
                .replace("%1", self._waiting[1]).replace("%2", what))
            return None
        self._waiting = (action, what, selection)  # (the same asked again: once)
        said = self.tr("正在读取列表，读出后%1……").replace("%1", what)
        self.count_label.setText(said)
        self.waiting_changed.emit(said)
        return None

    def _run_waiting(self) -> None:
        if self._waiting is None or self.model.listing_pending:
            return
        action, what, selection = self._waiting
        self._waiting = None
        self.waiting_changed.emit("")
        if selection and not self.selected_ids():
            MessageDialog.info(self, what, self.tr(
                "列表已按新的筛选条件显示，其中没有选中的企业，未%1。\n请在列表中选择企业后再%1。")
                .replace("%1", what))
            return
        action()

    # --- columns ------------------------------------------------------------------------
    def set_column_visible(self, number: int, visible: bool) -> None:
        self.comforts.set_column_visible(number, visible)

    def describe_filters(self) -> str:
        parts = [self.tr("回收站")] if self.bin_shown else []
        if self.search.text().strip():
            parts.append(self.tr("搜索：%1").replace("%1", self.search.text().strip()))
        parts.append(self.filters.describe())
        return "；".join(part for part in parts if part)

    def _row_actions(self) -> list[QAction]:
        """恢复 in the 回收站; on the roster, moving to the 回收站 is the bulk action's
        (undone as one batch) in the 批量操作 submenu, or the Delete key."""
        if not self.bin_shown:
            return []
        action = QAction(self.tr("恢复"))
        action.triggered.connect(self.restore_selected)
        action.setEnabled(bool(self.selected_ids()) and not self.read_only)
        return [action]

    # --- selection and actions ----------------------------------------------------------
    def selected_ids(self) -> list[int]:
        # from the selection's ranges: selectedRows() asked the model for every cell of
        # every selected row (Ctrl+A on 100,000 firms: 800,000 indexes)
        rows = selected_rows(self.table)
        return [self.model.ids[r] for r in rows if r < len(self.model.ids)]

    def selected_codes(self) -> list[str]:
        """The credit codes of the selected firms, in the order shown."""
        rows = selected_rows(self.table)
        codes = (self.model.row(r).get("credit_code") for r in rows if r < len(self.model.ids))
        return [code for code in codes if code]

    def screen_filters(self) -> dict:
        """The filters on screen as a report takes them (for 导出报表), with the selected
        firms' codes for 企业档案."""
        shown = self.current_filters()
        values = {name: getattr(shown, name) for name in
                  ("tier", "level", "county", "town", "chain", "year", "status")}
        codes = self.selected_codes()
        if codes:
            values["code"] = "，".join(codes)
        return values

    def filters_described(self) -> str:
        """The filter panel's choices in words (县（市、区）：武进区；梯度：小巨人)."""
        return self.filters.describe()

    def _activated(self, index: QModelIndex) -> None:
        enterprise_id = self.model.enterprise_id(index.row())
        if enterprise_id is not None and not self.bin_shown:
            self.open_requested.emit(enterprise_id)

    def row_menu(self) -> QMenu:
        """The right-click menu of the selected rows (built anew each time)."""
        return self.comforts.row_menu()

    def _bulk_submenu(self) -> list[QAction]:
        """批量操作（已选 N 家） with the actions the main window hung on the roster."""
        if not self.row_actions or self.bin_shown:
            return []
        holder = QAction(self.tr("批量操作（已选 %1 家）").replace(
            "%1", f"{len(self.selected_ids()):,}"))
        submenu = QMenu(self)
        for action in self.row_actions:
            submenu.addAction(action)
        holder.setMenu(submenu)
        holder.destroyed.connect(submenu.deleteLater)
        return [holder]

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._activated(index)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.KeyPress \
                and event.key() == Qt.Key_Tab and self.search_timer.isActive():
            self.apply_filters()  # the list Tab goes to is that of the words typed
        if watched is self.search and event.type() == QEvent.KeyPress \
                and event.key() in (Qt.Key_Down, Qt.Key_PageDown) and self.model.rowCount():
            if self.search_timer.isActive():
                self.apply_filters()
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return True
        if watched is self.table and event.type() == QEvent.KeyPress \
                and event.key() == Qt.Key_Delete:
            self._delete_key()
            return True
        return super().eventFilter(watched, event)

    def _delete_key(self) -> None:
        if self.bin_shown:
            return
        self.delete_selected()

    def delete_selected(self) -> Task | None:
        """Ask, then move the selected firms to the 回收站. A login limited to some counties
        is told up front how many of the selection are other counties' and skipped (read off
        the GUI thread first), and nothing is asked when none is his. While the list of a
        new filter is read, once it is shown (when_listed)."""
        if not self.selected_ids() or self.read_only:
            return None
        return self.when_listed(self._delete_selected, self.tr("删除"), selection=True)

    def _delete_selected(self) -> Task | None:
        ids = self.selected_ids()
        rights = self.database.rights
        if rights.counties is None:  # (a file, an admin: every firm)
            self._confirm_delete(SelectionRights(len(ids), ids))
            return None
        self.checking = run_operation(
            self, self.runner, self.tr("删除企业"),
            in_session(self.database, lambda session: split_by_rights(session, ids, rights)),
            on_success=self._confirm_delete)
        return self.checking

    def _confirm_delete(self, split: SelectionRights) -> None:
        if not split.allowed:
            MessageDialog.info(self, self.tr("删除企业"),
                               split.none_allowed(self.database.rights) + self.tr("没有删除。"))
            return
        ids = split.allowed
        names = [self.model.row(row).get("name", "") for row in
                 (self.model.row_of(i) for i in ids[:3]) if row >= 0]
        note = split.skip_note()
        text = self.tr("把 %1 家企业移到回收站？\n%2").replace("%1", str(len(ids))).replace(
            "%2", (note + "。\n" if note else "") + "\n".join(names)
            + ("\n……" if len(ids) > 3 else ""))
        if not ConfirmDialog.ask(self, self.tr("删除企业"), text):
            return
        self._write(self.tr("删除失败"), ids, enterprises.soft_delete)

    def _select_near(self, row: int) -> None:
        """After rows left the list: the row that took their place (the next), else the last."""
        count = self.model.rowCount()
        if count == 0 or row < 0:
            return
        row = min(row, count - 1)
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def restore_selected(self) -> Task | None:
        """恢复 as a batch (bulk action 从回收站恢复), like 移入回收站: said in the status bar
        with the firms' names, and undone as a batch (撤销上次批量操作, 导入记录). While the
        list of a new filter is read, once it is shown (when_listed)."""
        if not self.selected_ids() or self.read_only:
            return None
        return self.when_listed(self._restore_selected, self.tr("恢复"), selection=True)

    def _restore_selected(self) -> Task | None:
        ids = self.selected_ids()
        rights = self.database.rights
        if rights.counties is None:  # (a file, an admin: every firm)
            return self._restore(SelectionRights(len(ids), ids))
        # as 删除: other counties' firms (an editor sees every county's 回收站) are said up
        # front, not skipped by the bulk preview under "已不在回收站中"
        self.checking = run_operation(
            self, self.runner, self.tr("恢复企业"),
            in_session(self.database, lambda session: split_by_rights(session, ids, rights)),
            on_success=self._restore)
        return self.checking

    def _restore(self, split: SelectionRights) -> Task | None:
        if not split.allowed:
            MessageDialog.info(self, self.tr("恢复企业"),
                               split.none_allowed(self.database.rights) + self.tr("没有恢复。"))
            return None
        ids, note = split.allowed, split.skip_note()
        user = self.settings.officer or None

        def restore(session):
            # a job: on a server it waits while a colleague writes in one of the firms'
            # counties, and the wait is shown with 取消 (as an import's is)
            return bulk.apply_steps(session, "restore", ids, {}, user=user)

        waiting = LockWait(self, self.tr("恢复企业"), self.count_label)
        task = self._write(self.tr("恢复失败"), ids, restore,
                           done=lambda result: self._restored(result, note), waiting=waiting)
        waiting.task = task
        return task

    def _restored(self, result: bulk.BulkResult, note: str = "") -> None:
        text = result.summary(self.tr("可用“批量操作 → 撤销上次批量操作”或在“导入记录”中撤销"))
        if note:  # 所选 3 家中 1 家属于其他县区（溧阳市 1 家），未恢复
            text += self.tr("（%1，未恢复）").replace("%1", note.removesuffix("，将跳过"))
        self.notice.emit(text)
        if result.batch_id is not None:
            self.restored.emit(result)

    def _neighbour(self, ids: list[int]) -> int | None:
        """The firm that takes the place of ``ids`` when they leave the list: the next one
        listed after the first of them, else the one before."""
        leaving, listed = set(ids), self.model.ids
        first = self.model.row_of(ids[0])
        if first < 0:
            return None
        after = next((i for i in listed[first:] if i not in leaving), None)
        if after is not None:
            return after
        return next((i for i in reversed(listed[:first]) if i not in leaving), None)

    def _write(self, title: str, ids: list[int], action, *, done=None,
               waiting: LockWait | None = None) -> Task:
        """Delete or restore the firms on the runner (a busy database must not freeze the
        window); afterwards the list is read again on the runner as after any write (it
        was re-read here, on the GUI thread: 0.25 s at 100k firms) and the firm that took
        their place is selected."""
        first_row, user = self.model.row_of(ids[0]), self.settings.officer or None
        neighbour = self._neighbour(ids)

        def write(session):
            if done is not None:  # (an action on the whole selection)
                return action(session)
            for enterprise_id in ids:
                action(session, enterprise_id, user=user)
            return None

        def written(outcome) -> None:
            if done is not None:
                done(outcome)
            if self.runner is None or self.runner.closed:  # (no runner to read on)
                self.model.reload()
                self._select_near(first_row)
                return
            self._select_after = neighbour  # selected once the new list is shown
            # (the main window's refresh for the write has begun it already, else here)
            if not self.model.listing_pending:
                self.refresh()

        def ended(was_written: bool) -> None:
            if waiting is not None:
                waiting.finished()
            self._write_done(was_written)

        self.saving = save_from_page(
            self, self.runner, self.database, title, write, status=self.count_label,
            changes=Changes(enterprises=True), on_saved=written, on_done=ended,
            on_progress=None if waiting is None else waiting.progressed,
            on_cancelled=None if waiting is None else lambda: self.notice.emit(
                self.tr("已取消恢复，没有恢复任何企业")))
        return self.saving

    def _write_done(self, written: bool) -> None:
        self.saving = None
        self.table.setFocus()  # disabling the page dropped it
        self.save_finished.emit(written)

    def reveal(self, enterprise_id: int) -> bool:
        """Show and select this firm (a new one just saved): when the search or a filter
        hides it, they are cleared so that it is in the list. While a refresh is read, once
        its listing is in (the firm is likely not in the old one)."""
        self._reveal_after = self._select_after = None
        if self.model.listing_pending:
            self._reveal_after = enterprise_id
            return True
        if self.model.row_of(enterprise_id) < 0:
            for widget in (self.search, self.trash, self.filters):
                widget.blockSignals(True)
            self.search.clear()
            self.trash.setChecked(False)  # (the buttons follow the rows: _show_count)
            self.filters.clear()
            for widget in (self.search, self.trash, self.filters):
                widget.blockSignals(False)
            self.model.filters.columns = ()
            self.apply_filters()
        row = self.model.row_of(enterprise_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def show_filtered(self, **values) -> None:
        """From the dashboard: e.g. all 小巨人 in force."""
        self.trash.setChecked(False)
        self.filters.blockSignals(True)
        self.filters.clear()
        self.filters.select(**values)
        self.filters.blockSignals(False)
        self._filters_changed()



