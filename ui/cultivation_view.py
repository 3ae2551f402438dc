"""培育库: enterprises aimed at a target tier, with the responsible officer and status."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiers import queries
from tiers.db import Database
from tiers.services import cultivation
from tiers.services.errors import NotFound, ValidationError
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import cultivation_fields
from ui.record_table_model import RecordColumn, RecordTableModel


class CultivationView(QWidget):
    open_requested = Signal(int)
    data_changed = Signal()

    def __init__(self, database: Database, settings: AppSettings,
                 parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        self.model = RecordTableModel([
            RecordColumn("name", "企业名称"), RecordColumn("credit_code", "信用代码"),
            RecordColumn("town", "镇街"), RecordColumn("target_tier_name", "目标梯度"),
            RecordColumn("target_year", "目标年度"), RecordColumn("officer", "责任人"),
            RecordColumn("status", "状态"), RecordColumn("note", "备注"),
        ], [], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.count = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("培育库：目标梯度、责任人和培育状态（双击修改）")))
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        for text, slot in ((self.tr("加入培育库"), self.add), (self.tr("修改"), self.edit_selected),
                           (self.tr("移出"), self.remove_selected),
                           (self.tr("打开企业"), self.open_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        if load:
            self.refresh()

    def refresh(self) -> None:
        with self.database.session() as session:
            rows = queries.cultivation_entries(session)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count.setText(self.tr("共 %1 家").replace("%1", str(len(rows))))

    def selected(self):
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def add(self, enterprise_id: int | None = None) -> None:
        enterprise_id = enterprise_id or EnterprisePickerDialog.pick(
            self.database, self, self.tr("选择要加入培育库的企业"))
        if not enterprise_id:
            return
        values = RecordFormDialog.edit(self, self.tr("加入培育库"), cultivation_fields(),
                                       {"officer": self.settings.officer, "status": "培育中"},
                                       cultivation.clean)
        if values is None:
            return
        self._write(lambda s: cultivation.add(s, enterprise_id, values,
                                              user=self.settings.officer or None))

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        values = RecordFormDialog.edit(self, self.tr("修改培育信息"), cultivation_fields(),
                                       row, cultivation.clean)
        if values is not None:
            self._write(lambda s: cultivation.edit(s, row["id"], values,
                                                   user=self.settings.officer or None))

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or not ConfirmDialog.ask(
                self, self.tr("移出培育库"), self.tr("把“%1”移出培育库？").replace("%1", row["name"])):
            return
        self._write(lambda s: cultivation.remove(s, row["id"], user=self.settings.officer or None))

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row["enterprise_id"])

    def _write(self, action) -> None:
        try:
            with self.database.session() as session:
                action(session)
        except (ValidationError, NotFound) as exc:
            MessageDialog.error(self, self.tr("培育库"), str(exc))
            return
        self.refresh()
        self.data_changed.emit()
