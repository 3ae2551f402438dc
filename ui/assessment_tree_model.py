"""The conditions of one 对标预审 assessment as a read-only tree: each condition with its
status (coloured), the values used with their year, the gap and the explanation; under a
scored condition, its groups and their indicators with the points given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tiers.assess import MANUAL, MET, MISSING, NOT_MET, Assessment, ConditionResult, ScoreResult

NO_PARENT = QModelIndex()
NODE_ROLE = Qt.UserRole + 3

# strong colours for the status text, light tints for the row behind it
STATUS_COLOURS = {MET: ("#1e7b34", "#e7f4ea"), NOT_MET: ("#b00020", "#fce8ea"),
                  MISSING: ("#5f6368", "#eeeeee"), MANUAL: ("#9a5b00", "#fff3d6"),
                  "数据存疑": ("#b00020", "#fce8ea")}
SCORE_STATUS_COLOURS = {"已计分": None, "缺数据": STATUS_COLOURS[MISSING],
                        "需人工核实": STATUS_COLOURS[MANUAL]}

COLUMNS = ("条件", "结论", "取值（数据年度）", "差距", "说明")


@dataclass(eq=False)
class Node:
    """One row of the tree, already in words."""

    cells: tuple[str, str, str, str, str]
    colours: tuple[str, str] | None = None
    source: str = ""
    bold: bool = False
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    row: int = 0
    key: int = 0  # position in the model's list, used as the index's internal id

    def add(self, child: Node) -> Node:
        child.parent, child.row = self, len(self.children)
        self.children.append(child)
        return child

    @property
    def title(self) -> str:
        return self.cells[0]

    @property
    def status(self) -> str:
        return self.cells[1]


def _values_text(values) -> str:
    return "；".join(value.text for value in values)


def _score_nodes(parent: Node, score: ScoreResult) -> None:
    for group in score.groups:
        points = f"{group.low}" if group.low == group.high else f"{group.low}—{group.high}"
        minimum = f"（须不低于{group.minimum}分）" if group.minimum is not None else ""
        below = group.minimum is not None and group.high < group.minimum
        group_node = parent.add(Node(
            (f"{group.name}：{points} / {group.max_points} 分{minimum}",
             NOT_MET if below else "", "", "", ""),
            colours=STATUS_COLOURS[NOT_MET] if below else None, bold=True))
        for indicator in score.indicators:
            if indicator.group != group.name:
                continue
            group_node.add(Node(
                (indicator.title, indicator.status, _values_text(indicator.values),
                 f"得 {indicator.points_text} / {indicator.max_points} 分", indicator.detail),
                colours=SCORE_STATUS_COLOURS.get(indicator.status), source=indicator.source))
    if score.hints:
        hints = parent.add(Node(("提分建议", "", "", "", "；".join(score.hints)), bold=True))
        for hint in score.hints:
            hints.add(Node((hint, "", "", "", "")))


def _condition_node(parent: Node, condition: ConditionResult) -> None:
    node = parent.add(Node(
        (condition.title, condition.status, _values_text(condition.values), condition.gap,
         "；".join(part for part in (condition.detail, condition.note) if part)),
        colours=STATUS_COLOURS.get(condition.status), source=condition.source,
        bold=bool(condition.children) or condition.score is not None))
    for child in condition.children:
        _condition_node(node, child)
    if condition.score is not None:
        _score_nodes(node, condition.score)


def assessment_tree(assessment: Assessment | None) -> Node:
    """The root (invisible) node of an assessment's conditions."""
    root = Node(("", "", "", "", ""))
    if assessment is None:
        return root
    if assessment.flags:  # nonsense inputs: nothing scored, each flag shown as a row
        for flag in assessment.flags:
            root.add(Node(("数据存疑", "数据存疑", "", "", flag),
                          colours=STATUS_COLOURS["数据存疑"], bold=True))
    for condition in assessment.conditions:
        _condition_node(root, condition)
    return root


class AssessmentTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.root = assessment_tree(None)
        self.assessment: Assessment | None = None
        self._nodes: list[Node] = []  # internal ids index this list

    def set_assessment(self, assessment: Assessment | None) -> None:
        self.beginResetModel()
        self.assessment = assessment
        self.root = assessment_tree(assessment)
        self._nodes = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            node.key = len(self._nodes)
            self._nodes.append(node)
            stack.extend(node.children)
        self.endResetModel()

    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node:
        if not index.isValid():
            return self.root
        return self._nodes[index.internalId()]

    # --- the model interface ------------------------------------------------------------
    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        owner = self.node(parent)
        if not 0 <= row < len(owner.children):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row].key)

    def parent(self, index: QModelIndex | QPersistentModelIndex = NO_PARENT) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        owner = self.node(index).parent
        if owner is None or owner is self.root:
            return QModelIndex()
        return self.createIndex(owner.row, 0, owner.key)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return len(COLUMNS)

    def data(self, index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node, column = self.node(index), index.column()
        if role == Qt.DisplayRole:
            return node.cells[column]
        if role == Qt.ToolTipRole:
            parts = [node.cells[column]] if node.cells[column] else []
            if node.source:
                parts.append("依据：" + node.source)
            return "\n".join(parts) or None
        if role == Qt.BackgroundRole and node.colours:
            return QBrush(QColor(node.colours[1]))
        if role == Qt.ForegroundRole and node.colours and column == 1:
            return QBrush(QColor(node.colours[0]))
        if role == Qt.FontRole and (node.bold and column == 0 or column == 1 and node.colours):
            font = QFont()
            font.setBold(True)
            return font
        if role == NODE_ROLE:
            return node
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable
