"""How the 采集表 prints: officers print a firm's form and send it to the firm to fill in by
hand. It printed one figure column a page (57 pages a firm: the five firm columns were
repeated on every page and left room for one more). Now A4 landscape at a fixed scale,
the name and credit code repeated, whole runs of figure columns a page, cut by manual page
breaks; only the columns to fill print. The page setup is read back with openpyxl; with
LibreOffice, the pages are counted too."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from tiers.progress import drain
from tiers.reports import collection, pdf
from tiers.reports.collection_book import (
    DATA_SHEET,
    FIRM_ROW_HEIGHT,
    FIRST_DATA_ROW,
    FIRST_INPUT,
    GROUP_ROW,
    HEADER_ROW,
    IDENTITY_COLUMNS,
    INFO_COLUMNS,
    PAGE_UNITS,
    PRINT_SCALE,
    Letter,
    columns,
    page_breaks,
)

LETTER = Letter(year=2025, unit="常州市武进区工业和信息化局", officer="王丽", phone="0519-86310000",
                return_to="wjgxj@example.cn", deadline=dt.date(2026, 3, 31), area="武进区")


@pytest.fixture
def firms(session, enterprise_factory):
    return [enterprise_factory(f"常州第{n}精密机械制造有限公司", town="湖塘镇") for n in range(1, 4)]


def export(session, target: Path, split: str) -> list[Path]:
    request = collection.CollectionRequest(letter=LETTER, split=split)
    return drain(collection.export_steps(session, request, target, replace_foreign=False))


def column_widths(sheet) -> dict[int, float]:
    """0-based column → stored width (XlsxWriter writes neighbours of one width as one
    <col min max>, which openpyxl keeps under the first column's letter)."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for col in range(dimension.min, dimension.max + 1):
            widths[col - 1] = dimension.width
    return widths


def stored(width: float) -> float:
    return width + 5 / 7


def test_a_firms_form_prints_runs_of_columns_beside_its_name(session, firms, tmp_path):
    path = export(session, tmp_path / "每家", collection.PER_FIRM)[0]
    sheet = openpyxl.load_workbook(path)[DATA_SHEET]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert setup.scale == PRINT_SCALE and not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered
    # the columns to fill print, below the title rows (the title is the page header);
    # last year's reference columns are for the screen
    last_input = get_column_letter(FIRST_INPUT + len(columns()))
    assert sheet.print_area == f"'{DATA_SHEET}'!$A${GROUP_ROW + 1}:${last_input}$5"
    assert sheet.cell(HEADER_ROW + 1, FIRST_INPUT + len(columns()) + 1).value == \
        sheet.cell(HEADER_ROW + 1, FIRST_INPUT + 1).value  # (the first reference column)
    assert sheet.print_title_rows == f"${GROUP_ROW + 1}:${HEADER_ROW + 1}"
    assert sheet.print_title_cols == "$D:$E"
    assert [sheet.cell(HEADER_ROW + 1, col).value for col in (4, 5)] == ["企业名称",
                                                                         "统一社会信用代码"]
    assert "武进区2025年度企业数据采集表" in sheet.oddHeader.center.text
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    # the firm's row is a line to write in
    assert sheet.row_dimensions[FIRST_DATA_ROW + 1].height == FIRM_ROW_HEIGHT

    # each page: whole figure columns, no more than a page holds beside the firm's columns
    breaks = [brk.id for brk in sheet.col_breaks.brk]
    assert breaks == page_breaks(columns(), FIRST_INPUT)
    assert all(brk.man for brk in sheet.col_breaks.brk)
    edges = [0, *breaks, FIRST_INPUT + len(columns())]
    assert 4 <= len(edges) - 1 <= 7  # a few pages, not 57
    widths = column_widths(sheet)
    assert sorted(col for col in widths if col < edges[-1]) == list(range(edges[-1]))
    assert widths[3] == pytest.approx(stored(IDENTITY_COLUMNS[0][2]), abs=0.01)
    repeated = widths[3] + widths[4]
    for page, (first, stop) in enumerate(zip(edges, edges[1:], strict=False)):
        used = sum(widths[col] for col in range(first, stop)) + (repeated if page else 0)
        assert used <= PAGE_UNITS, (page, used)


def test_page_breaks_fill_each_page():
    figures = columns()
    breaks = page_breaks(figures, FIRST_INPUT)
    firm = sum(stored(width) for _, _, width in INFO_COLUMNS + IDENTITY_COLUMNS)
    name_and_code = sum(stored(width) for _, _, width in IDENTITY_COLUMNS)
    edges = [FIRST_INPUT, *breaks, FIRST_INPUT + len(figures)]
    for page, (first, stop) in enumerate(zip(edges, edges[1:], strict=False)):
        used = (name_and_code if page else firm) + sum(
            stored(figures[col - FIRST_INPUT].width) for col in range(first, stop))
        assert used <= PAGE_UNITS
        if stop < edges[-1]:
            assert used + stored(figures[stop - FIRST_INPUT].width) > PAGE_UNITS


def test_many_firms_print_a_few_firms_every_page_then_the_next(session, firms, tmp_path):
    [path] = export(session, tmp_path / "采集表.xlsx", collection.ONE_FILE)
    sheet = openpyxl.load_workbook(path)[DATA_SHEET]
    assert sheet.page_setup.pageOrder == "overThenDown"
    assert sheet.print_area.endswith("$7")  # all three firms
    assert {sheet.row_dimensions[row].height for row in (5, 6, 7)} == {FIRM_ROW_HEIGHT}
    # the cells are those of before: the name still in column D, the inputs empty
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DATA_SHEET).to_python()
    assert [row[3] for row in rows[FIRST_DATA_ROW:]] == sorted(f.name for f in firms)


@pytest.mark.skipif(not pdf.available() or not shutil.which("pdfinfo"),
                    reason="LibreOffice 或 pdfinfo 未安装")
def test_a_firms_form_prints_on_a_few_pages(session, firms, tmp_path):
    path = export(session, tmp_path / "每家", collection.PER_FIRM)[0]
    target = tmp_path / "采集表.pdf"
    drain(pdf.convert_steps(path, target))
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    # the 填表说明 on one page, the table on a page per run of columns (it was 56 pages)
    assert pages == 1 + len(page_breaks(columns(), FIRST_INPUT)) + 1
