"""Choose one enterprise by typing part of its name, code or pinyin initials.

With the window's runner the list of all firms and the search index over them are read in
the background as the picker opens (as the roster's are); a search typed before they are in
is read there too (ui.picker_search), never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiers.services import enterprises
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner
from ui.enterprise_table_model import EnterpriseTableModel
from ui.operations import run_operation
from ui.picker_search import PickerSearch
from ui.screen_fit import resize_to_fit


class PickedFirm(NamedTuple):
    id: int
    name: str  # as the list showed it (the caller need not read it again), or "" if unshown


class EnterprisePickerDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None,
                 title: str = "选择企业", *, runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.runner = runner
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入企业名称、信用代码或拼音首字母"))
        # with a runner, the first listing (the sorted ids of every firm: half a second at
        # 100k) and the search index are read there, as the roster's are
        self.model = EnterpriseTableModel(database, self, runner=runner, load=runner is None)
        if runner is not None:
            self.model.load_in_background(runner)  # (before the index: the runner is a queue)
            self.model.warm_search(runner)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        for column in range(5, self.model.columnCount()):
            self.table.setColumnHidden(column, True)
        self.table.setColumnWidth(0, 280)
        self.table.setColumnWidth(1, 160)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.notice = QLabel()  # 正在查找……, or why a search failed
        # (by signals: the search holds nothing of the dialog, so that a picker let go is
        # destroyed at once, never by Python's cycle collector in the middle of a paint)
        self.searching = PickerSearch(self, self.model, runner)
        self.searching.found.connect(self._found)
        self.searching.failed.connect(self._failed)
        self.searching.ended.connect(self._search_ended)
        # Enter pressed while the matches of this text were read on the runner: picked
        # when they arrive, not when another text's do (typed on after Enter)
        self.accept_for: str | None = None
        self.search_timer = timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(150)
        timer.timeout.connect(self._search)
        self.search.textChanged.connect(timer.start)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        # the five columns shown fit without a horizontal scroll, where the screen has room
        resize_to_fit(self, 860, 480)

    def _search(self) -> None:
        self.search_timer.stop()
        self.searching.search(self.search.text())
        if self.searching.pending:  # the runner may be busy with another's work a while
            self.notice.setText(self.tr("正在查找……"))

    def _found(self, text: str) -> None:
        self.notice.clear()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            # Enter in the search box picks the first match without a click
            self.table.selectRow(0)
        wanted, self.accept_for = self.accept_for, None
        if wanted is not None and wanted == text == self.search.text():
            self.accept()

    def _failed(self, text: str, message: str) -> None:
        self.notice.setText(self.tr("未能查找“%1”：%2（按回车重试）")
                            .replace("%1", text).replace("%2", message))

    def _search_ended(self) -> None:
        """The search failed or was cancelled: Enter no longer waits for it."""
        self.accept_for = None
        if self.notice.text() == self.tr("正在查找……"):
            self.notice.clear()

    def _activated(self, index: QModelIndex) -> None:
        """A row double-clicked (or Enter in the list): that firm, whatever is still being
        searched for."""
        self.search_timer.stop()
        self.searching.drop()
        self.accept_for = None
        self.table.selectRow(index.row())
        super().accept()

    def accept(self) -> None:
        if self.search_timer.isActive():  # typed, then Enter before the search ran
            self._search()
        text = self.search.text()
        if not self.searching.pending and self.searching.shown_for != text:
            self._search()  # its search failed (the rows shown are another text's): again
        if self.searching.pending:  # the matches are read on the runner: Enter waits
            self.accept_for = text  # for them (the list in view is another's)
            return
        if self.chosen() is None and self.model.rowCount():
            self.table.selectRow(0)
        if self.chosen() is None:
            return  # nothing matches: stay open rather than pick nothing silently
        super().accept()

    def done(self, result: int) -> None:
        self.model.stop_warming()
        self.searching.drop()  # a search still queued is not run for a closed picker
        super().done(result)

    def chosen(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.enterprise_id(index.row()) if index.isValid() else None

    def chosen_name(self) -> str:
        return self._chosen_column(0)

    def chosen_code(self) -> str:
        return self._chosen_column(1)

    def chosen_county(self) -> str:
        return self._chosen_column(2)

    def _chosen_column(self, column: int) -> str:
        index = self.table.currentIndex()
        return (self.model.index(index.row(), column).data() or "") if index.isValid() else ""

    def picked(self) -> PickedFirm | None:
        """The firm chosen, with its name when the list has built its row; an empty name when
        it has not (typed, then Enter: the row never painted): the caller reads it on the
        runner rather than this reading it on the GUI thread."""
        index = self.table.currentIndex()
        enterprise_id = self.chosen()
        if enterprise_id is None:
            return None
        # (without a runner, a picker in a test or the CLI, nobody waits on a GUI thread)
        row = self.model.cached(index.row()) if self.runner else self.model.row(index.row())
        return PickedFirm(enterprise_id, str(row.get("name") or "") if row else "")

    @classmethod
    def pick_firm(cls, database: Database, parent: QWidget | None = None,
                  title: str = "选择企业", *, runner: BackgroundRunner | None = None
                  ) -> PickedFirm | None:
        """The firm picked and its name (the list has it: 产业链's 加入企业 read it again in
        a session on the GUI thread), or None."""
        dialog = cls(database, parent, title, runner=runner)
        try:
            return dialog.picked() if dialog.exec() == QDialog.Accepted else None
        finally:  # not kept as a hidden child of the page, with every firm's id and index
            dialog.deleteLater()

    @classmethod
    def pick(cls, database: Database, parent: QWidget | None = None,
             title: str = "选择企业", *, runner: BackgroundRunner | None = None) -> int | None:
        picked = cls.pick_firm(database, parent, title, runner=runner)
        return picked.id if picked is not None else None


def with_name(parent: QWidget, database: Database, runner: BackgroundRunner | None,
              firm: PickedFirm, use: Callable[[PickedFirm], None]) -> None:
    """``use(firm)`` with its name: now when the picker gave it, else once the runner has
    read it (without a runner, a page in a test, read here)."""
    if firm.name:
        use(firm)
        return

    def read(_task=None) -> PickedFirm:
        with database.session() as session:
            return PickedFirm(firm.id, enterprises.get(session, firm.id).name)

    if runner is None:
        use(read())
    else:
        run_operation(parent, runner, parent.tr("读取企业名称"), read, on_success=use)
