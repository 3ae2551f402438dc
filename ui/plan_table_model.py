"""The import preview: every planned row with its action, coloured; filter to problems."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from importers import Plan, PlanRow
from importers.plan import content_lines
from tiers.text.sorting import sorted_rows
from ui.import_hints import hinted

NO_PARENT = QModelIndex()
ACTION_COLOURS = {"create": "#e3f4e1", "update": "#e1ecfa", "unchanged": "#f2f2f2",
                  "unmatched": "#fdf0d9", "error": "#fbe0e0",
                  "outside": "#ebe7f2",  # another county's firm on an editor's login: 不导入
                  # a firm outside 本单位负责的区县: 不导入 unless the officer takes it in
                  "other_unit": "#ebe7f2"}
# 问题 before 将写入的内容: a long content pushed the problems off the screen's right edge
HEADERS = ("行号", "操作", "企业名称", "统一社会信用代码", "匹配", "问题", "将写入的内容", "可能是")
PROBLEMS_COLUMN = 5
CONTENT_COLUMN = 6  # 将写入的内容
SUGGESTIONS_COLUMN = 7


def _changes(row: PlanRow) -> str:
    return "；".join(content_lines(row))


def _suggestions(row: PlanRow) -> str:
    """The near misses of an unmatched row (never applied by themselves)."""
    return "；".join(f"{s['name']}（{s['credit_code']}）" for s in row.suggestions)


def problem_texts(row: PlanRow) -> list[str]:
    """The row's problems, each as its 问题 cell says it (the column, then the message)."""
    return [(f"{p.column}列：" if p.column else "") + hinted(p.message, p.hint_field)
            for p in row.problems]


def _problems(row: PlanRow) -> str:
    return "；".join(problem_texts(row))


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanTableModel", text)


def placed(text: str, *values: object) -> str:
    """A translated text's %1, %2, … replaced by ``values`` in one pass (a firm's name that
    holds “%2” is not replaced again, as chained str.replace would)."""
    def value(match: re.Match) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 0 < number <= len(values) else match.group(0)

    return re.sub(r"%(\d)", value, text)


def row_details(row: PlanRow) -> str:
    """The selected row's problems whole, one a line, for the pane under the preview (the
    问题 cell wraps, but a row of a long preview is one line and a tooltip needs a mouse)."""
    name = row.name or row.code_as_written or row.credit_code
    head = _tr("第 %1 行　%2　%3：") if row.problems or row.suggestions else \
        _tr("第 %1 行　%2　%3：没有问题")
    lines = [placed(head, row.row, name, row.action_label)]
    lines += ["　· " + text for text in problem_texts(row)]
    if row.suggestions:
        lines.append("　· " + placed(_tr("可能是：%1"), _suggestions(row)))
    return "\n".join(lines)


_CELLS = (lambda r: r.row, lambda r: r.action_label, lambda r: r.name,
          lambda r: r.credit_code or r.code_as_written, lambda r: r.matched_by,
          _problems, _changes, _suggestions)

# the roles answered, as ints: data() is called about eight times a cell when rows are
# fitted to their wrapped text, and comparing with Qt's enum members each time, building
# every column's text for one and a new brush for each call made fitting 2,000 rows take
# seconds (README 性能)
DISPLAY, TOOLTIP = int(Qt.DisplayRole.value), int(Qt.ToolTipRole.value)
BACKGROUND, FOREGROUND = int(Qt.BackgroundRole.value), int(Qt.ForegroundRole.value)
ANSWERED = frozenset((DISPLAY, TOOLTIP, BACKGROUND, FOREGROUND))
BACKGROUNDS = {action: QBrush(QColor(colour)) for action, colour in ACTION_COLOURS.items()}
WHITE = QBrush(QColor("#ffffff"))
ERROR_TEXT, WARNING_TEXT = QBrush(QColor("#b00020")), QBrush(QColor("#8a5a00"))


def _cell(row: PlanRow, column: int) -> Any:
    """A column's value: the Excel row number as a number (it sorts as one), else text."""
    return _CELLS[column](row)


class PlanTableModel(QAbstractTableModel):
    def __init__(self, plan: Plan | None = None, parent=None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.problems_only = False
        self.visible: list[PlanRow] = []
        self.sort_column = -1  # -1: the file's order
        self.sort_order = Qt.AscendingOrder
        self._refilter()

    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self.plan = plan
        self._refilter()
        self.endResetModel()

    def set_problems_only(self, on: bool) -> None:
        self.beginResetModel()
        self.problems_only = on
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        rows = self.plan.rows if self.plan else []
        # a row the user linked stays in the problem view: it was one, and is being answered
        self.visible = [r for r in rows if not self.problems_only or r.problems
                        or r.action in {"error", "unmatched"} or r.linked]
        if 0 <= self.sort_column < len(HEADERS):  # blanks last, text by pinyin
            self.visible = sorted_rows(self.visible, lambda r: _cell(r, self.sort_column),
                                       descending=self.sort_order == Qt.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.visible
        self.sort_column, self.sort_order = column, Qt.SortOrder(order)
        self._refilter()
        position = {id(row): n for n, row in enumerate(self.visible)}
        previous = self.persistentIndexList()
        self.changePersistentIndexList(previous, [
            self.index(position[id(before[index.row()])], index.column()) for index in previous])
        self.layoutChanged.emit()

    def row_at(self, position: int) -> PlanRow | None:
        return self.visible[position] if 0 <= position < len(self.visible) else None

    def position_of(self, excel_row: int) -> int | None:
        """Where the row of this Excel row number is shown (None if filtered out)."""
        for position, row in enumerate(self.visible):
            if row.row == excel_row:
                return position
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index, role: int = DISPLAY) -> Any:
        role = int(role)
        if role not in ANSWERED:
            return None
        position = index.row()
        if not index.isValid() or not 0 <= position < len(self.visible):
            return None
        row = self.visible[position]
        column = index.column()
        if role == DISPLAY:
            return str(_CELLS[column](row))
        if role == TOOLTIP:
            if column == 2 and row.suggestions:
                return placed(_tr("%1\n可能是：%2（未自动关联：如是同一家，双击此行或按“指定关联”）"),
                              row.name, _suggestions(row))
            value = str(_CELLS[column](row))  # rich text: Qt wraps it, a plain one runs off
            return f"<p>{html.escape(value)}</p>" if value else None
        if role == BACKGROUND:
            return BACKGROUNDS.get(row.action, WHITE)
        if column == PROBLEMS_COLUMN:  # (the foreground)
            # red only when the row will not be imported; a warning is imported anyway
            has_error = any(p.severity == "error" for p in row.problems)
            return ERROR_TEXT if has_error else WARNING_TEXT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    # flags: QAbstractTableModel's own (enabled, selectable, no children), answered in C++.
    # A Python override was called for every cell a selection covers: Ctrl+A on 100,000
    # firms froze the window 11 s in it.
