"""数据核查 in the client (批量操作 → 数据核查…), the desktop face of ``tiers check``: every
finding (tiers.queries.data_check: 复核 records dated to the year of the batch they renew,
firms whose stored credit code the code check now refuses) is read off the GUI thread and
listed in one table, each with what is wrong and its fix. 全部更正 corrects the 复核 records
through the same core call as ``tiers check --fix`` (services.review_check: one transaction,
one batch that 撤销上次批量操作 or 导入记录 undoes, the login's counties only), off the GUI
thread with its progress and 取消; then what was corrected, and what was left and why, is
said. A credit code cannot be guessed: a double click on a row (or Enter on it) opens the firm's window,
where the officer corrects it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.queries.data_check import Finding, Kind, by_kind, findings
from tiers.services.review_check import LABEL, MisdatedCorrection, correct_misdated_reviews_steps
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import EnterStaysInViews, RowEnter
from ui.lock_wait import TaskWindow
from ui.operations import Changes, in_session, run_operation
from ui.screen_fit import resize_to_fit

CHANGES = Changes.everything()  # 认定 on the firms' pages, the roster's 有效期, 导入记录
TITLE = "数据核查"


class FindingsDialog(QDialog):
    """The findings, one row each, kind by kind; 全部更正 (greyed, with why, for a viewer;
    hidden when nothing listed can be corrected so) accepts; a double click on a row, or Enter
    on the current row, closes
    the list with that firm chosen (``chosen``: its id), to be opened."""

    def __init__(self, found: list[Finding], refusal: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(TITLE))
        self.found = found
        self.chosen: int | None = None
        fixable = [f for f in found if f.fixable]
        summary = QLabel("\n".join(self._said(kind, listed) for kind, listed in by_kind(found)))
        summary.setWordWrap(True)
        headers = [self.tr("企业名称"), self.tr("统一社会信用代码"), self.tr("县（市、区）"),
                   self.tr("问题"), self.tr("现状"), self.tr("改法")]
        self.table = QTableWidget(len(found), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        for row, item in enumerate(found):
            cells = (item.name, item.credit_code, item.county_name, self.tr(item.subject),
                     self.tr(item.description), self.tr(item.fix))
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value if column != 0 else self.tr("%1（双击打开该企业）")
                                .replace("%1", value))
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 260))
        # 现状 takes the room left and wraps (a code's why is a long sentence), 改法 stays
        # whole in sight; the rows grow to the wrapped text as the columns change
        self.table.setColumnWidth(5, min(self.table.columnWidth(5), 240))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideNone)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.cellDoubleClicked.connect(self._open)
        # Enter (or Return) on the current row opens it too (keyboard users): RowEnter emits
        # ``activated`` for it and keeps the key from the window (it is not 全部更正)
        self.table.activated.connect(lambda index: self._open(index.row(), index.column()))
        self._row_enter = RowEnter(self.table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Close)
        fix = self.buttons.button(QDialogButtonBox.Ok)
        fix.setText(self.tr("全部更正"))
        fix.setEnabled(bool(fixable) and not refusal)
        fix.setToolTip(refusal if fixable else "")
        fix.setVisible(bool(fixable))  # only codes: nothing it could correct
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("关闭"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 1100, 480)
        self._enter = EnterStaysInViews(self)  # Enter while reading the list is not 全部更正

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the wrapped 现状 at the width it is shown with

    def _said(self, kind: Kind, listed: list[Finding]) -> str:
        """One kind's line above the table: how many, why, what the officer does."""
        head = self.tr("%1 %2 条（%3）").replace("%1", self.tr(kind.title)).replace(
            "%2", f"{len(listed):,}").replace("%3", self.tr(kind.why))
        if kind.fixable:
            return head + self.tr("。“全部更正”后记入各企业的变更记录，可用“批量操作 → 撤销上次"
                                  "批量操作”或在“导入记录”中整批撤销。")
        return head + self.tr("。不能自动更正：双击一行（或选中后按回车）打开该企业，在企业档案中改正信用代码后保存"
                              "（改正之前，导出含这些企业的数据包会被拒绝）。")

    def _open(self, row: int, _column: int) -> None:
        if self.chosen is not None:
            return  # (a double click is an activation too: chosen once)
        self.chosen = self.found[row].enterprise_id
        self.reject()

    @classmethod
    def ask(cls, parent: QWidget | None, found: list[Finding], refusal: str,
            open_firm: Callable[[int], None] | None = None) -> bool:
        """Show the list; True when the officer chose 全部更正; a row double-clicked: the
        list closed and ``open_firm`` called with its firm. Tests patch this."""
        dialog = cls(found, refusal, parent)
        try:
            answer = dialog.exec() == QDialog.Accepted
            if dialog.chosen is not None and open_firm is not None:
                open_firm(dialog.chosen)
            return answer
        finally:
            dialog.deleteLater()  # (a child of the window: not kept until it closes)


