"""候选企业 (in 培育库): every firm of the county judged against one target tier on the
background runner and ranked by readiness (条件均满足, 待人工核实, 差一项, 缺数据, 尚未取得前提认定
— short only of the prerequisite title, two rungs away —, then 数据存疑)
from the column-wise verdicts, shown at once; what is short, what is missing and what needs
a manual check are filled in afterwards, the rows on screen first (``ui.candidate_details``).
A firm is put into the 培育库 for that tier and next year from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiers.assess import (
    RankedList,
    assessable_tiers,
    ranked_steps,
)
from tiers.model import reference
from tiers.progress import Job
from tiers.queries.cultivation import cultivation_entries, cultivation_years
from tiers.queries.unit_scope import ReportAreas, report_areas
from tiers.services import candidates as candidate_services
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import MessageDialog, OfficerDialog
from ui.assessment_display import READINESS_COLOURS
from ui.background_runner import BackgroundRunner, Task
from ui.candidate_details import DetailFiller, ranked_rows, with_all_details
from ui.candidate_summary import hint_text, pending_tip, summary_text
from ui.candidate_widths import fit_widths
from ui.county_column import CountyColumn, with_counties
from ui.export_filters import left_out_note, offer_areas
from ui.figures_year_box import FiguresYearBox
from ui.fitted_combo import FittedCombo
from ui.operations import Changes, run_operation, save_from_page
from ui.record_table_model import RecordColumn, record_table
from ui.status_table_model import StatusTableModel
from ui.table_comforts import TableComforts, widths_chosen

ALL_COUNTIES = "全部县区"


class CandidatesView(QWidget):
    # a firm opened from the list (打开企业, double click): its id and the list's 对标预审 —
    # {"tier", "rule_set", "year": the year picked, None on 按数据} — for its window to show
    open_assessment_requested = Signal(int, object)
    save_finished = Signal(bool)  # 加入培育库 ended: True when written
    listed = Signal()  # the ranked list is shown (the details follow)
    finished = Signal()  # a run ended: every detail shown, cancelled or failed

    def __init__(self, database: Database, settings: AppSettings,
                 runner: BackgroundRunner | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        self.runner = runner
        self.task: Task | None = None
        self.found: RankedList | None = None
        self.filler: DetailFiller | None = None

        self.tier = QComboBox()
        for code in assessable_tiers():
            self.tier.addItem(reference.tier(code).name, code)
        self.tier.setCurrentIndex(max(0, self.tier.findData("zjtx")))
        # as wide as its longest item: 本单位（新北区） read “本单位（新” when sized to 全部县区
        self.county = FittedCombo(tooltip=self.tr("预审哪些企业：本单位的、某县区的或全部的"))
        self.county.addItem(self.tr(ALL_COUNTIES), None)
        self.year = FiguresYearBox()  # 按数据, or a year with figures
        year_label = QLabel(self.tr("数据年度(&Y)"))
        year_label.setBuddy(self.year)
        self.include_not_ready = QCheckBox(self.tr("含不符合（差两项以上或不足门槛一半）的企业"))
        self.run_button = QPushButton(self.tr("开始预审"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("目标梯度")))
        controls.addWidget(self.tier)
        controls.addWidget(QLabel(self.tr("县区")))
        controls.addWidget(self.county)
        controls.addWidget(year_label)
        controls.addWidget(self.year)
        controls.addWidget(self.include_not_ready)
        controls.addWidget(self.run_button)
        controls.addWidget(self.progress)
        controls.addWidget(self.cancel_button)
        controls.addStretch(1)

        self.model = StatusTableModel([
            RecordColumn("seq", "序号"),
            # a firm judged as its 复核 reads 复核：条件均满足 (the core's readiness_text)
            RecordColumn("readiness", "预审结论", self._readiness_text),
            RecordColumn("name", "企业名称"),
            RecordColumn("in_cultivation", "培育库"),
            RecordColumn("county", "县区"),  # a city's database: hidden on a county's own
            RecordColumn("town", "镇街"),
            RecordColumn("current_tier", "现有梯度"),
            RecordColumn("score", "评价得分"),
            RecordColumn("gaps", "差距（不满足）"),
            RecordColumn("missing", "缺少数据"),
            RecordColumn("manual", "需人工核实"),
        ], [], self, colours={
            "readiness": lambda row: READINESS_COLOURS.get(row["readiness_code"]),
            "in_cultivation": lambda row: "#1d5fbf" if row["in_cultivation"] else None},
            tooltips={"readiness": lambda row: row["verdict"]})
        self.table = record_table(self.model)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.comforts = TableComforts(self.table, "candidates", settings, unit=self.tr("家"),
                                      title=self.tr("候选企业"), open_row=self.open_row,
                                      runner=runner, row_actions=self._row_actions,
                                      rows_job=self._export_rows)
        self.county_column = CountyColumn(self.table, self.model)
        self.county_column.follow(self.comforts)

        self.counties: list[str] = []  # the database's (a city's: more than one)
        # with 本单位负责的区县 recorded: the blank choice is the unit's, （未填区县） and
        # （全部区县，含本单位以外） are offered, and what the default leaves out is said — the
        # export dialog's choices and note (tiers.queries.unit_scope, one rule)
        self.areas = ReportAreas()
        self.scope_note = QLabel()
        self.scope_note.setWordWrap(True)
        self.scope_note.hide()
        self.hinting = True  # the summary line still says what 开始预审 does
        self.summary = QLabel(self._hint())
        self.county.currentIndexChanged.connect(self._show_hint)
        self.county.currentIndexChanged.connect(self._show_scope_note)

        self.summary.setWordWrap(True)
        self.add_button = QPushButton(self.tr("加入培育库"))
        self.add_button.clicked.connect(self.add_selected)
        read_only = database.rights.refusal() if hasattr(database, "rights") else ""
        if read_only:  # a viewer's login adds nothing: greyed, saying why
            self.add_button.setEnabled(False)
            self.add_button.setToolTip(read_only)
        self.open_button = QPushButton(self.tr("打开企业"))
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.scope_note)
        layout.addWidget(self.year.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # --- choices --------------------------------------------------------------------------
    def refresh(self, entries: list[dict[str, Any]] | None = None) -> None:
        """The county list and the 培育库 marks (the ranked list is rerun only on demand);
        ``entries`` when the caller has just read the 培育库 already. The counties are the
        ones kept for the database (ui.county_column), read on the runner when not known:
        on a city's database a scan of every firm, not for the GUI thread."""
        with_counties(self, self.runner, self.database, self._fill_counties)
        self._read_areas()
        self.year.read(self, self.runner, self.database)
        if entries is not None:
            self._mark_entries(entries)
        elif self.runner is None:
            with self.database.session() as session:
                self._mark_entries(cultivation_entries(session))
        else:
            database = self.database

            def job(_task: Task) -> list[dict[str, Any]]:
                with database.session() as session:
                    return cultivation_entries(session)

            run_operation(self, self.runner, self.tr("培育库"), job,
                          on_success=self._mark_entries)

    def _read_areas(self) -> None:
        """The unit's choices and what its default leaves out (a count of the firms outside:
        on the runner, as the export dialog reads them)."""
        if self.runner is None:
            with self.database.session() as session:
                self._areas_read(report_areas(session))
            return
        if self.runner.closed:
            return
        database = self.database

        def job(_task: Task) -> ReportAreas:
            with database.session() as session:
                return report_areas(session)

        run_operation(self, self.runner, self.tr("读取县区"), job, on_success=self._areas_read)

    def _areas_read(self, areas: ReportAreas) -> None:
        self.areas = areas
        self._offer_counties()

    def _fill_counties(self, counties: list[str]) -> None:
        self.county_column.show_for(len(counties))
        self.counties = counties
        self._offer_counties()

    def _offer_counties(self) -> None:
        offer_areas(self.county, self.counties, self.areas, self.tr(ALL_COUNTIES))
        self.county.fit_to_items()
        self._show_hint()
        self._show_scope_note()

    def _show_scope_note(self) -> None:
        """What the unit's default leaves out, while it is chosen (the export dialog's note)."""
        note = "" if self.county.currentData() else left_out_note(
            self.tr, self.areas, self.tr("县区"))
        self.scope_note.setText(note)
        self.scope_note.setVisible(bool(note))

    @staticmethod
    def _readiness_text(row: dict[str, Any]) -> str:
        # the core's words: 复核：… already for a firm judged as its 复核 (report_row,
        # RankedList.shown_readiness)
        return row["readiness_text"]

    def _hint(self) -> str:
        # the unit's by default when it is recorded: 测算本单位（新北区）企业
        return hint_text(self.tr, self.county.currentData() or self.areas.default_label,
                         self.counties)

    def _show_hint(self) -> None:
        if self.hinting:  # (once a list is shown, its own summary stays)
            self.summary.setText(self._hint())

    def _mark_entries(self, entries: list[dict[str, Any]]) -> None:
        if self.found is not None:
            years: dict[int, list[int]] = {}
            for entry in entries:
                if entry["target_tier"] == self.found.tier_code:
                    years.setdefault(entry["enterprise_id"], []).append(entry["target_year"])
            self._mark_cultivation(years)

    def _mark_rows(self, rows: list[dict[str, Any]], years: dict[int, list[int]]) -> None:
        """The 培育库 column: the target years of each firm's entries for this tier."""
        for row in rows:
            found = years.get(row["enterprise_id"])
            row["in_cultivation"] = (self.tr("已在（%1年）").replace(
                "%1", "、".join(str(year) for year in found)) if found else "")

    def _mark_cultivation(self, years: dict[int, list[int]]) -> None:
        self._mark_rows(self.model.all_rows, years)  # the rows a column filter hides too
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(
                len(self.model.rows) - 1, len(self.model.columns) - 1))

    def select_tier(self, tier_code: str) -> None:
        number = self.tier.findData(tier_code)
        if number < 0:
            raise LookupError(tier_code)
        self.tier.setCurrentIndex(number)

    # --- running --------------------------------------------------------------------------
    def running(self) -> bool:
        """The list is being ranked, or its details are being filled."""
        return self.task is not None or self.filling()

    def filling(self) -> bool:
        return self.filler is not None and self.filler.active

    def run(self) -> Task | None:
        if self.runner is None or self.running():
            return None
        tier, county = self.tier.currentData(), self.county.currentData() or None
        year = self.year.chosen()  # None: the year the data support (tiers decides)
        include_not_ready = self.include_not_ready.isChecked()
        database = self.database

        def job(_task: Task) -> Job[tuple[RankedList, list[dict[str, Any]], dict]]:
            # the runner shows each step and may stop between two: nothing is written
            with database.session() as session:
                found = yield from ranked_steps(session, tier, county=county, year=year,
                                                include_not_ready=include_not_ready)
                years = cultivation_years(session, found.tier_code)
            return found, ranked_rows(found), years  # the rows too: thousands of firms

        task = run_operation(self, self.runner, self.tr("候选企业预审"), job,
                             on_success=self._done, on_failure=self._failed,
                             on_progress=self._progress, on_cancelled=self._cancelled,
                             on_finished=self._finished)
        self.task = task
        self.filler = None  # the previous list's details, if any, have ended
        self.progress.setRange(0, 0)  # loading the firms: no count yet
        self.progress.show()
        self.hinting = False
        self.summary.setText(self.tr("正在预审……"))
        self.summary.setToolTip("")
        self._update_buttons()
        return task

    def cancel(self) -> None:
        if self.filling():
            self.filler.stop()  # the list stays; the details left say 未计算
        elif self.task is not None:
            self.task.cancel()
            self.summary.setText(self.tr("正在取消……"))

    def _progress(self, done: int, total: int, _message: str) -> None:
        if self.task is None or self.task.cancel_requested:
            return
        if not total:  # reading the county: no count yet
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} / {total:,}")

    def _done(self, result: tuple[RankedList, list[dict[str, Any]], dict]) -> None:
        found, rows, years = result
        self.found = found
        self._mark_rows(rows, years)  # before they are shown: no second paint
        self.model.set_rows(rows)
        if not widths_chosen(self.table):  # widths the user dragged stay
            fit_widths(self.table, self.model, computed_score=found.computed_score)
        self.summary.setText(summary_text(self.tr, found, self.include_not_ready.isChecked()))
        self.summary.setToolTip(self._pending_tip(found))
        self.year.show_used(found)
        # 导出当前列表's title (and file name) names the tier and the figures year
        self.comforts.title = self.tr("候选企业（%1，%2年度数据）").replace(
            "%1", found.tier_name).replace("%2", str(found.figures_year))
        filler = self._detail_filler(found, rows)
        self.listed.emit()
        filler.start()

    def _pending_tip(self, found: RankedList) -> str:
        """Who is left out as 公示中 (``candidate_summary.pending_tip``)."""
        return pending_tip(self.tr, found)

    def _detail_filler(self, found: RankedList, rows: list[dict[str, Any]]) -> DetailFiller:
        """差距, 缺少数据, 需人工核实 and 评价得分 in chunks on the runner, the visible rows
        first; the bar counts the firms filled and 取消 stops it."""
        filler = DetailFiller(self.database, self.runner, self.table, self.model, found, rows,
                              self)
        self.filler = filler
        filler.progressed.connect(self._detail_progress)
        filler.finished.connect(lambda complete: self._details_ended(filler, complete))
        self._detail_progress(0, filler.total)
        return filler

    def _detail_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("详情 %1 / %2").replace("%1", f"{done:,}")
                                .replace("%2", f"{total:,}"))

    def _details_ended(self, filler: DetailFiller, complete: bool) -> None:
        if filler is not self.filler:
            return  # an older list's
        if not complete:
            reason = (self.tr("详情计算失败：") + filler.error if filler.error
                      else self.tr("已停止计算详情"))
            self.summary.setText(self.summary.text() + self.tr(
                "。%1，未计算的企业可双击查看，导出时补算。").replace("%1", reason))
        if self.task is None:
            self._finished()

    def _failed(self, message: str) -> None:
        self.summary.setText(self.tr("预审失败：") + message)

    def _cancelled(self) -> None:
        self.summary.setText(self.tr("已取消预审。"))

    def _finished(self) -> None:
        self.task = None
        if self.filling():
            self._update_buttons()
            return  # the details are being filled: ``finished`` comes when they end
        self.progress.hide()
        self._update_buttons()
        self.finished.emit()

    def _export_rows(self, columns: list[int],
                     amounts: set[int]) -> Callable[[], list[list[Any]]]:
        """导出当前列表: the rows in view with every detail, those not yet filled computed
        on the runner (the list itself is read here, in the GUI thread)."""
        model, found, database = self.model, self.found, self.database
        rows = [dict(row) for row in model.rows]  # copied here: the filler updates the rows

        def fetch() -> list[list[Any]]:
            filled = with_all_details(database, found, rows) if found is not None else rows
            return [[row.get(model.columns[c].key) if c in amounts else model.text(row, c)
                     for c in columns] for row in filled]
        return fetch

    def _update_buttons(self) -> None:
        running = self.running()
        self.run_button.setEnabled(not running and self.runner is not None)
        self.cancel_button.setEnabled(running)
        for widget in (self.tier, self.county, self.year, self.include_not_ready):
            widget.setEnabled(not running)

    # --- acting on a row ------------------------------------------------------------------
    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _row_actions(self) -> list[QAction]:
        action = QAction(self.tr("加入培育库"))
        action.triggered.connect(self.add_selected)
        action.setEnabled(self.add_button.isEnabled() and self.table.currentIndex().isValid())
        return [action]

    def open_row(self, row: int) -> None:
        record = self.model.record(row)
        if record is not None and self.found is not None:  # (rows come with a list)
            choice = self.found.year_choice
            # the rules the row was judged by: a firm in its 复核 by that 复核's (rules_of),
            # not the list's, which the window would take as the officer's pick
            rules, _reason = self.found.rules_of(record["enterprise_id"])
            self.open_assessment_requested.emit(record["enterprise_id"], {
                "tier": self.found.tier_code, "rule_set": rules.rule_set.name,
                "year": choice.year if choice is not None and choice.explicit else None})

    def add_selected(self) -> Task | None:
        """Put the selected firm into the 培育库 for this tier and next year, on the runner
        (a busy database must not freeze the window); ``save_finished`` tells how it ended,
        and the 培育库 view around this one then marks the firm 已在."""
        row = self.selected()
        if row is None or self.found is None:
            MessageDialog.info(self, self.tr("加入培育库"), self.tr("请先在列表中选择一家企业。"))
            return None
        officer = OfficerDialog.ask(self, row["name"], self.found.tier_name,
                                    candidate_services.target_year(), self.settings.officer)
        if officer is None:
            return None
        tier_code, user = self.found.tier_code, self.settings.officer or None
        return save_from_page(
            self, self.runner, self.database, self.tr("加入培育库"),
            lambda session: candidate_services.add_candidate(
                session, row["enterprise_id"], tier_code, readiness=row["readiness"],
                officer=officer, user=user),
            status=self.summary, changes=Changes(cultivation=True),
            on_done=self.save_finished.emit)  # the 培育库 view refreshes both lists
