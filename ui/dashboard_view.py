"""工作台: the ladder of counts, charts, and recognitions expiring within 180 days (and
those run out inside their 复核 round: 待复核).
The figures are gathered on the background runner, so a large database never freezes
the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiers.model import ladder, reference
from tiers.model.vocabulary import NO_COUNTY_NAME, means_all_counties, means_no_county
from tiers.queries import dashboard
from tiers.queries.unit_scope import ReportAreas, report_areas
from tiers.storage.database import Database
from ui import dashboard_charts as charts
from ui.background_runner import BackgroundRunner, Task
from ui.county_column import read_counties
from ui.dashboard_charts import TIER_COLOURS
from ui.export_filters import offer_areas
from ui.fill_column import FillColumn
from ui.fitted_combo import FittedCombo
from ui.operations import run_operation
from ui.record_table_model import RecordColumn, RecordTableModel
from ui.roster_cells import PENDING_COLOUR

EXPIRING_COUNTY_COLUMN = 5
NARROW_BELOW = 1100  # px: a 工作台 narrower (a window of 1,220) gives the expiring list a row


def load_dashboard(database: Database, by: str, county: str | None = None) -> dict[str, Any]:
    """Everything the dashboard shows, as plain data (runs in the worker thread): of all
    the counties (a city's database holds its counties), or of one (its name)."""
    with database.session() as session:
        return {
            "counties": read_counties(database, session),  # kept for the other pages
            "county": county,
            # with the unit recorded: no county chosen is the unit's (本单位（新北区）), and
            # every county is one more choice (the reports' rule, tiers.queries.unit_scope)
            "scope": report_areas(session, counted=False),
            # the cards, charts and lists, the scope read once for them all; the status
            # bar's counts while one county is shown (the whole database's are the main
            # window's own); the titles run out inside their 复核 round (待复核) listed
            # with those expiring, the 复核 is on
            **dashboard.figures(session, by=by, county=county),
        }


class LadderStep(QFrame):
    clicked = Signal(str)

    def __init__(self, tier_code: str, title: str, parent: QWidget | None = None, *,
                 full_name: str = "") -> None:
        super().__init__(parent)
        self.tier_code = tier_code
        self.setFrameShape(QFrame.StyledPanel)
        colour = TIER_COLOURS.get(tier_code, "#888")
        self.setStyleSheet(f"LadderStep {{ border: 2px solid {colour}; border-radius: 6px; "
                           f"background: white; }}")
        self.setCursor(Qt.PointingHandCursor)
        self.count = QLabel("—")
        self.count.setAlignment(Qt.AlignCenter)
        self.count.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {colour};")
        # the short name fits a card at 1024 px; the full name is in the tooltip
        label = QLabel(title)
        label.setAlignment(Qt.AlignCenter)
        self.label = label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.count)
        layout.addWidget(label)
        self.setToolTip((full_name + "\n" if full_name else "")
                        + self.tr("点击查看该梯度的有效企业"))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit(self.tier_code)
        super().mouseReleaseEvent(event)


def _days_left(row: dict[str, Any]) -> Any:
    """The days left, or for a title already run out (listed because it is in its 复核
    round) its status: 待复核."""
    return row["status"] if row["days_left"] < 0 else row["days_left"]


def _short_tier(row: dict[str, Any]) -> str:
    """省专精特新 rather than 省级专精特新中小企业: the list beside the charts is narrow."""
    code = row.get("tier_code")
    if code:
        try:
            return reference.tier(code).short
        except KeyError:
            pass
    return str(row.get("tier") or "")


