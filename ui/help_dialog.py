"""帮助 → 使用说明: the short manual in resources/help/manual.html (with screenshots taken
of the demo data), in a window beside the main one."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from tiers.model.reference import resource_path
from ui.screen_fit import resize_to_fit

MANUAL = "manual.html"


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用说明"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)  # the manual links only within itself
        self.browser.setSearchPaths([str(resource_path("help"))])
        self.browser.setSource(QUrl.fromLocalFile(str(resource_path("help") / MANUAL)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        resize_to_fit(self, 860, 680)

    @classmethod
    def show_for(cls, parent: QWidget | None) -> HelpDialog:
        dialog = cls(parent)
        dialog.show()
        return dialog
