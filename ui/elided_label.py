"""A one-line label that never takes the room of its neighbours: a text too long for it is
drawn elided at the end (…), the whole text in its tooltip, and ``text()`` still gives the
whole text. Beside 企业库's search box, the server's long 无法连接数据库服务器（…）。请检查……
squeezed the box to some 70 pixels at 1366 (tester27's finding 5)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, *, minimum: int = 140, widest: int = 420,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._minimum = minimum
        self._widest = widest  # the most it asks for, however long the text
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text or ""
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is drawn: the text, or its start and …"""
        return super().text()

    def _shown(self, width: int) -> str:
        return self.fontMetrics().elidedText(self._full, Qt.ElideRight, max(width, 0))

    def _elide(self) -> None:
        shown = self._shown(self.contentsRect().width())
        super().setText(shown)
        self.setToolTip("" if shown == self._full else self._full)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        full = self.fontMetrics().horizontalAdvance(self._full) + 8
        return QSize(max(self._minimum, min(full, self._widest)), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._minimum, super().minimumSizeHint().height())
