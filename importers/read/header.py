"""Finding a sheet's header among its first rows: title rows above it are skipped, a
two-row header is joined into one label per column, and the row (or pair) whose labels
name the most known fields wins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from importers import columns
from importers.errors import ImportRefused
from importers.read.sources import Sheet
from importers.values import is_blank, text
from tiers.services import figures as figures_service

HEADER_SCAN_ROWS = 25
# more named columns than any list has (a 采集表 has 61, ten years of every figure ~300):
# the import wizard builds a row with a field chooser for each, and took 3½ minutes of a
# frozen window over 16,000
MAX_HEADER_COLUMNS = 1_000

# the fields that hold one year's figures (营业收入 …): a year above them says which
FIGURE_FIELDS = frozenset((*figures_service.MONEY, *figures_service.COUNTS,
                           *(key for key in figures_service.OTHER if key != "note")))

_YEAR_CELL = re.compile(r"^(?:(?:19|20)\d{2})\s*年?度?(?:数据|指标|情况)?$")
_YEAR_GROUP = re.compile(r"^((?:19|20)\d{2})\s*年度?")


@dataclass
class HeaderCandidate:
    """One row, or a pair of rows, read as a header."""

    rows: tuple[int, ...]  # 0-based row indexes
    labels: list[str]  # one per column; a pair's shown as "上/下"
    mapping: dict[int, str]  # column index → field key ("" = known but not stored)
    years: dict[int, int]  # column index → the year its label names
    score: int  # 0 = not a header (neither 企业名称 nor 统一社会信用代码)


def row_labels(sheet: Sheet, row: int) -> list[str]:
    line = sheet.rows[row] if row < len(sheet.rows) else []
    return [text(value) or "" for value in line]


Match = Callable[[str], tuple[str | None, int | None]]


def _map_labels(labels: list[str], match: Match = columns.match_header
                ) -> tuple[dict[int, str], dict[int, int]]:
    result: dict[int, str] = {}
    years: dict[int, int] = {}
    taken: set[str] = set()
    for index, label in enumerate(labels):
        key, year = match(label)
        if key is None:
            continue
        if key and key in taken and year is None:
            continue  # the first column of a field wins; the user can remap
        result[index] = key
        if key:
            taken.add(key)
        if year is not None:
            years[index] = year
    return result, years


def _join_pair(top: str, bottom: str, match: Match = columns.match_header) -> str:
    """One label for a column under a two-row header. A year under a field (营业收入 over
    2024年 | 2025年) or a year group over a field (2023年数据 over 营业收入) gives the field
    with its year, "2024年营业收入", which ``match_header`` reads as (revenue, 2024). Else
    the lower cell names the column when it means something, else the upper."""
    top_key = match(top)[0]
    bottom_key = match(bottom)[0]
    bottom_plain = re.sub(r"\s+", "", bottom)
    if top_key and _YEAR_CELL.match(bottom_plain):
        return f"{bottom_plain[:4]}年{top}"
    group = _YEAR_GROUP.match(re.sub(r"\s+", "", top))
    if bottom_key and group and not match(bottom)[1]:
        return f"{group.group(1)}年{bottom}"
    return bottom if bottom_key is not None or not top_key else top


def _figure_years(mapping: dict[int, str], years: dict[int, int]) -> dict[int, int]:
    """The years of the columns that hold a year's figures (营业收入…, not 企业名称)."""
    return {i: year for i, year in years.items() if mapping.get(i) in FIGURE_FIELDS}


def _score(mapping: dict[int, str], years: dict[int, int] | None = None) -> int:
    keys = {k for k in mapping.values() if k}
    if not keys & {"name", "credit_code"}:
        return 0
    # a field under several years (营业收入 2024年 | 2025年) counts once per year
    distinct = {(k, (years or {}).get(i)) for i, k in mapping.items() if k}
    return len(distinct) * 2 + sum(1 for k in mapping.values() if k == "")


