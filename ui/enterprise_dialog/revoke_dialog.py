"""撤销认定: the reason asked for a recognition's revocation, and, while it is typed, what the
revocation would start — a reason of 数据造假 bars the firm from applying for three years
(tiers.assess.bar.revocation_bar, the assessment's own rule), said before
the officer confirms rather than found later in an assessment's 不符合."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tiers.assess.bar import revocation_bar
from tiers.reports.cells import chinese_date

NOTE_STYLE = "color: #b35c00"  # a warning, as the record forms' (not an error's red)


class RevokeDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, prompt: str, *, tier_code: str,
                 revoked_on: dt.date, is_pending: bool,
                 recognized_on: dt.date | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.tier_code, self.revoked_on = tier_code, revoked_on
        # the row's own values: a title 公示中 or not started yet starts no bar (the core's)
        self.is_pending, self.recognized_on = is_pending, recognized_on
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.reason = QLineEdit()
        label.setBuddy(self.reason)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.note.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._reason_changed)
        self._reason_changed()
        # wide enough for the note on one line (wrapped, it broke inside its date), as far
        # as the screen has room
        room = self.screen().availableGeometry().width() * 4 // 5 if self.screen() else 900
        wanted = self.note.fontMetrics().horizontalAdvance(self._note_text(revoked_on)) + 40
        self.setMinimumWidth(min(max(460, wanted), room))
        self.adjustSize()

    def _reason_changed(self) -> None:
        """确定 only with a reason (撤销 requires one); the bar's note while it starts one."""
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.reason.text().strip()))
        found = revocation_bar(self.tier_code, self.revoked_on, self.reason.text(),
                               is_pending=self.is_pending, recognized_on=self.recognized_on)
        if found is None:
            self.note.clear()
            self.note.hide()
        else:
            self.note.setText(self._note_text(found.last_day))
            self.note.show()
        self.adjustSize()

    def _note_text(self, last_day: dt.date) -> str:
        return self.tr("撤销原因涉及数据造假：该企业自撤销之日起三年内（至 %1）不得申报。"
                       ).replace("%1", chinese_date(last_day))

    def accept(self) -> None:
        if self.reason.text().strip():
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, prompt: str, *, tier_code: str,
            revoked_on: dt.date, is_pending: bool,
            recognized_on: dt.date | None) -> str | None:
        """The reason typed, or None when cancelled. Tests patch this."""
        dialog = cls(parent, title, prompt, tier_code=tier_code, revoked_on=revoked_on,
                     is_pending=is_pending, recognized_on=recognized_on)
        if dialog.exec() == QDialog.Accepted:
            return dialog.reason.text().strip()
        return None
