"""What the 对标预审 tab shows of an assessment (``ui.assessment_view``): the rule set and
figures year, the verdict in its group's colour, data flags, the rule set's notice, the
score, the conditions as a tree (and a second tree beside it when rule sets are compared),
and the selected condition in full with its source text. Nothing is read here."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
    READINESS_LABELS,
    READY,
    TO_VERIFY,
    Assessment,
)
from ui.assessment_tree_model import NODE_ROLE, AssessmentTreeModel, Node

READINESS_COLOURS = {READY: "#1e7b34", TO_VERIFY: "#1d5fbf", ONE_SHORT: "#9a5b00",
                     DATA_MISSING: "#5f6368", PREREQUISITE: "#6d4c41", NOT_READY: "#b00020",
                     FLAGGED: "#b00020"}
SETTLED_COLOUR = "#5f6368"  # a firm holding the tier or 公示中 for it: nothing to do


def headline_colour(item: Assessment) -> str:
    """The colour of the headline and of the badge beside it, one for both: its readiness
    group's, but grey (``SETTLED_COLOUR``) when the headline leads with 已是…（有效期内） or
    已在…公示名单中，不再推荐 — the badge then says 已认定 / 公示中（不再推荐）."""
    if item.settled_held or item.pending_tier:  # (one in its 复核: its group's colour)
        return SETTLED_COLOUR
    return READINESS_COLOURS.get(item.readiness, "#000000")

# one rule set: the condition, 结论, the values, 差距 (说明 stretches over the rest)
SINGLE_WIDTHS = (390, 84, 220, 190)
# side by side: the shares of a pane (less 结论) for the condition, the values, 差距; 说明
# the rest
COMPARE_SHARES = (0.34, 0.25, 0.12)


class WrappingDelegate(QStyledItemDelegate):
    """A tree's cells as high as their text wrapped at the column's width when the tree
    wraps (side by side): Qt's tree measures a row unwrapped, so a second line was cut."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        self.unwrapped = False  # measuring a column's width: its text on one line

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        if self.unwrapped:
            line = QStyleOptionViewItem(option)
            line.features &= ~QStyleOptionViewItem.WrapText
            return super().sizeHint(line, index)
        if not self.tree.wordWrap():
            return super().sizeHint(option, index)
        width = self.tree.columnWidth(index.column())
        if index.column() == 0:  # the branch lines take the indentation of each level
            depth, parent = 1, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= depth * self.tree.indentation()
        measured = QStyleOptionViewItem(option)
        measured.rect = QRect(0, 0, max(width, 20), 1)
        wrapped = super().sizeHint(measured, index)
        # at most two lines: at 1366 × 768 a row of four lines left three conditions in
        # view; the rest of a longer text ends in “…”, whole in its tip and in the detail
        # (a line as high as a row unwrapped: the CJK glyphs come from a fallback font
        # higher than the font's own line spacing, and a second line counted by that was cut)
        most = super().sizeHint(option, index).height() * self.LINES
        return QSize(wrapped.width(), min(wrapped.height(), most))

    LINES = 2


