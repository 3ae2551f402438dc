"""数据核查 in the client (批量操作 → 数据核查…), the desktop face of ``tiers check``: the
复核 records dated to the year of the batch they renew are read off the GUI thread and
listed, each with the year and 有效期至 it should have; 全部更正 corrects them through the
same core call as ``tiers check --fix`` (services.review_check: one transaction, one batch
that 撤销上次批量操作 or 导入记录 undoes, the login's counties only), off the GUI thread with
its progress and 取消; then what was corrected, and what was left and why, is said."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
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

from tiers.queries.misdated_reviews import WHY, MisdatedReview, misdated_reviews
from tiers.services.review_check import LABEL, MisdatedCorrection, correct_misdated_reviews_steps
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import EnterStaysInViews
from ui.lock_wait import TaskWindow
from ui.operations import Changes, in_session, run_operation
from ui.screen_fit import resize_to_fit

CHANGES = Changes.everything()  # 认定 on the firms' pages, the roster's 有效期, 导入记录
TITLE = "数据核查"


class MisdatedReviewsDialog(QDialog):
    """The records found, one row each; 全部更正 (greyed, with why, for a viewer) accepts."""

    def __init__(self, found: list[MisdatedReview], refusal: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("数据核查：复核记录年度"))
        summary = QLabel(self.tr("复核记录年度疑似记错 %1 条（%2）。更正后记入各企业的变更记录，"
                                 "可用“批量操作 → 撤销上次批量操作”或在“导入记录”中整批撤销。")
                         .replace("%1", f"{len(found):,}").replace("%2", self.tr(WHY)))
        summary.setWordWrap(True)
        headers = [self.tr("企业名称"), self.tr("统一社会信用代码"), self.tr("县（市、区）"),
                   self.tr("认定"), self.tr("记为"), self.tr("应为")]
        self.table = QTableWidget(len(found), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        for row, item in enumerate(found):
            cells = (item.name, item.credit_code, item.county_name, item.description,
                     item.recorded, item.corrected)
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 260))
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Close)
        fix = self.buttons.button(QDialogButtonBox.Ok)
        fix.setText(self.tr("全部更正"))
        fix.setEnabled(not refusal)
        fix.setToolTip(refusal)
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("关闭"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 1100, 480)
        self._enter = EnterStaysInViews(self)  # Enter while reading the list is not 全部更正

    @classmethod
    def ask(cls, parent: QWidget | None, found: list[MisdatedReview], refusal: str) -> bool:
        """Show the list; True when the officer chose 全部更正. Tests patch this."""
        dialog = cls(found, refusal, parent)
        try:
            return dialog.exec() == QDialog.Accepted
        finally:
            dialog.deleteLater()  # (a child of the window: not kept until it closes)


class DataCheck(QObject):
    """One window's 数据核查. ``notice``: the status bar's text; ``task``: the running job
    (tests wait on it); ``corrected``: the result once written (the window remembers its
    batch for 撤销上次批量操作)."""

    notice = Signal(str)
    corrected = Signal(object)

    def __init__(self, window: QWidget, database: Callable[[], Database],
                 settings: AppSettings, runner: BackgroundRunner) -> None:
        super().__init__(window)
        self.window = window
        self.database = database  # the current one: the window may switch databases
        self.settings = settings
        self.runner = runner
        self.task: Task | None = None
        self.progress: TaskWindow | None = None  # the correction's, while it runs

    def start(self) -> Task:
        """Read the records (off the GUI thread), then list them."""
        database = self.database()

        def read(_task: Task) -> list[MisdatedReview]:
            with database.reading() as session:
                return misdated_reviews(session)

        self.notice.emit(self.tr("正在核查……"))
        self.task = run_operation(self, self.runner, self.tr(TITLE), read,
                                  on_success=lambda found: self._found(found, database))
        return self.task

    def _found(self, found: list[MisdatedReview], database: Database) -> None:
        """The list shown; 全部更正 corrects those records of that database only (review27b
        #9: not the current one, nor records misdated since — a colleague's import while
        the list was open — which the officer was not shown: the next 数据核查 lists them)."""
        if not found:
            self.notice.emit(self.tr("数据核查：未发现疑似记错的记录"))
            MessageDialog.info(self.window, self.tr(TITLE), self.tr(
                "未发现疑似记错的记录（复核记录的年度与所复核批次相同）。"))
            return
        self.notice.emit(self.tr("数据核查：复核记录年度疑似记错 %1 条").replace(
            "%1", f"{len(found):,}"))
        if MisdatedReviewsDialog.ask(self.window, found, database.rights.refusal()):
            self._correct([item.recognition_id for item in found], database)

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
