"""关于: the program's name, icon and version, where its database and log are, and the
versions of what it runs on (what an officer reads out on the phone to whoever helps).
Also the application icon, loaded from the PNGs in resources/icons (window, taskbar)."""

from __future__ import annotations

import platform
from functools import cache
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tiers import __version__
from tiers.model.reference import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
PROGRAM_NAME = "梯度培育企业库"


@cache
def application_icon() -> QIcon:
    """The staircase icon at every size drawn (resources/icons/tiers-N.png)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path(f"icons/tiers-{size}.png")), QSize(size, size))
    return icon


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, database_path: Path | str | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于"))
        picture = QLabel()
        picture.setPixmap(application_icon().pixmap(64, 64))
        picture.setAlignment(Qt.AlignCenter)
        title = QLabel(self.tr("<b>{0}（Tiers）</b>").format(PROGRAM_NAME))
        title.setAlignment(Qt.AlignCenter)
        self.version = QLabel(self.tr("版本 {0}").format(__version__))
        self.version.setAlignment(Qt.AlignCenter)
        purpose = QLabel(self.tr("优质中小企业梯度培育与链主企业数据库"))
        purpose.setAlignment(Qt.AlignCenter)
        self.details = QLabel(self.details_text(database_path))
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.details.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (picture, title, self.version, purpose, self.details, buttons):
            layout.addWidget(widget)

    def details_text(self, database_path: Path | str | None) -> str:
        from ui.error_log import log_folder

        shown = str(database_path) if database_path is not None else self.tr("（服务器）")
        return "\n".join((
            self.tr("数据库：{0}").format(shown),
            self.tr("日志：{0}").format(log_folder()),
            self.tr("运行环境：Python {0}，Qt {1}（PySide6 {2}），{3}").format(
                platform.python_version(), qVersion(), pyside_version, platform.platform()),
        ))

    @classmethod
    def show_for(cls, parent: QWidget | None, database_path: Path | str | None) -> None:
        """Shown modally (patchable, like the questions in ui/ask.py)."""
        cls(parent, database_path).exec()
