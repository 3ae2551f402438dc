"""企业库's table and how its columns share the width: the firm found by a former name,
sorting by a header (in SQL, through the model), each column wide enough for what it holds
(a whole credit code, a tier with the 公示 after it), a wide screen's room to the firm's
name and, at 1366, the long columns giving way so that every column shows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from ui.enterprise_table_model import EnterpriseTableModel
from ui.fill_column import FillColumn
from ui.former_name_delegate import FormerNameDelegate
from ui.roster_cells import BIN_COLUMNS, COLUMNS
from ui.table_comforts import TableComforts, widths_chosen

# what the columns give way to at 1366 wide, step by step, a step only when those before
# could not find the room: first the columns read least (a whole code still, a chain of four
# characters), then the name down to a common firm's whole name (常州博立汽车部件科技有限公司)
# with 已兑现扶持 at its title and the 回收站's 操作人 (its batch elided), then the name and the
# amount down to their least (a name of 10 characters, the amount's thousands with two
# decimals; elided, the whole in the tooltip). 当前梯度 and 所属产业链 are
# as wide as the rows on screen need (RowFitter): their room stood empty in the 回收站,
# where the names were cut. (With 100k firms the wider row numbers took 7 px more.)
# the 回收站's: a moment (2026-12-07 10:05) whole, an account with its batch
BIN_WIDTHS = {
    "binned_at": lambda table: table.fontMetrics().horizontalAdvance("2026-12-07 10:05") + 16,
    "binned_by": lambda table: table.fontMetrics().horizontalAdvance("liyang01（批量操作 12）") + 16}
FIRST_GIVE_WAY = {"credit_code": 150, "county": 55, "town": 75, "chains": 64}
NAME_KEPT = "常州博立汽车部件科技有限公司"
LAST_GIVE_WAY = {"name": 145, "support_total": 72}
# (who moved a firm there is what the 回收站 is read for: it gives way with the name)
BIN_BY_KEPT = 70
FITTED = ("tier", "chains", "county")  # fitted to the rows on screen (RowFitter)
# the most 县区 is fitted to: a 开发区 written whole (常州滨江经济开发区: it read 常州滨江… at
# 1920, tester28a #3); a longer name ends in …, the whole in the cell's tooltip
COUNTY_MOST = "常州国家高新区开发区"
TITLE_LINES = 3  # the most lines a title wraps onto (the header's height)


def roster_table(model: EnterpriseTableModel) -> QTableView:
    table = QTableView()
    titles = TitleHeader(Qt.Horizontal, table)
    titles.setSectionsClickable(True)  # (as QTableView's own header: sorting by a title)
    titles.setHighlightSections(True)
    table.setHorizontalHeader(titles)
    table.setModel(model)
    # a firm found by a former name says so after its name (曾用名：…)
    table.setItemDelegateForColumn(0, FormerNameDelegate(table))
    # the indicator first: enabling sorting sorts by it at once (Qt's default is
    # descending), and the roster was queried three times while the window was built
    table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.verticalHeader().setMinimumWidth(40)
    header = table.horizontalHeader()
    # the last column takes what the window has to spare (at 1920 wide the columns
    # ended two-thirds across); the widths the user chose are kept, the last column
    # never narrower than its own
    header.setStretchLastSection(True)
    header.setSectionsMovable(True)
    # a title wider than its column (已兑现扶持（万元）, 所属产业链 at 1366 beside a 公示中 tier)
    # wraps onto a second line, the header growing to hold it (TitleWrap): it ended in …
    # (tester28a #3); the whole, with its note, in its tooltip
    header.setTextElideMode(Qt.ElideNone)
    TitleWrap(table)
    # wide enough for a whole credit code and for every title (扶持金额合计（已兑现，万元）)
    code_width = table.fontMetrics().horizontalAdvance("91320412MAWWWWWWWW") + 16
    # and for a held tier with the 公示 that follows it, in the list filtered by 公示中
    tier_width = tier_room(table)
    for column, width in zip(range(len(COLUMNS)), (250, code_width, 70, 100, tier_width,
                                                   70, 90, 170, 120,
                                                   BIN_WIDTHS["binned_at"](table),
                                                   BIN_WIDTHS["binned_by"](table)),
                             strict=True):
        table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
    show_bin_columns(table, False)  # (the roster first: the default columns without them)
    return table


def title_room(header: QHeaderView, column: int) -> int:
    """The width a title has in its section: the margins and the sort mark left out."""
    room = header.sectionSize(column) - TITLE_MARGIN
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
        room -= header.style().pixelMetric(QStyle.PM_HeaderMarkSize) + 4
    return room


def shown_title(title: str, room: int, metrics) -> str:
    """The title as its section shows it: wider than its room, it breaks before its unit
    (已兑现扶持 / （万元）) rather than wherever the line is full (已兑现扶持（万 / 元）)."""
    if "（" in title and metrics.horizontalAdvance(title) > room:
        return title.replace("（", "\n（", 1)
    return title


class TitleHeader(QHeaderView):
    """The roster's header: a long title on two lines (shown_title), wrapped further only
    where its column is narrower still."""

    def initStyleOptionForIndex(self, option, logical_index: int) -> None:  # noqa: N802
        super().initStyleOptionForIndex(option, logical_index)
        option.text = shown_title(option.text, title_room(self, logical_index),
                                  self.fontMetrics())


class TitleWrap(QObject):
    """The header as tall as its longest title needs once wrapped in its column (up to
    TITLE_LINES lines), one line when every title fits: Qt wraps a title aligned with
    TextWordWrap (the model's TextAlignmentRole) but keeps the header one line tall."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        header = table.horizontalHeader()
        self.timer = QTimer(self, singleShot=True, interval=0, timeout=self.fit)
        header.sectionResized.connect(lambda *_: self.timer.start())
        header.sectionCountChanged.connect(lambda *_: self.timer.start())

    def fit(self) -> None:
        table = self.table
        header, metrics = table.horizontalHeader(), table.fontMetrics()
        model = table.model()
        tallest = metrics.height()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            title = str(model.headerData(column, Qt.Horizontal, Qt.DisplayRole) or "")
            room = title_room(header, column)
            if room > 0 and metrics.horizontalAdvance(title) > room:
                tallest = max(tallest, metrics.boundingRect(
                    QRect(0, 0, room, 10_000), Qt.TextWordWrap,
                    shown_title(title, room, metrics)).height())
        height = 0 if tallest <= metrics.height() else \
            min(tallest, TITLE_LINES * metrics.height()) + TITLE_PADDING
        if header.minimumHeight() != height:
            header.setMinimumHeight(height)
            table.updateGeometries()


TITLE_MARGIN = 10  # a header section's margins around its title
TITLE_PADDING = 8  # above and below the lines of a wrapped title


def tier_room(table: QTableView) -> int:
    """The most 当前梯度 is given: a held tier with the 公示 that follows it."""
    return table.fontMetrics().horizontalAdvance("省专精特新（公示中：小巨人）") + 16


class RowFitter(QObject):
    """当前梯度 and 所属产业链 as wide as what the rows on screen hold (专精特新“小巨人”企业;
    the title alone where no row has one, as in the 回收站), up to their default widths:
    their room stood empty beside names cut short at 1366. Asked for when new rows are
    listed (request), done once they are painted: only rows already read are measured,
    none is read for it (the rows are read on the runner, or for painting). Widths the
    officer chose are kept."""

    def __init__(self, table: QTableView, fill: FillColumn, most: dict[int, int]) -> None:
        super().__init__(table)
        self.table, self.fill, self.most = table, fill, most
        self.pending = False
        table.viewport().installEventFilter(self)

    def request(self) -> None:
        self.pending = True
        self.table.viewport().update()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if self.pending and event.type() == QEvent.Paint:
            QTimer.singleShot(0, self, self.fit)  # (after this paint: its rows are read)
        return False

    def fit(self) -> None:
        table, fill = self.table, self.fill
        if not self.pending or widths_chosen(table) or not fill.natural:
            return
        model, metrics = table.model(), table.fontMetrics()
        first = max(table.rowAt(0), 0)
        shown = table.viewport().height() // max(
            table.verticalHeader().defaultSectionSize(), 1) + 1
        rows = range(first, min(first + shown, model.rowCount()))
        texts = {column: [model.cached_text(row, column) for row in rows]
                 for column in self.most}
        if any(text is None for column in texts.values() for text in column):
            return  # not all painted yet: at the next paint
        self.pending = False
        changed = False
        for column, room in self.most.items():
            if table.isColumnHidden(column):
                continue
            widest = table.horizontalHeader().sectionSizeHint(column)
            for text in texts[column]:
                widest = max(widest, metrics.horizontalAdvance(text) + 16)
            wanted = min(widest, room)
            if fill.natural[column] != wanted:
                fill.natural[column], changed = wanted, True
        if changed:
            fill.fill()


