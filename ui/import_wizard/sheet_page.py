"""Step 2: the sheet to import, the one detect() guessed preselected. A sheet the wizard
refuses (a Tiers report's, whichever is picked; one 下一步 found no list on) is remembered
with why, so that 下一步 is greyed while it is chosen and the reason stays on the page."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget


class SheetPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheets = QListWidget()
        self.file_refusal = ""  # the whole file refused (a Tiers report): every sheet
        self.refusals: dict[str, str] = {}  # a sheet refused when 下一步 read it
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("选择要导入的工作表(&S)："))
        label.setBuddy(self.sheets)
        layout.addWidget(label)
        layout.addWidget(self.sheets, 1)
        self.message_slot = QVBoxLayout()  # the wizard's message, under the sheets
        layout.addLayout(self.message_slot)

    def offer(self, sheets: list[str], guess: str | None, refusal: str = "") -> None:
        self.file_refusal, self.refusals = refusal, {}
        self.sheets.clear()
        self.sheets.addItems(sheets)
        self.sheets.setCurrentRow(sheets.index(guess) if guess in sheets else 0)

    def chosen(self) -> str | None:
        item = self.sheets.currentItem()
        return item.text() if item is not None else None

    def refusal_of(self, sheet: str | None) -> str:
        """Why this sheet cannot be imported ('' when it may be)."""
        if sheet is None:
            return ""
        return self.file_refusal or self.refusals.get(sheet, "")
