"""A combo box as wide as its longest item, up to a limit; a longer one elided in the middle
(its start and its end both read: 本单位（新北区、…、溧阳市）), whole in the tooltip.
The 工作台's county choice was sized to 全部区县 when first shown; with the unit recorded its
items became 本单位（新北区） and （全部区县，含本单位以外）, shown cut as “本单位（新” at 1366
(tester28b)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

# the widest item fitted whole: about 18 characters (本单位（新北区、武进区、天宁区）)
MAX_CHARACTERS = 18


class FittedCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None, *, tooltip: str = "") -> None:
        super().__init__(parent)
        self.base_tooltip = tooltip
        # never narrower than fit_to_items made it: the title gives way, not the choice
        self.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)
        self.currentIndexChanged.connect(self._tell_whole)
        self._tell_whole()

    def fit_to_items(self) -> None:
        """Wide enough for its longest item beside the arrow, up to MAX_CHARACTERS; the
        width of the text measured by advance (the ink of a full-width （ is half of it)."""
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(self.itemText(i))
                       for i in range(self.count())), default=0)
        text = min(longest, metrics.horizontalAdvance("中") * MAX_CHARACTERS)
        self.setMinimumWidth(self._width_for(text))
        self.updateGeometry()
        self._tell_whole()

    def _width_for(self, text: int) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().sizeFromContents(
            QStyle.CT_ComboBox, option, QSize(text, self.fontMetrics().height()), self).width()

    def text_room(self) -> int:
        """The width the current item's text is drawn in."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().subControlRect(QStyle.CC_ComboBox, option,
                                           QStyle.SC_ComboBoxEditField, self).width()

    def shown_text(self) -> str:
        """The current item as drawn: elided in the middle when it does not fit."""
        return self.fontMetrics().elidedText(self.currentText(), Qt.ElideMiddle,
                                             max(0, self.text_room()))

    def _tell_whole(self) -> None:
        whole = self.currentText()
        cut = bool(whole) and self.shown_text() != whole
        self.setToolTip("\n".join(t for t in (whole if cut else "", self.base_tooltip) if t))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._tell_whole()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.CE_ComboBoxLabel, option)
