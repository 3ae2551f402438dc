"""The 注 and 落款 print with the table's last rows, never on a page of their own: the
扶持措施兑现情况表 by kind whose rows ended exactly at a page's foot printed a last page of the
repeated header, the 注 and the 落款 (the officer's re-test, LibreOffice). Pages are followed
here as a program prints them: fitted to the width at its scale, filled row by row, breaking
where a row does not fit and at every manual break; the header rows repeated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tiers.reports import support
from tiers.reports.writer import ReportBook, Signature

A4_LANDSCAPE_HEIGHT = 595.28


def write_support(path: Path, count: int) -> Path:
    """A 扶持措施兑现情况表 of ``count`` measures of one kind, a 合计 and the 注."""
    book = ReportBook(str(path), report="support", signature=Signature(
        unit="常州市武进区工业和信息化局", filled_by="张敏", phone="0519-86310000",
        filled_on=dt.date(2026, 12, 7)))
    columns = support.columns(support.CATEGORIES[1:2])

    def row(number: int) -> tuple:
        return (number, f"常州市测试机械有限公司{number}", "91320412MA1234567X", "智改数转诊断服务",
                "2026年度智改数转诊断服务", "武工信（2026）12号", Decimal("12.5"), None,
                dt.date(2026, 3, 1), "常州市武进区工业和信息化局")

    sheet = book.sheet(support.TITLE, columns)
    sheet.start("2026年度扶持措施兑现情况表", unit_label="万元", subtitle="（统计截止：2026年12月7日）",
                sample=[row(1)])
    for number in range(1, count + 1):
        sheet.row(row(number))
    sheet.total_row([Decimal("12.5") * count, None, None, None], label=f"合计（{count} 项）",
                    label_span=support.AMOUNT_COLUMN)
    sheet.note("注：资金奖补为兑现给企业的资金；服务等金额不是兑现的资金，另列，不计入资金奖补的小计、合计。")
    book.close()
    return path


def printed_pages(path: Path, scale: float) -> tuple[list[list[int]], list[float]]:
    """The sheet's rows (0-based) on each printed page at ``scale``, and how full each
    page is (its rows' printed height over the page's)."""
    sheet = openpyxl.load_workbook(path).active
    margins = sheet.page_margins
    page_height = A4_LANDSCAPE_HEIGHT - (margins.top + margins.bottom) * 72
    last = sheet.max_row
    heights = [sheet.row_dimensions[r + 1].height or 15.0 for r in range(last)]
    first, end = (int(part) for part in sheet.print_title_rows.replace("$", "").split(":"))
    repeated = sum(heights[first - 1:end])
    manual = {brk.id for brk in sheet.row_breaks.brk}  # id: the row (1-based) above the break
    pages: list[list[int]] = [[]]
    filled: list[float] = []
    used = 0.0
    for row, height in enumerate(heights):
        height *= scale
        if pages[-1] and (row in manual or used + height > page_height):
            pages.append([])
            filled.append(used / page_height)
            used = repeated * scale
        pages[-1].append(row)
        used += height
    return pages, [*filled, used / page_height]


def numbered(path: Path) -> set[int]:
    sheet = openpyxl.load_workbook(path).active
    return {cell.row - 1 for cell in sheet["A"] if isinstance(cell.value, int)}


# Excel's scale for this table (7 pixels a width unit) and LibreOffice's without Calibri
# (measured: 16.5-point rows 10.89 points apart in its PDF), and a few percent either side
SCALES = (0.63, 0.645, 0.66, 0.675, 0.69, 0.85, 0.87, 0.89, 0.91)


@pytest.mark.parametrize("count", [84, 85, 56, 57, 112, 113])
def test_the_note_and_signature_print_with_the_last_rows(tmp_path, count):
    # 84: LibreOffice (without Calibri) printed rows 1–40, 41–84, then a page of the 合计, the
    # 注 and the 落款 alone; the others end at a page's foot at Excel's or nearby scales
    path = write_support(tmp_path / f"support{count}.xlsx", count)
    rows = numbered(path)
    for scale in SCALES:
        pages, filled = printed_pages(path, scale)
        last = pages[-1]
        assert len(rows.intersection(last)) >= 2, (scale, [len(p) for p in pages])
        # no page of a few rows left before a break: a page before the last one may give
        # it a few rows ("fewer rows on the previous page"), but is 30% full at least
        assert min(filled[:-1]) >= 0.3, (scale, [len(p) for p in pages], filled)


def test_tables_ending_well_above_a_page_foot_keep_the_programs_breaks(tmp_path):
    # 70 rows end mid-page at every scale: no manual break (as before)
    path = write_support(tmp_path / "support70.xlsx", 70)
    assert openpyxl.load_workbook(path).active.row_breaks.brk == []
