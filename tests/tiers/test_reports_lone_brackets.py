"""No wrapped line of the 梯度培育企业名单 starts with a closing bracket: LibreOffice printed
县（市、区 / ）, 纺织加工（链主 / ） (the officer's re-test), breaking a Chinese line before any
character and ignoring a WORD JOINER. Lines followed at the widths written, as Excel and
LibreOffice (without Calibri) wrap them, a few percent either side (``brackets``)."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.conftest import TODAY
from tiers import reports
from tiers.progress import drain
from tiers.reports import ReportRequest, brackets, list_cells
from tiers.reports.cells import SAMPLE_ROWS, Column
from tiers.reports.writer import ReportBook
from tiers.services import demo


@pytest.fixture
def demo_county(session):
    for _ in demo.generate(session, enterprises=300, today=TODAY):
        pass
    session.flush()
    return session


def widths(sheet) -> dict[int, float]:
    """Each column's width as XlsxWriter was given it, to the pixel (it writes pixels / 7, 5
    of padding; columns of one width share an entry, min to max)."""
    found = {}
    for dimension in sheet.column_dimensions.values():
        for col in range(dimension.min, dimension.max + 1):
            found[col] = (round(dimension.width * 7) - 5) / 7
    return found


def stranded(sheet, closing=brackets.CLOSING) -> set[tuple[str, str]]:
    """(column letter, text) of the wrapped cells a closing bracket would start a line of
    (a merged cell: ``stranded_everywhere``)."""
    found = set()
    merged = {f"{get_column_letter(m.min_col)}{m.min_row}" for m in sheet.merged_cells.ranges}
    width_of = widths(sheet)
    for col in range(1, sheet.max_column + 1):
        letter = get_column_letter(col)
        for cell in sheet[letter][3:]:  # below the title, subtitle and unit lines
            if isinstance(cell.value, str) and cell.alignment.wrap_text and (
                    cell.coordinate not in merged) and (
                    brackets.strands([cell.value], width_of[col], closing)):
                found.add((letter, cell.value))
    return found


def test_no_closing_bracket_starts_a_line_of_the_roster(demo_county, tmp_path):
    target = tmp_path / "roster.xlsx"
    drain(reports.export_steps(demo_county, "roster", target,
                               ReportRequest(status="全部", today=TODAY)))
    sheet = openpyxl.load_workbook(target).active
    leaders = [c.value for c in sheet["N"] if isinstance(c.value, str) and "链主" in c.value]
    assert len(leaders) > 5  # the demo's 链主 are listed
    assert stranded(sheet) == set()


@pytest.mark.parametrize(("text", "width"), [("县（市、区）", 7.5), ("纺织加工（链主）", 10),
                                             ("镇（街道）", 9)])
def test_the_texts_the_officer_saw_strand_their_bracket_as_written_before(text, width):
    # the model sees what LibreOffice printed: 县（市、区 / ）, 纺织加工（链主 / ）, 镇（街道 / ）
    assert brackets.strands([text], width)


def test_a_label_is_broken_before_its_bracket_and_read_back_the_same():
    assert brackets.printed_label("县（市、区）", 7.5) == "县\n（市、区）"
    assert brackets.printed_label("企业名称", 7.5) == "企业名称"
    assert not brackets.strands(["县\n（市、区）"], 7.5)
    assert list_cells.chains_from_label("纺织加工\n（链主）、晶硅光伏") == [
        ("纺织加工", True), ("晶硅光伏", False)]
    assert list_cells.batch_from_text("第八批\n（2026年）") == ("第八批", 2026)


def test_a_column_is_widened_where_its_texts_would_strand_a_bracket():
    texts = ["省级专精特新（公示中）"]
    width = next(w / 2 for w in range(14, 30) if brackets.strands(texts, w / 2))
    settled = brackets.settled_width(texts, width, lowest=width)
    assert settled != width and not brackets.strands(texts, settled)


def merged_widths(sheet) -> dict[str, float]:
    """The width a merged cell wraps its text at (the sum of its columns'), by its top-left
    cell's coordinate."""
    width_of = widths(sheet)
    return {f"{get_column_letter(merged.min_col)}{merged.min_row}": sum(
                width_of[col] for col in range(merged.min_col, merged.max_col + 1))
            for merged in sheet.merged_cells.ranges if merged.min_row == merged.max_row}


def stranded_everywhere(sheet, closing=brackets.CLOSING) -> set[tuple[str, str]]:
    """``stranded``, and the merged cells (a group label, a note) at their merged width."""
    found = stranded(sheet, closing)
    for coordinate, width in merged_widths(sheet).items():
        cell = sheet[coordinate]
        if isinstance(cell.value, str) and cell.alignment.wrap_text and (
                brackets.strands([cell.value], width, closing)):
            found.add((coordinate, cell.value))
    return found


def test_no_closing_bracket_starts_a_line_of_the_candidates_list(demo_county, tmp_path):
    # the conditions (近两年研发费用总额合计不低于1200万元（差 …）；…) are too long for a width
    # to keep every row's brackets: the lines are broken in the cell where they would strand
    target = tmp_path / "candidates.xlsx"
    drain(reports.export_steps(demo_county, "candidates", target,
                               ReportRequest(tier="小巨人", status="全部", today=TODAY)))
    book = openpyxl.load_workbook(target)
    gaps = [c.value for c in book.worksheets[0]["K"] if isinstance(c.value, str)]
    assert sum("（差" in gap for gap in gaps) > 20  # the long texts are there
    for sheet in book.worksheets:
        assert stranded_everywhere(sheet, brackets.QUOTED) == set(), sheet.title


def test_a_closing_quote_is_a_closer_in_the_candidates_list():
    # 专精特新“小巨人 / ”企业 in the 拟推荐梯度 column (12.3 units), LibreOffice's print: the
    # quotes set a character wide (8.7 characters a line in that column)
    assert brackets.strands(["专精特新“小巨人”企业"], 12.3, brackets.QUOTED)
    assert not brackets.strands(["专精特新“小巨人”企业"], 12.3)  # the other reports'
    assert brackets.kept("专精特新“小巨人”企业", 12.3, brackets.QUOTED) == "专精特新\n“小巨人”企业"


def test_a_long_text_is_broken_before_the_bracket_it_would_strand():
    text = "专精特新发展评价得分不低于60分（差 20.9 分）；近两年研发费用总额合计不低于1200万元（差 96 万元）"
    width = 16
    assert brackets.strands([text], width)
    kept = brackets.kept(text, width)
    assert not brackets.strands([kept], width)
    assert kept.replace("\n", "") == text
    assert brackets.kept("企业名称", width) == "企业名称"


LONG = ("专精特新发展评价得分不低于60分（差 20.9 分）；资产负债率不高于75%（超 4 个百分点）；"
        "近两年研发费用总额合计不低于1200万元（差 96 万元）；主导产品收入占营业收入比重超过50%（差 6.1 个百分点）")
CONDITIONS = [LONG,
              "上年度主营业务收入总额占营业收入总额比重不低于90%（差 14 个百分点，约 5802.37 万元）；"
              "截至上年末，资产负债率不高于75%（超 14 个百分点，约需减少负债总额 1560.74 万元（资产总额不变时））",
              "须先取得科技型中小企业入库编号或创新型中小企业称号（科技和创新型中小企业）（库中没有有效期内的"
              "科技型或创新型认定）；近两年研发费用总额每年不低于100万元，且每年占营业收入总额比重不低于3%"
              "（2024年度2.8%：差 0.2 个百分点，约 19.81 万元；2025年度1.2%：差 1.8 个百分点，约 222.79 "
              "万元）；专精特新发展评价得分不低于50分（差 9.9 分）"]


def grouped_book(path, group: str, rows: list[tuple[str, str, str]], width: float = 4.5):
    """A sheet of three columns, the last two under ``group``, the last ``width`` wide."""
    book = ReportBook(str(path), report="test")
    sheet = book.sheet("表", [Column("名称", "text", min_width=8, max_width=8),
                             Column("甲", "center", min_width=4.5, max_width=4.5, group=group),
                             Column("乙", "text", min_width=width, max_width=width, group=group)])
    sheet.start("标题", unit_label="家", sample=rows[:SAMPLE_ROWS])
    for row in rows:
        sheet.row(row)
    book.close()
    return openpyxl.load_workbook(path).active


def test_a_group_label_keeps_its_bracket(tmp_path):
    # the group's merged cell wraps at its columns' width together (9 units here), where
    # 认定情况（国家级 / ） would print
    sheet = grouped_book(tmp_path / "g.xlsx", "认定情况（国家级）", [("甲", "乙", "丙")])
    assert brackets.strands(["认定情况（国家级）"], 9)
    assert stranded_everywhere(sheet) == set()
    assert sheet["B3"].value.replace("\n", "") == "认定情况（国家级）" != sheet["B3"].value


def test_rows_past_the_sample_keep_their_brackets(tmp_path):
    # the widths are set on the first 1,000 rows; a later row's bracket is kept in the cell
    rows = [(f"企业{n}", "是", "短") for n in range(SAMPLE_ROWS)] + [("企业", "是", LONG)] * 3
    sheet = grouped_book(tmp_path / "late.xlsx", "组", rows, width=30)
    assert brackets.strands([LONG], 30)
    assert stranded_everywhere(sheet) == set()
    written = [c.value for c in sheet["C"] if isinstance(c.value, str) and "差" in c.value]
    assert len(written) == 3 and {text.replace("\n", "") for text in written} == {LONG}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_no_line_starting_with_a_closing_bracket(tmp_path):
    # the 差距 column's width (30), the conditions that printed 近…（差 9.9 分 / ） before
    rows = [(f"企业{n}", "是", text) for n, text in enumerate(CONDITIONS * 4)]
    assert brackets.strands(CONDITIONS, 30)
    grouped_book(tmp_path / "lo.xlsx", "认定情况（国家级）", rows, width=30)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "lo.xlsx")], check=True, capture_output=True, timeout=300)
    printed = subprocess.run(["pdftotext", "-layout", str(tmp_path / "lo.pdf"), "-"],
                             check=True, capture_output=True, text=True).stdout
    assert printed.count("（差") >= 12  # the texts were printed
    starts = re.findall(r"(?:^|\s)([）)】」』》〉])", printed, flags=re.MULTILINE)
    assert starts == []
