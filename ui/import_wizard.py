"""The import wizard: file (or a drop) → sheet → column mapping → preview → apply → result.

Each step calls the importers pipeline (open_source, detect, build_plan, apply_plan,
undo_batch); the slow ones run on the background runner with a progress bar and cancel.
Nothing is written before 导入; 导入 is one transaction, and the result page can undo it."""

from __future__ import annotations

import contextlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from importers import (
    Detection,
    ImportRefused,
    Link,
    Plan,
    Source,
    apply_plan,
    build_plan,
    columns,
    detect,
    open_source,
    remember_mapping,
    undo_batch,
    write_error_report,
)
from tiers.errors import EXPECTED
from tiers.model import reference
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, FileDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.count_texts import counts_text, removed_text
from ui.import_hints import hinted
from ui.link_dialog import LinkDialog
from ui.plan_table_model import PlanTableModel

# .txt is tab-separated text (what 另存为“文本文件(制表符分隔)” writes); the importers read it
FILE_FILTER = ("Excel / CSV / 文本名单 (*.xlsx *.xlsm *.xls *.csv *.txt);;"
               "Excel 工作簿 (*.xlsx *.xlsm *.xls);;CSV / 制表符分隔文本 (*.csv *.txt);;所有文件 (*)")
FILE, SHEET, MAPPING, PREVIEW, RESULT = range(5)
NOT_IMPORTED = "（不导入）"
RECOGNITIONS = "recognitions"
KEPT_SHOWN = 20  # kept values listed one by one after an undo; the rest are counted
# Outcomes the user is told about in Chinese: a refused file, a value the services refuse,
# a file that cannot be read or written. Not bugs, so no traceback on the terminal.
EXPECTED_ERRORS = EXPECTED


@dataclass(frozen=True)
class Refusal:
    """What a job returns instead of raising an expected error (see ``expected_outcome``)."""

    message: str


def expected_outcome(job):
    """The job, with expected errors returned as a Refusal instead of raised: the runner logs
    a traceback for every exception it does not know, and a refused file is no bug."""

    def guarded(task):
        try:
            outcome = job(task)
            if inspect.isgenerator(outcome):
                outcome = yield from outcome
        except EXPECTED_ERRORS as exc:
            return Refusal(hinted(str(exc), getattr(exc, "hint_field", ""))
                           or type(exc).__name__)
        return outcome

    return guarded


def _sample(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kept_line(item: dict[str, Any]) -> str:
    reason = str(item.get("reason") or item.get("name") or "")
    for ending in ("，予以保留", "予以保留"):
        if reason.endswith(ending):
            return reason[:-len(ending)]
    return reason


def undo_summary(result) -> str:
    """已撤销导入批次 3：删除 认定 4 项、企业 3 家；还原字段 2 个。 — then, one a line, what was
    edited after the import and so left as it is. The wizard and 导入记录 both show it."""
    details = []
    removed = removed_text(result.removed)
    if removed:
        details.append("删除 " + removed)
    if result.restored:
        details.append(f"还原字段 {result.restored} 个")
    text = f"已撤销导入批次 {result.batch_id}"
    lines = [text + ("：" + "；".join(details) if details else "：没有需要删除或还原的内容") + "。"]
    if result.kept:
        lines.append("以下内容导入后被修改过，保留未动：")
        lines += ["　· " + _kept_line(item) for item in result.kept[:KEPT_SHOWN]]
        if len(result.kept) > KEPT_SHOWN:
            lines.append(f"　……另有 {len(result.kept) - KEPT_SHOWN} 处")
    return "\n".join(lines)


def open_and_guess(path: str) -> tuple[Source, Detection | None]:
    """Open the file and let detect() pick the sheet, as ``tiers import`` does without
    --sheet (the one whose header means most, not 填报说明). No guess when no sheet has a
    recognisable header: the user picks one and is told what is wrong with it."""
    source = open_source(path)
    try:
        return source, detect(source)
    except ImportRefused:
        return source, None
    except BaseException:
        source.close()
        raise


def fit_text(button: QPushButton) -> None:
    """Never narrower than its whole label: a CJK label measured in the style's font can come
    out shorter than the fallback font draws it, and the layout then cuts it off."""
    metrics = button.fontMetrics()
    width = max(metrics.horizontalAdvance(button.text()),
                metrics.boundingRect(button.text()).width())
    button.setMinimumWidth(max(button.sizeHint().width(), width + 4 * metrics.averageCharWidth()))
    button.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)


