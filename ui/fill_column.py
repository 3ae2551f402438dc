"""The room a wide screen has to spare, given to chosen columns of a table rather than to its
last: at 1920 wide the 企业库's last column, 扶持金额合计, stretched over 380 px with its
amounts at the far right, away from their firms (the firm's name, which a 曾用名 note may
follow, takes the room instead); 工作台's expiring list gave it all to the firm's name, a
blank band in the middle of the list (every column now gets a share). Where the room is
short, columns may give way, elided, the whole in their tooltips (工作台: the name; 企业库 at
1366: its long columns, which scrolled sideways).

The 企业库's header still stretches its last column: with widths the officer chose (the
program then leaves them alone) it fills the band beside them, as before."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

# a table property, true while the spare room is being given: that resize follows the
# window's edge (dragged with the mouse button down), no width the officer chose
FILLING = "tiers_filling"
NARROWEST = 80  # what a column giving way keeps


def giving_way(widths: Mapping[int, int], narrowest: Mapping[int, int],
               excess: int) -> dict[int, int]:
    """How much each column of ``narrowest`` gives so that ``excess`` pixels are found: in
    proportion to what it can give (its width above its narrowest), none below it (as much
    as there is, when all together cannot). Shared with 候选企业 and 培育名单's widths."""
    room = {column: max(0, widths[column] - least)
            for column, least in narrowest.items() if column in widths}
    total = sum(room.values())
    if excess <= 0 or not total:
        return {}
    share = min(1.0, excess / total)
    return {column: math.ceil(can * share) for column, can in room.items()}


class FillColumn(QObject):
    def __init__(self, table: QTableView, columns: Sequence[int], *,
                 chosen: Callable[[], bool] = lambda: False,
                 give_way: int | dict[int, int] | None = None,
                 then: Sequence[Mapping[int, int]] = ()) -> None:
        """``columns`` share the room to spare; ``give_way`` narrows when it is short (a
        column, down to NARROWEST, or several, each down to its own narrowest); ``then``:
        further steps, each narrowing its columns (down to their narrowest) only when the
        steps before could not find the room; ``chosen()``: the officer has chosen the
        widths (then they are left alone)."""
        super().__init__(table)
        self.table, self.columns, self.chosen = table, columns, chosen
        self.give_way: dict[int, int] = (
            {} if give_way is None else {give_way: NARROWEST} if isinstance(give_way, int)
            else dict(give_way))
        self.steps: list[dict[int, int]] = [self.give_way, *(dict(step) for step in then)]
        self.natural: list[int] = []
        self.remember()
        table.viewport().installEventFilter(self)
        # the row numbers growing wider (rows listed) narrow the viewport too: its own resize
        # came before it was shown, and the columns ran past its edge at 1366
        table.verticalHeader().installEventFilter(self)

    def remember(self) -> None:
        """The columns' own widths, as the program has just set them (again after the rows
        are fitted anew, or 恢复默认列). A last column the header stretches: its hint."""
        header = self.table.horizontalHeader()
        last = self._last_shown() if header.stretchLastSection() else -1
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

    def widths(self) -> dict[int, int]:
        """The shown columns' widths for the table's present width."""
        header = self.table.horizontalHeader()
        shown = [c for c in range(len(self.natural)) if not header.isSectionHidden(c)]
        widths = {column: self.natural[column] for column in shown}
        spare = self.table.viewport().width() - sum(widths.values())
        sharing = [column for column in self.columns if column in widths]
        if spare > 0 and sharing:
            share, extra = divmod(spare, len(sharing))
            for number, column in enumerate(sharing):
                widths[column] += share + (extra if number == 0 else 0)
        narrowed: list[int] = []
        for step in self.steps:  # (none while there is room to spare)
            if spare >= 0:
                break
            for column, less in giving_way(widths, step, -spare).items():
                widths[column] -= less
                spare += less
                narrowed += [column] if less else []
        if narrowed and spare > 0:  # each share rounded up: the few pixels over, given back
            widths[narrowed[0]] += spare
        return widths

    def fill(self) -> None:
        if self.chosen() or not self.natural:
            return
        header = self.table.horizontalHeader()
        self.table.setProperty(FILLING, True)
        try:
            # the others keep what they have
            ours = {*self.columns, *(column for step in self.steps for column in step)}
            for column, width in self.widths().items():
                if column in ours and header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self.table.setProperty(FILLING, False)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Resize:
            self.fill()
        return False
