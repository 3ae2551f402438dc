"""文件 → 报送情况…: the city's counties, which have sent a 数据包 in a year (this one unless
the officer picks another: in January, last year's round is the one being closed), when,
with how many firms, and which have not; the firms in conflict by name (under the table,
and on 企业数's tooltip); read on the background runner, again after every write of the
window that may change it (a package imported or undone while it is open)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.exchange import CountyStatus, package_status
from tiers.exchange.status import NO_PACKAGES_HINT, city_of_database, no_packages_imported
from tiers.model.reference import division
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner
from ui.latest_read import LatestRead
from ui.operations import Changes, in_session
from ui.screen_fit import screen_room

HEADERS = ("代码", "区县", "状态", "报送时间", "企业数", "报送单位", "导入批次")
NUMBER_COLUMNS = (4, 6)
FIRMS_COLUMN = 4
UNIT_COLUMN = 5
WHOLE_ON_TOOLTIP = (1, UNIT_COLUMN)  # 区县 (（未填区县，…局）) and 报送单位
# what a write must have touched for 报送情况 to read again (ui.operations.Changes): the
# packages are import batches; the firms in conflict are read as they are now
SHOWS = {"imports", "enterprises"}
TOOLTIP_LINES = 30  # firms in conflict on a cell's tooltip
SHOWN_LINES = 8  # …and under the table (the rest: on the tooltip, and tiers package list)


class PackageStatusDialog(QDialog):
    def __init__(self, database: Database, runner: BackgroundRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报送情况"))
        self.database, self.runner = database, runner
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        this_year = dt.date.today().year
        self.year = QSpinBox()
        self.year.setRange(2000, this_year + 1)
        self.year.setValue(this_year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.valueChanged.connect(lambda _year: self.refresh())
        year_label = QLabel(self.tr("年度(&Y)"))
        year_label.setBuddy(self.year)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(year_label)
        top.addWidget(self.year)
        self.reads = LatestRead(self, self.tr("报送情况"))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(text) for text in HEADERS])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab reaches 刷新 and 关闭 (arrows move inside)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.ElideMiddle)  # a cut 报送单位 keeps its 工业和信息化局
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(UNIT_COLUMN, QHeaderView.Stretch)  # the room left over
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.conflicts = QLabel()  # the firms behind 冲突 N, by name
        self.conflicts.setWordWrap(True)
        self.conflicts.setTextInteractionFlags(Qt.TextSelectableByMouse)  # (to copy a code)
        self.conflicts.hide()
        self.stale = False  # written meanwhile while hidden: read again when shown
        refresh = QPushButton(self.tr("刷新(&R)"))
        refresh.clicked.connect(self.refresh)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.conflicts)
        layout.addWidget(self.missing)
        layout.addLayout(buttons)
        self.setSizeGripEnabled(True)  # (where no window manager gives a frame)
        self.resize(self.first_size())
        self.refresh()

    # the first size: a share of the screen's room, as the firm window's; the fixed 760 × 380
    # showed six of a city's nine lines at 1366 × 768 and 1920 × 1080 alike, the two
    # （未填区县，…） lines under the scroll bar and 报送单位 cut (tester27b)
    SCREEN_SHARE = 0.78
    LEAST_FIRST = QSize(900, 560)
    MOST_FIRST = QSize(1280, 800)  # (a city has a dozen lines at most: no wall of a window)

    def first_size(self) -> QSize:
        """1065 × 599 at 1366 × 768, 1280 × 800 at 1920 × 1080; less where the screen has no
        room for that, down to the layout's minimum."""
        room = screen_room(self)
        if room is None:
            return self.LEAST_FIRST.expandedTo(self.minimumSizeHint())
        available = room + QSize(40, 60)  # (screen_room less the frame and title bar)
        share = QSize(round(available.width() * self.SCREEN_SHARE),
                      round(available.height() * self.SCREEN_SHARE))
        return share.expandedTo(self.LEAST_FIRST).boundedTo(self.MOST_FIRST).boundedTo(
            room).expandedTo(self.minimumSizeHint())

    def data_changed(self, changes: Changes | None = None) -> None:
        """The window wrote (or heard another program write): read again what it may have
        changed, on the runner; while hidden, when shown again."""
        if changes is not None and not changes.touched() & SHOWS:
            return
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
        year = self.year.value()

        def work(session):
            city = city_of_database(session)
            return city, package_status(session, city_code=city, year=year)

        self.heading.setText(self.tr("正在读取……"))
        self.reads.run(self.runner, in_session(self.database, work),
                       lambda outcome: self.show_status(outcome, year))

    def show_status(self, outcome: tuple[str | None, list[CountyStatus]],
                    year: int | None = None) -> None:
        city, lines = outcome
        found = division(city) if city else None
        year = year or self.year.value()
        this_year = year == dt.date.today().year
        self.heading.setText(self.tr("%1各区县 %2 年数据包报送情况")
                             .replace("%1", found.name if found else "")
                             .replace("%2", str(year)))
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            state = line.state  # (the core's words, as the command line prints them)
            cells = (line.code, line.name, state,
                     f"{line.package_date:%Y-%m-%d %H:%M}" if line.package_date else "",
                     line.firms_text, line.source_unit,
                     str(line.batch_id or ""))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in NUMBER_COLUMNS:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if not line.sent:
                    item.setForeground(QColor("#b00020"))
                elif line.by_other_unit:  # carried by a unit not the county's: not its own
                    item.setForeground(QColor("#a14a00"))
                    item.setToolTip(line.other_unit_line)
                if column == FIRMS_COLUMN and line.conflicts:
                    item.setToolTip(self.conflict_text(line.conflict_lines, TOOLTIP_LINES))
                if column in WHOLE_ON_TOOLTIP and text and not item.toolTip():
                    item.setToolTip(text)  # the whole of a name the column may cut
                self.table.setItem(row, column, item)
        conflicted = [line for line in lines if line.conflicts]
        self.conflicts.setText("\n".join(self.conflict_text(line.conflict_lines, SHOWN_LINES)
                                         for line in conflicted))
        self.conflicts.setVisible(bool(conflicted))
        missing = [line.name for line in lines if not line.sent]
        if not lines:
            self.missing.setText(self.tr("库中还没有企业或数据包，无法确定本市有哪些区县。"))
        else:
            when = self.tr("今年") if this_year else self.tr("%1 年").replace("%1", str(year))
            self.missing.setText(self.tr("%1尚未报送：").replace("%1", when) + "、".join(missing)
                                 if missing else self.tr("各区县%1都已报送。").replace("%1", when))
            carried = [line.other_unit_line for line in lines if line.other_unit_line]
            if carried:
                self.missing.setText("\n".join([self.missing.text(), *carried]))
            if no_packages_imported(lines):  # a county's own database, most often
                self.missing.setText(self.missing.text() + "\n" + self.tr(NO_PACKAGES_HINT))

    def conflict_text(self, lines: list[str], most: int) -> str:
        """A county's conflicts (its heading and firms, tiers.exchange.status) with at most
        ``most`` firms; the rest counted."""
        shown = lines[:1] + ["　" + line for line in lines[1:most + 1]]
        if len(lines) - 1 > most:
            shown.append(self.tr("　……另有 %1 家（命令行 tiers package list 列出全部）")
                         .replace("%1", f"{len(lines) - 1 - most:,}"))
        return "\n".join(shown)