def show_bin_columns(table: QTableView, on: bool) -> None:
    """The 回收站's columns (移入时间, 操作人) shown with its firms, hidden on the roster.
    Shown, they follow the firm's name: at 1366 wide the last columns give way, and who
    moved a firm there is what the 回收站 is read for (at the far right they scrolled out)."""
    header = table.horizontalHeader()
    after = header.visualIndex(0)
    for number, column in enumerate(COLUMNS):
        if column.key in BIN_COLUMNS:
            if on:
                after += 1
                if header.visualIndex(number) != after:
                    header.moveSection(header.visualIndex(number), after)
            table.setColumnHidden(number, not on)


def fill_the_width(table: QTableView, comforts: TableComforts
                   ) -> tuple[FillColumn, RowFitter]:
    """A wide screen's room to the firm's name, not to 扶持金额合计 at the far right; at
    1366 wide the columns give way step by step (elided, the whole in their tooltips: see
    FIRST_GIVE_WAY) so that every column shows without scrolling sideways, the name keeping
    the most. Widths the officer chose are left alone. Returns the filler and what fits
    当前梯度 and 所属产业链 to the rows (RowFitter)."""
    keys = [column.key for column in COLUMNS]
    header = table.horizontalHeader()
    hint = header.sectionSizeHint
    name = table.fontMetrics().horizontalAdvance(NAME_KEPT) + 16
    tier, total = keys.index("tier"), keys.index("support_total")
    fill = FillColumn(
        table, (0,), chosen=lambda: widths_chosen(table),
        give_way={keys.index(key): least for key, least in FIRST_GIVE_WAY.items()},
        then=[{0: name, total: hint(total), keys.index("binned_by"): BIN_BY_KEPT},
              # 当前梯度 never gives way (its least is the most it is given: the 公示 after a
              # tier in the list filtered by 公示中 stays whole), but is fitted with them
              {**{keys.index(key): least for key, least in LAST_GIVE_WAY.items()},
               tier: tier_room(table)}])
    # the 回收站's columns, hidden when the widths were taken (a hidden column's is 0)
    for number, column in enumerate(COLUMNS):
        if column.key in BIN_COLUMNS:
            fill.natural[number] = max(fill.natural[number], BIN_WIDTHS[column.key](table))
    fitted = {keys.index(key): fill.natural[keys.index(key)] for key in FITTED}
    county = keys.index("county")
    fitted[county] = max(fitted[county],
                         table.fontMetrics().horizontalAdvance(COUNTY_MOST) + 16)
    # (恢复默认列 fits the columns to the rows after its callbacks: remembered after that)
    comforts.defaults_restored.append(lambda: QTimer.singleShot(0, fill.remember))
    return fill, RowFitter(table, fill, fitted)
