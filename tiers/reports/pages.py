"""Where a report sheet's printed pages break, so that its 注 and 落款 never print on a page
of their own (the header repeated over nothing but them: the officer's 扶持措施兑现情况表 by
kind ended its rows exactly at a page's foot).

Sheets print fitted to one page's width, so the programs break the pages themselves, each at
the scale it computes from the columns' widths: Excel (and LibreOffice with Calibri or
Carlito) from 7 pixels a width unit, LibreOffice without them from its own default font's
wider digits (DejaVu Sans: about 7.1 points a unit), which fits a third more rows a page.
Neither keeps rows together, so where the rows end near a page's foot in either program (or a
few percent either side of its scale), a manual break is put a few rows before the table's
end, where every program's pages before it stay at least half full and the rest fits one
page; where no such row is found, every page is broken by hand instead: each page filled at a
scale a little above the largest a program computes (so a page of ours always fits the
program's page and it need add no break of its own; LibreOffice without Calibri then prints
pages about a third empty), the last page starting a few rows before the table's end.
LibreOffice keeps manual row breaks in a sheet fitted to one page wide and any number tall
(checked); Excel is expected to, not verified: it ignores manual breaks under 'Fit To' when
the height is fixed too, and here the height is automatic. Excel keeps 1,023 manual breaks at
most: a longer sheet is left to the program.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

A4 = (841.89, 595.28)  # points, landscape
DEFAULT_HEIGHT = 15.0  # a row given no height (the gap above the 落款)
KEEP_ROWS = 3  # table rows printed with the 注 and 落款
MOST_BREAKS = 1023
LOOK_BACK = 20  # rows before the last ones tried for a single break
FILLED = 0.3  # a page before a single break is at least this full
SLACK = 0.06  # the scales a program may compute, either side of ours (LibreOffice's measured
# 1% above and 1.6% below this estimate in two tables)
MARGIN = 0.04  # the pinned pages' scale above the largest estimated


def printable(portrait: bool, margins: tuple[float, float, float, float]) -> tuple[float, float]:
    """The printable (width, height) in points; ``margins``: left, right, top, bottom in
    inches."""
    width, height = (A4[1], A4[0]) if portrait else A4
    left, right, top, bottom = margins
    return width - (left + right) * 72, height - (top + bottom) * 72


def scales(widths: Sequence[float], page_width: float) -> list[float]:
    """The scales the programs print a table of these column widths at, fitted to the
    page's width: Excel's measure, then LibreOffice's without Calibri."""
    excel = sum((int(w * 7 + 0.5) + 5) * 0.75 for w in widths)
    fallback = sum((w + 5 / 7) * 7.08 for w in widths)
    return [min(1.0, page_width / table) for table in (excel, fallback) if table > 0]


def natural_breaks(heights: Sequence[float], page_height: float, scale: float,
                   repeated: float) -> list[int]:
    """The rows a program starts a new page at (after the first), filling each page:
    ``heights`` in points, ``repeated`` the height of the header rows printed atop every
    page after the first."""
    breaks: list[int] = []
    used = 0.0
    for row, height in enumerate(heights):
        height *= scale
        if used + height > page_height and used > repeated * scale:
            breaks.append(row)
            used = repeated * scale
        used += height
    return breaks


def _well_filled(before: list[float], breaks: list[int], page_height: float, scale: float,
                 repeated: float, start: int) -> bool:
    """At this scale, with a manual break before ``start`` added to the program's own
    ``breaks``: are the rows from there to the end on one page, and the page the break cuts
    short at least FILLED full? ``before``: the rows' heights summed, before each row."""
    if (repeated + before[-1] - before[start]) * scale > page_height:
        return False
    at = bisect.bisect_right(breaks, start)
    top = breaks[at - 1] if at else 0
    if top == start:  # the program breaks there itself
        return True
    used = ((repeated if top else 0.0) + before[start] - before[top]) * scale
    return used >= page_height * FILLED


def kept_breaks(heights: Sequence[float], *, page: tuple[float, float], widths: Sequence[float],
                header_rows: tuple[int, int] | None, tail_start: int,
                first_data_row: int) -> list[int]:
    """The manual breaks a sheet needs (none when every program prints its 注 and 落款
    after table rows on their page). ``tail_start``: the first row after the table (the
    注, else the gap above the 落款)."""
    page_width, page_height = page
    repeated = (sum(heights[header_rows[0]:header_rows[1] + 1]) if header_rows else 0.0)
    keep = min(KEEP_ROWS, tail_start - first_data_row)
    if keep < 1:
        return []
    measured = scales(widths, page_width)
    if not measured:
        return []
    nearby = {near: natural_breaks(heights, page_height, near, repeated)
              for scale in measured
              for near in (scale * (1 - SLACK), scale, min(1.0, scale * (1 + SLACK)))}
    if not any(breaks and breaks[-1] > tail_start - keep  # too few rows on the last page
               for breaks in nearby.values()):
        return []
    before = [0.0, *itertools.accumulate(heights)]
    for earlier in range(LOOK_BACK):  # one break, if every program's pages stay well filled
        start = tail_start - keep - earlier
        if start <= first_data_row:
            break
        if all(_well_filled(before, breaks, page_height, near, repeated, start)
               for near, breaks in nearby.items()):
            return [start]
    pinned = natural_breaks(heights, page_height - 2, min(1.0, max(measured) * (1 + MARGIN)),
                            repeated)
    last_start = tail_start - keep
    if pinned and pinned[-1] > last_start:
        pinned = [row for row in pinned if row < last_start] + [last_start]
    if not pinned or len(pinned) > MOST_BREAKS or pinned[0] <= first_data_row:
        return []
    return pinned