class AssessmentDisplay(QWidget):
    """The body of the 对标预审 tab, below its tier and rule set pickers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
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
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        self.tree.selectionModel().currentChanged.connect(lambda index, _old: self.show_node(
            index.data(NODE_ROLE) if index.isValid() else None))
        # the second rule set, beside the first, when comparing
        self.other_model = AssessmentTreeModel(self)
        self.other_tree = QTreeView()
        self.other_tree.setItemDelegate(WrappingDelegate(self.other_tree))
        self.other_tree.setModel(self.other_model)
        self.other_tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.other_tree.setUniformRowHeights(True)
        self.other_tree.selectionModel().currentChanged.connect(
            lambda index, _old: self.show_node(index.data(NODE_ROLE) if index.isValid()
                                               else None))
        self.other_label = QLabel()
        self.other_label.setWordWrap(True)
        self.this_label = QLabel()
        self.this_label.setWordWrap(True)
        for label in (self.this_label, self.other_label):
            label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        # the two rule sets side by side get equal halves: the panes took the widths their
        # labels asked for, and the 2022 one (its verdict wrapped) was half the 2026 one's
        self.sides = sides = QSplitter(Qt.Horizontal)
        for number, (label, tree) in enumerate(((self.this_label, self.tree),
                                                (self.other_label, self.other_tree))):
            side = QWidget()
            column = QVBoxLayout(side)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(tree, 1)
            sides.addWidget(side)
            sides.setStretchFactor(number, 1)
        self.other_side = sides.widget(1)
        # the two labels as high as the higher one: the trees start level (the 2022 verdict
        # wrapped to two lines, its tree a line lower than the 2026 one); measured again
        # whenever a pane's width changes (the handle dragged, the window resized, the
        # second pane laid out once it appears)
        for number in range(2):
            sides.widget(number).installEventFilter(self)
        # side by side, each tree's columns share its own width (refitted as it changes)
        for tree in (self.tree, self.other_tree):
            tree.viewport().installEventFilter(self)
        self.comparing = False
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
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.verdict)
        layout.addWidget(self.flags)
        layout.addWidget(self.notice)
        layout.addWidget(self.score)
        layout.addWidget(splitter, 1)
        layout.addWidget(footer)

    def show_assessment(self, item: Assessment | None, message: str = "", *,
                        others: list[Assessment] | None = None, which: str = "") -> None:
        """``item`` (and ``others`` beside it), or ``message`` alone when there is none;
        ``which``: what the figures year is, after it (（上年度）, or why another)."""
        others = others or []
        self.model.set_assessment(item)
        self.other_model.set_assessment(others[0] if others else None)
        comparing = bool(others) and item is not None
        if comparing and self.other_side.isHidden():  # a comparison begins: equal halves
            half = max(self.sides.width(), 2) // 2
            self.sides.setSizes([half, half])
        self.other_side.setVisible(bool(others))
        self.this_label.setVisible(bool(others))
        if comparing:
            self.this_label.setText(self.side_title(item))
            self.other_label.setText(self.side_title(others[0]))
        self._level_labels()
        self.comparing = comparing
        for tree in (self.tree, self.other_tree):
            tree.expandAll()
            # side by side (half the window each) the fixed widths came to 740 px in a
            # 535 px pane at 1366 × 768: 差距 and 说明 out of sight, long values cut. There
            # the columns share the pane and long text wraps onto a second line
            tree.setWordWrap(comparing)
            tree.setUniformRowHeights(not comparing)
            if comparing:
                self._fit_columns(tree)
            else:
                for column, width in enumerate(SINGLE_WIDTHS):
                    tree.setColumnWidth(column, width)
        self.detail.clear()
        if item is None:
            self.rule_label.setText("")
            self.verdict.setText(message)
            self.verdict.setStyleSheet("font-size: 11pt;")
            for label in (self.flags, self.notice, self.score):
                label.hide()
            return
        colour = headline_colour(item)
        current = item.current_tier or self.tr("无")
        if comparing:  # both rule sets, neither before the other
            self.rule_label.setText(
                self.tr("并列对比：%1　数据年度：%3年度%6　现有梯度：%4")
                .replace("%1", self.tr("；").join(
                    self.tr("%1（%2）").replace("%1", each.rule_set)
                    .replace("%2", each.rule_set_title) for each in (item, *others)))
                .replace("%3", str(item.figures_year)).replace("%4", current)
                .replace("%6", which))
            # the headline states each result (2022暂行办法：差一项；2026办法：条件均满足), in
            # no one rule set's colour
            self.verdict.setText(self.tr("；").join(
                self.tr("%1：%2").replace("%1", each.rule_set).replace("%2", each.readiness_text)
                for each in (item, *others)))
            self.verdict.setStyleSheet("font-size: 11pt; font-weight: bold;")
        else:
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
        # the score, or when comparing each rule set's that has one, saying whose
        scored = [each for each in ((item, *others) if comparing else (item,))
                  if each.score is not None]
        self.score.setText("\n".join(self._score_line(each, comparing=comparing)
                                     for each in scored))
        self.score.setVisible(bool(scored))

    def _score_line(self, item: Assessment, *, comparing: bool) -> str:
        """评价得分：… computed (2022: out of its full marks) or reported by the platform
        (2026: 发展评价得分, a plain bar), named by its rule set when comparing."""
        score = item.score
        if score.max_points:
            text = (self.tr("%4 评价得分：%1，及格线 %2 分（满分 %3 分）") if comparing
                    else self.tr("评价得分：%1，及格线 %2 分（满分 %3 分）"))
            text = text.replace("%3", str(score.max_points))
        else:
            text = (self.tr("%4 评价得分：%1（平台给出），及格线 %2 分") if comparing
                    else self.tr("评价得分：%1（平台给出），及格线 %2 分"))
        return (text.replace("%1", score.text).replace("%2", str(score.pass_line))
                .replace("%4", item.rule_set))

    def _fit_columns(self, tree: QTreeView) -> None:
        """The columns of a side-by-side tree within its pane: 结论 as wide as its longest
        word, the rest shared out by what each holds (a condition's title, the values with
        their year, the gap, the explanation), so that no pane scrolls sideways."""
        room = tree.viewport().width()
        if room <= 1:
            return  # not laid out yet: fitted once it is (its viewport's resize)
        # measured on one line: wrapped at its own width, 结论 never grew (a larger font's
        # 需人工核实 broke over two lines)
        delegate = tree.itemDelegate()
        if isinstance(delegate, WrappingDelegate):
            delegate.unwrapped = True
        try:
            status = max(tree.sizeHintForColumn(1), tree.header().sectionSizeHint(1))
        finally:
            if isinstance(delegate, WrappingDelegate):
                delegate.unwrapped = False
        rest = max(room - status, 4 * 40)
        shares = [round(rest * share) for share in COMPARE_SHARES]
        for column, width in zip((0, 2, 3), shares, strict=False):
            tree.setColumnWidth(column, width)
        tree.setColumnWidth(1, status)
        # 说明, the last, stretches over what is left
        tree.setColumnWidth(4, max(room - status - sum(shares[:3]), 40))
        tree.doItemsLayout()  # the rows' heights again, at the columns' new widths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Resize and self.comparing and watched in (
                self.tree.viewport(), self.other_tree.viewport()) \
                and event.size().width() != event.oldSize().width():
            self._fit_columns(self.tree if watched is self.tree.viewport()
                              else self.other_tree)
        if event.type() == QEvent.Resize and watched in (self.sides.widget(0),
                                                         self.other_side) \
                and event.size().width() != event.oldSize().width():
            self._level_labels()
        return super().eventFilter(watched, event)

    def _level_labels(self) -> None:
        """Both pane labels as high as the higher one needs at its pane's width. A pane
        just shown has no width yet: measured at one character a line, its label asked for
        1616 px and the firm window grew three screens high, for good; it is measured once
        the splitter lays it out. Never more than half the panes' height: a pane dragged
        narrow does not push the window off the screen (its label is cut instead)."""
        labels = (self.this_label, self.other_label)
        for label in labels:
            label.setMinimumHeight(0)
        widths = [side.width() for side in (self.sides.widget(0), self.other_side)]
        if self.other_side.isHidden() or min(widths) <= 1:
            return
        high = max(label.heightForWidth(width)
                   for label, width in zip(labels, widths, strict=True))
        high = min(high, self.sides.height() // 2)
        for label in labels:
            label.setMinimumHeight(max(high, 0))

    def side_title(self, item: Assessment) -> str:
        """2026办法：差一项　专精特新发展评价得分…: the result once (the verdict begins with
        its word: 差一项 差一项：… said it twice)."""
        verdict = item.verdict
        word = READINESS_LABELS.get(item.readiness, "")
        for lead in (word + "：", word + "，"):
            if word and verdict.startswith(lead):
                verdict = verdict[len(lead):]
                break
        return self.tr("%1：%2　%3").replace("%1", item.rule_set).replace(
            "%2", item.readiness_text).replace("%3", verdict)

    def show_node(self, node: Node | None) -> None:
        if node is None:
            self.detail.clear()
            return
        labels = (self.tr("条件"), self.tr("结论"), self.tr("取值"), self.tr("差距"),
                  self.tr("说明"))
        rows = [(label, text) for label, text in zip(labels, node.cells, strict=True) if text]
        owner = node  # parts of a condition carry no text of their own: show the whole's
        while owner is not None and not owner.source:
            owner = owner.parent
        if owner is not None:
            rows.append((self.tr("依据原文"), owner.source))
        self.detail.setHtml("".join(
            f"<p><b>{html.escape(label)}{self.tr('：')}</b>{html.escape(text)}</p>"
            for label, text in rows))
