"""The roster's name cell under a search that found a firm by a former name: the present
name as usual, then a grey “曾用名：…” (or “记住的写法：…”, a name kept for matching only)
after it, so the officer who typed the old name sees why a firm of another name is listed.
The text comes from the model (``FORMER_NAME_ROLE``); copying and exporting keep the plain
name."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.enterprise_table_model import FORMER_NAME_ROLE

HINT_COLOUR = QColor("#6b6b6b")
GAP = 8  # pixels between the name and the hint


class FormerNameDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        former = index.data(FORMER_NAME_ROLE)
        if not former:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        style = item.widget.style()  # (a table's delegate: always a widget)
        text_rect = style.subElementRect(QStyle.SE_ItemViewItemText, item, item.widget)
        metrics = item.fontMetrics
        name = item.text
        hint = former
        # both fit when they can; otherwise the name keeps at least 45% of the cell and
        # the hint the rest (the tooltip has both in full)
        width = text_rect.width()
        full_name = metrics.horizontalAdvance(name)
        room_for_name = width - GAP - metrics.horizontalAdvance(hint)
        name_width = min(full_name, max(room_for_name, int(width * 0.45)))
        item.text = metrics.elidedText(name, Qt.ElideRight, name_width)
        name_width = metrics.horizontalAdvance(item.text)
        style.drawControl(QStyle.CE_ItemViewItem, item, painter, item.widget)
        left = text_rect.left() + name_width + GAP
        room = text_rect.right() - left
        if room < metrics.horizontalAdvance("曾用…"):
            return
        painter.save()
        selected = bool(option.state & QStyle.State_Selected)
        painter.setPen(option.palette.highlightedText().color() if selected else HINT_COLOUR)
        painter.setFont(item.font)
        painter.drawText(QRect(left, text_rect.top(), room, text_rect.height()),
                         int(Qt.AlignLeft | Qt.AlignVCenter),
                         metrics.elidedText(hint, Qt.ElideRight, room))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):  # noqa: N802
        size = super().sizeHint(option, index)
        former = index.data(FORMER_NAME_ROLE)
        if former:
            size.setWidth(size.width() + GAP
                          + option.fontMetrics.horizontalAdvance(former))
        return size