class ImportWizard(QDialog):
    imported = Signal()  # written or undone: the main window refreshes
    step_done = Signal(int)  # a page is ready (for tests and screenshots)
    task_failed = Signal(str)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, path: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入名单"))
        self.resize(1100, 700)
        self.setAcceptDrops(True)
        self.database, self.settings, self.runner = database, settings, runner
        self.source: Source | None = None
        self.detection: Detection | None = None
        # the sheet detect() picks on its own (as the CLI does), preselected on step 2
        self.best_guess: Detection | None = None
        self.plan: Plan | None = None
        # 指定关联: the firm the user chose for a row (Excel row → Link), and the firms
        # offered for it, kept for the next plans of this sheet
        self.links: dict[int, Link] = {}
        self.link_choices: dict[int, list[dict[str, Any]]] = {}
        self._select_after_plan: int | None = None
        self._shown_year: int | None = None  # the 年度 filled in from the file
        self.batch_id: int | None = None
        self.task: Task | None = None
        self.stack = QStackedWidget()
        for page in (self._file_page(), self._sheet_page(), self._mapping_page(),
                     self._preview_page(), self._result_page()):
            self.stack.addWidget(page)
        self.progress = QProgressBar()
        self.progress.hide()
        self.progress_text = QLabel()
        self.cancel_task_button = QPushButton(self.tr("取消"))
        self.cancel_task_button.hide()
        self.cancel_task_button.clicked.connect(self.cancel_task)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.back_button = QPushButton(self.tr("< 上一步"))
        self.next_button = QPushButton(self.tr("下一步 >"))
        self.next_button.setDefault(True)
        self.close_button = QPushButton(self.tr("关闭"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_text)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_task_button)
        buttons.addStretch(0)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        # Enter means 下一步 / 导入, never 关闭: a focused button must not become the default
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.next_button)
        self.show_step(FILE)
        self.path.setFocus()
        if path:
            self.path.setText(path)

    # --- pages --------------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("选择或拖入一个 Excel / CSV / 文本文件"))
        self.path.textChanged.connect(lambda _t: self._update_buttons())
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        hint = QLabel(self.tr(
            "支持 .xlsx、.xlsm、.xls、.csv 和制表符分隔的 .txt（含 GBK 编码）。可以直接把文件拖到这个窗口或主窗口上。\n"
            "标题行、两行表头、合并单元格都能识别；下一步可以核对和修改每一列的对应字段。"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _sheet_page(self) -> QWidget:
        page = QWidget()
        self.sheets = QListWidget()
        self.sheets.itemDoubleClicked.connect(lambda _i: self.next())
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("选择要导入的工作表：")))
        layout.addWidget(self.sheets, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.kind = QComboBox()
        for key in columns.KINDS:
            self.kind.addItem(columns.KIND_LABELS[key], key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.tier = QComboBox()
        self.tier.addItem("", None)
        for tier in reference.tiers():
            self.tier.addItem(tier.name, tier.code)
        self.level = QComboBox()
        self.level.addItem("", None)
        for level in reference.LEVELS:
            self.level.addItem(level, level)
        self.batch_label = QLineEdit()
        self.batch_label.setPlaceholderText(self.tr("如 第五批 / 2023年度"))
        self.batch_year = QSpinBox()
        self.batch_year.setRange(0, 2100)
        self.batch_year.setSpecialValueText(self.tr("（未知）"))
        self.is_review = QCheckBox(self.tr("复核通过名单"))
        meta = self.meta_form = QFormLayout()
        meta.addRow(self.tr("导入类别"), self.kind)
        meta.addRow(self.tr("梯度层级"), self.tier)
        meta.addRow(self.tr("认定级别"), self.level)
        meta.addRow(self.tr("批次"), self.batch_label)
        meta.addRow(self.tr("年度"), self.batch_year)
        meta.addRow("", self.is_review)
        # what a recognition list records with each title: hidden for the other kinds, so
        # nobody believes a 企业名录 will record the title its heading names
        self.recognition_fields = (self.tier, self.level, self.batch_label, self.is_review)
        self._show_kind_fields()
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表头"), self.tr("示例"), self.tr("对应字段")])
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.mapping_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        left = QVBoxLayout()
        left.addLayout(meta)
        left.addWidget(self.detected)
        left.addStretch(1)
        layout = QHBoxLayout(page)
        layout.addLayout(left)
        layout.addWidget(self.mapping_table, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        self.problems_only = QCheckBox(self.tr("只看有问题的行"))
        self.problems_only.toggled.connect(lambda on: self.plan_model.set_problems_only(on))
        self.file_problems = QLabel()
        self.file_problems.setWordWrap(True)
        self.file_problems.setStyleSheet("color: #b35c00")
        self.plan_model = PlanTableModel(None, self)
        self.preview = QTableView()
        self.preview.setModel(self.plan_model)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.preview.setSelectionMode(QAbstractItemView.SingleSelection)
        self.preview.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_link_buttons())
        # a double-click links; not Enter, which stays 导入 as on every step (Alt+L links)
        self.preview.doubleClicked.connect(lambda _index: self.link_row())
        self.link_button = QPushButton(self.tr("指定关联(&L)…"))
        self.link_button.setToolTip(self.tr("未匹配或同名企业的行：指定它是库中的哪家企业"))
        self.link_button.clicked.connect(lambda: self.link_row())
        self.unlink_button = QPushButton(self.tr("取消关联(&U)"))
        self.unlink_button.clicked.connect(self.unlink_row)
        for button in (self.link_button, self.unlink_button):
            fit_text(button)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.link_button)
        top.addWidget(self.unlink_button)
        top.addWidget(self.problems_only)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.file_problems)
        layout.addWidget(self.preview, 1)
        self._update_link_buttons()
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setStyleSheet("font-size: 11pt;")
        self.save_problems_button = QPushButton(self.tr("把问题行保存为 Excel…"))
        self.save_problems_button.clicked.connect(lambda: self.save_problems())
        fit_text(self.save_problems_button)
        self.undo_button = QPushButton(self.tr("撤销这次导入"))
        self.undo_button.clicked.connect(self.undo)
        fit_text(self.undo_button)
        row = QHBoxLayout()
        row.addWidget(self.save_problems_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_text)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # --- navigation ---------------------------------------------------------------------
    TITLES = ("第 1 步：选择文件", "第 2 步：选择工作表", "第 3 步：核对列和名单信息",
              "第 4 步：预览（尚未写入）", "第 5 步：完成")

    def show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.step_label.setText(self.tr(self.TITLES[step]))
        self.next_button.setText(self.tr("导入") if step == PREVIEW else self.tr("下一步 >"))
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
        enabled = not busy and step != RESULT
        if step == FILE:
            enabled = enabled and bool(self.path.text().strip())
        if step == PREVIEW:
            enabled = enabled and self.plan is not None and self.plan.writes
        self.next_button.setEnabled(enabled)
        self.next_button.setVisible(step != RESULT)

    def back(self) -> None:
        step = self.current_step()
        if step == MAPPING and self.source is not None and len(self.visible_sheets()) <= 1:
            self.show_step(FILE)
        elif step > FILE:
            self.show_step(step - 1)

    def next(self) -> None:
        self.error.setText("")
        step = self.current_step()
        if step == FILE:
            self.open_file()
        elif step == SHEET:
            item = self.sheets.currentItem()
            if item is not None:
                self.detect_sheet(item.text())
        elif step == MAPPING:
            self.make_plan()
        elif step == PREVIEW:
            self.apply()

    # --- steps --------------------------------------------------------------------------
    def browse(self) -> None:
        path = FileDialog.open_file(self, self.tr("选择名单文件"),
                                    self.settings.last_folder("import"), FILE_FILTER)
        if path:
            self.path.setText(path)

    def visible_sheets(self) -> list[str]:
        if self.source is None:
            return []
        return [n for n in self.source.sheet_names if self.source.is_visible(n)]

    def open_file(self) -> None:
        path = self.path.text().strip()
        self.settings.remember_folder("import", path)
        if self.source is not None:
            self.source.close()
            self.source = None
        self.best_guess = None
        self._run(self.tr("读取文件"), lambda _t: open_and_guess(path), self._file_opened)

    def _file_opened(self, opened: tuple[Source, Detection | None]) -> None:
        source, self.best_guess = opened
        self.source = source
        self.sheets.clear()
        sheets = self.visible_sheets() or list(source.sheet_names)
        self.sheets.addItems(sheets)
        guess = self.best_guess
        row = sheets.index(guess.sheet) if guess is not None and guess.sheet in sheets else 0
        self.sheets.setCurrentRow(row)
        if len(sheets) == 1:
            self.detect_sheet(sheets[0])
        else:
            self.show_step(SHEET)

    def detect_sheet(self, sheet: str) -> None:
        if self.best_guess is not None and self.best_guess.sheet == sheet:
            self._detected(self.best_guess)  # already detected when the file was opened
            return
        source = self.source
        self._run(self.tr("识别表头"), lambda _t: detect(source, sheet), self._detected)

    def _detected(self, detection: Detection) -> None:
        self.detection = detection
        self.links, self.link_choices = {}, {}  # rows of another sheet or file
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(self.kind.findData(detection.kind), 0))
        self.kind.blockSignals(False)
        self._show_kind_fields()
        meta = detection.metadata
        self.tier.setCurrentIndex(max(self.tier.findData(meta.tier), 0))
        self.level.setCurrentIndex(max(self.level.findData(meta.level), 0))
        self.batch_label.setText(meta.batch_label or "")
        # the year a recognition's batch implies (第六批 小巨人 → 2024), shown as the plan uses it
        self._shown_year = meta.year
        self.batch_year.setValue(self._shown_year or 0)
        self.is_review.setChecked(bool(meta.is_review))
        notes = [self.tr("表头在第 %1 行").replace(
            "%1", "、".join(str(r) for r in detection.header_row_numbers()))]
        if detection.remembered:
            notes.append(self.tr("已套用上次对这种表格的列对应"))
        if meta.title:
            notes.append(self.tr("标题：") + meta.title)
        notes += [p.message for p in detection.problems]
        self.detected.setText("\n".join(notes))
        self._fill_mapping(detection)
        self.show_step(MAPPING)

    def _fill_mapping(self, detection: Detection) -> None:
        sheet = detection.source.sheet(detection.sheet)
        samples = sheet.rows[detection.data_start:detection.data_start + 3]
        table = self.mapping_table
        table.setRowCount(0)
        table.setRowCount(len(detection.headers))
        kind = self.kind.currentData()
        specs = sorted(columns.fields().values(),
                       key=lambda spec: (kind not in spec.kinds, spec.label))
        for row, column in enumerate(detection.column_table()):
            table.setItem(row, 0, QTableWidgetItem(column["column"]))
            table.setItem(row, 1, QTableWidgetItem(column["header"]))
            example = " | ".join(_sample(r[row]) for r in samples
                                 if row < len(r) and r[row] not in (None, ""))
            table.setItem(row, 2, QTableWidgetItem(example))
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, None)
            for spec in specs:
                combo.addItem(spec.label, spec.key)
            position = combo.findData(column["field"]) if column["field"] else 0
            combo.setCurrentIndex(max(position, 0))
            table.setCellWidget(row, 3, combo)
        table.resizeColumnsToContents()
        table.setColumnWidth(3, max(table.columnWidth(3), 180))

    def _show_kind_fields(self) -> None:
        recognitions = self.kind.currentData() == RECOGNITIONS
        for widget in self.recognition_fields:
            self.meta_form.setRowVisible(widget, recognitions)

    def _kind_changed(self) -> None:
        self._show_kind_fields()
        if self.detection is not None:
            self._fill_mapping(self.detection.with_options(mapping=self.current_mapping()))

    def mapping_combo(self, column: int) -> QComboBox:
        return self.mapping_table.cellWidget(column, 3)

    def current_mapping(self) -> dict[int, str | None]:
        return {row: self.mapping_combo(row).currentData()
                for row in range(self.mapping_table.rowCount())}

    def corrected_detection(self) -> Detection:
        assert self.detection is not None
        kind = self.kind.currentData()
        options: dict[str, Any] = {"kind": kind, "mapping": self.current_mapping()}
        if kind == RECOGNITIONS:  # the fields shown only for a recognition list
            options["is_review"] = self.is_review.isChecked()
            if self.tier.currentData():
                options["tier"] = self.tier.currentData()
            if self.level.currentData():
                options["level"] = self.level.currentData()
            if self.batch_label.text().strip():
                options["batch_label"] = self.batch_label.text().strip()
        # only a year the user changed counts as given: the one detected (from a title
        # such as “2023—2024年”) must not pick one year's columns of a two-year sheet
        year = self.batch_year.value() or None
        if year is not None and year != self._shown_year:
            options["batch_year"] = year
        return self.detection.with_options(**options)

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

        def job(_task):
            with database.session() as session:
                plan = yield from build_plan(session, detection, links=links)
            return plan

        self._run(self.tr("比对数据库"), job, self._planned)

    def _planned(self, plan: Plan) -> None:
        self.plan = plan
        self.links = dict(plan.links)
        self.plan_model.set_plan(plan)
        select = self._select_after_plan
        self._select_after_plan = None
        if select is None:  # a fresh preview shows every row; after a link, as it was
            self.problems_only.setChecked(False)
        counts = plan.counts()
        self.counts.setText(counts_text(counts))
        self.file_problems.setText("\n".join(hinted(p.message, p.hint_field)
                                             for p in plan.problems))
        self.file_problems.setVisible(bool(plan.problems))
        self.preview.resizeColumnsToContents()
        if not plan.writes:
            self.error.setText(self.tr("这份名单不会带来任何变化（没有新增或更新的行）。"))
        if select is not None:
            self.select_plan_row(select)
        self._update_link_buttons()
        self.show_step(PREVIEW)

    # --- 指定关联 -----------------------------------------------------------------------
    def current_plan_row(self):
        index = self.preview.currentIndex()
        return self.plan_model.row_at(index.row()) if index.isValid() else None

    def select_plan_row(self, excel_row: int) -> None:
        position = self.plan_model.position_of(excel_row)
        if position is not None:
            self.preview.selectRow(position)
            self.preview.scrollTo(self.plan_model.index(position, 0))

    def _update_link_buttons(self) -> None:
        row = self.current_plan_row()
        self.link_button.setEnabled(row is not None and row.linkable and not self._busy())
        self.unlink_button.setEnabled(row is not None and row.row in self.links
                                      and not self._busy())

    def link_row(self) -> None:
        """Ask which firm the current row is (LinkDialog.choose, patched in tests as every
        question is), then plan again with that link."""
        row = self.current_plan_row()
        if row is None or not row.linkable or self._busy():
            return
        choices = self.link_choices.get(row.row) or list(row.suggestions)
        chosen = LinkDialog.choose(self.database, row, choices, self.links.get(row.row), self)
        if chosen is None:
            return
        link, choices = chosen
        self.link_choices[row.row] = choices
        # with the row's name: should the row read otherwise later, the link is refused
        self._replan(row.row, {**self.links, row.row: Link(
            link.enterprise_id, remember_name=link.remember_name, name=row.name)})

    def unlink_row(self) -> None:
        row = self.current_plan_row()
        if row is None or row.row not in self.links or self._busy():
            return
        self._replan(row.row, {r: link for r, link in self.links.items() if r != row.row})

    def _replan(self, excel_row: int, links: dict[int, Link]) -> None:
        self._select_after_plan = excel_row
        self.make_plan(links)

    def apply(self) -> None:
        plan, database = self.plan, self.database
        user = self.settings.officer or None

        def job(_task):
            with database.session() as session:
                result = yield from apply_plan(session, plan, user=user)
            return result

        self._run(self.tr("写入数据库"), job, self._applied)

    def _applied(self, result) -> None:
        self.batch_id = result.batch_id
        # the next file laid out like this one gets the same columns (a convenience only)
        with contextlib.suppress(OSError):
            remember_mapping(self.plan.headers, dict(self.plan.mapping))
        counts = result.counts
        lines = [self.tr("导入完成：") + counts_text(counts, separator="　")]
        if result.batch_id is not None:
            lines.append(self.tr("本次导入编号 %1，可在“导入记录”中随时撤销。").replace(
                "%1", str(result.batch_id)))
        problems = counts.get("errors", 0) + counts.get("unmatched", 0)
        if problems:
            lines.append(self.tr("有 %1 行未导入，可保存为 Excel 修改后再导入。").replace(
                "%1", str(problems)))
        self.result_text.setText("\n".join(lines))
        self.save_problems_button.setEnabled(bool(problems))
        self.undo_button.setEnabled(result.batch_id is not None)
        self.show_step(RESULT)
        self.imported.emit()

    def save_problems(self, path: str | None = None) -> int:
        if self.plan is None:
            return 0
        if not path:
            suggested = Path(self.settings.last_folder("import")) / (
                Path(self.plan.file_name).stem + "-问题行.xlsx")
            path = FileDialog.save_file(self, self.tr("保存问题行"), str(suggested),
                                        "Excel 工作簿 (*.xlsx)")
        if not path:
            return 0
        try:
            written = write_error_report(self.plan, path)
        except OSError as exc:  # open in Excel, a read-only folder: the officer can fix it
            MessageDialog.error(self, self.tr("保存问题行"), self.tr(
                "无法保存到 %1：%2（文件是否正在 Excel 中打开？）").replace(
                "%1", str(path)).replace("%2", exc.strerror or str(exc)))
            return 0
        MessageDialog.info(self, self.tr("已保存"), self.tr("已把 %1 行保存到 %2").replace(
            "%1", str(written)).replace("%2", str(path)))
        return written

    def undo(self) -> None:
        if self.batch_id is None or not ConfirmDialog.ask(
                self, self.tr("撤销导入"), self.tr("撤销刚才的导入？新增的记录会被删除，修改的字段会还原。")):
            return
        database, batch_id = self.database, self.batch_id
        user = self.settings.officer or None

        def job(_task):
            with database.session() as session:
                result = yield from undo_batch(session, batch_id, user=user)
            return result

        self._run(self.tr("撤销导入"), job, self._undone)

    def _undone(self, result) -> None:
        self.result_text.setText(undo_summary(result))
        self.undo_button.setEnabled(False)
        self.batch_id = None
        self.imported.emit()
        self.step_done.emit(RESULT)

    # --- background work ----------------------------------------------------------------
    def _run(self, title: str, job, on_success) -> Task:
        self.progress_text.setText(title + "……")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_task_button.show()
        self.task = self.runner.submit(title, expected_outcome(job))
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(
            lambda outcome: self._failed(outcome.message) if isinstance(outcome, Refusal)
            else on_success(outcome))
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(lambda: self.error.setText(self.tr("已取消，未写入任何数据。")))
        self.task.finished.connect(self._task_finished)
        self._update_buttons()
        self._update_link_buttons()
        return self.task

    def _progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:
            self.progress_text.setText(message + "……")

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.task_failed.emit(message)

    def _task_finished(self) -> None:
        self.progress.hide()
        self.progress_text.setText("")
        self.cancel_task_button.hide()
        if self._select_after_plan is not None:  # the new plan failed or was cancelled
            self._select_after_plan = None
        self._update_buttons()
        self._update_link_buttons()

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # --- drop and close -----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and self.current_step() == FILE:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.path.setText(urls[0].toLocalFile())
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self._busy():
            if not ConfirmDialog.ask(self, self.tr("导入"), self.tr("正在处理，取消并关闭？")):
                event.ignore()
                return
            self.task.cancel()
            self.task.done.wait(30)
        if self.source is not None:
            self.source.close()
            self.source = None
        event.accept()
