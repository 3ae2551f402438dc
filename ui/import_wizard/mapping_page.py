"""Step 3: what the sheet is (kind, and for a recognition list its title, level and batch)
and which field each column holds; the user corrects what detect() found."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from importers import Detection, columns
from importers.read import own_reports
from tiers.model import reference
from tiers.text.values import show
from ui.import_wizard.field_chooser import FIELD_ROLE, FieldChooser
from ui.mnemonics import with_mnemonics

# the preview's 指定关联(&L), 取消关联(&U), 采用简称匹配(&J), 只补空白(&K), 全部更新(&W); the wizard's
# 下一步(&N), 上一步(&B), 导入(&I), 重新预览(&R) (年度 took N: Alt+N, Next in every wizard,
# went to it)
TAKEN_LETTERS = "LUJKWNBIR"

NOT_IMPORTED = "（不导入）"
RECOGNITIONS = "recognitions"
READ_ONLY = Qt.ItemIsEnabled | Qt.ItemIsSelectable


class MappingPage(QWidget):
    # 导入类别 chosen by the officer: the columns shown are that kind's (a message about the
    # last preview, of the kind before, is not about this one)
    kind_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detection: Detection | None = None
        self.shown_year: int | None = None  # the 年度 filled in from the file
        self.shown_choices: tuple = ()  # choices() as the file was read (see changed)
        # the columns as last filled in, of the kind then chosen, and the columns the
        # officer chose by hand since the file was read, by that kind (importers lays them
        # over the columns of a kind chosen next: Detection.mapping_of_kind)
        self.shown_mapping: dict[int, str | None] = {}
        self.shown_kind: str | None = None
        self.edited: dict[str, dict[int, str | None]] = {}
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
        # 公示名单: the firms are only proposed (公示中) until the final list or a confirmation
        self.standing = QComboBox()
        self.standing.addItem(self.tr("认定名单（企业已认定）"), False)
        self.standing.addItem(self.tr("公示名单（企业记为“公示中”，暂不算已认定）"), True)
        meta = self.meta_form = QFormLayout()
        # each with its Alt letter (名单性质(&M)): the officer who wants the list taken as
        # the other kind gets there from the keyboard without tabbing through the rest
        fields = (self.kind, self.tier, self.level, self.batch_label, self.batch_year,
                  self.standing)
        titles = with_mnemonics([self.tr("导入类别"), self.tr("梯度层级"), self.tr("认定级别"),
                                 self.tr("批次"), self.tr("年度"), self.tr("名单性质")],
                                taken=TAKEN_LETTERS)
        for title, field in zip(titles[:5], fields[:5], strict=True):
            meta.addRow(title, field)
        meta.addRow("", self.is_review)
        meta.addRow(titles[5], self.standing)
        # what a recognition list records with each title: hidden for the other kinds, so
        # nobody believes a 企业名录 will record the title its heading names
        self.recognition_fields = (self.tier, self.level, self.batch_label, self.is_review,
                                   self.standing)
        self._show_kind_fields()
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        # wrapped in the fields' width: a long note (标题同时含新认定…) unwrapped widened the
        # left column and squeezed the table's 示例 to a stub
        self.detected.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表头"), self.tr("示例"), self.tr("对应字段")])
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        # each 对应字段 cell is text, a combo box only while chosen (a sheet of 1,000 columns)
        self.chooser = FieldChooser(self.field_choices, self.mapping_table)
        self.mapping_table.setItemDelegateForColumn(3, self.chooser)
        self.mapping_table.setEditTriggers(
            QAbstractItemView.DoubleClicked | QAbstractItemView.SelectedClicked
            | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed)
        self.mapping_table.setSelectionBehavior(QAbstractItemView.SelectItems)
        left = QVBoxLayout()
        left.addLayout(meta)
        left.addWidget(self.detected)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(self.mapping_table, 1)

    def show_detection(self, detection: Detection) -> None:
        self.detection = detection
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(self.kind.findData(detection.kind), 0))
        self.kind.blockSignals(False)
        self._show_kind_fields()
        meta = detection.metadata
        self.tier.setCurrentIndex(max(self.tier.findData(meta.tier), 0))
        self.level.setCurrentIndex(max(self.level.findData(meta.level), 0))
        self.batch_label.setText(meta.batch_label or "")
        # the year a recognition's batch implies (第六批 小巨人 → 2024), shown as the plan uses it
        self.shown_year = meta.year
        self.batch_year.setValue(self.shown_year or 0)
        self.is_review.setChecked(bool(meta.is_review))
        self.standing.setCurrentIndex(1 if meta.pending else 0)
        self._show_notes(detection)
        self.edited = {}
        self._fill_mapping(detection)
        self.shown_choices = self.choices()

    def _show_notes(self, detection: Detection) -> None:
        """What was read of the sheet, beside the fields (已套用…: the columns shown are
        the ones saved for the kind chosen)."""
        notes = [self.tr("表头在第 %1 行").replace(
            "%1", "、".join(str(r) for r in detection.header_row_numbers()))]
        if detection.remembered:
            notes.append(self.tr("已套用上次对这种表格的列对应"))
        if detection.metadata.title:
            notes.append(self.tr("标题：") + detection.metadata.title)
        if detection.own_report == own_reports.ROSTER:  # the blank fields above: no gap
            notes.append(self.tr("这是 Tiers 导出的梯度培育企业名单：\n按每行自己的梯度、批次与年度读取，\n"
                                 "不必填写梯度层级、批次与年度"))
        notes += [p.message for p in detection.problems]
        self.detected.setText("\n".join(notes))

    def choices(self) -> tuple:
        """What the officer may change on this page, to tell whether he did (放弃 asks)."""
        return (self.kind.currentData(), tuple(sorted(self.current_mapping().items())),
                self.tier.currentData(), self.level.currentData(),
                self.batch_label.text().strip(), self.batch_year.value(),
                self.is_review.isChecked(), self.standing.currentIndex())

    def changed(self) -> bool:
        """Whether the officer changed the columns or the list's settings since shown."""
        return self.detection is not None and self.choices() != self.shown_choices

    def _fill_mapping(self, detection: Detection) -> None:
        """A row per column of the sheet: its letter, header, examples and field, as
        texts (the field's chooser is built only when opened: ui.import_wizard.field_chooser)."""
        sheet = detection.source.sheet(detection.sheet)
        samples = sheet.rows[detection.data_start:detection.data_start + 3]
        table = self.mapping_table
        labels = dict((key, label) for label, key in self.field_choices())
        table.setUpdatesEnabled(False)
        table.setRowCount(0)
        table.setRowCount(len(detection.headers))
        for row, column in enumerate(detection.column_table()):
            example = " | ".join(show(r[row]) for r in samples
                                 if row < len(r) and r[row] not in (None, ""))
            for number, text in enumerate((column["column"], column["header"], example)):
                item = QTableWidgetItem(text)
                item.setFlags(READ_ONLY)
                table.setItem(row, number, item)
            field = column["field"] if column["field"] in labels else None
            chosen = QTableWidgetItem(labels[field])
            chosen.setData(FIELD_ROLE, field)
            chosen.setFlags(READ_ONLY | Qt.ItemIsEditable)
            table.setItem(row, 3, chosen)
        table.resizeColumnsToContents()
        table.setColumnWidth(3, max(table.columnWidth(3), 180))
        table.setUpdatesEnabled(True)
        self.shown_mapping, self.shown_kind = self.current_mapping(), detection.kind

    def field_choices(self) -> list[tuple[str, str | None]]:
        """(label, key) of every field, those of the kind chosen first, after 不导入."""
        kind = self.kind.currentData()
        specs = sorted(columns.fields().values(),
                       key=lambda spec: (kind not in spec.kinds, spec.label))
        return [(NOT_IMPORTED, None), *((spec.label, spec.key) for spec in specs)]

    def _show_kind_fields(self) -> None:
        recognitions = self.kind.currentData() == RECOGNITIONS
        for widget in self.recognition_fields:
            self.meta_form.setRowVisible(widget, recognitions)

    def _kind_changed(self) -> None:
        """The columns as the kind chosen reads them (importers: the ones saved for it, else
        the headers matched again), not the last kind's: a 扶持措施 list shown with a
        企业名录's saved columns had its measure columns 不导入, and every row failed. The
        columns the officer chose by hand go with it (importers decides which)."""
        self._show_kind_fields()
        if self.detection is not None:
            if self.shown_kind is not None:  # what he chose by hand under the kind before
                edits = self.edited.setdefault(self.shown_kind, {})
                edits.update((column, key) for column, key in self.current_mapping().items()
                             if key != self.shown_mapping.get(column))
            shown = self.detection.with_options(kind=self.kind.currentData(),
                                                edited=self.edited)
            self._show_notes(shown)
            self._fill_mapping(shown)
        self.kind_chosen.emit()

    def mapping_combo(self, column: int) -> QComboBox:
        """The chooser of a column's field, opened (as F2 on its cell would, its list not
        shown): choosing in it changes the mapping."""
        table = self.mapping_table
        item = table.item(column, 3)
        self.chooser.open_list = False
        try:
            table.openPersistentEditor(item)
        finally:
            self.chooser.open_list = True
        return table.cellWidget(column, 3)

    def current_mapping(self) -> dict[int, str | None]:
        table = self.mapping_table
        return {row: table.item(row, 3).data(FIELD_ROLE) for row in range(table.rowCount())}

    def corrected_detection(self) -> Detection:
        """The detection with what the user changed on this page (ImportRefused when the
        corrections do not make a sheet that can be imported)."""
        assert self.detection is not None
        kind = self.kind.currentData()
        options: dict[str, Any] = {"kind": kind, "mapping": self.current_mapping()}
        if kind == RECOGNITIONS:  # the fields shown only for a recognition list
            options["is_review"] = self.is_review.isChecked()
            options["pending"] = bool(self.standing.currentData())
            if self.tier.currentData():
                options["tier"] = self.tier.currentData()
            if self.level.currentData():
                options["level"] = self.level.currentData()
            if self.batch_label.text().strip():
                options["batch_label"] = self.batch_label.text().strip()
        # only a year the user changed counts as given: the one detected (from a title
        # such as “2023—2024年”) must not pick one year's columns of a two-year sheet
        year = self.batch_year.value() or None
        if year is not None and year != self.shown_year:
            options["batch_year"] = year
        return self.detection.with_options(**options)
