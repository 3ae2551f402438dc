"""数据年度 of the 候选企业 view: 按数据 (the year tiers.assess.figures_year decides: 上年度, or
an earlier one while 上年度's figures are not yet in) or a year the database has figures for,
chosen by the officer. The years are read on the background runner; the rule is tiers'."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from tiers.assess import RankedList, years_with_figures
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation

log = logging.getLogger(__name__)


class FiguresYearBox(QComboBox):
    """The first item is 按数据 (data None); after a run it names the year used."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("按数据（默认）"), None)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # under the controls: why the year is not 上年度 (its figures not yet in), when so
        self.note = QLabel()
        self.note.setStyleSheet("color: #8a5300;")
        self.note.setWordWrap(True)
        self.note.hide()
        self.setToolTip(self.tr("按哪一年度的财务数据预审。默认按数据：上年度；上年度数据尚未录齐"
                                "（录入的企业不到最近几年最多时的一半）时用已录齐的最近年度"))

    def chosen(self) -> int | None:
        """The year picked, or None for 按数据."""
        return self.currentData()

    def set_years(self, years: list[int]) -> None:
        """The years the database has figures for, newest first; the choice stays when it
        is still offered."""
        chosen = self.chosen()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for year in years:
            self.addItem(self.tr("%1年度").replace("%1", str(year)), year)
        self.setCurrentIndex(max(0, self.findData(chosen)) if chosen is not None else 0)
        self.blockSignals(False)

    def show_used(self, found: RankedList) -> None:
        """After a run: the first item names the year 按数据 used, and the note says why
        when it is not 上年度 (shown only then)."""
        choice = found.year_choice
        if choice is not None and not choice.explicit:
            # (why it is not 上年度, when so, is the note's to say)
            self.setItemText(0, self.tr("按数据：%1年度").replace("%1", str(found.figures_year)))
        self.note.setText(self.tr("注：%1。可在“数据年度”中另选年度。").replace(
            "%1", found.year_note))
        self.note.setVisible(bool(found.year_note))

    def read(self, parent: QWidget, runner: BackgroundRunner | None,
             database: Database) -> Task | None:
        """Fill the years from the database, on the runner (here without one: a test)."""
        if runner is None:
            with database.session() as session:
                self.set_years(years_with_figures(session))
            return None
        if runner.closed:
            return None

        def job(_task: Task) -> list[int]:
            with database.session() as session:
                return years_with_figures(session)

        return run_operation(parent, runner, self.tr("读取数据年度"), job,
                             on_success=self.set_years,
                             on_failure=lambda message: log.warning("数据年度未读出：%s",
                                                                    message))
