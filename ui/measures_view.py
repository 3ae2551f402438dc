"""扶持措施: every support measure, with filters and totals, read on the background runner
(on a city's database the list, its totals and the 县区 choices take a noticeable part of
a second)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from tiers.model import reference
from tiers.model.support_categories import AMOUNT_NAMES, split_amounts
from tiers.queries import measures
from tiers.storage.database import Database
from tiers.text.values import show
from ui.app_settings import AppSettings
from ui.background_runner import BackgroundRunner
from ui.column_fit import CharWidths, fit_to_texts
from ui.county_column import CountyColumn, read_counties
from ui.latest_read import LatestRead
from ui.record_table_model import (
    RecordColumn,
    RecordTableModel,
    fitted_and_keyed,
    record_table,
)
from ui.table_comforts import TableComforts

ALL = "（全部）"
ROW_LIMIT = 5000  # a list for reading; totals always cover every matching measure


COLUMNS = [
    RecordColumn("year", "年度"), RecordColumn("name", "企业名称"),
    RecordColumn("county", "县区"), RecordColumn("town", "镇街"), RecordColumn("kind", "措施类别"),
    RecordColumn("measure_name", "项目名称"),
    RecordColumn("amount", "金额（万元）", align=Qt.AlignRight | Qt.AlignVCenter, amount=True),
    RecordColumn("paid_on", "兑现日期"), RecordColumn("implementer", "实施单位"),
    RecordColumn("status", "状态"), RecordColumn("policy_basis", "政策依据"),
]


class MeasuresModel(RecordTableModel):
    """The measures: the sums of selected rows say the 资金奖补 and the other amounts apart."""

    def amount_summary(self, rows: list[int]) -> list[str]:
        money, others = split_amounts((record["kind"], record["amount"])
                                      for record in map(self.record, rows) if record)
        return [money_words(self.tr, money, others)]


def money_words(tr, money, others: dict) -> str:
    """资金奖补合计 12.50 万元（另有融资额 500.00、税收优惠额 3.00 万元，不计入）: a loan, a
    guarantee, a tax deduction or a service is said apart, not added to the money paid."""
    apart = "、".join(f"{AMOUNT_NAMES[name]} {show(amount, 'amount', places=2, grouped=True)}"
                     for name, amount in others.items())
    return (tr("资金奖补合计 %1 万元").replace("%1", show(money, "amount", places=2, grouped=True))
            + (tr("（另有%1 万元，不计入）").replace("%1", apart) if apart else ""))


def load_measures(database: Database, filters: dict,
                  widths: CharWidths | None = None) -> dict[str, Any]:
    """What the page shows (on the runner): the measures, their totals, the choices, each
    column's widest texts (the GUI thread measures only those: ui.column_fit) and sort keys
    (a click on a header is a key sort)."""
    with database.session() as session:
        rows = measures.measures(session, **filters, limit=ROW_LIMIT)
        widest, keys = fitted_and_keyed(COLUMNS, rows, widths)
        return {"rows": rows, "widest": widest, "keys": keys,
                "totals": measures.measure_totals(session, **filters),
                "years": measures.measure_years(session),
                "counties": read_counties(database, session)}


class MeasuresView(QWidget):
    open_requested = Signal(int)
    loaded = Signal()  # a refresh's rows are shown

    def __init__(self, database: Database, parent: QWidget | None = None, *,
                 load: bool = True, settings: AppSettings | None = None,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = runner
        self.reading = LatestRead(self, self.tr("扶持措施"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("企业名称、拼音首字母、项目名称或政策文号"))
        self.search.setClearButtonEnabled(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self.timer.start)
        self.kind = self._combo([(k, k) for k in reference.pick_lists()["kinds"]])
        self.year = self._combo([])
        self.county = self._combo([])
        self.status = self._combo([(s, s) for s in reference.pick_lists()["statuses"]])
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for label, combo in ((self.tr("类别"), self.kind), (self.tr("年度"), self.year),
                             (self.tr("县区"), self.county), (self.tr("状态"), self.status)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight: bold;")
        self.model = MeasuresModel(COLUMNS, [], self)
        self.table = record_table(self.model)
        self.table.activated.connect(self._activated)
        self.county_column = CountyColumn(self.table, self.model)
        self.comforts = TableComforts(
            self.table, "measures", settings, unit=self.tr("项"), title=self.tr("扶持措施"),
            runner=runner,
            open_row=lambda row: self._activated(self.model.index(row, 0)),
            describe=self.describe_filters)
        self.county_column.follow(self.comforts)
        self.widest: list[list[str]] = []  # each column's widest texts, as last read
        self.comforts.fit = lambda: fit_to_texts(self.table, self.widest)
        self.char_widths = CharWidths.of(self.table.fontMetrics())
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        if load:
            self.refresh()

    def _combo(self, items) -> QComboBox:
        combo = QComboBox()
        # as wide as the longest item: never a clipped （全部
        combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        combo.setMinimumContentsLength(4)
        # never narrower than its text: at 1366 wide the search box gives way, not （全部）
        combo.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)
        combo.addItem(ALL, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.refresh)
        fit_to_items(combo)
        return combo

    def _fill_choices(self, years: list[int], counties: list[str]) -> None:
        for combo, items in ((self.year, [(str(y), y) for y in years]),
                             (self.county, [(c, c) for c in counties])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
            combo.blockSignals(False)
            fit_to_items(combo)

    def filters(self) -> dict:
        return {"kind": self.kind.currentData(), "year": self.year.currentData(),
                "county": self.county.currentData(), "status": self.status.currentData(),
                "search": self.search.text()}

    def refresh(self) -> None:
        """Read the measures for the filters on the runner (here without one); a later
        refresh supersedes one still reading."""
        self.timer.stop()
        filters, database, widths = self.filters(), self.database, self.char_widths
        self.reading.run(self.runner, lambda _task: load_measures(database, filters, widths),
                         self._show)

    def _show(self, found: dict[str, Any]) -> None:
        asked = self.filters()
        self._fill_choices(found["years"], found["counties"])
        if self.filters() != asked:  # the year or county chosen is gone: read again
            self.refresh()
            return
        self.county_column.show_for_counties(found["counties"])
        totals = found["totals"]
        self.model.set_rows(found["rows"], keys=found.get("keys"))
        self.widest = found["widest"]
        fit_to_texts(self.table, self.widest)
        shown = "" if totals["measures"] <= ROW_LIMIT else self.tr(
            "（列表显示前 %1 条）").replace("%1", f"{ROW_LIMIT:,}")
        # the money paid (资金奖补) is the sum; a loan, a guarantee, a tax deduction or a
        # service is said apart, not added to it
        self.totals.setText(self.tr("共 %1 项措施，涉及 %2 家企业，%3%4")
                            .replace("%1", f"{totals['measures']:,}")
                            .replace("%2", f"{totals['enterprises']:,}")
                            .replace("%3", money_words(self.tr, totals["total"],
                                                       totals.get("others", {})))
                            .replace("%4", shown))
        self.loaded.emit()

    def describe_filters(self) -> str:
        parts = [f"{label}：{combo.currentText()}" for label, combo in (
            ("类别", self.kind), ("年度", self.year), ("县区", self.county),
            ("状态", self.status)) if combo.currentIndex() > 0]
        if self.search.text().strip():
            parts.insert(0, f"搜索：{self.search.text().strip()}")
        return "；".join(parts)

    def _activated(self, index) -> None:
        row = self.model.record(index.row())
        if row:
            self.open_requested.emit(row["enterprise_id"])


def fit_to_items(combo: QComboBox) -> None:
    """Wide enough for its longest item beside the arrow. AdjustToContents alone measures
    the glyphs' ink, and the ink of a full-width （ ） is about half its width: （全部）
    came out cut off as （全部 at 1366 wide."""
    metrics = combo.fontMetrics()
    text = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
               default=0)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    size = combo.style().sizeFromContents(QStyle.CT_ComboBox, option,
                                          QSize(text, metrics.height()), combo)
    combo.setMinimumWidth(size.width())