class DataCheck(QObject):
    """One window's 数据核查. ``notice``: the status bar's text; ``task``: the running job
    (tests wait on it); ``corrected``: the result once written (the window remembers its
    batch for 撤销上次批量操作)."""

    notice = Signal(str)
    corrected = Signal(object)

    def __init__(self, window: QWidget, database: Callable[[], Database],
                 settings: AppSettings, runner: BackgroundRunner,
                 open_firm: Callable[[int], object] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.database = database  # the current one: the window may switch databases
        self.settings = settings
        self.runner = runner
        self.open_firm = open_firm  # the firm's window, by id (a row double-clicked)
        self.task: Task | None = None
        self.progress: TaskWindow | None = None  # the correction's, while it runs

    def start(self) -> Task:
        """Read the findings (off the GUI thread), then list them."""
        database = self.database()

        def read(_task: Task) -> list[Finding]:
            with database.reading() as session:
                return findings(session)

        self.notice.emit(self.tr("正在核查……"))
        self.task = run_operation(self, self.runner, self.tr(TITLE), read,
                                  on_success=lambda found: self._found(found, database))
        return self.task

    def _found(self, found: list[Finding], database: Database) -> None:
        """The list shown; 全部更正 corrects the 复核 records listed, of that database only
        (review27b #9: not the current one, nor records misdated since — a colleague's
        import while the list was open — which the officer was not shown: the next 数据核查
        lists them)."""
        if not found:
            self.notice.emit(self.tr("数据核查：未发现疑似记错的记录"))
            MessageDialog.info(self.window, self.tr(TITLE), self.tr(
                "未发现疑似记错的记录（复核记录的年度与所复核批次相同），"
                "也没有按现行校验不合规的统一社会信用代码。"))
            return
        self.notice.emit(self.tr("数据核查：") + self.tr("；").join(
            self.tr("%1 %2 条").replace("%1", self.tr(kind.title)).replace(
                "%2", f"{len(listed):,}") for kind, listed in by_kind(found)))
        fixable = [item.record.recognition_id for item in found if item.fixable]
        if FindingsDialog.ask(self.window, found, database.rights.refusal(),
                              lambda firm: self._open(firm, database)) and fixable:
            self._correct(fixable, database)

    def _open(self, firm: int, database: Database) -> None:
        """The firm of a row double-clicked, in the database the list was read from."""
        if self.open_firm is None:
            return
        if database is not self.database():  # the window moved to another database
            MessageDialog.info(self.window, self.tr(TITLE), self.tr(
                "列表读自另一个数据库（窗口已切换数据库），请重新运行数据核查。"))
            return
        with contextlib.suppress(LookupError):  # deleted meanwhile: open_enterprise said so
            self.open_firm(firm)

    def _correct(self, listed: list[int], database: Database) -> None:
        user = self.settings.officer or None
        count = len(listed)
        progress = TaskWindow(self.window, self.tr(TITLE),
                              self.tr("正在%1……").replace("%1", self.tr(LABEL)), count,
                              lambda: self.task)
        self.progress = progress
        self.task = run_operation(
            self, self.runner, self.tr(TITLE),
            in_session(database, lambda s: correct_misdated_reviews_steps(
                s, user=user, recognition_ids=listed)),
            on_success=self._done, changes=CHANGES, on_progress=self._progressed,
            on_cancelled=lambda: self.notice.emit(self.tr("已取消数据核查的更正，未做任何修改")),
            on_finished=self._finished)
        progress.dialog.show()

    def _progressed(self, done: int, total: int, stage: str) -> None:
        """Each step, and on a server the wait for a colleague's import (its stage says
        whose; no count): shown in the window and on the status bar."""
        if self.progress is None:
            return
        dialog = self.progress.dialog
        if stage:
            dialog.setLabelText(stage)
        if total:
            dialog.setRange(0, total)
            dialog.setValue(done)
        else:
            dialog.setRange(0, 0)  # waiting: busy, with 取消
            self.notice.emit(stage)

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def _done(self, result: MisdatedCorrection) -> None:
        self.corrected.emit(result)
        text = self.tr("已更正 %1 条复核记录").replace("%1", f"{len(result.fixed):,}")
        if result.batch_id is not None:
            text += self.tr("（可用“批量操作 → 撤销上次批量操作”或在“导入记录”中撤销）")
        self.notice.emit(text)
        lines = [text + self.tr("。")]
        for title, left in result.left():
            lines.append(self.tr(title) + f" {len(left):,} " + self.tr("条："))
            lines += [f"  {item.name} {item.credit_code}：{why}" for item, why in left[:20]]
            if len(left) > 20:
                lines.append(self.tr("  ……等 %1 条").replace("%1", f"{len(left):,}"))
        MessageDialog.info(self.window, self.tr(TITLE), "\n".join(lines))
