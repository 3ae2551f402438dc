"""The room a wide screen has to spare, given to one column of a table rather than to its
last: at 1920 wide the 企业库's last column, 扶持金额合计, stretched over 380 px with its
amounts at the far right, away from their firms; the firm's name (which a 曾用名 note may
follow) takes the room instead, and every other column keeps its own width.

The header still stretches its last column: with widths the officer chose (the program then
leaves them alone) it fills the band beside them, as before."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

# a table property, true while the spare room is being given: that resize follows the
# window's edge (dragged with the mouse button down), no width the officer chose
FILLING = "tiers_filling"


class FillColumn(QObject):
    def __init__(self, table: QTableView, column: int, *, chosen) -> None:
        """``chosen()``: the officer has chosen the widths (then they are left alone)."""
        super().__init__(table)
        self.table, self.column, self.chosen = table, column, chosen
        self.natural: list[int] = []
        self.remember()
        table.viewport().installEventFilter(self)

    def remember(self) -> None:
        """The columns' own widths, as the program has just set them (and again after
        恢复默认列)."""
        header = self.table.horizontalHeader()
        last = self._last_shown()
        self.natural = [header.sectionSize(column) if column != last else
                        max(header.sectionSizeHint(column), self.natural[column]
                            if len(self.natural) > column else 0)
                        for column in range(header.count())]
        self.fill()

    def _last_shown(self) -> int:
        header = self.table.horizontalHeader()
        for visual in reversed(range(header.count())):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return -1

    def fill(self) -> None:
        if self.chosen() or not self.natural:
            return
        header = self.table.horizontalHeader()
        others = sum(width for column, width in enumerate(self.natural)
                     if column != self.column and not header.isSectionHidden(column))
        width = max(self.natural[self.column], self.table.viewport().width() - others)
        if header.sectionSize(self.column) != width:
            self.table.setProperty(FILLING, True)
            try:
                header.resizeSection(self.column, width)
            finally:
                self.table.setProperty(FILLING, False)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Resize:
            self.fill()
        return False
