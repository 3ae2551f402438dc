"""保存冲突: another officer saved the firm after this window opened it, and changed some of
the same fields differently. One row per such place: 原值, 对方的修改, 我的修改, and the
officer keeps theirs, keeps mine, or (基本信息) types a merged value. Everything else has
merged by itself. Keyboard first: Tab moves from row to row, the arrow keys between the
choices of a row, typing into 合并为 chooses it, Ctrl+Enter saves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tiers.services.profile import Choice, FieldConflict
from tiers.services.profile_merge import KEEP_MINE, KEEP_THEIRS, MERGED, who_saved
from ui.screen_fit import resize_to_fit

THEIRS_COLOUR, MINE_COLOUR = "#8a4b00", "#1d5fbf"


def _value_label(text: str, colour: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setMinimumWidth(150)
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
    if colour:
        label.setStyleSheet(f"color: {colour}")
    return label


class ConflictRow:
    """One conflict's widgets: its three values and the choice made."""

    def __init__(self, conflict: FieldConflict, parent: QWidget) -> None:
        self.conflict = conflict
        self.theirs = QRadioButton(parent.tr("用对方的"))
        self.mine = QRadioButton(parent.tr("用我的"))
        self.group = QButtonGroup(parent)
        for button in (self.theirs, self.mine):
            self.group.addButton(button)
        self.merged: QRadioButton | None = None
        self.merged_text: QLineEdit | None = None
        if conflict.editable:
            self.merged = QRadioButton(parent.tr("合并为："))
            self.group.addButton(self.merged)
            self.merged_text = QLineEdit()
            self.merged_text.setPlaceholderText(parent.tr("输入合并后的值"))
            self.merged_text.setMinimumWidth(160)
            self.merged_text.textEdited.connect(lambda _text: self.merged.setChecked(True))

    def choice(self) -> Choice | None:
        if self.theirs.isChecked():
            return Choice(KEEP_THEIRS)
        if self.mine.isChecked():
            return Choice(KEEP_MINE)
        if self.merged is not None and self.merged.isChecked():
            return Choice(MERGED, self.merged_text.text().strip())
        return None


class ConflictDialog(QDialog):
    def __init__(self, conflicts: Sequence[FieldConflict], *, firm: str,
                 merged: Sequence[str] = (), by: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("保存冲突 — %1").replace("%1", firm))
        # who, from the change log: the account, and the batch of an import (tester22)
        intro = QLabel(self.tr(
            "您打开这家企业后，%2保存了修改。下面 %1 处双方都改了且不一样，"
            "请逐项选择保留哪一方（基本信息也可输入合并后的值），然后保存。")
            .replace("%1", str(len(conflicts))).replace("%2", who_saved(by)))
        intro.setWordWrap(True)
        self.merged_note = QLabel()
        self.merged_note.setWordWrap(True)
        self.merged_note.setStyleSheet("color: #555")
        if merged:
            self.merged_note.setText(self.tr("对方的其他修改已自动保留：%1。")
                                     .replace("%1", "、".join(merged)))
        self.merged_note.setVisible(bool(merged))
        self.rows = [ConflictRow(conflict, self) for conflict in conflicts]
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.merged_note)
        layout.addWidget(self._table(), 1)
        layout.addLayout(self._buttons())
        self.missing = QLabel()
        self.missing.setStyleSheet("color: #b00020")
        layout.addWidget(self.missing)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        self._fit_screen()
        if self.rows:
            self.rows[0].theirs.setFocus()

    def _table(self) -> QScrollArea:
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for column, title in enumerate((self.tr("位置"), self.tr("原值"), self.tr("对方的修改"),
                                        self.tr("我的修改"), self.tr("保留"))):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        for number, row in enumerate(self.rows):
            line = 1 + 2 * number
            conflict = row.conflict
            grid.addWidget(_value_label(f"{conflict.section}\n{conflict.subject}"), line, 0)
            grid.addWidget(_value_label(conflict.base), line, 1)
            grid.addWidget(_value_label(conflict.theirs, THEIRS_COLOUR), line, 2)
            grid.addWidget(_value_label(conflict.mine, MINE_COLOUR), line, 3)
            choices = QVBoxLayout()
            choices.setSpacing(2)
            choices.addWidget(row.theirs)
            choices.addWidget(row.mine)
            if row.merged is not None:
                merged = QHBoxLayout()
                merged.addWidget(row.merged)
                merged.addWidget(row.merged_text, 1)
                choices.addLayout(merged)
            grid.addLayout(choices, line, 4)
            rule = QFrame()
            rule.setFrameShape(QFrame.HLine)
            rule.setStyleSheet("color: #ddd")
            grid.addWidget(rule, line + 1, 0, 1, 5)
        for column, stretch in enumerate((2, 3, 3, 3, 3)):
            grid.setColumnStretch(column, stretch)
        grid.setRowStretch(1 + 2 * len(self.rows), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_widget)
        return scroll

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.all_theirs = QPushButton(self.tr("全部用对方的(&T)"))
        self.all_mine = QPushButton(self.tr("全部用我的(&M)"))
        self.all_theirs.clicked.connect(lambda: self.keep_all(KEEP_THEIRS))
        self.all_mine.clicked.connect(lambda: self.keep_all(KEEP_MINE))
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("按所选保存"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("返回编辑"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row.addWidget(self.all_theirs)
        row.addWidget(self.all_mine)
        row.addStretch(1)
        row.addWidget(self.buttons)
        return row

    def _fit_screen(self) -> None:
        """Wide enough for four columns of values, never beyond the screen (1366×768)."""
        resize_to_fit(self, 1000, max(320, 180 + 90 * max(1, len(self.rows))))

    def keep_all(self, keep: str) -> None:
        for row in self.rows:
            (row.theirs if keep == KEEP_THEIRS else row.mine).setChecked(True)

    def choices(self) -> dict[str, Choice]:
        return {row.conflict.key: choice for row in self.rows
                if (choice := row.choice()) is not None}

    def accept(self) -> None:
        open_rows = [row for row in self.rows if row.choice() is None]
        if open_rows:
            self.missing.setText(self.tr("还有 %1 处没有选择：%2")
                                 .replace("%1", str(len(open_rows)))
                                 .replace("%2", "、".join(r.conflict.subject
                                                         for r in open_rows[:3])))
            open_rows[0].theirs.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, conflicts: Sequence[FieldConflict], *, firm: str,
            merged: Sequence[str] = (), by: Sequence[str] = ()) -> Mapping[str, Choice] | None:
        """The officer's choice for every conflict, or None (返回编辑: nothing saved)."""
        dialog = cls(conflicts, firm=firm, merged=merged, by=by, parent=parent)
        if dialog.exec() == QDialog.Accepted:
            return dialog.choices()
        return None
