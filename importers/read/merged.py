"""Merged cells: each cell of a merged range gets the range's value (设区市 merged over a
group of rows stands on each row), within a budget of the cells the sheet really holds — a
few hundred ranges spanning whole rows would otherwise make millions of bogus cells."""

from __future__ import annotations

from typing import Any

from importers.errors import ImportRefused

MIN_MERGED_CELLS = 200_000  # merged cells always allowed, whatever the sheet's size
MERGED_PER_CELL = 4  # beyond that, up to 4 merged cells per cell read
MAX_MERGED_CELLS = 10_000_000


def merged_budget(rows: list[list[Any]]) -> int:
    """How many cells merged ranges may fill in all: a few times the cells read, at least
    enough for any honest roster's merges, never more than MAX_MERGED_CELLS."""
    cells = sum(map(len, rows))
    return min(MAX_MERGED_CELLS, max(MIN_MERGED_CELLS, MERGED_PER_CELL * cells))


def check_merged(rows: list[list[Any]], merged: list[tuple[int, int, int, int]], *,
                 sheet: str) -> None:
    """Refuse merged ranges whose total is far beyond the sheet's content, before any is
    filled: 2,000 ranges of A{n}:ALL{n+999} in a 16 KB file took 28.5 s and made 2,999
    bogus rows when only each range was capped."""
    total = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merged)
    if total > merged_budget(rows):
        raise ImportRefused(
            f"工作表“{sheet}”的合并单元格共覆盖 {total} 个单元格，远超表中实际内容，"
            "不像一份名单（可能是整行整列被合并）。请在 Excel 或 WPS 中选中全表，"
            "取消“合并单元格”后保存，再导入。")


def fill_merged(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> None:
    """Every cell of a merged range gets the range's value: 设区市 merged over a group of
    rows then stands on each row; a group header over two columns on each column.
    check_merged has bounded the ranges' total."""
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows):
            continue
        line = rows[r0]
        value = line[c0] if c0 < len(line) else ""
        if value is None or value == "":
            continue
        for r in range(r0, r1 + 1):
            while r >= len(rows):
                rows.append([])
            target = rows[r]
            if len(target) <= c1:
                target.extend([""] * (c1 + 1 - len(target)))
            for c in range(c0, c1 + 1):
                target[c] = value
