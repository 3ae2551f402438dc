"""The bulk actions' two dialogs: the inputs of each action (as form data, validated by the
action's own ``clean`` in tiers.services.bulk_actions), and the preview (counts and, per
firm, what will change or why it is skipped) that the officer confirms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.model import reference
from tiers.services.bulk import BulkPreview
from ui.enter_key import EnterStaysInViews
from ui.record_form_dialog import FormField
from ui.record_forms import cultivation_fields, measure_fields
from ui.screen_fit import resize_to_fit

SKIPPED_COLOUR = "#808080"
WRAPPED_ROWS = 2000  # beyond, rows keep one line (measuring each would take seconds)


def _tiers() -> list[tuple[str, str]]:
    return [(t.name, t.code) for t in reference.tiers()]


def action_fields(action: str) -> list[FormField]:
    """What the officer gives for an action (none for 移入回收站)."""
    if action == "cultivate":
        return [f for f in cultivation_fields() if f.key in ("target_tier", "target_year",
                                                              "officer")]
    if action == "officer":
        return [FormField("officer", "包挂责任人", required=True)]
    if action == "measure":
        return measure_fields()
    if action == "chain":
        return [FormField("chain", "产业链", "choice",
                          [(f"{c.number}. {c.name}（{c.cluster}）", c.code)
                           for c in reference.chains()], required=True),
                FormField("role", "产业链角色", "choice",
                          [(r, r) for r in reference.pick_lists()["chain_roles"]],
                          required=True)]
    if action == "review":
        return [FormField("tier_code", "梯度", "choice", _tiers(), required=True),
                FormField("batch_year", "复核年度", "int", required=True, placeholder="如 2025"),
                FormField("batch_label", "批次", placeholder="如 2025年度复核 / 第三批复核"),
                FormField("recognized_on", "认定日期", "date"),
                FormField("document_number", "文号")]
    return []


def action_defaults(action: str, officer: str) -> dict:
    """The form's first values: next year's target, this year's measure and review, the
    officer from 设置 as 包挂责任人."""
    year = dt.date.today().year
    return {"cultivate": {"target_year": year + 1, "officer": officer},
            "officer": {"officer": officer},
            "measure": {"year": year},  # its 状态 follows the 兑现日期 (record_forms)
            "review": {"batch_year": year}}.get(action, {})


class BulkPreviewDialog(QDialog):
    """The preview: the summary, then one row per selected firm; 确定 applies."""

    def __init__(self, draft: BulkPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量操作：") + draft.label)
        summary = QLabel(draft.summary() + (f"\n{draft.description}" if draft.description
                                            else ""))
        summary.setWordWrap(True)
        self.table = QTableWidget(len(draft.items), 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("企业名称"), self.tr("统一社会信用代码"), self.tr("将要修改 / 跳过原因")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        # skipped firms last, so that what will change is read first
        items = draft.changing + draft.skipped
        for row, item in enumerate(items):
            text = item.change or self.tr("跳过：") + item.skip
            cells = (item.name or f"（编号 {item.enterprise_id}）", item.credit_code, text)
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(f"<p>{value}</p>" if column == 2 else "")  # rich text wraps
                if item.skip:
                    cell.setForeground(QColor(SKIPPED_COLOUR))
                self.table.setItem(row, column, cell)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(0, 260)
        if len(items) <= WRAPPED_ROWS:  # long texts wrap: rows as tall as they need, again
            header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("确定修改"))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(draft.changing))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 900, 520)
        # Enter while reading the list (moving with the arrows) is not 确定修改 (ui.enter_key)
        EnterStaysInViews(self)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.table.rowCount() <= WRAPPED_ROWS:
            self.table.resizeRowsToContents()

    @classmethod
    def ask(cls, parent: QWidget | None, draft: BulkPreview) -> bool:
        """Show the preview; True when the officer confirms. Tests patch this."""
        dialog = cls(draft, parent)
        dialog.setAttribute(Qt.WA_DeleteOnClose, False)
        return dialog.exec() == QDialog.Accepted
