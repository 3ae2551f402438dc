"""Step 4: the plan, row by row, before anything is written; 指定关联 for a row the
importers could not match (the wizard re-plans with the link); the values firms already
have that the file would change, with 只补空白 / 全部更新 (the wizard re-plans with the
choice) and their list, old → new."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from importers import Plan
from importers.plan.overwrites import detail_rows, summary
from tiers.text.counts import counts_text
from tiers.text.unit_counties import OtherCountiesWays, importable_left, other_counties_sentence
from ui.import_hints import hinted
from ui.import_wizard.summary import fit_text, standing_lines
from ui.plan_table_model import (
    CONTENT_COLUMN,
    PROBLEMS_COLUMN,
    SUGGESTIONS_COLUMN,
    PlanTableModel,
    row_details,
)
from ui.read_only_look import read_only_text
from ui.record_table_model import enable_sorting
from ui.table_comforts import TableComforts, widths_chosen

WRAPPED_ROWS = 2000  # rows measured for wrapped problems; beyond, only the rows in view
MOST_IN_VIEW = 200  # rows fitted at most at a time in a long preview (a tall screen's worth)
# a row fitted to its wrapped text is this many lines at most: a 备注 of 600 characters made
# its row taller than the table (the text whole in the cell's tooltip)
ROW_LINES = 6
DETAILS_LINES = 4  # the selected row's problems whole, under the table (scrolls beyond)
PROBLEMS_WIDTH = 420  # px: a long message wraps within it instead of running off screen
# px: what a row will write wraps too; its recognition comes last and must be in sight
CONTENT_WIDTH = 480
# the wrapped columns share what the others leave of the table's width (问题 filled, the
# last column ran off the right edge), none narrower than this unless its text is
WRAPPED_MINIMUM = 160
OVERWRITES_LISTED = 5000
OVERWRITE_HEADERS = ("行号", "企业名称", "统一社会信用代码", "字段", "原值", "文件中的值")


def share_width(wanted: dict[int, int], room: int, minimum: int) -> dict[int, int]:
    """Widths for columns that wrap their text: each as ``wanted`` when all fit in ``room``;
    otherwise the room shared in proportion to what each wants, none below ``minimum``
    (nor above what it wants)."""
    if sum(wanted.values()) <= room:
        return dict(wanted)
    widths = {column: min(width, minimum) for column, width in wanted.items()}
    growing = {column: width for column, width in wanted.items() if width > minimum}
    spare = room - sum(widths.values())
    total = sum(width - minimum for width in growing.values())
    if spare > 0 and total > 0:
        for column, width in growing.items():
            widths[column] += min(width - minimum, spare * (width - minimum) // total)
    return widths


def tallest_row(view: QTableView) -> int:
    """The height (px) a row fitted to its wrapped text is given at most: ROW_LINES lines."""
    return ROW_LINES * view.fontMetrics().lineSpacing() + 8


class PreviewPage(QWidget):
    fill_blanks_chosen = Signal(bool)  # the officer switched 只补空白 / 全部更新
    # the officer takes in (or leaves out again) the rows outside 本单位负责的区县
    other_counties_chosen = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        self.problems_only = QCheckBox(self.tr("只看有问题的行"))
        self.problems_only.toggled.connect(self._problems_only)
        # 公示名单 or 认定名单, and the firms a final list leaves out
        self.standing = QLabel()
        self.standing.setWordWrap(True)
        self.standing.setStyleSheet("color: #1d5fbf")
        self.file_problems = QLabel()
        self.file_problems.setWordWrap(True)
        self.file_problems.setStyleSheet("color: #b35c00")
        self.plan_model = PlanTableModel(None, self)
        self.preview = QTableView()
        self.preview.setModel(self.plan_model)
        self.preview.setWordWrap(True)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.preview.setSelectionMode(QAbstractItemView.SingleSelection)
        enable_sorting(self.preview)
        self._wanted: dict[int, int] = {}  # the wrapped columns' widths for their text
        self._refit = QTimer(self)  # once the resizing stops: rows are measured again
        self._refit.setSingleShot(True)
        self._refit.setInterval(60)
        self._refit.timeout.connect(self._resized)
        self.preview.viewport().installEventFilter(self)
        # the rows follow a width the officer dragged, and in a long preview the rows
        # scrolled into view are fitted (measuring 100,000 rows would hold the window)
        self._refit_rows = QTimer(self)
        self._refit_rows.setSingleShot(True)
        self._refit_rows.setInterval(60)
        self._refit_rows.timeout.connect(self.fit_rows_in_view)
        self.preview.horizontalHeader().sectionResized.connect(self._width_changed)
        self.preview.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.comforts = TableComforts(self.preview, "import_preview", None,
                                      title=self.tr("导入预览"))
        self.link_button = QPushButton(self.tr("指定关联(&L)…"))
        self.link_button.setToolTip(self.tr("未匹配或同名企业的行：指定它是库中的哪家企业"))
        self.unlink_button = QPushButton(self.tr("取消关联(&U)"))
        # the rows marked 按简称匹配 (one firm fits the name without 有限公司…), linked at
        # once (Plan.short_name_links); each then reads 按简称匹配（已采用）, a link the
        # officer can 取消关联 or change
        self.short_button = QPushButton(self.tr("采用简称匹配(&J)"))
        self.short_button.setToolTip(self.tr(
            "标为“按简称匹配”的行（去掉“有限公司”等后库中只有一家企业同名）全部关联到那家企业；"
            "不对的行可再取消关联"))
        for button in (self.link_button, self.unlink_button, self.short_button):
            fit_text(button)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.link_button)
        top.addWidget(self.unlink_button)
        top.addWidget(self.short_button)
        top.addWidget(self.problems_only)
        existing = self._build_existing_choice()
        other_counties = self._build_other_counties_choice()
        self.overwrite_list = QTableWidget(0, len(OVERWRITE_HEADERS))
        self.overwrite_list.setHorizontalHeaderLabels([self.tr(h) for h in OVERWRITE_HEADERS])
        self.overwrite_list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.overwrite_list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.overwrite_list.verticalHeader().hide()
        self.overwrite_list.verticalHeader().setDefaultSectionSize(22)
        self.overwrite_list.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, self.tr("逐行计划"))
        self.tabs.addTab(self.overwrite_list, self.tr("改写的已有值"))
        # the selected row's problems whole (Tab from the table reaches it; its text can be
        # selected and copied): a cell cut off, or one line in a long preview, is read here
        self.problem_details = read_only_text()
        self.problem_details.setPlaceholderText(self.tr("选中一行，在此查看它的全部问题"))
        self.problem_details.setAccessibleName(self.tr("所选行的问题"))
        metrics = self.problem_details.fontMetrics()
        self.problem_details.setFixedHeight(metrics.lineSpacing() * DETAILS_LINES + 12)
        self.preview.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._show_details())
        self.plan_model.modelReset.connect(self._show_details)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(existing)
        layout.addWidget(other_counties)
        layout.addWidget(self.standing)
        layout.addWidget(self.file_problems)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem_details)

    def _problems_only(self, on: bool) -> None:
        self.plan_model.set_problems_only(on)
        self.fit_rows()

    def _build_existing_choice(self) -> QWidget:
        """将改写 N 家企业的 M 个已有值 — and the choice 只补空白 / 全部更新."""
        self.overwrite_summary = QLabel()
        self.overwrite_summary.setWordWrap(True)
        self.overwrite_summary.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.fill_blanks = QRadioButton(self.tr("只补空白(&K)：企业已有的值不改"))
        self.overwrite = QRadioButton(self.tr("全部更新(&W)：用文件中的值改写"))
        self.existing_group = QButtonGroup(self)
        self.existing_group.addButton(self.fill_blanks)
        self.existing_group.addButton(self.overwrite)
        self.fill_blanks.toggled.connect(self._existing_toggled)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.overwrite_summary, 1)
        row.addWidget(self.fill_blanks)
        row.addWidget(self.overwrite)
        self.existing_box = box
        box.hide()
        return box

    def _build_other_counties_choice(self) -> QWidget:
        """本单位负责的区县为溧阳市：不属这些区县的 N 行不导入 — and the one choice to take
        them in (the preview is made again with it)."""
        self.other_counties_summary = QLabel()
        self.other_counties_summary.setWordWrap(True)
        self.other_counties_summary.setStyleSheet("color: #5b4a8a; font-weight: bold;")
        self.take_other_counties = QCheckBox(self.tr("一并导入这些行(&O)"))
        self.take_other_counties.setToolTip(self.tr(
            "不属本单位区县的企业也导入本库（本单位负责的区县在“设置”中设定）；"
            "其中未提供信用代码、库中没有的企业不会新建，仍为“未匹配”，可指定关联"))
        self.take_other_counties.toggled.connect(self.other_counties_chosen.emit)
        # one row alone (the officer's own 开发区 firm among other counties' rows); the
        # wizard plans again with it (ImportWizard.take_row), as 指定关联 does
        self.take_row_button = QPushButton(self.tr("导入此行(&T)"))
        self.take_row_button.setToolTip(self.tr(
            "只导入选中的这一行（不属本单位区县的企业），其余照样不导入；再按一次取消"))
        fit_text(self.take_row_button)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.other_counties_summary, 1)
        row.addWidget(self.take_row_button)
        row.addWidget(self.take_other_counties)
        self.other_counties_box = box
        box.hide()
        return box

    def show_other_counties(self, plan: Plan) -> None:
        """What 一并导入 leaves out and what it writes, counted as the plan counts them: a row
        without a credit code nor a firm of its name stays 未匹配 even taken in, said apart
        (and the choice then names only the rows it imports)."""
        rows, unmatched = plan.other_unit_rows, plan.other_unit_unmatched
        importable = importable_left(plan)  # (not the rows already taken one by one)
        self.other_counties_box.setVisible(rows > 0)
        if rows:
            self.other_counties_summary.setText(other_counties_sentence(
                plan, OtherCountiesWays(
                    left_out=self.tr("（各行“问题”中写明所属区县）"), row_taken=self.tr("导入此行"),
                    all_taken="", link=self.tr("（可指定关联）"))))  # (tiers import's too)
            if not unmatched:
                choice = self.tr("一并导入这些行(&O)")
            elif importable:
                choice = self.tr("一并导入其中 %1 行(&O)").replace("%1", f"{importable:,}")
            else:
                choice = self.tr("列为未匹配，以便指定关联(&O)")
            self.take_other_counties.setText(choice)
        self.take_other_counties.blockSignals(True)
        self.take_other_counties.setChecked(plan.other_counties_taken)
        self.take_other_counties.blockSignals(False)

    def _existing_toggled(self, fill_blanks_only: bool) -> None:
        if self.fill_blanks.isChecked() == fill_blanks_only:  # once per switch, not twice
            self.fill_blanks_chosen.emit(fill_blanks_only)

    def show_plan(self, plan: Plan, *, select: int | None) -> None:
        """Show a new plan; after a link (``select``, an Excel row) the filter stays as it was
        and that row is selected, a fresh preview shows every row."""
        self.plan_model.set_plan(plan)
        if select is None:
            self.problems_only.setChecked(False)
        self.counts.setText(counts_text(plan.counts()))
        self.file_problems.setText("\n".join(hinted(p.message, p.hint_field)
                                             for p in plan.problems))
        self.file_problems.setVisible(bool(plan.problems))
        self._show_overwrites(plan)
        self.show_other_counties(plan)
        standing = standing_lines(plan, self.tr("（可在上一步“名单性质”中更改）"))
        self.standing.setText("\n".join(standing))
        self.standing.setVisible(bool(standing))
        self.preview.resizeColumnsToContents()
        self._wanted = {column: min(self.preview.columnWidth(column), cap)
                        for column, cap in ((PROBLEMS_COLUMN, PROBLEMS_WIDTH),
                                            (CONTENT_COLUMN, CONTENT_WIDTH),
                                            (SUGGESTIONS_COLUMN, CONTENT_WIDTH))}
        self.fit_columns()
        if select is not None:
            self.select_plan_row(select)

    def fit_columns(self) -> None:
        """The wrapped columns (问题, 将写入的内容, 可能是) share the width the others leave,
        so that the last one ends at the table's edge; then the rows grow to fit. Again
        whenever the table is resized; widths the officer dragged are left alone."""
        view = self.preview
        if not self._wanted:
            return
        if widths_chosen(view):  # the officer's widths kept; the rows fitted to them
            self.fit_rows()
            return
        others = sum(view.columnWidth(column) for column in range(self.plan_model.columnCount())
                     if column not in self._wanted and not view.isColumnHidden(column))
        shown = {column: width for column, width in self._wanted.items()
                 if not view.isColumnHidden(column)}
        # not on screen yet: the width it will have is unknown (its resize on showing
        # shares it); until then each as wide as its text, up to its cap
        room = view.viewport().width() - others if view.isVisible() else sum(shown.values())
        for column, width in share_width(shown, room, WRAPPED_MINIMUM).items():
            view.setColumnWidth(column, width)
        self.fit_rows()

    def _resized(self) -> None:
        """The table resized: the wrapped columns share its new width, or, with widths the
        officer dragged (unchanged by a resize), the rows in view fitted again, as after a
        scroll: measuring all rows (up to WRAPPED_ROWS) froze the window at each resize."""
        if self._wanted and widths_chosen(self.preview):
            self.fit_rows_in_view()
        else:
            self.fit_columns()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.preview.viewport() and event.type() == QEvent.Resize:
            self._refit.start()
        return super().eventFilter(watched, event)

    def _width_changed(self, _column: int, _old: int, _new: int) -> None:
        if widths_chosen(self.preview):  # dragged: the wrapped texts take new heights
            self._refit_rows.start()

    def _scrolled(self, _value: int) -> None:
        self._refit_rows.start()  # (rows a drag left as they were, or never measured)

    def fit_rows(self) -> None:
        """Rows as tall as their wrapped problems, up to ROW_LINES lines: all of them where
        there are few enough to measure, else the rows in view (and again as the officer
        scrolls)."""
        view = self.preview
        if self.plan_model.rowCount() <= WRAPPED_ROWS:
            view.resizeRowsToContents()
            # then the few rows taller than the cap cut down (a row of a 600-character
            # 备注 was taller than the table): a QTableView subclass capping its
            # sizeHintForRow made every one of Qt's virtual calls go through Python (4%)
            tallest = tallest_row(view)
            for row in range(self.plan_model.rowCount()):
                if view.rowHeight(row) > tallest:
                    view.setRowHeight(row, tallest)
        else:
            self.fit_rows_in_view()

    def fit_rows_in_view(self) -> None:
        """The rows on screen as tall as their wrapped text (about 30 rows: some ms)."""
        view = self.preview
        count = self.plan_model.rowCount()
        if not count:
            return
        bottom, tallest = view.viewport().height(), tallest_row(view)
        first = max(view.rowAt(0), 0)
        # each row measured in turn until one starts below the bottom (rows grown push the
        # others down, rows shrunk bring unmeasured ones up)
        for row in range(first, min(count, first + MOST_IN_VIEW)):
            view.resizeRowToContents(row)
            if view.rowHeight(row) > tallest:  # (as fit_rows caps them)
                view.setRowHeight(row, tallest)
            if view.rowViewportPosition(row) >= bottom:
                break

    def _show_details(self) -> None:
        row = self.current_plan_row()
        self.problem_details.setPlainText(row_details(row) if row is not None else "")

    def _show_overwrites(self, plan: Plan) -> None:
        line = summary(plan.overwrites, fill_blanks_only=plan.fill_blanks_only)
        self.existing_box.setVisible(bool(line))
        self.overwrite_summary.setText(line)
        for button, checked in ((self.fill_blanks, plan.fill_blanks_only),
                                (self.overwrite, not plan.fill_blanks_only)):
            button.blockSignals(True)
            button.setChecked(checked)
            button.blockSignals(False)
        details = detail_rows(plan.overwrites)
        self.tabs.setTabText(1, self.tr("改写的已有值（%1）").replace("%1", f"{len(details):,}"))
        self.tabs.setTabEnabled(1, bool(details))
        if not details and self.tabs.currentIndex() == 1:
            self.tabs.setCurrentIndex(0)
        table = self.overwrite_list
        table.setRowCount(min(len(details), OVERWRITES_LISTED))
        for position, values in enumerate(details[:OVERWRITES_LISTED]):
            for column, value in enumerate(values):
                table.setItem(position, column, QTableWidgetItem(str(value)))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(len(OVERWRITE_HEADERS) - 1,
                                                      QHeaderView.Stretch)

    def current_plan_row(self):
        index = self.preview.currentIndex()
        return self.plan_model.row_at(index.row()) if index.isValid() else None

    def select_plan_row(self, excel_row: int) -> None:
        position = self.plan_model.position_of(excel_row)
        if position is not None:
            self.preview.selectRow(position)
            self.preview.scrollTo(self.plan_model.index(position, 0))
