"""Workbooks Tiers wrote itself, every sheet of them, known by their marker (``importers.read.marker``) or, when
a re-save as .xls, .ods or .csv lost it, by their layout: a sheet named as the report, or
whose top line is the report's title as Tiers writes it, or (a title of the user's own,
--title) whose table has the report's headings, all of them in Tiers's order
(tiers.reports.headings); and whose first rows hold the report's （统计截止：…） subtitle
and 填报单位（盖章） line.

Only the 梯度培育企业名单 is a list of recognitions; it is read with each row's own batch
and year. The other reports (counts, a support sheet with 小计 rows, proposals, a profile)
are refused with what the file is and what to do instead."""

from __future__ import annotations

import re
from functools import cache

from importers.errors import ImportRefused, SheetRefused
from importers.read.marker import tiers_report
from importers.read.sources import Sheet, Source

ROSTER = "roster"  # the one report that is a list of recognitions
LAYOUT_ROWS = 5  # the title, the subtitle and the 填报单位 line come first
HEADER_ROWS = 8  # then the table's header (企业档案: its 基本情况)
# what the import says the roster was taken as: the blank tier, batch and year of the
# list's title are no fields left to fill (the wizard says it in its own words, tr())
ROSTER_NOTE = "这是 Tiers 导出的梯度培育企业名单：按每行自己的梯度、批次与年度读取，不必填写梯度层级、批次与年度"
_SUBTITLE_MARK = "（统计截止："  # (tiers.reports.common.as_of)
_UNIT_MARK = "填报单位（盖章）"
_TITLE_LENGTH = 80  # a report's top line: a title, not a paragraph that names one


@cache
def report_titles() -> dict[str, str]:
    """Each report's code → its title (the name of its sheet)."""
    from tiers.reports import REPORTS  # the report modules: only when a file is read

    return {definition.name: definition.title for definition in REPORTS}


def from_marker(source: Source) -> str | None:
    """The report code in the file's marker; None for a file without one."""
    if source.path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    return tiers_report(source.path)


def from_layout(sheet: Sheet) -> str | None:
    """The report whose layout the sheet has, or None: named as the report (or as one of
    its later sheets, 已满足条件明细), or with the report's title on top (企业档案 of several firms names each sheet after its firm; a
    .csv's sheet is its file name) — 常州市扶持措施兑现情况表, 拟推荐企业名单（省级专精特新…）."""
    from tiers.reports.headings import appendices

    texts = [str(value) for row in sheet.rows[:LAYOUT_ROWS] for value in row if value]
    appendix = appendices().get(sheet.name.strip())
    code = next((c for c, title in report_titles().items() if title == sheet.name.strip()),
                None) or (appendix[0] if appendix else None) or _by_title(
        texts[0].strip() if texts else "") or _by_headings(sheet)
    if code is None:
        return None
    # a later sheet (已满足条件明细) has a subtitle of its own
    marks = (_SUBTITLE_MARK, *(mark for owner, mark in appendices().values() if owner == code))
    has_subtitle = any(mark in text for text in texts for mark in marks)
    has_unit_line = any(text.startswith(_UNIT_MARK) for text in texts)
    return code if has_subtitle and has_unit_line else None


def _by_title(text: str) -> str | None:
    """The report whose title the sheet's top line is, in the form Tiers writes it
    (tiers.reports.common.title_for): an area (no digits), a year (2025年度), the report's
    title, and the tier in brackets after it — 武进区2025年度梯度培育企业名单（专精特新
    “小巨人”企业）. A person's list names its tier before the title (武进区2026年度省级专精
    特新中小企业拟推荐企业名单) or adds to it (…企业档案汇总): not a report of Tiers's
    (anywhere in the line, such lists were refused: review of the sixteenth session)."""
    if len(text) > _TITLE_LENGTH:
        return None
    for code, title in sorted(report_titles().items(), key=lambda item: -len(item[1])):
        if re.fullmatch(rf"[^\d（(]*?(?:\d{{4}}年度)?{re.escape(title)}(?:（[^）]*）)?", text):
            return code
    return None


def _by_headings(sheet: Sheet) -> str | None:
    """The report whose table header the sheet has, every heading of it in Tiers's order
    (a list of the county's own with some of the same columns is no report of Tiers's):
    one row, or two (the group labels over their columns: a .csv keeps a group's label in
    its first column only, a spreadsheet's merged cell may repeat it); 企业档案 by its
    基本情况 grid."""
    from tiers.reports.headings import plain, profile_grid, report_of

    rows = [[plain(value) for value in row] for row in sheet.rows[:HEADER_ROWS + 1]]
    section, grid = profile_grid()
    for index, row in enumerate(rows[:HEADER_ROWS]):
        top = _trimmed(row)
        if top and set(filter(None, top)) == {section}:  # .xls: merged.py fills the range
            return "profile" if _grid(sheet.rows[index + 1:], len(grid)) == grid else None
        if top[:1] != ["序号"]:
            continue
        below = rows[index + 1] if index + 1 < len(rows) else []
        for headings in (tuple(top), _two_rows(top, _trimmed(below))):
            code = report_of(headings)
            if code is not None:
                return code
        return None
    return None


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _two_rows(top: list[str], bottom: list[str]) -> tuple[str, ...]:
    """A two-row header flattened as tiers.reports.headings does: a column with a label
    of its own below is its group's (the nearest group label above, to its left)."""
    flat, group = [], ""
    for col in range(max(len(top), len(bottom))):
        upper = top[col] if col < len(top) else ""
        lower = bottom[col] if col < len(bottom) else ""
        if lower and lower != upper:
            group = upper or group
            if not group:
                return ()
            flat.append(f"{group}/{lower}")
        else:  # spans both rows (a merged cell may repeat it below)
            group = ""
            flat.append(upper)
    return tuple(flat)


def _grid(rows: list[list], pairs_of: int) -> tuple[str, ...]:
    """The labels of a 企业档案 grid: the first and the fifth cell of each row, in order."""
    from tiers.reports.headings import plain

    labels: list[str] = []
    for row in rows[:(pairs_of + 1) // 2]:
        labels += [plain(row[col]) if col < len(row) else "" for col in (0, 4)]
    return tuple(labels[:pairs_of])


def identify(source: Source, sheet: Sheet) -> str | None:
    """The Tiers report this sheet is: by the file's marker, else by the sheet's layout."""
    return from_marker(source) or from_layout(sheet)


def of_any_sheet(source: Source) -> str | None:
    """The Tiers report the workbook is, by its marker or by the layout of any of its
    sheets (the wizard says it as the sheets are offered: whichever the officer picks of
    a report's is refused). Sheets that cannot be read are passed over here."""
    code = from_marker(source)
    if code is not None:
        return code
    for name in source.sheet_names:
        try:
            code = from_layout(source.sheet(name))
        except ImportRefused:
            continue
        if code is not None:
            return code
    return None


def refuse_unless_a_list(code: str | None) -> None:
    """Raises SheetRefused (an ImportRefused) for a Tiers report that is not a list of
    recognitions. Other workbooks Tiers writes (the problem rows of an import, sent back to
    be corrected) and codes this version does not know are read like any list."""
    if code is None or code == ROSTER or code not in report_titles():
        return
    raise SheetRefused(f"这是 Tiers 导出的{report_titles()[code]}，不是认定名单；"
                       "如需交换数据请使用数据包。")
