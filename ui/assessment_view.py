"""对标预审 tab of the enterprise window: the enterprise's saved data checked against one
target tier's criteria (default: the next rung up). Read-only; it is recomputed from the
database when first shown and after every 保存, so it never shows unsaved edits."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tiers.assess import (
    DATA_MISSING,
    FLAGGED,
    NOT_READY,
    ONE_SHORT,
    READY,
    TO_VERIFY,
    Assessment,
    assess_enterprise_all,
)
from tiers.errors import TiersError
from tiers.storage.database import Database
from ui.assessment_tree_model import NODE_ROLE, AssessmentTreeModel, Node

READINESS_COLOURS = {READY: "#1e7b34", TO_VERIFY: "#1d5fbf", ONE_SHORT: "#9a5b00",
                     DATA_MISSING: "#5f6368", NOT_READY: "#b00020", FLAGGED: "#b00020"}


class AssessmentView(QWidget):
    def __init__(self, database: Database, enterprise_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.enterprise_id = enterprise_id
        self.assessments: list[Assessment] = []
        self.loaded = False
        self.chosen_tier: str | None = None  # the user's pick survives a refresh

        self.tier = QComboBox()
        self.tier.setMinimumContentsLength(16)
        self.tier.currentIndexChanged.connect(self._tier_picked)
        self.readiness = QLabel()
        self.readiness.setObjectName("readiness")
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("目标梯度")))
        top.addWidget(self.tier)
        top.addSpacing(12)
        top.addWidget(self.readiness)
        top.addStretch(1)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.verdict.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #b00020; background: #fce8ea; border: 1px solid #e8a3ab;"
                                 " padding: 6px;")
        self.flags.hide()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #9a5b00;")
        self.score = QLabel()
        self.score.setWordWrap(True)
        self.score.hide()

        self.model = AssessmentTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        self.tree.selectionModel().currentChanged.connect(lambda index, _old: self._show_node(
            index.data(NODE_ROLE) if index.isValid() else None))
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        footer = QLabel(self.tr("按已保存的数据预审（上年度数据）；修改年度数据或梯度认定并保存后自动重新预审。"
                                "绿色＝满足，红色＝不满足，灰色＝缺数据，黄色＝需人工核实。"))
        footer.setWordWrap(True)
        footer.setStyleSheet("color: #5f6368;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.verdict)
        layout.addWidget(self.flags)
        layout.addWidget(self.notice)
        layout.addWidget(self.score)
        layout.addWidget(splitter, 1)
        layout.addWidget(footer)
        self._show(None)

    # --- loading ------------------------------------------------------------------------
    def set_enterprise(self, enterprise_id: int | None) -> None:
        self.enterprise_id = enterprise_id

    def refresh(self) -> None:
        """Assess the saved enterprise against every tier (one firm: milliseconds)."""
        self.loaded = True
        if self.enterprise_id is None:
            self.assessments = []
            self._fill_tiers()
            self._show(None, self.tr("保存企业后即可对标预审。"))
            return
        try:
            with self.database.session() as session:
                self.assessments = assess_enterprise_all(session, self.enterprise_id)
        except TiersError as exc:  # a rule, a firm gone, the database busy: one line
            self.assessments = []
            self._fill_tiers()
            self._show(None, self.tr("无法预审：") + str(exc))
            return
        self._fill_tiers()
        self._show(self.current())

    def _fill_tiers(self) -> None:
        self.tier.blockSignals(True)
        self.tier.clear()
        for item in self.assessments:
            held = self.tr("（已是该梯度或更高）") if item.already_held else ""
            self.tier.addItem(item.tier_name + held, item.tier_code)
        codes = [item.tier_code for item in self.assessments]
        if self.chosen_tier in codes:
            self.tier.setCurrentIndex(codes.index(self.chosen_tier))
        elif codes:
            # the next rung up: the first tier not yet held (the top when all are held)
            self.tier.setCurrentIndex(next((n for n, item in enumerate(self.assessments)
                                            if not item.already_held), len(codes) - 1))
        self.tier.setEnabled(bool(codes))
        self.tier.blockSignals(False)

    def _tier_picked(self, _number: int) -> None:
        self.chosen_tier = self.tier.currentData()
        self._show(self.current())

    def select_tier(self, tier_code: str) -> None:
        number = self.tier.findData(tier_code)
        if number < 0:
            raise LookupError(tier_code)
        self.tier.setCurrentIndex(number)

    def current(self) -> Assessment | None:
        code = self.tier.currentData()
        return next((item for item in self.assessments if item.tier_code == code), None)

    # --- showing ------------------------------------------------------------------------
    def _show(self, item: Assessment | None, message: str = "") -> None:
        self.model.set_assessment(item)
        self.tree.expandAll()
        widths = (390, 84, 220, 190)
        for column, width in enumerate(widths):
            self.tree.setColumnWidth(column, width)
        self.detail.clear()
        if item is None:
            self.readiness.setText("")
            self.rule_label.setText("")
            self.verdict.setText(message)
            self.verdict.setStyleSheet("font-size: 11pt;")
            for label in (self.flags, self.notice, self.score):
                label.hide()
            return
        colour = READINESS_COLOURS.get(item.readiness, "#000000")
        self.readiness.setText(item.readiness_text)
        self.readiness.setStyleSheet(f"color: white; background: {colour}; padding: 2px 8px;"
                                     " border-radius: 3px; font-weight: bold;")
        current = item.current_tier or self.tr("无")
        self.rule_label.setText(
            self.tr("依据：%1（%2）　数据年度：%3年度（上年度）　现有梯度：%4")
            .replace("%1", item.rule_set_title).replace("%2", item.rule_set)
            .replace("%3", str(item.figures_year)).replace("%4", current))
        self.verdict.setText(item.verdict)
        self.verdict.setStyleSheet(f"font-size: 11pt; font-weight: bold; color: {colour};")
        self.flags.setText(self.tr("数据存疑，未评估（请先核对年度数据）：\n")
                           + "\n".join("· " + flag for flag in item.flags))
        self.flags.setVisible(bool(item.flags))
        self.notice.setText(item.notice)
        self.notice.setVisible(bool(item.notice))
        if item.score is not None:
            self.score.setText(self.tr("评价得分：%1，及格线 %2 分（满分 %3 分）")
                               .replace("%1", item.score.text)
                               .replace("%2", str(item.score.pass_line))
                               .replace("%3", str(item.score.max_points)))
        self.score.setVisible(item.score is not None)

    def _show_node(self, node: Node | None) -> None:
        if node is None:
            self.detail.clear()
            return
        rows = [(label, text) for label, text in zip(
            ("条件", "结论", "取值", "差距", "说明"), node.cells, strict=True) if text]
        owner = node  # parts of a condition carry no text of their own: show the whole's
        while owner is not None and not owner.source:
            owner = owner.parent
        if owner is not None:
            rows.append(("依据原文", owner.source))
        self.detail.setHtml("".join(
            f"<p><b>{html.escape(label)}：</b>{html.escape(text)}</p>" for label, text in rows))
