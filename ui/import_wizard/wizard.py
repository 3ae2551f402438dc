"""The import wizard: file (or a drop) → sheet → column mapping → preview → apply → result.

Each page is its own widget; this window walks through them and runs the slow steps (open,
detect, plan, apply, undo: ``jobs``) on the background runner through ``run_operation``, with
a progress bar and cancel. Nothing is written before 导入; 导入 is one transaction, and the
result page can undo it. 指定关联 is in ``links``, the writes (导入, 保存问题行, 撤销) in
``writing``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from importers import (
    Detection,
    ImportRefused,
    Link,
    Plan,
    Source,
)
from importers.plan import OTHER_UNIT
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import from_a_view
from ui.import_wizard import jobs
from ui.import_wizard.file_page import FilePage
from ui.import_wizard.links import RowLinks
from ui.import_wizard.mapping_page import MappingPage
from ui.import_wizard.preview_page import PreviewPage
from ui.import_wizard.result_page import ResultPage
from ui.import_wizard.sheet_page import SheetPage
from ui.import_wizard.steps import FILE, MAPPING, PREVIEW, RESULT, SHEET
from ui.import_wizard.writing import WizardWrites
from ui.operations import Changes, run_operation, show_progress
from ui.screen_fit import resize_to_fit


class ImportWizard(RowLinks, WizardWrites, QDialog):
    imported = Signal()  # written or undone: the main window refreshes
    step_done = Signal(int)  # a page is ready (for tests and screenshots)
    task_failed = Signal(str)
    problems_saved = Signal(int)  # the problem rows written to a file: how many

    TITLES = ("选择文件", "选择工作表", "核对列和名单信息", "预览（尚未写入）", "完成")

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, path: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入名单"))
        self.setAcceptDrops(True)
        self.database, self.settings, self.runner = database, settings, runner
        self.source: Source | None = None
        # the sheet detect() picks on its own (as the CLI does), preselected on step 2
        self.best_guess: Detection | None = None
        self.plan: Plan | None = None
        # 指定关联: the firm the user chose for a row (Excel row → Link), and the firms
        # offered for it, kept for the next plans of this sheet
        self.links: dict[int, Link] = {}
        self.link_choices: dict[int, list[dict[str, Any]]] = {}
        self._select_after_plan: int | None = None
        self.fill_blanks_only: bool | None = None  # 只补空白 / 全部更新; None: the kind's default
        self.take_other_counties = False  # rows outside 本单位负责的区县 imported too
        self.take_rows: frozenset[int] = frozenset()  # …or only these (导入此行)
        self.batch_id: int | None = None
        # several files chosen (filled 采集表): imported one after another, each previewed
        self.queue: list[str] = []
        self.file_number, self.file_total = 1, 1
        self.task: Task | None = None
        # the import was refused because the database changed since this preview: only a
        # new preview (重新预览) can be imported
        self.plan_outdated = False
        self._closed = False  # closed while a job ran: its result is not shown
        self._build_pages()
        self._build_frame()
        self.show_step(FILE)
        self.path.setFocus()
        if path:
            self.path.setText(path)
        # less on a small or scaled screen (1280 × 720 at 150 %): 下一步/导入 above the task bar
        resize_to_fit(self, 1100, 700)

    def _build_pages(self) -> None:
        self.file_page = FilePage(self.settings)
        self.sheet_page = SheetPage()
        self.mapping_page = MappingPage()
        self.preview_page = PreviewPage()
        self.result_page = ResultPage()
        self.stack = QStackedWidget()
        for page in (self.file_page, self.sheet_page, self.mapping_page, self.preview_page,
                     self.result_page):
            self.stack.addWidget(page)
        # the pages' widgets, under the names tests and screenshots use
        self.path = self.file_page.path
        self.sheets = self.sheet_page.sheets
        mapping = self.mapping_page
        self.kind, self.tier, self.level = mapping.kind, mapping.tier, mapping.level
        self.batch_label, self.batch_year = mapping.batch_label, mapping.batch_year
        self.is_review, self.meta_form = mapping.is_review, mapping.meta_form
        self.mapping_table = mapping.mapping_table
        self.mapping_combo, self.current_mapping = mapping.mapping_combo, mapping.current_mapping
        mapping.kind_chosen.connect(lambda: self.error.setText(""))
        preview = self.preview_page
        self.counts, self.problems_only = preview.counts, preview.problems_only
        self.plan_model, self.preview = preview.plan_model, preview.preview
        self.link_button, self.unlink_button = preview.link_button, preview.unlink_button
        self.short_button = preview.short_button
        self.current_plan_row = preview.current_plan_row
        self.select_plan_row = preview.select_plan_row
        result = self.result_page
        self.result_text = result.result_text
        self.save_problems_button, self.undo_button = (result.save_problems_button,
                                                       result.undo_button)
        self.path.textChanged.connect(lambda _t: self._update_buttons())
        self.sheets.itemDoubleClicked.connect(lambda _i: self.next())
        self.sheets.currentRowChanged.connect(lambda _row: self._sheet_chosen())
        self.preview.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_link_buttons())
        # a double-click and Enter on a row link it (Alt+L too); Enter there is not 导入
        # (ui.enter_key): a key meant for a row must not write the whole list
        self.preview.activated.connect(lambda _index: self.link_row())
        self.link_button.clicked.connect(lambda: self.link_row())
        self.unlink_button.clicked.connect(self.unlink_row)
        self.short_button.clicked.connect(self.take_short_names)
        preview.fill_blanks_chosen.connect(self.choose_fill_blanks)
        preview.other_counties_chosen.connect(self.choose_other_counties)
        preview.take_row_button.clicked.connect(self.take_row)
        self.save_problems_button.clicked.connect(lambda: self.save_problems())
        self.undo_button.clicked.connect(self.undo)

    def _build_frame(self) -> None:
        self.progress = QProgressBar()
        self.progress.hide()
        self.progress_text = QLabel()
        self.cancel_task_button = QPushButton(self.tr("取消"))
        self.cancel_task_button.hide()
        self.cancel_task_button.clicked.connect(self.cancel_task)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        # Alt+N / Alt+B / Alt+I as in every Windows wizard (the fields' letters avoid them:
        # mapping_page.TAKEN_LETTERS)
        # the preview made again with the database as it is now (after 导入 was refused
        # because it changed since, or a connection lost): no 上一步 then 下一步
        self.replan_button = QPushButton(self.tr("重新预览(&R)"))
        self.replan_button.setToolTip(self.tr("按库中现在的数据重新生成预览（列的对应和指定的关联不变）"))
        self.replan_button.clicked.connect(self.replan)
        self.back_button = QPushButton(self.tr("< 上一步(&B)"))
        self.next_button = QPushButton(self.tr("下一步(&N) >"))
        self.next_button.setDefault(True)
        self.close_button = QPushButton(self.tr("关闭"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self._close_asked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_text)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_task_button)
        buttons.addStretch(0)
        for button in (self.replan_button, self.back_button, self.next_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        self.error_slot = QVBoxLayout()  # the messages' place on the other steps
        self.error_slot.addWidget(self.error)
        layout.addLayout(self.error_slot)
        layout.addLayout(buttons)
        self._place_error(self.current_step())
        # Enter means 下一步 / 导入, never 关闭: a focused button must not become the default
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.next_button)
        self._update_link_buttons()

    @property
    def detection(self) -> Detection | None:
        return self.mapping_page.detection

    def corrected_detection(self) -> Detection:
        return self.mapping_page.corrected_detection()

    # --- navigation ---------------------------------------------------------------------
    def _place_error(self, step: int) -> None:
        """A message about the file sits under its path; the others above the buttons."""
        if not hasattr(self, "error_slot"):
            return  # still being built: placed once the buttons are
        target = {FILE: self.file_page.message_slot,
                  SHEET: self.sheet_page.message_slot}.get(step, self.error_slot)
        if target.indexOf(self.error) >= 0:
            return
        for slot in (self.file_page.message_slot, self.sheet_page.message_slot,
                     self.error_slot):
            slot.removeWidget(self.error)
        target.addWidget(self.error)
        self.error.show()

    def show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self._place_error(step)
        # numbered as shown: a file of one sheet skips 选择工作表, and went 第 1 步 → 第 3 步
        # (tester28a #4)
        number = step + 1 - (step > SHEET and self._sheet_skipped())
        title = self.tr("第 %1 步：").replace("%1", str(number)) + self.tr(self.TITLES[step])
        if self.file_total > 1 and step != FILE:
            title += self.tr("（第 %1/%2 个文件）").replace("%1", str(self.file_number)).replace(
                "%2", str(self.file_total))
        self.step_label.setText(title)
        self.next_button.setText(self.tr("导入(&I)") if step == PREVIEW
                                 else self.tr("下一步(&N) >"))
        if step == RESULT and self.queue:
            self.next_button.setText(self.tr("下一个文件(&N) >"))
        self.next_button.setDefault(step != RESULT)
        self.close_button.setDefault(step == RESULT)  # on 完成, Enter closes
        self._update_buttons()
        self.step_done.emit(step)

    def current_step(self) -> int:
        return self.stack.currentIndex()

    def _busy(self) -> bool:
        return self.task is not None and not self.task.done.is_set()

    def _update_buttons(self) -> None:
        step, busy = self.current_step(), self._busy()
        self.back_button.setEnabled(not busy and step in (SHEET, MAPPING, PREVIEW))
        outdated = step == PREVIEW and self.plan_outdated
        self.replan_button.setVisible(step == PREVIEW)
        self.replan_button.setEnabled(not busy and step == PREVIEW and self.source is not None)
        # Enter makes the new preview while the one shown can no longer be imported
        if outdated:
            self.replan_button.setDefault(True)
        elif self.replan_button.isDefault():
            self.replan_button.setDefault(False)
            self.next_button.setDefault(step != RESULT)
        more = step == RESULT and bool(self.queue)
        enabled = not busy and (step != RESULT or more)
        if step == FILE:
            enabled = enabled and bool(self.file_page.chosen())
        if step == SHEET:  # a sheet refused: greyed while it is chosen (said on the page)
            chosen = self.sheet_page.chosen()
            enabled = enabled and chosen is not None and not self.sheet_page.refusal_of(chosen)
        if step == PREVIEW:
            enabled = enabled and self.plan is not None and self.plan.writes and not outdated
        self.next_button.setEnabled(enabled)
        self.next_button.setVisible(step != RESULT or more)

    def _sheet_skipped(self) -> bool:
        """The file has one sheet to show: 选择工作表 is not shown (nor gone back to)."""
        return self.source is not None and len(self.visible_sheets()) <= 1

    def back(self) -> None:
        step = self.current_step()
        if step == MAPPING and self._sheet_skipped():
            self.show_step(FILE)
        elif step > FILE:
            self.show_step(step - 1)

    def next(self) -> None:
        self.error.setText("")
        step = self.current_step()
        if step == FILE:
            self.open_file()
        elif step == SHEET:
            sheet = self.sheet_page.chosen()
            refusal = self.sheet_page.refusal_of(sheet)
            if refusal:  # (a double-click on it)
                self.error.setText(refusal)
            elif sheet is not None:
                self.detect_sheet(sheet)
        elif step == MAPPING:
            self.make_plan()
        elif step == PREVIEW:
            self.apply()
        elif step == RESULT and self.queue:
            self.file_number += 1
            self._open(self.queue.pop(0))

    # --- steps --------------------------------------------------------------------------
    def browse(self) -> None:
        self.file_page.browse()

    def visible_sheets(self) -> list[str]:
        if self.source is None:
            return []
        return [n for n in self.source.sheet_names if self.source.is_visible(n)]

    def open_file(self) -> None:
        paths = self.file_page.chosen_all()
        self.queue = paths[1:]
        self.file_number, self.file_total = 1, len(paths)
        self.settings.remember_folder("import", paths[0])
        self._open(paths[0])

    def _open(self, path: str) -> None:
        self.plan, self.batch_id = None, None
        self._close_source()
        self.best_guess = None
        self._run(self.tr("读取文件"),
                  lambda _t: jobs.open_guess_and_warn(path),
                  self._file_opened)

    def _file_opened(self, opened: tuple[Source, Detection | None, str]) -> None:
        source, self.best_guess, warning = opened
        if self._closed:  # opened after the window was closed: go no further
            source.close()
            return
        self.source = source
        sheets = self.visible_sheets() or list(source.sheet_names)
        self.sheet_page.offer(sheets, self.best_guess.sheet if self.best_guess else None,
                              refusal=warning)
        if self.best_guess is not None and self.best_guess.collection_year is not None:
            self._detected(self.best_guess)  # a 采集表: its sheet is known too
        elif len(sheets) == 1:
            self.detect_sheet(sheets[0])
        else:
            self.show_step(SHEET)
            # a Tiers report of several sheets: said now, not after 下一步 on this step,
            # and 下一步 greyed; the focus on the sheets (not on a greyed button)
            self.error.setText(warning)
            self.sheets.setFocus()

    def _sheet_chosen(self) -> None:
        """Another sheet chosen: what is known against it said (or the last one's reason
        taken away), 下一步 greyed or not."""
        if self.current_step() != SHEET or self._busy():
            return
        self.error.setText(self.sheet_page.refusal_of(self.sheet_page.chosen()))
        self._update_buttons()

    def _sheet_read(self, sheet: str, outcome: Detection | jobs.SheetRefusal) -> None:
        if isinstance(outcome, jobs.SheetRefusal):
            self._sheet_refused(sheet, outcome.message)
        else:
            self._detected(outcome)

    def _sheet_refused(self, sheet: str, message: str) -> None:
        """下一步 on a sheet found no list there: it stays refused while the file is open.
        (A file error or a program error goes through _failed only: a retry may pass.)"""
        self.sheet_page.refusals[sheet] = message
        self._failed(message)
        if self.current_step() == SHEET:
            self._update_buttons()
            self.sheets.setFocus()

    def detect_sheet(self, sheet: str) -> None:
        if self.best_guess is not None and self.best_guess.sheet == sheet:
            self._detected(self.best_guess)  # already detected when the file was opened
            return
        source = self.source
        self._run(self.tr("识别表头"), lambda _t: jobs.detect_sheet(source, sheet),
                  lambda outcome: self._sheet_read(sheet, outcome))

    def _detected(self, detection: Detection) -> None:
        self.links, self.link_choices = {}, {}  # rows of another sheet or file
        self.fill_blanks_only = None
        self.take_other_counties = False
        self.take_rows = frozenset()
        self.mapping_page.show_detection(detection)
        if detection.collection_year is not None:  # a Tiers 采集表: its columns are known
            # planned once the detecting job has finished (its end must not hide this one's bar)
            QTimer.singleShot(0, self.make_plan)
            return
        self.show_step(MAPPING)

    def replan(self) -> None:
        """重新预览: the plan made again, as 下一步 on the mapping step makes it."""
        if self._busy() or self.source is None:
            return
        self.make_plan()

    def make_plan(self, links: dict[int, Link] | None = None) -> None:
        """Plan with the links given (a link being added or removed), else the links in
        force; they are in force once planned with (a failed or cancelled plan keeps the
        old ones, with the preview that shows them)."""
        self.error.setText("")  # a message about the last preview is not about this one
        try:
            detection = self.corrected_detection()
        except ImportRefused as exc:
            self.error.setText(str(exc))
            return
        database = self.database
        links = dict(self.links if links is None else links)
        fill_blanks_only, take_other_counties = self.fill_blanks_only, self.take_other_counties
        take_rows = self.take_rows
        self._run(self.tr("比对数据库"),
                  lambda _t: jobs.plan(database, detection, links, fill_blanks_only,
                                       take_other_counties=take_other_counties,
                                       take_rows=take_rows),
                  self._planned)

    def choose_fill_blanks(self, fill_blanks_only: bool) -> None:
        """只补空白 or 全部更新: the preview is made again with the choice."""
        if self._busy():
            return
        self.fill_blanks_only = fill_blanks_only
        self.make_plan()

    def choose_other_counties(self, take: bool) -> None:
        """一并导入 the rows outside 本单位负责的区县, or not: the preview is made again."""
        if self._busy():
            if self.plan is not None:  # the box as the preview shown was planned
                self.preview_page.show_other_counties(self.plan)
            return
        self.take_other_counties = take
        self.make_plan()

    def take_row(self) -> None:
        """导入此行: the selected row outside 本单位负责的区县 taken in alone, or (pressed
        again) left out again; planned again, the row selected afterwards."""
        row = self.current_plan_row()
        if row is None or self._busy() or self.take_other_counties:
            return
        if row.row in self.take_rows:
            self.take_rows = self.take_rows - {row.row}
        elif row.action == OTHER_UNIT:
            self.take_rows = self.take_rows | {row.row}
        else:
            return
        self._select_after_plan = row.row
        self.make_plan()

    def _planned(self, plan: Plan) -> None:
        self.plan = plan
        self.plan_outdated = False
        self.links = dict(plan.links)
        select, self._select_after_plan = self._select_after_plan, None
        self.preview_page.show_plan(plan, select=select)
        if not plan.writes:
            self.error.setText(self.tr("这份名单不会带来任何变化（没有新增或更新的行）。"))
        self._update_link_buttons()
        self.show_step(PREVIEW)

    # --- background work ----------------------------------------------------------------
    def _run(self, title: str, job, on_success, *, changes: Changes | None = None,
             on_failure=None, on_refusal=None) -> Task:
        self.progress_text.setText(title + "……")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_task_button.show()
        self._closed = False
        task = self.task = run_operation(
            self, self.runner, title, job, on_success=on_success,
            on_failure=on_failure or self._failed, on_refusal=on_refusal,
            on_progress=self._progress, on_finished=lambda: self._task_finished(task),
            changes=changes,
            on_cancelled=lambda: self.error.setText(self.tr("已取消，未写入任何数据。")))
        self._update_buttons()
        self._update_link_buttons()
        return self.task

    def _progress(self, done: int, total: int, message: str) -> None:
        show_progress(self.progress, self.progress_text, done, total, message, suffix="……")

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.task_failed.emit(message)

    def _task_finished(self, task: Task) -> None:
        if task is not self.task:
            # an earlier job's end, come after the next job began: its result reached the
            # window first and already let the officer go on (指定关联, 取消关联, 重新预览,
            # 只补空白). The bar, 取消 and the row to select after a plan are the running
            # job's, not that end's to clear.
            return
        self.progress.hide()
        self.progress_text.setText("")
        self.cancel_task_button.hide()
        if self._select_after_plan is not None:  # the new plan failed or was cancelled
            self._select_after_plan = None
        self._update_buttons()
        self._update_link_buttons()
        if self.plan_outdated and self.current_step() == PREVIEW:
            self.replan_button.setFocus()  # (导入, where the focus was, is greyed now)

    def work_done(self) -> list[str]:
        """What the officer did on this file that leaving the wizard loses: his 指定关联,
        his changes to the columns or the list's settings, 只补空白 / 全部更新."""
        step = self.current_step()
        if step not in (MAPPING, PREVIEW):
            return []
        done = []
        if self.links and step == PREVIEW:
            done.append(self.tr("%1 行的指定关联").replace("%1", str(len(self.links))))
        if self.mapping_page.changed():
            done.append(self.tr("改过的列对应与名单设置（梯度、批次、年度、复核等）"))
        if self.fill_blanks_only is not None and step == PREVIEW:
            done.append(self.tr("只补空白／全部更新的选择"))
        return done

    def may_leave(self) -> bool:
        """Whether the wizard may go: yes when no work on this file would be lost, else
        the officer's answer to 确认放弃？ (Enter and Esc answer 否: the wizard stays)."""
        done = self.work_done()
        return not done or self._busy() or ConfirmDialog.ask(
            self, self.tr("确认放弃？"),
            self.tr("关闭导入向导将放弃：%1。\n尚未导入，库中没有任何改动。确认放弃？")
            .replace("%1", "；".join(done)))

    def reject(self) -> None:
        """Esc: asked first when work on this file would be lost (see may_leave)."""
        if self.may_leave():
            super().reject()

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # on the preview, Enter in its tables (the rows, 改写的已有值) is theirs: it links a
        # row or does nothing, and is never 导入, the default button (ui.enter_key); on the
        # columns, Enter after choosing a 对应字段 is not 下一步 (which makes the preview)
        if self.current_step() in (MAPPING, PREVIEW) and from_a_view(self, event):
            event.accept()
            return
        super().keyPressEvent(event)

    # --- drop and close -----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and self.current_step() == FILE:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.file_page.set_paths([url.toLocalFile() for url in urls])
            event.acceptProposedAction()

    def _close_source(self) -> None:
        if self.source is not None:
            self.source.close()
            self.source = None

    def _close_asked(self) -> None:
        """关闭: as Esc and the title bar's ×, asked first when work would be lost (the
        question is closeEvent's)."""
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802
        """The title bar's ×, 关闭, and a database switched: as Esc, 确认放弃？ first when work
        on this file would be lost (the × closed without it: review27 #14). A wizard Esc
        already hid was answered then: closing it (a database switched) asks nothing."""
        if self.isVisible() and not self.may_leave():
            event.ignore()
            return
        if self._busy():
            if not ConfirmDialog.ask(self, self.tr("导入"), self.tr("正在处理，取消并关闭？")):
                event.ignore()
                return
            # The window goes at once; the job stops at its next step (nothing is written
            # by a cancelled job) and the file is closed when it has, without blocking here.
            self._closed = True
            self.task.cancel()
            self.task.finished.connect(self._close_source)
        else:
            self._close_source()
        event.accept()
