"""What to do first, shown in place of a page while the database has no firm at all: the
ways in (导入名单 / 导入数据包 / 载入演示数据 / 新建企业), not empty charts and empty tables;
导入数据包 is how a city's new database starts, from its counties' packages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

PAGE_HINTS = {
    "工作台": "导入企业名单后，这里按梯度、县区和到期情况统计。",
    "企业库": "企业库列出全部企业，可搜索、筛选、复制和导出。",
    "培育库": "培育库记录计划培育的企业：目标梯度、包挂责任人和预审结论。",
    "扶持措施": "扶持措施汇总每家企业获得的资金奖励、项目和政策支持。",
    "产业链": "产业链页面按 50 条产业链列出链主和链上企业。",
}


class FirstSteps(QWidget):
    import_requested = Signal()
    package_requested = Signal()
    demo_requested = Signal()
    new_requested = Signal()

    def __init__(self, *, can_load_demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.heading.setAlignment(Qt.AlignCenter)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setWordWrap(True)
        steps = QLabel(self.tr(
            "第一步，选择一种方式开始：\n"
            "· 导入名单：选择局里现有的 Excel / WPS / CSV 企业名单或认定名单，软件自动识别表头；\n"
            "· 导入数据包：市里汇总各区县报送的数据包（.zip），先预览再导入；\n"
            "· 载入演示数据：一个虚构县的 300 家企业，先熟悉软件，可在“导入记录”中一键撤销；\n"
            "· 新建企业：逐家录入。"))
        steps.setWordWrap(True)
        steps.setAlignment(Qt.AlignLeft)
        self.import_button = QPushButton(self.tr("导入名单…"))
        self.package_button = QPushButton(self.tr("导入数据包…"))
        self.demo_button = QPushButton(self.tr("载入演示数据"))
        self.new_button = QPushButton(self.tr("新建企业"))
        self.demo_button.setVisible(can_load_demo)  # never on a shared server
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button, signal in ((self.import_button, self.import_requested),
                               (self.package_button, self.package_requested),
                               (self.demo_button, self.demo_requested),
                               (self.new_button, self.new_requested)):
            button.setMinimumHeight(36)
            button.clicked.connect(signal)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.import_button.setDefault(True)
        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(self.heading)
        column.addWidget(self.hint)
        column.addSpacing(16)
        column.addWidget(steps)
        column.addSpacing(16)
        column.addLayout(buttons)
        column.addStretch(3)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        self.show_for("企业库")

    def set_read_only(self, reason: str, package_reason: str = "") -> None:
        """The ways in that write greyed, with the reason as tooltip (a viewer's login;
        导入数据包 also for an editor: ``package_reason``)."""
        for button, why in ((self.import_button, reason), (self.new_button, reason),
                            (self.package_button, package_reason or reason)):
            button.setEnabled(not why)
            button.setToolTip(why)

    def show_for(self, page_title: str) -> None:
        self.heading.setText(self.tr("%1还是空的").replace("%1", self.tr(page_title)))
        self.hint.setText(self.tr(PAGE_HINTS.get(page_title, "")))
