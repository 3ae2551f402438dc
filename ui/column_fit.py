"""Column widths fitted to a whole list's longest texts, for the long lists (扶持措施, 培育库,
产业链): Qt's resizeColumnsToContents asked the model for a dozen roles of 100 rows per column
on the GUI thread (200-300 ms on a city's database at each refresh), and measured only the rows
near the top, so a longer text further down was cut off.

The job that reads the rows on the runner also picks, for each column, the few texts that look
widest (``widest_texts``: a CJK character counts as two Latin ones, which is cheap and needs no
font); the GUI thread then measures only those with the table's font (``fit_to_texts``). No Qt
font object is used off the GUI thread. The widths depend on the rows, not on where the list is
scrolled, and the widths the officer dragged are kept (ui.table_comforts.widths_chosen)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QStyle, QTableView

from ui.table_comforts import widths_chosen

SAMPLE = 12  # texts measured per column on the GUI thread
CANDIDATES = 20_000  # at most this many texts of a column are weighed character by character
Widest = list[list[str]]  # per column, its widest-looking texts


@dataclass(frozen=True)
class CharWidths:
    """The table font's advance of each printable ASCII character and of a CJK one,
    measured once on the GUI thread; the runner weighs texts with these numbers."""

    ascii: dict[str, int]
    wide: int

    @classmethod
    def of(cls, metrics: QFontMetrics) -> CharWidths:
        return cls({chr(code): metrics.horizontalAdvance(chr(code)) for code in range(32, 127)},
                   metrics.horizontalAdvance("中"))

    def weigh(self, text: str) -> int:
        table, wide = self.ascii, self.wide
        return sum(table.get(char, wide) for char in text)


def estimated_width(text: str) -> int:
    """In half-ems: a CJK character (three bytes in UTF-8) twice a Latin letter (one)."""
    return len(text) + len(text.encode("utf-8", "surrogatepass"))


def widest_texts(texts: Iterable[str], widths: CharWidths | None,
                 count: int = SAMPLE) -> list[str]:
    """The ``count`` texts that look widest: those within a quarter of the longest by the
    cheap estimate (ties are many: every credit code is 18 characters), then weighed by
    their characters' widths (an M is three times an i)."""
    weighed = [(estimated_width(text), text) for text in set(texts)]
    if not weighed:
        return []
    floor = max(weighed)[0] * 3 // 4
    band = [text for estimate, text in weighed if estimate >= floor]
    if len(band) > CANDIDATES:
        band = [text for _e, text in heapq.nlargest(CANDIDATES, weighed)]
    if widths is None:
        return heapq.nlargest(count, band, key=estimated_width)
    return heapq.nlargest(count, band, key=widths.weigh)


def widest_of_rows(rows: Sequence[dict[str, Any]], columns: int,
                   text: Callable[[dict[str, Any], int], str],
                   widths: CharWidths | None) -> Widest:
    """Per column, the widest-looking of its texts in ``rows`` (run on the runner)."""
    return [widest_texts((text(row, column) for row in rows), widths)
            for column in range(columns)]


def cell_margin(view: QTableView) -> int:
    """What Qt adds to a cell's text: the item's text margin either side, and the grid."""
    style = view.style()
    margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1
    return 2 * margin + (1 if view.showGrid() else 0)


def fit_to_texts(view: QTableView, widest: Widest, maximum: int = 260, *,
                 bold: Iterable[int] = ()) -> list[int]:
    """Each column as wide as its title and its widest text, but none wider than
    ``maximum`` (the tooltip has the whole) — unless the officer set the widths. ``bold``:
    the columns whose coloured cells are drawn bold. Returns the texts measured per column."""
    if widths_chosen(view):
        return []
    # (fractional widths, rounded up as Qt's own fitting does: a whole-pixel advance left
    # the widest amount 1,234,567.50 a pixel short, and elided: review)
    plain, header = QFontMetricsF(view.font()), view.horizontalHeader()
    bold_font = view.font()
    bold_font.setBold(True)
    heavy, bold = QFontMetricsF(bold_font), set(bold)
    margin = cell_margin(view)
    measured = []
    for column, texts in enumerate(widest):
        metrics = heavy if column in bold else plain
        cells = max((math.ceil(metrics.horizontalAdvance(text)) for text in texts),
                    default=-margin)
        width = max(header.sectionSizeHint(column), cells + margin)
        view.setColumnWidth(column, min(width, maximum))
        measured.append(len(texts))
    return measured
