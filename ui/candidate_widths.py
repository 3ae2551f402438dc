"""候选企业's column widths: measured on a screenful of rows, the long texts narrowed at 1366
(培育名单 narrows its own long columns for 较上年变化 with the same ``narrowed``)."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from ui.fill_column import giving_way
from ui.status_table_model import StatusTableModel

WIDTH_SAMPLE_ROWS = 30  # about a screenful
# long texts, filled in after the list shows: a fixed readable width, the whole in the tooltip
FIXED_WIDTHS = {"score": 170, "gaps": 230, "missing": 140}
# on a narrow screen (1366 wide) these give way, down to these widths, so that every column
# fits without scrolling sideways: their texts are elided, the whole in the tooltip
# (现有梯度 too: a local title, 市级专精特新中小企业, is as long as the roster says it)
NARROWEST = {"gaps": 120, "missing": 90, "current_tier": 100}
LAST_COLUMN_WIDTH = 160  # 需人工核实, stretched over what is left
# then, when those cannot find the room, the 预审结论 of a firm in its 复核 (复核：待人工核实
# （1项核心条件）) gives way too, elided after its group's first words (the whole verdict in
# the tooltip); a list without one is not narrowed there
THEN_NARROWEST = {"readiness": 150}


def fit_widths(table: QTableView, model: StatusTableModel, *,
               computed_score: bool = True) -> None:
    """Each short column as wide as its title and its first rows' texts. Measured here:
    Qt's resizeColumnsToContents asked the model for a dozen roles of some 150 rows per
    column, a third of a second of the list's opening. A score the firm reports
    (``computed_score`` false: 65.5 分) is short: measured too, not the fixed width a
    computed one's range (66—80 分（14 分待核实或缺数据）) is given before it is known."""
    plain, header = table.fontMetrics(), table.horizontalHeader().fontMetrics()
    bold_font = table.font()
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    sample = model.rows[:WIDTH_SAMPLE_ROWS]
    widths: list[int] = []
    for number, column in enumerate(model.columns):
        width = FIXED_WIDTHS.get(column.key)
        if column.key == "score" and (not computed_score
                                      or not any(row["score"] for row in sample)):
            width = None  # a tier without a score: the title's width will do
        if width is None:
            metrics = bold if column.key in model.colours else plain
            width = max([metrics.horizontalAdvance(model.text(row, number)) + 16
                         for row in sample] + [header.horizontalAdvance(column.title) + 28])
        widths.append(min(width, 300))
    for number, width in enumerate(narrowed(table, model, widths)):
        table.setColumnWidth(number, width)


def narrowed(table: QTableView, model: StatusTableModel, widths: list[int], *,
             narrowest: dict[str, int] | None = None,
             last_width: int = LAST_COLUMN_WIDTH) -> list[int]:
    """The long texts narrowed (in proportion to what each can give, down to
    ``narrowest``: 候选企业's own by default) to leave the last column ``last_width``: at
    1366×768 the table scrolled sideways to reach it. Hidden columns (县区 on a county's
    own database) take no room. 培育名单 gives way the same way for its 较上年变化."""
    if not table.isVisible():
        return widths  # no width to fit yet
    keys = [column.key for column in model.columns]
    scroll_bar = table.verticalScrollBar()  # the rows just set may not show it yet
    available = table.viewport().width() - (
        0 if scroll_bar.isVisible() else scroll_bar.sizeHint().width())
    excess = sum(width for number, width in enumerate(widths[:-1])
                 if not table.isColumnHidden(number)) + last_width - available
    least = {keys.index(key): width
             for key, width in (NARROWEST if narrowest is None else narrowest).items()}
    gives = giving_way(dict(enumerate(widths)), least, excess)
    widths = [width - gives.get(number, 0) for number, width in enumerate(widths)]
    excess -= sum(gives.values())
    if narrowest is None and excess > 0:  # (候选企业's own: the 复核's longer 预审结论)
        then = {keys.index(key): width for key, width in THEN_NARROWEST.items()
                if key in keys}
        more = giving_way(dict(enumerate(widths)), then, excess)
        widths = [width - more.get(number, 0) for number, width in enumerate(widths)]
    return widths
