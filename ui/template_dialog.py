"""填写上级模板: the 报送模板 the province or the city sends, filled with the firms on screen.

The officer picks the template; Tiers finds its header (off the GUI thread) and suggests a
Tiers field for each column; the officer corrects the suggestions once (remembered for the
next template with the same headers), chooses the figures' year and where to save, and the
rows are filled on the background runner with progress and cancel. The firms are those of
the 梯度培育企业名单 under the filters the 企业库 shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from importers.template import layout as template_layout
from importers.template.fill import fill_steps
from importers.template.losses import losses_text
from tiers.reports import ReportRequest, template_rows
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import FileDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import EnterStaysInViews
from ui.screen_fit import resize_to_fit
from ui.work_footer import WorkFooter


class TemplateDialog(QDialog):
    filled = Signal(str)
    read = Signal()
    failed = Signal(str)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, filters: dict[str, Any] | None = None,
                 described: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("填写上级模板"))
        self.database, self.settings, self.runner = database, settings, runner
        self.filters = {k: v for k, v in (filters or {}).items()
                        if k in ("tier", "level", "county", "town", "chain", "year", "status")
                        and v}
        self.layout_found: template_layout.TemplateLayout | None = None
        self.template_path = QLineEdit()
        self.template_path.setReadOnly(True)
        self.template_path.setPlaceholderText(self.tr("选择上级发来的 .xlsx 模板"))
        choose = QPushButton(self.tr("选择模板…"))
        choose.clicked.connect(self.choose_template)
        picked = QHBoxLayout()
        picked.addWidget(self.template_path, 1)
        picked.addWidget(choose)
        self.found = QLabel()
        self.found.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("模板中的列"), self.tr("填写 Tiers 的")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().hide()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(template_rows.default_year(dt.date.today()))
        self.year.setSuffix(self.tr(" 年度"))
        self.scope = QLabel(described or self.tr("企业库中的全部有效认定企业"))
        self.scope.setWordWrap(True)
        options = QFormLayout()
        options.addRow(self.tr("填哪些企业"), self.scope)
        options.addRow(self.tr("年度数据取"), self.year)
        self.target = QLineEdit()
        browse = QPushButton(self.tr("另存为…"))
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(QLabel(self.tr("保存到")))
        where.addWidget(self.target, 1)
        where.addWidget(browse)
        self.fill_button = QPushButton(self.tr("填写并保存"))
        self.fill_button.setDefault(True)
        self.fill_button.setEnabled(False)
        self.fill_button.clicked.connect(self.fill)
        self.footer = WorkFooter(self, runner, self.tr("填写上级模板"), [self.fill_button])
        self.status = self.footer.status
        layout = QVBoxLayout(self)
        layout.addLayout(picked)
        layout.addWidget(self.found)
        layout.addWidget(self.table, 1)
        layout.addLayout(options)
        layout.addLayout(where)
        layout.addWidget(self.footer)
        resize_to_fit(self, 720, 560)
        # Enter after choosing a column's 填写 Tiers 的 with the arrows is not 填写并保存
        # (ui.enter_key)
        EnterStaysInViews(self)

    # --- the template -------------------------------------------------------------------
    def choose_template(self) -> None:
        path = FileDialog.open_file(self, self.tr("选择上级发来的模板"),
                                    self.settings.last_folder("template"),
                                    "Excel 工作簿 (*.xlsx *.xlsm)")
        if path:
            self.open_template(path)

    def open_template(self, path: str) -> Task:
        """Read the template's layout off the GUI thread, then show its columns."""
        self.settings.remember_folder("template", path)
        self.template_path.setText(path)
        self.fill_button.setEnabled(False)  # until the layout is known
        return self.footer.run(lambda _task: template_layout.read_layout(path),
                               self._show_layout, busy_text=self.tr("正在读取模板……"),
                               cancellable=False, on_failure=self._failed)

    def _show_layout(self, found: template_layout.TemplateLayout) -> None:
        self.layout_found = found
        header = "、".join(str(r) for r in found.header_rows)
        room = (self.tr("，表中留有 %1 行，不够时合计与落款自动下移").replace(
            "%1", str(found.empty_rows)) if found.footer_row else "")
        self.found.setText(self.tr("工作表“%1”，表头在第 %2 行，从第 %3 行起填写").replace(
            "%1", found.sheet).replace("%2", header).replace("%3", str(found.first_data_row))
            + room)
        choices = template_rows.template_fields()
        self.table.setRowCount(len(found.columns))
        for row, column in enumerate(found.columns):
            label = QTableWidgetItem(column.label)
            label.setFlags(label.flags() & ~Qt.ItemIsEditable)
            self.table.setItem(row, 0, label)
            combo = QComboBox()
            combo.addItem(self.tr("（不填，保留模板原样）"), "")
            for item in choices:
                combo.addItem(f"{item.group}：{item.label}", item.key)
            combo.setCurrentIndex(max(combo.findData(column.suggested), 0))
            self.table.setCellWidget(row, 1, combo)
        stem = Path(found.path).stem
        self.target.setText(str(Path(found.path).with_name(f"{stem}（已填写）.xlsx")))
        self.status.setText(self.tr("请核对每一列要填写的内容；对应关系会被记住，"
                                    "下次同样的模板不必再选。")
                            + (("\n" + losses_text(found.losses)) if found.losses else ""))
        self.fill_button.setEnabled(True)
        self.read.emit()

    def mapping(self) -> dict[int, str]:
        assert self.layout_found is not None
        return {column.index: self.table.cellWidget(row, 1).currentData()
                for row, column in enumerate(self.layout_found.columns)}

    def set_column(self, label: str, key: str) -> None:
        """Choose what the column headed ``label`` is filled with (for tests and keyboard
        users who type in the combo)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == label:
                combo = self.table.cellWidget(row, 1)
                combo.setCurrentIndex(combo.findData(key))
                return
        raise KeyError(label)

    # --- filling ------------------------------------------------------------------------
    def browse(self) -> None:
        path = FileDialog.save_file(self, self.tr("保存填好的模板"), self.target.text(),
                                    "Excel 工作簿 (*.xlsx)")
        if path:
            self.target.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def fill(self) -> Task | None:
        found = self.layout_found
        if found is None:
            self.status.setText(self.tr("请先选择模板"))
            return None
        target = self.footer.target(self.target.text())
        if target is None:
            return None
        mapping, year, database = self.mapping(), self.year.value(), self.database
        request = ReportRequest(**self.filters)
        # checked again as the filled template is moved into place: the file the officer
        # agreed to replace, while it is that file unchanged; any other saved under the
        # name meanwhile only when it is Tiers' own untouched output (issue #16)
        agreed = self.footer.replace_agreed

        def job(_task):
            with database.session() as session:
                saved = yield from fill_steps(session, found, mapping, target, request,
                                              year=year, only_ours=True, agreed=agreed)
            template_layout.remember(found, mapping)  # only a mapping that worked
            return str(saved)

        return self.footer.run(job, self._done, busy_text=self.tr("正在填写……"),
                               disable=[self.fill_button], on_failure=self._failed)

    @property
    def task(self) -> Task | None:
        return self.footer.task

    def _done(self, saved: str) -> None:
        self.status.setText(self.tr("已保存：") + saved)
        self.filled.emit(saved)

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)
