"""对标预审 tab of the enterprise window: the enterprise's saved data checked against one
target tier's criteria (default: the next rung up). Read-only; it is recomputed from the
database when first shown and after every 保存, so it never shows unsaved edits.

The rule set is the one the data call for (新申报 / 复核, tiers.assess.choice) and says why;
the officer may pick another, or set every rule set of the tier side by side."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
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
    PREREQUISITE,
    READY,
    TO_VERIFY,
    Assessment,
    FiguresYear,
    alternatives,
    assess_enterprise,
    assess_enterprise_all,
    compare_rule_sets,
    default_year,
    figures_year,
)
from tiers.errors import TiersError
from tiers.model import reference
from tiers.storage.database import Database
from ui.assessment_tree_model import NODE_ROLE, AssessmentTreeModel, Node
from ui.background_runner import BackgroundRunner, Task
from ui.latest_read import LatestRead

COMPARE = "\x00compare"  # the 规则集 choice that sets every rule set side by side
READINESS_COLOURS = {READY: "#1e7b34", TO_VERIFY: "#1d5fbf", ONE_SHORT: "#9a5b00",
                     DATA_MISSING: "#5f6368", PREREQUISITE: "#6d4c41", NOT_READY: "#b00020",
                     FLAGGED: "#b00020"}


class AssessmentView(QWidget):
    assessed = Signal()  # a refresh's assessments are shown (or why they could not be)

    def __init__(self, database: Database, enterprise_id: int | None,
                 parent: QWidget | None = None, *,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        # the refresh reads on the runner (counting the county's figures for the year takes
        # a few hundred ms on 100,000 firms); without one (a test) at once
        self.runner = runner
        # the refresh under way (only the latest is shown)
        self.latest = LatestRead(self, self.tr("对标预审"), on_failure=self._failed)
        # the assessment under the rule set picked (or 并列对比), read on the runner too:
        # only the latest pick is shown, and a refresh supersedes it
        self.picking = LatestRead(self, self.tr("对标预审"), on_failure=self._pick_failed)
        self.database = database
        self.enterprise_id = enterprise_id
        self.assessments: list[Assessment] = []
        self.figures: FiguresYear | None = None  # decided at the last refresh
        self.year: int | None = None  # a year picked elsewhere (候选企业); None: the data's
        self.loaded = False
        self.chosen_tier: str | None = None  # the user's pick survives a refresh
        self.chosen_rules: dict[str, str] = {}  # tier → rule set name (or COMPARE)
        self.shown: list[Assessment] = []  # what the tree (and the second tree) show

        self.tier = QComboBox()
        self.tier.setMinimumContentsLength(16)
        self.tier.currentIndexChanged.connect(self._tier_picked)
        self.rules = QComboBox()
        self.rules.setMinimumContentsLength(12)
        self.rules.currentIndexChanged.connect(self._rules_picked)
        self.readiness = QLabel()
        self.readiness.setObjectName("readiness")
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("目标梯度")))
        top.addWidget(self.tier)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("规则集")))
        top.addWidget(self.rules)
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
        # the second rule set, beside the first, when comparing
        self.other_model = AssessmentTreeModel(self)
        self.other_tree = QTreeView()
        self.other_tree.setModel(self.other_model)
        self.other_tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.other_tree.setUniformRowHeights(True)
        self.other_tree.selectionModel().currentChanged.connect(
            lambda index, _old: self._show_node(index.data(NODE_ROLE) if index.isValid()
                                                else None))
        self.other_label = QLabel()
        self.other_label.setWordWrap(True)
        self.this_label = QLabel()
        self.this_label.setWordWrap(True)
        sides = QSplitter(Qt.Horizontal)
        for label, tree in ((self.this_label, self.tree), (self.other_label, self.other_tree)):
            side = QWidget()
            column = QVBoxLayout(side)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(tree, 1)
            sides.addWidget(side)
        self.other_side = sides.widget(1)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(sides)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        footer = QLabel(self.tr("按已保存的数据预审（上年度数据，尚未录齐时按已录齐的最近年度，"
                                "见上方“数据年度”）；修改年度数据或梯度认定并保存后自动重新预审。"
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

    def use_year(self, year: int | None) -> None:
        """Judge on ``year`` (picked in 候选企业) from now on, None: on the data's year again
        (opened from 候选企业 on 按数据, or elsewhere); shown again if already shown."""
        if year == self.year:
            return
        self.year = year
        if self.loaded:
            self.refresh()

    def refresh(self) -> None:
        """Assess the saved enterprise against every tier (one firm: milliseconds)."""
        self.loaded = True
        self.picking.drop()  # the refresh shows the rule set picked once it has read
        if self.enterprise_id is None:
            self.assessments = []
            self._fill_tiers()
            self._show(None, self.tr("保存企业后即可对标预审。"))
            return
        database, enterprise_id, year = self.database, self.enterprise_id, self.year

        def job(_task: Task | None) -> tuple[FiguresYear, list[Assessment]]:
            with database.session() as session:
                # the figures year decided once per refresh (the firm's county's), and kept
                # for the rule set picked and 并列对比: no count again on each pick
                figures = figures_year(session, year=year, enterprise_id=enterprise_id)
                return figures, assess_enterprise_all(session, enterprise_id, figures=figures)

        if self.runner is None:
            try:
                self._read(job(None))
            except TiersError as exc:  # a rule, a firm gone, the database busy: one line
                self._failed(str(exc))
            return
        if self.runner.closed:
            return
        self._show(None, self.tr("正在预审……"))
        self.latest.run(self.runner, job, self._read)

    @property
    def reading(self) -> Task | None:
        """The refresh, or the rule set pick, under way, if any."""
        return self.latest.task or self.picking.task

    def stop(self) -> None:
        """The window closes: a read still queued is not run, one running is not shown."""
        self.latest.drop()
        self.picking.drop()

    def _read(self, found: tuple[FiguresYear, list[Assessment]]) -> None:
        self.figures, self.assessments = found
        self._fill_tiers()
        self._show_chosen()
        self.assessed.emit()

    def _failed(self, message: str) -> None:
        self.assessments = []
        self._fill_tiers()
        self._show(None, self.tr("无法预审：") + message)
        self.assessed.emit()

    @property
    def ready(self) -> bool:
        """Shown: refreshed, and no refresh under way."""
        return self.loaded and self.reading is None

    def _fill_tiers(self) -> None:
        self.tier.blockSignals(True)
        self.tier.clear()
        for item in self.assessments:
            self.tier.addItem(item.tier_name + self._mark(item), item.tier_code)
        codes = [item.tier_code for item in self.assessments]
        if self.chosen_tier in codes:
            self.tier.setCurrentIndex(codes.index(self.chosen_tier))
        elif codes:
            # the next rung up: the first tier not yet held (the top when all are held)
            self.tier.setCurrentIndex(next((n for n, item in enumerate(self.assessments)
                                            if not item.already_held), len(codes) - 1))
        self.tier.setEnabled(bool(codes))
        self.tier.blockSignals(False)
        self._fill_rules()

    def _mark(self, item: Assessment) -> str:
        """Beside a tier's name: held (it or a higher one), or 公示中 — for this tier, or
        the list of the higher tier the firm is on (省级专精特新中小企业（小巨人公示中）)."""
        if item.already_held:
            return self.tr("（已是该梯度或更高）")
        if not item.pending_tier:
            return ""
        if item.pending_tier == item.tier_name:
            return self.tr("（公示中）")
        code = reference.resolve_tier(item.pending_tier)
        short = reference.tier(code).short if code else item.pending_tier
        return self.tr("（%1公示中）").replace("%1", short)

    def _fill_rules(self) -> None:
        """按数据自动选择, each rule set of the tier, and 并列对比 when there are two or more."""
        self.rules.blockSignals(True)
        self.rules.clear()
        code = self.tier.currentData()
        if code is not None:
            names = alternatives(code)
            self.rules.addItem(self.tr("按申报类型自动选择"), "")
            for name in names:
                self.rules.addItem(name, name)
            if len(names) > 1:
                self.rules.addItem(self.tr("并列对比各规则集"), COMPARE)
            number = self.rules.findData(self.chosen_rules.get(code, ""))
            self.rules.setCurrentIndex(max(number, 0))
        self.rules.setEnabled(code is not None and self.rules.count() > 2)
        self.rules.blockSignals(False)

    def _tier_picked(self, _number: int) -> None:
        self.chosen_tier = self.tier.currentData()
        self._fill_rules()
        self._show_chosen()

    def _rules_picked(self, _number: int) -> None:
        code = self.tier.currentData()
        if code is not None:
            self.chosen_rules[code] = self.rules.currentData() or ""
        self._show_chosen()

    def select_rules(self, name: str) -> None:
        """Pick a rule set by name, or COMPARE (for tests and callers)."""
        number = self.rules.findData(name)
        if number < 0:
            raise LookupError(name)
        self.rules.setCurrentIndex(number)

    def _show_chosen(self) -> None:
        """The automatic assessment (read at the refresh), or the one under the rule set
        picked, or all of them: those read on the runner, as the refresh, the latest pick
        only (the figures year is the refresh's: no count again)."""
        item = self.current()
        chosen = self.rules.currentData() or ""
        if item is None or not chosen or self.enterprise_id is None:
            self.picking.drop()
            self._show(item)
            return
        if self.latest.task is not None:  # a refresh is reading: it shows the pick after
            return
        database, enterprise_id, tier_code = self.database, self.enterprise_id, item.tier_code
        figures = self.figures

        def job(_task: Task | None) -> list[Assessment]:
            with database.session() as session:
                if chosen == COMPARE:
                    return compare_rule_sets(session, enterprise_id, tier_code,
                                             figures=figures)
                return [assess_enterprise(session, enterprise_id, tier_code,
                                          rule_set=chosen, figures=figures)]

        if self.runner is None:
            try:
                self._picked(job(None))
            except TiersError as exc:  # a rule, a firm gone, the database busy: one line
                self._pick_failed(str(exc))
            return
        if self.runner.closed:
            return
        self._show(None, self.tr("正在预审……"))
        self.picking.run(self.runner, job, self._picked)

    def _picked(self, found: list[Assessment]) -> None:
        self._show(found[0], others=found[1:])

    def _pick_failed(self, message: str) -> None:
        self._show(None, self.tr("无法预审：") + message)

    def select_tier(self, tier_code: str) -> None:
        number = self.tier.findData(tier_code)
        if number < 0:
            raise LookupError(tier_code)
        self.tier.setCurrentIndex(number)

    def current(self) -> Assessment | None:
        code = self.tier.currentData()
        return next((item for item in self.assessments if item.tier_code == code), None)

    # --- showing ------------------------------------------------------------------------
    def _show(self, item: Assessment | None, message: str = "", *,
              others: list[Assessment] | None = None) -> None:
        others = others or []
        self.shown = [item, *others] if item is not None else []
        self.model.set_assessment(item)
        self.other_model.set_assessment(others[0] if others else None)
        self.other_side.setVisible(bool(others))
        self.this_label.setVisible(bool(others))
        if others and item is not None:
            self.this_label.setText(self._side_title(item))
            self.other_label.setText(self._side_title(others[0]))
        widths = (390, 84, 220, 190) if not others else (300, 70, 160, 140)
        for tree in (self.tree, self.other_tree):
            tree.expandAll()
            for column, width in enumerate(widths):
                tree.setColumnWidth(column, width)
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
        # the figures year: 上年度 (said only when it is), or why an earlier one
        which = ("（" + item.year_note + "）" if item.year_note
                 else self.tr("（候选企业中选定）") if self.year is not None
                 else self.tr("（上年度）") if item.figures_year == default_year() else "")
        self.rule_label.setText(
            self.tr("依据：%1（%2）　数据年度：%3年度%6　现有梯度：%4\n为何用此规则集：%5")
            .replace("%1", item.rule_set_title).replace("%2", item.rule_set)
            .replace("%3", str(item.figures_year)).replace("%4", current)
            .replace("%6", which)
            .replace("%5", item.rule_reason or self.tr("（未说明）")))
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

    def _side_title(self, item: Assessment) -> str:
        return self.tr("%1：%2　%3").replace("%1", item.rule_set).replace(
            "%2", item.readiness_text).replace("%3", item.verdict)

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
