"""培育库: enterprises aimed at a target tier, with the responsible officer and status, each
with its current 对标预审 verdict and the trend since last year (the entries read, and
assessed, on the background runner); beside it, 候选企业: the county's firms ranked for a
target tier."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiers.assess import CultivationStatus, cultivation_overview
from tiers.queries.cultivation import cultivation_entries
from tiers.services import candidates as candidate_services
from tiers.services import cultivation, cultivation_rule, enterprises
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog
from ui.background_runner import BackgroundRunner, Task
from ui.candidate_widths import narrowed
from ui.candidates_view import CandidatesView
from ui.column_fit import CharWidths, Widest, fit_to_texts
from ui.county_column import CountyColumn, read_counties
from ui.cultivation_forms import ask_entry_edit, ask_new_entry
from ui.cultivation_rows import (
    TREND_COLOURS,
    Shown,
    entries_and_firms,
    readiness_colour,
    short_tier,
    shown_rows,
    tier_tooltip,
)
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.latest_read import LatestRead
from ui.operations import Changes, run_operation, save_from_page
from ui.record_table_model import RecordColumn, record_table
from ui.status_table_model import StatusTableModel
from ui.table_comforts import TableComforts, widths_chosen
from ui.table_reading import VALUE_ROLE

log = logging.getLogger(__name__)

# 较上年变化's most (its longest few words); what the long name gives way down to for it
# (the code to 80: at 1366 a city's list with 县区 and a 当前预审 of 尚未取得前提认定 needs it)
CHANGES_WIDTH = 460
GIVE_WAY = {"name": 180, "credit_code": 80}


class CultivationView(QWidget):
    open_requested = Signal(int)
    open_assessment_requested = Signal(int, object)  # from 候选企业: on the list's 对标预审
    save_finished = Signal(bool)  # a write ended: True when written (and the entries shown)
    loaded = Signal()  # a refresh's entries are shown (their 对标预审 follows)

    def __init__(self, database: Database, settings: AppSettings,
                 parent: QWidget | None = None, *, load: bool = True,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        # a viewer's login changes nothing here: its buttons greyed, saying why
        self.read_only = database.rights.refusal() if hasattr(database, "rights") else ""
        self.runner = runner
        self.overview_task: Task | None = None
        self.saving: Task | None = None
        self.overview: dict[int, CultivationStatus] = {}
        self.overview_ready = False
        self.fitted: list[int] = []  # the columns' widths as fitted, before any gave way
        self.entries: list[dict[str, Any]] = []
        self.reading = LatestRead(self, self.tr("培育库"), on_ended=self._drop_waiting)
        self._after_loading: list[Callable[[], None]] = []
        self.model = StatusTableModel([
            RecordColumn("name", "企业名称"), RecordColumn("credit_code", "信用代码"),
            RecordColumn("county", "县区"), RecordColumn("town", "镇街"),
            # short (省专精特新, 小巨人) as on 工作台: the whole name in the tooltip and export
            RecordColumn("target_tier_name", "目标梯度", short_tier),
            RecordColumn("target_year", "目标年度"), RecordColumn("officer", "责任人"),
            RecordColumn("status", "状态"),
            RecordColumn("readiness", "当前预审", lambda r: r["readiness"]),
            RecordColumn("trend", "较上年", lambda r: r["trend"]),
            RecordColumn("note", "备注"),
            # in a few words; the whole, one change a line, in the tooltip and the export
            RecordColumn("changes", "较上年变化", lambda r: r["change_summary"]),
        ], [], self, colours={
            "readiness": readiness_colour,
            "trend": lambda row: TREND_COLOURS.get(row["trend"])},
            tooltips={"readiness": lambda row: row["verdict"],
                      "target_tier_name": tier_tooltip,
                      "changes": lambda row: row["changes"].replace("；", "\n")})
        self.table = record_table(self.model)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.county_column = CountyColumn(self.table, self.model)
        self.comforts = TableComforts(
            # a row is an entry (a firm may have two targets): the status bar counts 条
            self.table, "cultivation", settings, unit=self.tr("条"), title=self.tr("培育库"),
            runner=runner, rows_job=self._export_rows,
            open_row=lambda _row: self.open_selected(), row_actions=self._row_actions)
        self.county_column.follow(self.comforts)
        self.widest: Widest = []  # each column's widest texts, as last read
        self.comforts.fit = self.fit_widths
        self.char_widths = CharWidths.of(self.table.fontMetrics())
        self.count = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("培育库：目标梯度、责任人和培育状态（双击修改）")))
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        for text, slot in ((self.tr("加入培育库"), self.add), (self.tr("修改"), self.edit_selected),
                           (self.tr("移出"), self.remove_selected),
                           (self.tr("打开企业"), self.open_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if self.read_only and slot != getattr(self, "open_selected", None):
                button.setEnabled(False)
                button.setToolTip(self.read_only)
        entries_page = QWidget()
        entries_layout = QVBoxLayout(entries_page)
        entries_layout.setContentsMargins(0, 6, 0, 0)
        entries_layout.addLayout(buttons)
        entries_layout.addWidget(self.table, 1)
        self.candidates = CandidatesView(database, settings, runner)
        self.candidates.open_assessment_requested.connect(self.open_assessment_requested)
        self.candidates.save_finished.connect(self._candidate_added)
        self.tabs = QTabWidget()
        self.tabs.addTab(entries_page, self.tr("培育名单"))
        self.tabs.addTab(self.candidates, self.tr("候选企业"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        if load:
            self.refresh()

    def refresh(self) -> None:
        """Read the entries on the runner (here without one): a city's 培育库 of 13,650
        entries took over half a second, at each write that touched firms; a later
        refresh supersedes one still reading, and the 对标预审 of the entries shown."""
        database = self.database
        if self.overview_task is not None:  # of the entries as they were
            self.overview_task.cancel()
            self.overview_task = None

        columns, overview = self.model.columns, self.overview  # (the last 对标预审 shown)
        widths = self.char_widths

        def job(_task: Task | None) -> tuple[list[dict[str, Any]], Shown, list[str]]:
            with database.session() as session:
                rows = cultivation_entries(session)
                counties = read_counties(database, session)
            return rows, shown_rows(columns, rows, overview, assessed=False,
                                          widths=widths), counties

        self.reading.run(self.runner, job, self._entries_read)

    @property
    def loading(self) -> Task | None:
        """The latest refresh's read, while it reads."""
        return self.reading.task

    def _drop_waiting(self) -> None:
        """The read failed or was cancelled: what waited for it is dropped (the next refresh
        reads again)."""
        self._after_loading = []

    def _entries_read(self, found: tuple[list[dict[str, Any]], Shown, list[str]]) -> None:
        rows, shown, counties = found
        self.county_column.show_for_counties(counties)
        self.entries = rows
        self.overview_ready = False
        self._show_rows(shown)
        self.count.setText(self.count_text())
        self.candidates.refresh(rows)
        self._start_overview()
        waiting, self._after_loading = self._after_loading, []
        for then in waiting:
            then()
        self.loaded.emit()

    def count_text(self) -> str:
        """共 40 家, counting firms; 共 41 条，40 家 when some firm has two entries."""
        entries, firms = entries_and_firms(self.entries)
        if entries == firms:
            return self.tr("共 %1 家").replace("%1", str(firms))
        return self.tr("共 %1 条，%2 家").replace("%1", str(entries)).replace("%2", str(firms))

    def _when_loaded(self, then: Callable[[], None]) -> None:
        """``then`` once the entries being read are shown (now when none are)."""
        if self.loading is None:
            then()
        else:
            self._after_loading.append(then)

    def _show_rows(self, shown: Shown) -> None:
        """The entries' rows with their 对标预审 and each column's widest texts, both made
        on the runner: the GUI thread measures a dozen texts a column, not the rows."""
        rows, self.widest, keys = shown
        self.model.set_rows(rows, keys=keys)
        self.fit_widths()

    def fit_widths(self) -> None:
        if not widths_chosen(self.table):
            keys = [c.key for c in self.model.columns]
            fit_to_texts(self.table, self.widest,
                         bold=[keys.index(key) for key in self.model.colours])
            column = keys.index("note")
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 200))
            self.fitted = [self.table.columnWidth(number)
                           for number in range(len(self.model.columns))]
            self._room_for_changes()

    def _room_for_changes(self) -> None:
        """较上年变化 (last, stretched) as wide as its few words need, up to CHANGES_WIDTH: on
        a narrow screen the long name gives way, the whole in its tooltip (at
        1366 a city's database shows 县区 too, and the change was cut after a dozen
        characters)."""
        if widths_chosen(self.table) or not self.fitted:
            return
        metrics, model = self.table.fontMetrics(), self.model
        changes = len(model.columns) - 1
        texts = self.widest[changes] if len(self.widest) > changes else []
        wanted = max([metrics.horizontalAdvance(text) + 16 for text in texts] + [0])
        widths = narrowed(self.table, model, self.fitted, narrowest=GIVE_WAY,
                          last_width=min(wanted, CHANGES_WIDTH))
        for number, width in enumerate(widths[:-1]):
            if not self.table.isColumnHidden(number) and \
                    self.table.columnWidth(number) != width:
                self.table.setColumnWidth(number, width)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._room_for_changes()  # maximised, or back to a smaller window

    # --- 对标预审 of each entry, in the background ---------------------------------------------
    def _start_overview(self) -> None:
        """Assess every entry now and a year ago on the runner; a newer refresh supersedes
        a run still going (its result is dropped)."""
        if self.overview_task is not None:
            self.overview_task.cancel()
            self.overview_task = None
        if self.runner is None or not self.entries:
            self.overview_ready = self.runner is not None
            return
        database, columns, entries = self.database, self.model.columns, self.entries
        widths = self.char_widths

        def job(task: Task) -> tuple[dict[int, CultivationStatus], Shown, str]:
            with database.session() as session:
                result = cultivation_overview(session)
            overview = {status.entry_id: status for status in result}
            return overview, shown_rows(columns, entries, overview, assessed=True,
                                        widths=widths), result.year_note

        # each task's callbacks know which task they are for: a superseded one is ignored
        task = run_operation(
            self, self.runner, self.tr("培育库预审"), job,
            on_success=lambda result: self._overview_done(task, result),
            on_failure=lambda message: log.warning("培育库预审未完成：%s", message),
            on_finished=lambda: self._overview_finished(task))
        self.overview_task = task

    def _overview_done(self, task: Task,
                       result: tuple[dict[int, CultivationStatus], Shown, str]) -> None:
        if task is not self.overview_task or task.cancel_requested:
            return  # superseded by a later refresh
        self.overview, shown, note = result
        self.overview_ready = True
        self._show_rows(shown)
        # 当前预审 on an earlier year than 上年度 (its figures not yet in): said beside the
        # count for the entries' counties, naming those behind (each firm's in its tooltip)
        if note:
            self.count.setText(self.tr("%1　当前预审：%2").replace(
                "%1", self.count_text()).replace("%2", note))

    def _overview_finished(self, task: Task) -> None:
        if task is self.overview_task:
            self.overview_task = None

    def _candidate_added(self, written: bool) -> None:
        if written:  # the 培育名单 shows it, and then the page says the write is done
            self.refresh()
        self._when_loaded(lambda: self.save_finished.emit(written))

    def _export_rows(self, columns: list[int],
                     amounts: set[int]) -> Callable[[], list[list[Any]]]:
        """导出当前列表 as shown, but 较上年变化 and 目标梯度 whole (the cells have them short)."""
        model = self.model
        keys = [c.key for c in model.columns]
        whole = {keys.index("changes"): "changes",
                 keys.index("target_tier_name"): "target_tier_name"}
        rows = [[model.record(row)[whole[c]] if c in whole else model.data(
            model.index(row, c), VALUE_ROLE if c in amounts else Qt.DisplayRole)
            for c in columns] for row in range(model.rowCount())]
        return lambda: rows

    def _row_actions(self) -> list[QAction]:
        actions = []
        for text, slot in ((self.tr("修改"), self.edit_selected),
                           (self.tr("移出培育库"), self.remove_selected)):
            action = QAction(text)
            action.triggered.connect(slot)
            action.setEnabled(self.table.currentIndex().isValid() and not self.read_only)
            actions.append(action)
        return actions

    def selected(self):
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def add(self, enterprise_id: int | None = None) -> None:
        """加入培育库: the firm picked (or given); its name, defaults and standing (its entries
        and titles) read on the runner, the form titled with the name (a fast Enter must not
        add the wrong firm unnoticed) and refusing there what the write would refuse."""
        enterprise_id = enterprise_id or EnterprisePickerDialog.pick(
            self.database, self, self.tr("选择要加入培育库的企业"), runner=self.runner)
        if not enterprise_id:
            return
        officer = self.settings.officer

        def read(_task=None) -> tuple[str, dict[str, Any], cultivation_rule.Standing]:
            with self.database.session() as session:
                return (enterprises.get(session, enterprise_id).name,
                        candidate_services.entry_defaults(session, enterprise_id,
                                                          officer=officer),
                        cultivation_rule.standing(session, enterprise_id))

        if self.runner is None:
            self._ask_entry(enterprise_id, read())
        else:
            run_operation(self, self.runner, self.tr("读取企业"), read,
                          on_success=lambda found: self._ask_entry(enterprise_id, found))

    def _ask_entry(self, enterprise_id: int,
                   found: tuple[str, dict[str, Any], cultivation_rule.Standing]) -> None:
        name, defaults, standing = found
        values = ask_new_entry(self, name, defaults, standing)
        if values is None:
            return
        self._write(lambda s: cultivation.add(s, enterprise_id, values,
                                              user=self.settings.officer or None))

    def edit_selected(self) -> None:
        """修改: the firm's standing read on the runner first, so that the form refuses a
        target of another of its entries, or one it holds, while it is open."""
        row = self.selected()
        if row is None:
            return
        enterprise_id = row["enterprise_id"]

        def read(_task=None) -> cultivation_rule.Standing:
            with self.database.session() as session:
                return cultivation_rule.standing(session, enterprise_id)

        if self.runner is None:
            self._ask_edit(row, read())
        else:
            run_operation(self, self.runner, self.tr("读取企业"), read,
                          on_success=lambda standing: self._ask_edit(row, standing))

    def _ask_edit(self, row: dict[str, Any], standing: cultivation_rule.Standing) -> None:
        values = ask_entry_edit(self, row, standing)
        if values is not None:
            self._write(lambda s: cultivation.edit(s, row["id"], values,
                                                   user=self.settings.officer or None))

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or not ConfirmDialog.ask(
                self, self.tr("移出培育库"), self.tr("把“%1”移出培育库？").replace("%1", row["name"])):
            return
        self._write(lambda s: cultivation.remove(s, row["id"], user=self.settings.officer or None))

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row["enterprise_id"])

    def _write(self, action) -> Task:
        """Write on the runner (a busy database must not freeze the window), then list the
        entries again."""
        self.saving = save_from_page(
            self, self.runner, self.database, self.tr("培育库"), action, status=self.count,
            changes=Changes(cultivation=True), on_saved=lambda _outcome: self.refresh(),
            on_done=self._write_done)
        return self.saving

    def _write_done(self, written: bool) -> None:
        self.saving = None
        # written: the entries are being read again (on_saved), shown before this is told
        self._when_loaded(lambda: self.save_finished.emit(written))
