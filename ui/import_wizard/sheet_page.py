"""Step 2: the sheet to import, the one detect() guessed preselected."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget


class SheetPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheets = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("选择要导入的工作表：")))
        layout.addWidget(self.sheets, 1)

    def offer(self, sheets: list[str], guess: str | None) -> None:
        self.sheets.clear()
        self.sheets.addItems(sheets)
        self.sheets.setCurrentRow(sheets.index(guess) if guess in sheets else 0)

    def chosen(self) -> str | None:
        item = self.sheets.currentItem()
        return item.text() if item is not None else None
