"""A field holding a file's path that shows which folder as well as which file. QLineEdit
scrolls to its cursor, the end: at 1366 the 导出报表 dialog's 保存到 showed
``科/梯度培育企业名单-20261206.xlsx``, not where it would be saved. While not being
edited, a path too long for the field is drawn elided in the middle (its start, …, the
file's name), the whole path in the tooltip; focused, it is an ordinary line edit."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QWidget

# QLineEdit's own horizontal margin inside its contents rectangle (qlineedit_p.h)
HORIZONTAL_MARGIN = 2


class PathField(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textChanged.connect(self.setToolTip)  # the whole path, however it is drawn

    def shown_text(self) -> str:
        """What the field draws: the path, or, not being edited and too long, elided in
        the middle."""
        if self.hasFocus():
            return self.text()
        return self.fontMetrics().elidedText(self.text(), Qt.ElideMiddle,
                                             self._text_rect().width())

    def _option(self) -> QStyleOptionFrame:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        return option

    def _text_rect(self) -> QRect:
        rect = self.style().subElementRect(QStyle.SE_LineEditContents, self._option(), self)
        rect = rect.marginsRemoved(self.textMargins())
        return rect.adjusted(HORIZONTAL_MARGIN, 0, -HORIZONTAL_MARGIN, 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PE_PanelLineEdit, self._option(), painter, self)
        group = QPalette.Active if self.isEnabled() else QPalette.Disabled
        painter.setPen(self.palette().color(group, QPalette.Text))
        painter.drawText(self._text_rect(), Qt.AlignVCenter | Qt.AlignLeft, shown)
        painter.end()
