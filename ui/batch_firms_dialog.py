"""导入记录 → 查看企业: the firms one import touched, created or updated, each openable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tiers.queries.imports import batch_enterprises
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.background_runner import BackgroundRunner
from ui.operations import run_operation
from ui.record_table_model import RecordColumn, RecordTableModel, record_table
from ui.screen_fit import resize_to_fit
from ui.table_comforts import TableComforts, fit_columns


class BatchFirmsDialog(QDialog):
    open_requested = Signal(int)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 batch: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch_id = batch["id"]
        self.setWindowTitle(self.tr("导入批次 %1 的企业").replace("%1", str(batch["id"])))
        self.summary = QLabel(self.tr("正在读取……"))
        self.model = RecordTableModel([
            RecordColumn("name", "企业名称"), RecordColumn("credit_code", "信用代码"),
            RecordColumn("county", "县区"), RecordColumn("town", "镇街"),
            RecordColumn("what", "本次导入"), RecordColumn("changes", "改动处数"),
            RecordColumn("deleted", "备注"),
        ], [], self)
        self.table = record_table(self.model)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.comforts = TableComforts(self.table, "batch_firms", settings, runner=runner,
                                      title=self.tr("导入批次 %1 的企业").replace(
                                          "%1", str(batch["id"])),
                                      describe=lambda: batch.get("file_name", ""),
                                      open_row=self.open_row, unit=self.tr("家"))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("文件：%1").replace("%1", batch.get("file_name", ""))))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        resize_to_fit(self, 860, 520)
        self.setAttribute(Qt.WA_DeleteOnClose)
        batch_id = self.batch_id

        def job(_task):
            with database.session() as session:
                return batch_enterprises(session, batch_id)

        self.task = run_operation(self, runner, self.tr("读取导入批次"), job,
                                  on_success=self.show_rows)

    def show_rows(self, rows: list[dict]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)
        created = sum(1 for row in rows if row["what"] == "新建")
        self.summary.setText(self.tr("共 %1 家：新建 %2 家，更新 %3 家（双击打开企业）")
                             .replace("%1", str(len(rows))).replace("%2", str(created))
                             .replace("%3", str(len(rows) - created)))

    def open_row(self, row: int) -> None:
        record = self.model.record(row)
        if record is not None and not record["deleted"]:
            self.open_requested.emit(record["enterprise_id"])
