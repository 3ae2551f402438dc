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
(``printed_label``: the columns keep the widths the table's print scale was set for); so is a
group label over its columns (the merged upper header cell, at their width together). A text too
long for any width to keep all its brackets (拟推荐企业名单's conditions, some 250 characters:
近两年研发费用…（差 96 万元）；…) is broken in the cell itself where a closer would start a line
(``kept``), in every row, not only the sampled ones. Closing quotes (专精特新“小巨人 / ”企业) count
as closers too."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

CLOSING = frozenset("）)】」』》〉")
# a sheet may count closing quotes as closers too (the 拟推荐企业名单's 专精特新“小巨人 / ”企业);
# the others do not: widening the 梯度培育企业名单's 梯度层级 column for them moved its page
# breaks (30 pages of the 1,000-firm demo became 44) where LibreOffice printed no lone quote
QUOTED = CLOSING | frozenset("”’")
OPENING = frozenset("（(【「『《〈“‘")
_WORD = re.compile(r"[0-9A-Za-z.,%]{2,}")
_HAS_WORD = re.compile(r"[0-9A-Za-z]").search
STEP = 0.5
WIDER = 3.0  # at most this much wider than the width the texts asked for


QUOTES = frozenset("“”‘’")  # set full width in 宋体 (LibreOffice printed 专精特新“小巨人 / ”企业
# in a column of 8.7 ems: 9 with the quotes a character each, 8.1 with them half)


@lru_cache(maxsize=4096)
def _ems(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") or char in QUOTES else 0.5


@lru_cache(maxsize=256)
def capacities(width: float) -> tuple[tuple[float, float], ...]:
    """(line width in ems, a half-width character's ems) of a column ``width`` units wide,
    as each program wraps it, and a little either side."""
    excel = (int(width * 7 + 0.5) + 5 - 6) / (40 / 3)  # (XlsxWriter's pixels)
    libre = ((width + 5 / 7) * 7.0 - 4) / 10
    return tuple([(excel * f, 0.5) for f in (0.98, 1.0, 1.02)] + [
        (libre * f, 0.55) for f in (0.97, 1.0, 1.03)])


@lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """``text`` as (index, wide characters, narrow characters, kind) for ``_starts``: kind 0 a
    character, 1 a run of digits and Latin letters, 2 a space, 3 a line break."""
    tokens = []
    words = {m.start(): m.end() for m in _WORD.finditer(text)} if _HAS_WORD(text) else {}
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        stop = words.get(index)
        if stop is not None:
            tokens.append((index, 0, stop - index, 1))
            index = stop
            continue
        if char == "\n":
            tokens.append((index, 0, 0, 3))
        elif char == " ":
            tokens.append((index, 0, 1, 2))
        elif _ems(char) == 1.0:
            tokens.append((index, 1, 0, 0))
        else:
            tokens.append((index, 0, 1, 0))
        index += 1
    return tuple(tokens)


def _starts(text: str, line: float, narrow: float,
            tokens: tuple[tuple[int, int, int, int], ...] | None = None) -> Iterator[int]:
    """Where the wrapped lines of ``text`` start (the first line's and those after a line
    break in the text excepted): Chinese breaks before any character; a run of digits and
    Latin letters (5802.37, 2.5%, Ⅰ excepted) moves to the next line whole, as both programs
    keep it (LibreOffice printed …约 5802.37 万元 / ） where a break inside the number would
    have kept the bracket on the line), unless longer than a line; a space that does not fit
    hangs at the line's end."""
    used = 0.0
    pending = False  # a space hung at the line's end: the next token starts a line
    for index, wide, count, kind in tokens if tokens is not None else _tokens(text):
        if kind == 3:
            used, pending = 0.0, False
            continue
        if pending:
            yield index
            pending = False
        size = wide + count * narrow
        if used and used + size > line:
            if kind == 2:
                used, pending = 0.0, True
                continue
            if kind != 1 or size <= line:
                yield index
                used = 0.0
        if kind == 1 and used + size > line:  # a run longer than a line: broken anywhere
            for offset in range(count):
                if used and used + narrow > line:
                    yield index + offset
                    used = 0.0
                used += narrow
            continue
        used += size


@lru_cache(maxsize=256)
def dense_capacities(width: float) -> tuple[tuple[float, float], ...]:
    """``capacities`` with LibreOffice's line from 7% short to 8% long, a percent apart: a text
    of many lines wraps where the program's measure of its characters puts each line's end,
    and a small difference there moves every later line's start (the 1,000-firm demo's
    拟推荐企业名单 of 小巨人, conditions of up to ten lines in its 差距 column: 54 lone ） printed
    when broken at the three measures, 19 at eleven 1.5% apart, 10 at these sixteen; its
    export, 900 rows, took 7.2 s instead of 4.9 without the rule)."""
    excel = (int(width * 7 + 0.5) + 5 - 6) / (40 / 3)
    libre = ((width + 5 / 7) * 7.0 - 4) / 10
    return tuple([(excel * f, 0.5) for f in (0.98, 1.0, 1.02)] + [
        (libre * (0.93 + k / 100), 0.55) for k in range(16)])


def line_starts(text: str, line: float, narrow: float) -> list[str]:
    """The characters the wrapped lines of ``text`` start with (the first line's excepted)."""
    return [text[index] for index in _starts(text, line, narrow)]


def strands(texts: Iterable[str], width: float, closing: frozenset[str] = CLOSING) -> bool:
    """Would a closing bracket start a line of any of these texts at this width?"""
    texts = [t for t in texts if not closing.isdisjoint(t)]
    return any(text[index] in closing for text in texts for line, narrow in capacities(width)
               for index in _starts(text, line, narrow, _tokens(text)))


def settled_width(texts: Iterable[str], width: float, lowest: float,
                  closing: frozenset[str] = CLOSING) -> float:
    """The width nearest ``width`` (wider first) at which no closing bracket starts a line."""
    texts = list({t for t in texts if not closing.isdisjoint(t)})
    if not texts or not strands(texts, width, closing):
        return width
    steps = int(WIDER / STEP)
    for k in range(1, steps + 1):
        if not strands(texts, width + k * STEP, closing):
            return width + k * STEP
    k = 1
    while width - k * STEP >= lowest:
        if not strands(texts, width - k * STEP, closing):
            return width - k * STEP
        k += 1
    return width


def printed_label(label: str, width: float, closing: frozenset[str] = CLOSING) -> str:
    """A header label as written in a column ``width`` wide: where its closing bracket would
    start a line, the bracketed part on a line of its own (县\n（市、区）; the label read back
    is the same, line breaks ignored); failing that, broken as ``kept`` breaks a cell."""
    if "\n" in label or not strands([label], width, closing):
        return label
    at = label.rfind("（")
    if at > 0:
        broken = label[:at] + "\n" + label[at:]
        if not strands([broken], width, closing):
            return broken
    return kept(label, width, closing)


def _first_stranded(text: str, measures: tuple[tuple[float, float], ...],
                    closing: frozenset[str]) -> int | None:
    """The index in ``text`` of the first closer any of the programs' wrapping would put at a
    line's start (None: none would)."""
    tokens = _tokens(text)
    first = None
    for line, narrow in measures:
        for index in _starts(text, line, narrow, tokens):
            if first is not None and index >= first:
                break
            if text[index] in closing:
                first = index
                break
    return first


def _at_most_ems(text: str) -> float:
    """At least the ems of ``text`` (CJK: 3 bytes in UTF-8, quotes too), quickly."""
    wide = (len(text.encode("utf-8")) - len(text)) // 2
    return wide + (len(text) - wide) * 0.55


def kept(text: str, width: float, closing: frozenset[str] = CLOSING, *,
         long_only: bool = False) -> str:
    """``text`` with a line break where a closer would otherwise start a wrapped line in a
    column ``width`` wide, at any of the measures: before the bracket's opening when the
    bracketed part is short (…不低于60分\n（差 20.9 分）), else before the character ahead of
    the closer (…约 5802.37 万\n元）). Read back without its line breaks, the text is the same.
    ``long_only``: only a text of three lines or more (a row's cells: 42 µs a 20-character
    name with a bracket, 1.3 s of a 100,000-firm roster's 4.3 s if every row's were checked;
    a long text 0.8 ms)."""
    if closing.isdisjoint(text):
        return text
    shortest = min(line for line, _narrow in capacities(width))
    if "\n" not in text and _at_most_ems(text) <= shortest:
        return text  # on one line at every measure (most cells: a name, a tier)
    # a text of three lines or more at the denser measures (a short one, 第八批（2024年）, at
    # the widths' own: those its column was widened for)
    long = max(_at_most_ems(part) for part in text.split("\n")) > 2 * shortest
    if long_only and not long:
        return text  # (a data row's: its column's width keeps the sampled short ones)
    measures = dense_capacities(width) if long else capacities(width)
    done = []  # the lines before the last break made: every measure starts afresh after it
    for _ in range(len(text)):
        at = _first_stranded(text, measures, closing)
        if at is None:
            break
        start = text.rfind("\n", 0, at) + 1
        back = at
        while back > start and text[back - 1] in closing:  # 资产总额不变时））
            back -= 1
        opening = _opening_of(text, start, back, closing)
        if opening is not None and opening > start and sum(
                _ems(c) for c in text[opening:at + 1]) <= shortest * 0.9:
            cut = opening
        else:
            cut = back - 1
            while cut > start and text[cut - 1] in OPENING:  # no opener left at a line's end
                cut -= 1
            if cut <= start:
                break  # nothing before the closer on its line to move
        done.append(text[:cut] + "\n")
        text = text[cut:]
    return "".join(done) + text if done else text


def _opening_of(text: str, start: int, end: int, closing: frozenset[str]) -> int | None:
    """Where the bracket closed at ``end`` opened, in the line from ``start`` (None: before it)."""
    depth = 0
    for index in range(end - 1, start - 1, -1):
        char = text[index]
        if char in closing:
            depth += 1
        elif char in OPENING:
            if depth == 0:
                return index
            depth -= 1
    return None