class DashboardView(QWidget):
    open_requested = Signal(int)
    filter_requested = Signal(dict)
    loaded = Signal()

    def __init__(self, database: Database, runner: BackgroundRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = runner
        self.task: Task | None = None
        self.loaded_once = False
        self.data: dict[str, Any] = {}

        ladder_row = QHBoxLayout()
        self.steps: dict[str, LadderStep] = {}
        ladder_tiers = sorted((t for t in reference.tiers() if t.ladder), key=lambda t: t.rank)
        for number, tier in enumerate(ladder_tiers):
            if number:
                arrow = QLabel("→")
                arrow.setStyleSheet("font-size: 18pt; color: #999;")
                ladder_row.addWidget(arrow)
            step = LadderStep(tier.code, tier.short or tier.name, full_name=tier.name)
            step.clicked.connect(self._tier_clicked)
            self.steps[tier.code] = step
            ladder_row.addWidget(step, 1)
        ladder_row.addSpacing(16)
        for tier in sorted((t for t in reference.tiers() if not t.ladder),
                           key=lambda t: -t.rank):
            step = LadderStep(tier.code, tier.short or tier.name, full_name=tier.name)
            step.clicked.connect(self._tier_clicked)
            step.count.setStyleSheet(step.count.styleSheet().replace("20pt", "14pt"))
            self.steps[tier.code] = step
            ladder_row.addWidget(step, 1)

        self.by = QComboBox()
        self.by.addItem(self.tr("按县区"), "county")
        self.by.addItem(self.tr("按镇街"), "town")
        self.by.currentIndexChanged.connect(self.refresh)
        # the whole city (every county in the database) or one county
        # as wide as its longest item (本单位（新北区）, not “本单位（新” at 1366: tester28b)
        self.county = FittedCombo(tooltip=self.tr("统计全部区县，或只统计一个区县"))
        self.county.addItem(self.tr("全部区县"), None)
        self.county.currentIndexChanged.connect(self._county_chosen)
        self.towns_for_county = False  # 按镇街 was chosen for the officer, with a county
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        head = QHBoxLayout()
        self.title = QLabel(self.tr("梯度培育概况（有效认定）"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        head.addWidget(self.title)
        # firms on a 公示 list, not in the cards (not held yet): how many, a way to them
        self.pending = QPushButton()
        self.pending.setFlat(True)
        self.pending.setCursor(Qt.PointingHandCursor)
        self.pending.setStyleSheet(
            f"color: {PENDING_COLOUR.name()}; text-decoration: underline;")
        self.pending.setToolTip(self.tr("公示名单上的企业在认定名单导入（或确认）前不计入上面的数字"))
        self.pending.clicked.connect(self._pending_clicked)
        self.pending.hide()
        head.addWidget(self.pending)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.county)
        head.addWidget(self.by)
        head.addWidget(self.refresh_button)

        self.area_chart = self._chart_view()
        self.year_chart = self._chart_view()
        self.support_chart = self._chart_view()
        self.expiring_model = RecordTableModel([
            # a title run out in its 复核 round says so (its status, as in its 认定历史)
            RecordColumn("days_left", "剩余天数", _days_left, align=Qt.AlignCenter),
            RecordColumn("valid_until", "有效期至"), RecordColumn("name", "企业名称"),
            RecordColumn("tier", "梯度", lambda r: _short_tier(r)),
            RecordColumn("batch_label", "批次"),
            RecordColumn("county", "县区"),  # shown for the whole city of several counties
            RecordColumn("town", "镇街"),
        ], [], self, colour=lambda r: "#b00020" if 0 <= r["days_left"] <= 30 else "#b35c00")
        self.expiring = QTableView()
        self.expiring.setModel(self.expiring_model)
        self.expiring.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.expiring.verticalHeader().hide()
        self.expiring.horizontalHeader().setStretchLastSection(False)
        self.expiring_fill = FillColumn(
            self.expiring, range(self.expiring_model.columnCount()), give_way=2,
            then=self._expiring_giving_way())
        self.expiring.activated.connect(self._expiring_activated)
        self.expiring_title = QLabel(self.tr("180天内到期的认定（双击打开企业）"))
        self.expiring_title.setStyleSheet("font-weight: bold;")
        expiring_box = QWidget()
        box = QVBoxLayout(expiring_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.expiring_title)
        box.addWidget(self.expiring, 1)

        self.expiring_box, self.grid, self.narrow = expiring_box, QGridLayout(), None
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.addLayout(head)
        layout.addLayout(ladder_row)
        layout.addLayout(self.grid, 1)
        self._arrange(narrow=False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _arrange(self, *, narrow: bool) -> None:
        """Two charts above, the support chart and the expiring list side by side; in a
        narrow page (a window 900 px wide) the list takes a row of its own, the full width
        (beside a chart it had 355 px: names cut to two characters, 省…, 202…), and the
        support chart the row below it (the page scrolls down to it)."""
        if narrow == self.narrow:
            return
        self.narrow, grid = narrow, self.grid
        for widget in (self.area_chart, self.year_chart, self.support_chart, self.expiring_box):
            grid.removeWidget(widget)
        grid.addWidget(self.area_chart, 0, 0)
        grid.addWidget(self.year_chart, 0, 1)
        if narrow:
            grid.addWidget(self.expiring_box, 1, 0, 1, 2)
            grid.addWidget(self.support_chart, 2, 0, 1, 2)
        else:
            grid.addWidget(self.support_chart, 1, 0)
            grid.addWidget(self.expiring_box, 1, 1)
        for row in range(3):
            grid.setRowStretch(row, 1 if row < 2 or narrow else 0)
        self.content.setMinimumHeight(940 if narrow else 640)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._arrange(narrow=event.size().width() < NARROW_BELOW)
        super().resizeEvent(event)

    def _expiring_giving_way(self) -> list[dict[int, int]]:
        """Where the list is narrow (beside a chart in a window of about 1,100 px), the name
        at NARROWEST cannot find the room: then it goes on to three characters, then the
        tier, batch, county and town to two, elided (each cell whole in its tooltip); last,
        those four as narrow as it takes, so that the list never scrolls sideways while
        the name keeps its three characters (the days and the date are never cut)."""
        metrics = self.expiring.fontMetrics()
        padding = 2 * self.expiring.style().pixelMetric(
            QStyle.PM_FocusFrameHMargin, None, self.expiring) + 4

        def keeps(text: str) -> int:
            return metrics.horizontalAdvance(text) + padding

        name, squeezed = 2, range(2, self.expiring_model.columnCount())
        return [{name: keeps("常州市…")},
                {column: keeps("镇街…") for column in squeezed if column != name},
                {column: keeps("…") for column in squeezed if column != name}]

    def _chart_view(self) -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.Antialiasing)
        view.setMinimumHeight(260)
        return view

    # --- loading ------------------------------------------------------------------------
    def _one_county(self) -> str | None:
        """The one county chosen (None: the unit's, or every county)."""
        county = self.county.currentData()
        return None if means_all_counties(county) else county

    def _scope_said(self, unit_label: str) -> str:
        """What the cards count, for the title (本单位（新北区），; 武进区，; 未填区县的企业，):
        the unit's by default when it is recorded, as the report dialog says; nothing for
        every firm of a database without a unit."""
        county = self._one_county()
        if county and means_no_county(county):
            return NO_COUNTY_NAME + self.tr("，")
        if county:
            return county + self.tr("，")
        if unit_label and self.county.currentData() is None:
            return unit_label + self.tr("，")
        return self.tr("全部区县，") if unit_label else ""

    def _county_chosen(self) -> None:
        """One county counted 按县区 is a chart of one bar: its towns instead (the officer
        who picked a county asks how it is spread); back at 全部区县, by county again if
        it was this that turned it to towns."""
        if self._one_county() and self.by.currentData() == "county":
            self._set_by("town")
            self.towns_for_county = True
        elif not self._one_county() and self.towns_for_county:
            self._set_by("county")
        if not self._one_county():
            self.towns_for_county = False
        self.refresh()

    def _set_by(self, by: str) -> None:
        self.by.blockSignals(True)  # (one refresh, by the caller)
        self.by.setCurrentIndex(self.by.findData(by))
        self.by.blockSignals(False)

    def refresh(self) -> None:
        if self.task is not None and not self.task.done.is_set():
            self.task.cancel()
        self.status.setText(self.tr("正在统计……"))
        by, county = self.by.currentData(), self.county.currentData()
        database = self.database
        self.task = run_operation(
            self, self.runner, self.tr("工作台统计"),
            lambda _task: load_dashboard(database, by, county),
            on_success=self.show_data,
            on_failure=lambda message: self.status.setText(self.tr("统计失败：") + message))

    def show_data(self, data: dict[str, Any]) -> None:
        self.data = data
        self.loaded_once = True
        scope = data["scope"]
        # the export dialog's choices: （未填区县） and every county besides the counties
        self._fill_counties(data["counties"], scope)
        if data["county"] and data["county"] not in [*data["counties"], *scope.extra]:
            # the county counted is gone (its last firm deleted, or an undo): the choice is
            # 全部区县 now, so count the whole database rather than show the old county's
            # figures under a title for all (county_counts gives None meanwhile)
            self.refresh()
            return
        self.title.setText(self.tr("梯度培育概况（%1有效认定）").replace(
            "%1", self._scope_said(scope.default_label)))
        for code, step in self.steps.items():
            step.count.setText(f"{data['tiers'].get(code, 0):,}")
        pending = data.get("pending", 0)
        self.pending.setText(self.tr("另有 %1 家公示中（未计入）").replace("%1", f"{pending:,}"))
        self.pending.setVisible(pending > 0)
        self._area_chart(data["areas"])
        self._year_chart(data["per_year"])
        self._support_chart(data["support"])
        self.expiring_model.set_rows(data["expiring"])
        self.expiring.setColumnHidden(EXPIRING_COUNTY_COLUMN, self._one_county() is not None
                                      or len(data["counties"]) < 2)
        # each column its content's width; a wide screen's room shared by them all (it all
        # went to the name: a blank band in the middle at 1920), the name giving way at 1366
        self.expiring.horizontalHeader().setMinimumSectionSize(40)
        self.expiring.resizeColumnsToContents()
        self.expiring_fill.remember()
        # 2,060 as the status bar writes it under the same count
        review_due = data.get("review_due_titles", 0)
        self.expiring_title.setText(
            (self.tr("180天内到期的认定：%1 项，待复核 %2 项（双击打开企业）") if review_due
             else self.tr("180天内到期的认定：%1 项（双击打开企业）"))
            .replace("%1", f"{data['expiring_titles']:,}").replace("%2", f"{review_due:,}"))
        self.status.setText("")
        self.loaded.emit()

    def _area_chart(self, rows: list[dict[str, Any]]) -> None:
        by = self.by.currentText().replace("按", "")
        self.area_chart.setChart(charts.area_chart(
            self.tr("各%1梯度企业数").replace("%1", by), rows))

    def _year_chart(self, rows: list[dict[str, Any]]) -> None:
        self.year_chart.setChart(charts.year_chart(self.tr("每年新认定数"), rows))

    def _support_chart(self, rows: list[dict[str, Any]]) -> None:
        self.support_chart.setChart(charts.support_chart(
            self.tr("每年扶持资金（已兑现，万元）"), self.tr("已兑现资金奖补（万元）"), rows))

    # --- actions ------------------------------------------------------------------------
    def _fill_counties(self, counties: list[str], areas: ReportAreas | None = None) -> None:
        """The county choice lists the database's counties (and, with the unit recorded,
        the export dialog's （未填区县） and every county as more choices, the blank one being
        the unit's), as the export dialog's (one helper, export_filters.offer_areas); the
        chosen one stays chosen while it is there."""
        chosen = self.county.currentData()
        offer_areas(self.county, counties, areas or ReportAreas(), self.tr("全部区县"),
                    keep_gone=False)
        self.county.fit_to_items()
        if chosen and not self.county.currentData() and self.towns_for_county:
            # the county chosen is gone (an undo took its last firm): 全部区县, by county
            # again, as when the officer goes back to it
            self._set_by("county")
            self.towns_for_county = False

    def county_counts(self) -> tuple[str, dict[str, int]] | None:
        """The county shown and its counts (for the status bar), or None for the whole
        database: what the figures on screen were read for, not the choice still loading."""
        if not self.data.get("county") or self.data.get("overview") is None \
                or self.data["county"] not in self.data.get("counties", ()):
            return None
        return self.data["county"], self.data["overview"]

    def _tier_clicked(self, tier_code: str) -> None:
        self._show_in_roster(tier=tier_code, status=ladder.VALID)

    def _pending_clicked(self) -> None:
        self._show_in_roster(status=ladder.PENDING)

    def _show_in_roster(self, **values: str) -> None:
        """The roster filtered so, in the county chosen here (if one is)."""
        if self._one_county():
            values["county"] = self._one_county()
        self.filter_requested.emit(values)

    def _expiring_activated(self, index) -> None:
        row = self.expiring_model.record(index.row())
        if row:
            self.open_requested.emit(row["enterprise_id"])

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
