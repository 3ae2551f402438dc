"""Choose one enterprise by typing part of its name, code or pinyin initials."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiers.db import Database
from ui.enterprise_table_model import EnterpriseTableModel


class EnterprisePickerDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None,
                 title: str = "选择企业") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 480)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入企业名称、信用代码或拼音首字母"))
        self.model = EnterpriseTableModel(database, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        for column in range(5, self.model.columnCount()):
            self.table.setColumnHidden(column, True)
        self.table.setColumnWidth(0, 280)
        self.table.setColumnWidth(1, 160)
        self.table.activated.connect(lambda _i: self.accept())
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(150)
        timer.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(timer.start)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def chosen(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.enterprise_id(index.row()) if index.isValid() else None

    @classmethod
    def pick(cls, database: Database, parent: QWidget | None = None,
             title: str = "选择企业") -> int | None:
        dialog = cls(database, parent, title)
        return dialog.chosen() if dialog.exec() == QDialog.Accepted else None
