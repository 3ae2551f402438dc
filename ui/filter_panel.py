"""The roster's filter panel: tier, level, county, town, chain, year and status. The
choices that come from the data (counties, towns, years) are read on the background runner:
on a city's database each is a scan of every firm, not for the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QPushButton, QWidget

from tiers.model import ladder, reference
from tiers.model.vocabulary import NO_COUNTY_CHOICE
from tiers.queries import roster
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner, Task
from ui.county_column import read_counties
from ui.operations import run_operation

ALL = "（全部）"


class FilterPanel(QWidget):
    changed = Signal()
    choices_filled = Signal()  # the counties, towns and years from the data are listed

    def __init__(self, database: Database, parent: QWidget | None = None, *,
                 runner: BackgroundRunner | None = None) -> None:
        """Without a runner (a panel in a test) the choices are read here."""
        super().__init__(parent)
        self.database = database
        self.runner = runner
        # the latest reads: of every choice, and of the towns (each read has the towns)
        self._choices_read: Task | None = None
        self._towns_read: Task | None = None
        layout = QFormLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tier = self._combo([(t.name, t.code) for t in reference.tiers()])
        self.level = self._combo([(level, level) for level in reference.LEVELS])
        self.county = self._combo([])
        self.town = self._combo([])
        self.chain = self._combo([(f"{c.number}. {c.name}", c.code) for c in reference.chains()])
        self.year = self._combo([])
        # in the core's words (ladder.status_of): a title run out in its 复核 round is 待复核
        self.status = self._combo([(s, s) for s in (
            ladder.VALID, ladder.EXPIRING, ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING,
            ladder.EXPIRED, ladder.PENDING)])
        self.labelled = ((self.tr("梯度"), self.tier), (self.tr("级别"), self.level),
                         (self.tr("县区"), self.county), (self.tr("镇街"), self.town),
                         (self.tr("产业链"), self.chain), (self.tr("认定年度"), self.year),
                         (self.tr("状态"), self.status))
        for label, combo in self.labelled:
            layout.addRow(label, combo)
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.clear_button.clicked.connect(self.clear)
        layout.addRow(self.clear_button)
        self.county.currentIndexChanged.connect(self._county_changed)
        if runner is None:
            self.refresh_choices()
        # else the owner asks, after what the window needs first (the roster's listing)

    def _combo(self, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(ALL, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.changed)
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def _refill(self, combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL, None)
        for text, value in items:
            combo.addItem(text, value)
        position = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(position, 0))
        combo.blockSignals(False)

    def refresh_choices(self) -> None:
        """Counties, towns and years come from the data; refreshed after imports."""
        self._read(towns_only=False)

    def _fill_towns(self) -> None:
        self._read(towns_only=True)

    def _read(self, *, towns_only: bool) -> None:
        database, county = self.database, self.county.currentData()

        def job(_task: Task | None) -> dict[str, Any]:
            with database.session() as session:
                found = {"county": county, "towns": roster.towns(session, county)}
                if not towns_only:
                    found["counties"] = read_counties(database, session)
                    # （未填区县）: the firms without a county code (a 开发区's, a blank
                    # county), as tiers enterprises --county none lists them
                    found["no_county"] = roster.any_without_county(session)
                    found["years"] = roster.recognition_years(session)
            return found

        if self.runner is None:
            self._show_choices(None, job(None))
            return
        if self.runner.closed:
            return
        task = run_operation(self, self.runner, self.tr("读取筛选项"), job,
                             on_success=lambda found: self._show_choices(task, found))
        self._towns_read = task
        if not towns_only:
            self._choices_read = task

    def _show_choices(self, task: Task | None, found: dict[str, Any]) -> None:
        """What a read found, unless a later read (the runner runs them in order) will
        bring newer: the towns only of the county still chosen."""
        if "counties" in found and task is self._choices_read:
            self._refill(self.county, [(c, c) for c in found["counties"]] + (
                [(self.tr("（未填区县）"), NO_COUNTY_CHOICE)] if found["no_county"] else []))
            self._refill(self.year, [(str(y), y) for y in found["years"]])
        if task is not self._towns_read:
            return
        if found["county"] != self.county.currentData():
            self._fill_towns()  # the county chosen is gone from the list, or changed
            return
        self._refill(self.town, [(t, t) for t in found["towns"]])
        self.choices_filled.emit()

    def _county_changed(self) -> None:
        self._fill_towns()

    def clear(self) -> None:
        for combo in (self.tier, self.level, self.county, self.town, self.chain, self.year,
                      self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_towns()
        self.changed.emit()

    def select(self, **values) -> None:
        """Set filters by value, e.g. ``select(tier="little_giant", status="有效")``."""
        for key, value in values.items():
            combo: QComboBox = getattr(self, key)
            position = combo.findData(value)
            if position < 0 and combo in (self.county, self.town, self.year) and value:
                # from the data, its list perhaps still being read on the runner
                combo.addItem(str(value), value)
                position = combo.count() - 1
            if position < 0:
                raise ValueError(f"{key}: {value}")
            combo.setCurrentIndex(position)

    def show_filters(self, filters: roster.RosterFilter) -> None:
        """The choices of ``filters`` (the rows' on screen, a read of new ones having
        failed), without ``changed``: nothing is to be read again."""
        county = self.county.currentData()
        for combo, value in ((self.tier, filters.tier), (self.level, filters.level),
                             (self.county, filters.county), (self.town, filters.town),
                             (self.chain, filters.chain), (self.year, filters.year),
                             (self.status, filters.status)):
            if combo.currentData() == value:
                continue
            position = combo.findData(value) if value is not None else 0
            if position < 0:  # (a choice from the data the list has lost since)
                combo.addItem(str(value), value)
                position = combo.count() - 1
            combo.blockSignals(True)
            combo.setCurrentIndex(position)
            combo.blockSignals(False)
        if self.county.currentData() != county:
            self._fill_towns()

    def apply(self, filters: roster.RosterFilter) -> roster.RosterFilter:
        filters.tier = self.tier.currentData()
        filters.level = self.level.currentData()
        filters.county = self.county.currentData()
        filters.town = self.town.currentData()
        filters.chain = self.chain.currentData()
        filters.year = self.year.currentData()
        filters.status = self.status.currentData()
        return filters

    def describe(self) -> str:
        """梯度：小巨人；县区：武进区 — the chosen filters in words, for whoever reads what a
        file was made from (导出当前列表's subtitle, 填写上级模板)."""
        return "；".join(f"{label}：{combo.currentText()}" for label, combo in self.labelled
                        if combo.currentIndex() > 0)

    def is_active(self) -> bool:
        return any(c.currentIndex() > 0 for c in (self.tier, self.level, self.county, self.town,
                                                  self.chain, self.year, self.status))
