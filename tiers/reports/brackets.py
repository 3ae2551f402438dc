"""Column widths at which no wrapped line starts with a closing bracket: 县（市、区）, 纺织加工
（链主）, 第七批（2025年）, 省级专精特新（公示中） printed a lone ） on a line of its own in
LibreOffice (the officer's re-test of the 梯度培育企业名单), which breaks a Chinese line before
any character and ignores a WORD JOINER (checked). Lines are followed as the programs wrap a
cell's text, character by character, at two measures of a column: Excel's (7 pixels a width
unit and 5 of padding; 10-point 宋体 13⅓ pixels a character, half that a digit or letter) and
LibreOffice's without Calibri (about 7 points a unit; 10 points a character, 0.55 of that a
digit), each a few percent either side (2% of Excel's, whose measure is known to the pixel, 3% of
LibreOffice's); a column whose texts would put a closing bracket at a
line's start at any of these is widened (or, failing that, narrowed) by half units until none
would. The texts are the rows a column's width is measured on; a header label that would
strand its bracket is written with the bracketed part on a line of its own instead
(``printed_label``: the columns keep the widths the table's print scale was set for)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

CLOSING = frozenset("）)】」』》〉")
STEP = 0.5
WIDER = 3.0  # at most this much wider than the width the texts asked for


def _ems(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


def capacities(width: float) -> list[tuple[float, float]]:
    """(line width in ems, a half-width character's ems) of a column ``width`` units wide,
    as each program wraps it, and a little either side."""
    excel = (int(width * 7 + 0.5) + 5 - 6) / (40 / 3)  # (XlsxWriter's pixels)
    libre = ((width + 5 / 7) * 7.0 - 4) / 10
    return [(excel * f, 0.5) for f in (0.98, 1.0, 1.02)] + [
        (libre * f, 0.55) for f in (0.97, 1.0, 1.03)]


def line_starts(text: str, line: float, narrow: float) -> list[str]:
    """The characters the wrapped lines of ``text`` start with (the first line's excepted)."""
    starts = []
    for part in text.split("\n"):
        used = 0.0
        for char in part:
            size = 1.0 if _ems(char) == 1.0 else narrow
            if used and used + size > line:
                starts.append(char)
                used = 0.0
            used += size
    return starts


def strands(texts: Iterable[str], width: float) -> bool:
    """Would a closing bracket start a line of any of these texts at this width?"""
    texts = [t for t in texts if any(c in CLOSING for c in t)]
    return any(start in CLOSING for line, narrow in capacities(width) for text in texts
               for start in line_starts(text, line, narrow))


def settled_width(texts: Iterable[str], width: float, lowest: float) -> float:
    """The width nearest ``width`` (wider first) at which no closing bracket starts a line."""
    texts = list({t for t in texts if any(c in CLOSING for c in t)})
    if not texts or not strands(texts, width):
        return width
    steps = int(WIDER / STEP)
    for k in range(1, steps + 1):
        if not strands(texts, width + k * STEP):
            return width + k * STEP
    k = 1
    while width - k * STEP >= lowest:
        if not strands(texts, width - k * STEP):
            return width - k * STEP
        k += 1
    return width


def printed_label(label: str, width: float) -> str:
    """A header label as written in a column ``width`` wide: where its closing bracket would
    start a line, the bracketed part on a line of its own (县\n（市、区）; the label read back
    is the same, line breaks ignored)."""
    if "\n" in label or not strands([label], width):
        return label
    at = label.rfind("（")
    if at <= 0:
        return label
    broken = label[:at] + "\n" + label[at:]
    return label if strands([broken], width) else broken
