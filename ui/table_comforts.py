"""What an officer expects of every table, as in WPS/Excel, attached to a QTableView:

- Shift/Ctrl-click and Ctrl+A select rows; Ctrl+C (or 复制 in the right-click menu) puts
  them on the clipboard as tab-separated text with the header row, the visible columns in
  the order shown; 复制信用代码 where the table has the column; 打开 and the view's row
  actions in the same menu (``add_actions`` is the hook for more, e.g. bulk actions);
- the header's right-click menu shows and hides columns, filters a column by typing (where
  the model can) and has 恢复默认列; widths, order, hidden columns and sort are remembered
  per table across restarts;
- the selection's count and the sums of its amount columns for the status bar
  (``summary_changed``);
- 导出当前列表: the rows in view, as shown, to .xlsx on the background runner
  (ui.current_list_export).

Models may offer, by duck typing: ``VALUE_ROLE`` data (a cell's raw value, for sums and the
export), ``is_amount(column)`` and ``set_column_filter(column, text)`` /
``column_filter(column)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QMenu,
    QTableView,
    QWidgetAction,
)

from tiers.reports.current_list import ListColumn
from ui import table_reading
from ui.app_settings import AppSettings
from ui.background_runner import BackgroundRunner, Task
from ui.current_list_export import CurrentListExport
from ui.enter_key import RowEnter
from ui.fill_column import FILLING
from ui.header_state import saved_column_count
from ui.large_selection import (
    ON_RUNNER,
    LargeSelection,
    clean_cell,
    clipboard_contents,
    codes_contents,
    put_on_clipboard,
)
from ui.table_reading import (
    amount_columns,
    header_titles,
    selected_rows,
    selection_summary,
    shown_rows,
    visible_columns,
)

USER_WIDTHS = "tiers_user_widths"  # a table property: widths chosen by the user, keep them
CREDIT_CODE_TITLES = ("信用代码", "统一社会信用代码")

ActionsProvider = Callable[[], list[QAction]]
# For a table whose rows are fetched on demand (the 企业库): given the visible logical
# columns and which of them are amounts, a function run on the background runner that
# returns every row in view (texts as shown, amounts as numbers).
RowsJob = Callable[[list[int], set[int]], Callable[[], list[list[Any]]]]


class TableComforts(QObject):
    """Attach once per table: ``TableComforts(table, "measures", settings, …)``."""

    summary_changed = Signal(str)

    def __init__(self, table: QTableView, name: str, settings: AppSettings | None, *,
                 title: str = "", open_row: Callable[[int], None] | None = None,
                 row_actions: ActionsProvider | None = None,
                 describe: Callable[[], str] | None = None,
                 runner: BackgroundRunner | None = None,
                 rows_job: RowsJob | None = None, unit: str = "行") -> None:
        super().__init__(table)
        self.table, self.name, self.settings = table, name, settings
        self.title = title or name
        self.open_row, self.describe, self.runner = open_row, describe, runner
        self.rows_job = rows_job
        self.unit = unit  # what a row is, for the status bar's 当前列表 (家, 项)
        self.providers: list[ActionsProvider] = [row_actions] if row_actions else []
        self.list_export = CurrentListExport(self)
        # runs an action on the rows in view (导出当前列表; what it is, in words) once they are
        # those the officer asked for: at once here; the 企业库 waits for a filter's list
        # still read on the runner (RosterView.when_listed)
        self.when_ready: Callable[[Callable[[], Any], str], Any] = \
            lambda action, _what: action()
        # what a column of the table's own saves with the header's state, and applies
        # again on 恢复默认列 (the 县区 column: ui.county_column)
        self.state_saved: list[Callable[[], None]] = []
        # False while the table shows an arrangement of its own that is not to be kept as
        # the officer's (企业库's 回收站: its columns in place of two of the roster's)
        self.keeps_state: Callable[[], bool] = lambda: True
        self.defaults_restored: list[Callable[[], None]] = []
        self.restored = False  # the header was restored from a state saved for this table
        # how 恢复默认列 fits the widths again (a long list fits them to the texts its read
        # picked: ui.column_fit)
        self.fit: Callable[[], None] = lambda: fit_columns(table)
        # a table whose rows are fetched on demand copies and sums a large selection on
        # the runner (ui.large_selection), not block by block on the GUI thread
        self.large = (LargeSelection(table, runner, rows_job, self.summary_changed.emit)
                      if runner is not None and rows_job is not None
                      and hasattr(table.model(), "prefetch") else None)
        table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        # rows are read, not typed into: Tab moves on to the next control and Ctrl+Tab
        # to the next tab (arrows move within the table), so the keyboard is never trapped
        table.setTabKeyNavigation(False)
        table.setContextMenuPolicy(Qt.CustomContextMenu)
        table.customContextMenuRequested.connect(self._row_menu)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        table.installEventFilter(self)
        # Enter opens the row (as a double-click does) and is not the window's Enter too
        self.row_enter = RowEnter(table)
        self.default_state = header.saveState()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(300)
        self._save_timer.timeout.connect(self.save_state)
        self._restore_state()
        header.sectionResized.connect(self._resized)
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        if table.selectionModel() is not None:
            table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.model().modelReset.connect(self._selection_changed)

    # --- hooks --------------------------------------------------------------------------
    def add_actions(self, provider: ActionsProvider) -> None:
        """More actions for the right-click menu, asked for each time it opens (a bulk
        action on the selected firms, for instance)."""
        self.providers.append(provider)

    # --- copy ---------------------------------------------------------------------------
    def copy(self) -> str | Task:
        """The selected rows on the clipboard (a large selection: a Task that puts them
        there once read on the runner)."""
        rows = selected_rows(self.table)
        if not rows:
            return ""
        if self.large is not None and len(rows) > ON_RUNNER:
            columns = visible_columns(self.table)
            heads = header_titles(self.table, columns)
            return self.large.copy(rows, columns,
                                   lambda shown: clipboard_contents(heads, shown))
        if self.large is not None:
            self.large.drop_copy()  # this one, made now, is the latest
        clip = clipboard_contents(*shown_rows(self.table, rows))
        put_on_clipboard(clip)
        return clip[0]

    def credit_code_column(self) -> int | None:
        model = self.table.model()
        for column in range(model.columnCount()):
            if clean_cell(model.headerData(column, Qt.Horizontal, Qt.DisplayRole)) \
                    in CREDIT_CODE_TITLES:
                return column
        return None

    def copy_credit_codes(self) -> str | Task:
        column, model = self.credit_code_column(), self.table.model()
        if column is None:
            return ""
        rows = selected_rows(self.table)
        if self.large is not None and len(rows) > ON_RUNNER:
            return self.large.copy(rows, [column], codes_contents)
        if self.large is not None:
            self.large.drop_copy()
        clip = codes_contents([[model.data(model.index(row, column), Qt.DisplayRole)]
                               for row in rows])
        if clip[0]:
            put_on_clipboard(clip)
        return clip[0].removesuffix("\r\n")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and event.type() == QEvent.KeyPress \
                and event.matches(QKeySequence.Copy):
            self.copy()
            return True
        return super().eventFilter(watched, event)

    # --- menus --------------------------------------------------------------------------
    def row_menu(self) -> QMenu:
        menu = QMenu(self.table)
        has_rows = bool(selected_rows(self.table))
        copy = menu.addAction(self.tr("复制"), self.copy)
        copy.setShortcut(QKeySequence.Copy)
        copy.setEnabled(has_rows)
        if self.credit_code_column() is not None:
            menu.addAction(self.tr("复制信用代码"), self.copy_credit_codes).setEnabled(has_rows)
        if self.open_row is not None:
            current = self.table.currentIndex()
            action = menu.addAction(self.tr("打开"), lambda: self.open_row(current.row()))
            action.setEnabled(current.isValid())
        extra = [action for provider in self.providers for action in provider()]
        if extra:
            menu.addSeparator()
            for action in extra:
                action.setParent(menu)  # built for this menu: deleted with it
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tr("导出当前列表…"), self.export_current_list)
        return menu

    def _row_menu(self, position) -> None:
        self.row_menu().exec(self.table.viewport().mapToGlobal(position))

    def column_menu(self, column: int = -1) -> QMenu:
        menu, model = QMenu(self.table), self.table.model()
        shown = visible_columns(self.table)
        applies = getattr(model, "column_applies", lambda _column: True)
        for number in range(model.columnCount()):
            if not applies(number):  # (the 回收站's own columns, on the roster)
                continue
            title = clean_cell(model.headerData(number, Qt.Horizontal, Qt.DisplayRole))
            action = QAction(title, menu, checkable=True)
            action.setChecked(not self.table.isColumnHidden(number))
            # the last shown column cannot be hidden: a table without columns has no header
            action.setEnabled(shown != [number])
            action.toggled.connect(lambda on, n=number: self.set_column_visible(n, on))
            menu.addAction(action)
        can_filter = getattr(model, "can_filter", lambda _column: True)
        if column >= 0 and hasattr(model, "set_column_filter") and can_filter(column):
            menu.addSeparator()
            title = clean_cell(model.headerData(column, Qt.Horizontal, Qt.DisplayRole))
            box = QLineEdit(menu)
            box.setPlaceholderText(self.tr("筛选“%1”：输入文字后回车").replace("%1", title))
            box.setFixedWidth(box.fontMetrics().horizontalAdvance(box.placeholderText()) + 56)
            box.setText(model.column_filter(column))
            box.setClearButtonEnabled(True)
            box.returnPressed.connect(lambda: (self.filter_column(column, box.text()),
                                               menu.close()))
            holder = QWidgetAction(menu)
            holder.setDefaultWidget(box)
            menu.addAction(holder)
            if any(model.column_filter(c) for c in range(model.columnCount())):
                menu.addAction(self.tr("清除所有列筛选"), self.clear_column_filters)
        menu.addSeparator()
        menu.addAction(self.tr("恢复默认列"), self.restore_default_columns)
        return menu

    def _column_menu(self, position) -> None:
        header = self.table.horizontalHeader()
        self.column_menu(header.logicalIndexAt(position)).exec(header.mapToGlobal(position))

    # --- columns --------------------------------------------------------------------------
    def set_column_visible(self, column: int, visible: bool) -> None:
        self.table.setColumnHidden(column, not visible)
        self.save_state()

    def filter_column(self, column: int, text: str) -> None:
        self.table.model().set_column_filter(column, text.strip())
        self._selection_changed()

    def clear_column_filters(self) -> None:
        model = self.table.model()
        for column in range(model.columnCount()):
            if model.column_filter(column):
                model.set_column_filter(column, "")

    def _resized(self, column: int = -1, *_args) -> None:
        # the user drags with the mouse button down; the program's own sizing has none, and
        # a stretched last column follows the window's edge, which is no choice of width
        if QGuiApplication.mouseButtons() & Qt.LeftButton \
                and not self._stretched(column):
            self.table.setProperty(USER_WIDTHS, True)
        self._save_timer.start()

    def _stretched(self, column: int) -> bool:
        """The column is the last one shown and the header stretches it to the width, or
        the one being given a wide screen's spare room (ui.fill_column)."""
        header = self.table.horizontalHeader()
        if self.table.property(FILLING):
            return True
        if not header.stretchLastSection():
            return False
        for visual in reversed(range(header.count())):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical == column
        return False

    def _restore_state(self) -> None:
        if self.settings is None:
            return
        state = self.settings.table_state(self.name)
        header = self.table.horizontalHeader()
        # the widths the program has just fitted to these rows (a table fitted before its
        # comforts are attached, such as 变更记录: the saved state holds the widths fitted to
        # the rows of the last firm opened, and cut 扶持措施 to “扶持…”)
        fitted = [header.sectionSize(column) for column in range(header.count())]
        if state is not None and saved_column_count(state) != header.count():
            state = None  # saved before the table gained (or lost) a column: start afresh
        # whether the last column fills the width is the program's choice, not the user's
        stretch = header.stretchLastSection()
        if state is not None and header.restoreState(state):
            self.restored = True
            header.setStretchLastSection(stretch)
            chosen = self.settings.table_widths_chosen(self.name)
            self.table.setProperty(USER_WIDTHS, chosen)
            if not chosen:  # order, hidden columns and sort are restored; widths refitted
                for column, width in enumerate(fitted):
                    if width > 0 and not header.isSectionHidden(column):
                        header.resizeSection(column, width)

    def save_state(self) -> None:
        self._save_timer.stop()
        if self.settings is not None and self.keeps_state():
            self.settings.set_table_state(self.name, self.table.horizontalHeader().saveState(),
                                          widths_chosen=bool(self.table.property(USER_WIDTHS)))
            for also in self.state_saved:
                also()

    def restore_default_columns(self) -> None:
        self.table.horizontalHeader().restoreState(self.default_state)
        self.table.setProperty(USER_WIDTHS, False)
        self.restored = False
        if self.settings is not None:
            self.settings.set_table_state(self.name, None)
        for again in self.defaults_restored:
            again()
        self.fit()

    # --- the status bar ------------------------------------------------------------------
    def _selection_changed(self, *_args) -> None:
        rows = selected_rows(self.table)
        amounts = [c for c in amount_columns(self.table) if not self.table.isColumnHidden(c)]
        if self.large is None or len(rows) <= table_reading.SUM_LIMIT or not amounts:
            if self.large is not None:
                self.large.forget()
            self.summary_changed.emit(selection_summary(self.table, rows))
            return
        titles = header_titles(self.table, amounts)
        self.large.sums(rows, amounts, titles, selection_summary(self.table, rows))

    # --- 导出当前列表 (ui.current_list_export) ---------------------------------------------
    def current_list(self) -> tuple[list[ListColumn], Callable[[], list[list[Any]]]]:
        return self.list_export.current_list()

    def description(self) -> str:
        return self.list_export.description()

    def export_current_list(self, path: str = "") -> Task | Path | None:
        return self.list_export.export(path)


def widths_chosen(view: QTableView) -> bool:
    """The user has dragged this table's column widths: the program leaves them alone."""
    return bool(view.property(USER_WIDTHS))


def fit_columns(view: QTableView, maximum: int = 260) -> None:
    """Size a table's columns to their contents, but no column wider than ``maximum`` (a
    long 认定单位 would push the rest off screen; the tooltip has the full text) — unless
    the user has set the widths, which are then kept."""
    if widths_chosen(view):
        return
    # the program's sizing, not a drag: the page is often refreshed while the mouse button
    # that chose it (导入记录 in the page list) is still down, and these widths were then
    # kept as the officer's own, never fitted to the width again (结果 and 状态 cut at 1366
    # and 1920 beside a blank half of the table)
    filling = view.property(FILLING)
    view.setProperty(FILLING, True)
    try:
        view.resizeColumnsToContents()
        for column in range(view.model().columnCount()):
            if view.columnWidth(column) > maximum:
                view.setColumnWidth(column, maximum)
    finally:
        view.setProperty(FILLING, filling)