def _pair_candidate(row: int, upper: list[str], lower: list[str],
                    match: Match = columns.match_header) -> HeaderCandidate:
    """Rows ``row`` and ``row + 1`` read as one two-row header."""
    width = max(len(upper), len(lower))
    joined: list[str] = []
    display: list[str] = []
    for i in range(width):
        top = upper[i] if i < len(upper) else ""
        bottom = lower[i] if i < len(lower) else ""
        if top and bottom and top != bottom:
            joined.append(_join_pair(top, bottom, match))
            display.append(f"{top}/{bottom}")
        else:
            joined.append(bottom or top)
            display.append(bottom or top)
    mapping, years = _map_labels(joined, match)
    # a second header row must add something to beat the single row: more fields, or the
    # year of fields (2023年主要经济指标 over 营业收入 | 研发费用), which the lower row alone
    # would leave to the title's year
    adds_years = len(_figure_years(mapping, years)) > len(
        _figure_years(*_map_labels(lower, match)))
    return HeaderCandidate((row, row + 1), display, mapping, years,
                           max(_score(mapping, years) - (not adds_years), 0))


def _candidates(sheet: Sheet) -> list[HeaderCandidate]:
    found: list[HeaderCandidate] = []
    # each label answered once (functools.cache of this sheet's): the rows scanned for a
    # header are each read alone, as the lower and as the upper of a pair (a 16,000-column
    # sheet took 29 s)
    match = cache(columns.match_header)
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS)
    for row in range(limit):
        upper = row_labels(sheet, row)
        if not any(upper):
            continue
        mapping, years = _map_labels(upper, match)
        found.append(HeaderCandidate((row,), upper, mapping, years, _score(mapping, years)))
        if row + 1 < len(sheet.rows):
            found.append(_pair_candidate(row, upper, row_labels(sheet, row + 1), match))
    return found


def best_header(sheet: Sheet) -> HeaderCandidate | None:
    """The header that names the most known fields; the first of equals wins. None when no
    row names 企业名称 or 统一社会信用代码."""
    best: HeaderCandidate | None = None
    for candidate in _candidates(sheet):
        if candidate.score == 0:
            continue
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def list_header(name: str, sheet: Sheet,
                wide: list[tuple[str, HeaderCandidate]]) -> HeaderCandidate | None:
    """The header of the list ``sheet`` holds, as every choice of a sheet takes it (the
    import's, a template's, the other lists an import mentions): best_header, unless it
    names more columns than a list has. Such a sheet is left out of the choice (the list
    may sit beside it) and noted in ``wide``, for refuse_too_wide when none is chosen."""
    candidate = best_header(sheet)
    if candidate is not None and _named(candidate) > MAX_HEADER_COLUMNS:
        wide.append((name, candidate))
        return None
    return candidate


def _named(candidate: HeaderCandidate) -> int:
    return sum(1 for label in candidate.labels if label)


def refuse_too_wide(wide: list[tuple[str, HeaderCandidate]]) -> None:
    """Refuse, in Chinese, the first sheet list_header left out as too wide (if any): no
    sheet held a list, and this one names more columns than a list has."""
    if not wide:
        return
    sheet, candidate = wide[0]
    first, last = candidate.rows[0] + 1, candidate.rows[-1] + 1
    rows = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    raise ImportRefused(
        f"工作表“{sheet}”的表头（{rows}）有 {_named(candidate):,} 列，名单不会有这么多列（最多 "
        f"{MAX_HEADER_COLUMNS:,} 列）：可能不是名单，或选错了工作表。请只保留需要导入的列，"
        "另存为 .xlsx 再导入。")


def has_data(sheet: Sheet, start: int) -> bool:
    """Whether any row from ``start`` on holds a value."""
    return any(not all(is_blank(v) for v in row) for row in sheet.rows[start:])


def describe_unknown(sheet: Sheet) -> str:
    """The first row with two labels or more, shown to say what a sheet without a
    recognisable header holds instead."""
    for row in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        labels = [label for label in row_labels(sheet, row) if label]
        if len(labels) >= 2:
            shown = "、".join(labels[:8])
            return f"（第 {row + 1} 行为：{shown}）"
    return ""
