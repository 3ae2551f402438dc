"""Step 4: the plan, row by row, before anything is written; 指定关联 for a row the
importers could not match (the wizard re-plans with the link)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from importers import Plan
from ui.count_texts import counts_text
from ui.import_hints import hinted
from ui.import_wizard.summary import fit_text, standing_lines
from ui.plan_table_model import PlanTableModel


class PreviewPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        self.problems_only = QCheckBox(self.tr("只看有问题的行"))
        self.problems_only.toggled.connect(lambda on: self.plan_model.set_problems_only(on))
        # 公示名单 or 认定名单, and the firms a final list leaves out
        self.standing = QLabel()
        self.standing.setWordWrap(True)
        self.standing.setStyleSheet("color: #1d5fbf")
        self.file_problems = QLabel()
        self.file_problems.setWordWrap(True)
        self.file_problems.setStyleSheet("color: #b35c00")
        self.plan_model = PlanTableModel(None, self)
        self.preview = QTableView()
        self.preview.setModel(self.plan_model)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.preview.setSelectionMode(QAbstractItemView.SingleSelection)
        self.link_button = QPushButton(self.tr("指定关联(&L)…"))
        self.link_button.setToolTip(self.tr("未匹配或同名企业的行：指定它是库中的哪家企业"))
        self.unlink_button = QPushButton(self.tr("取消关联(&U)"))
        for button in (self.link_button, self.unlink_button):
            fit_text(button)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.link_button)
        top.addWidget(self.unlink_button)
        top.addWidget(self.problems_only)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.standing)
        layout.addWidget(self.file_problems)
        layout.addWidget(self.preview, 1)

    def show_plan(self, plan: Plan, *, select: int | None) -> None:
        """Show a new plan; after a link (``select``, an Excel row) the filter stays as it was
        and that row is selected, a fresh preview shows every row."""
        self.plan_model.set_plan(plan)
        if select is None:
            self.problems_only.setChecked(False)
        self.counts.setText(counts_text(plan.counts()))
        self.file_problems.setText("\n".join(hinted(p.message, p.hint_field)
                                             for p in plan.problems))
        self.file_problems.setVisible(bool(plan.problems))
        standing = standing_lines(plan, self.tr("（可在上一步“名单性质”中更改）"))
        self.standing.setText("\n".join(standing))
        self.standing.setVisible(bool(standing))
        self.preview.resizeColumnsToContents()
        if select is not None:
            self.select_plan_row(select)

    def current_plan_row(self):
        index = self.preview.currentIndex()
        return self.plan_model.row_at(index.row()) if index.isValid() else None

    def select_plan_row(self, excel_row: int) -> None:
        position = self.plan_model.position_of(excel_row)
        if position is not None:
            self.preview.selectRow(position)
            self.preview.scrollTo(self.plan_model.index(position, 0))
