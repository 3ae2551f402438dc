"""No wrapped line of the 梯度培育企业名单 starts with a closing bracket: LibreOffice printed
县（市、区 / ）, 纺织加工（链主 / ） (the officer's re-test), breaking a Chinese line before any
character and ignoring a WORD JOINER. Lines followed at the widths written, as Excel and
LibreOffice (without Calibri) wrap them, a few percent either side (``brackets``)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.conftest import TODAY
from tiers import reports
from tiers.progress import drain
from tiers.reports import ReportRequest, brackets, list_cells
from tiers.services import demo


@pytest.fixture
def demo_county(session):
    for _ in demo.generate(session, enterprises=300, today=TODAY):
        pass
    session.flush()
    return session


def stranded(sheet) -> set[tuple[str, str]]:
    """(column letter, text) of the wrapped cells a closing bracket would start a line of."""
    found = set()
    for col in range(1, sheet.max_column + 1):
        letter = get_column_letter(col)
        # the width XlsxWriter was given, to the pixel (it writes pixels / 7, 5 of padding)
        width = (round(sheet.column_dimensions[letter].width * 7) - 5) / 7
        for cell in sheet[letter][3:]:  # below the title, subtitle and unit lines
            if isinstance(cell.value, str) and cell.alignment.wrap_text and (
                    brackets.strands([cell.value], width)):
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
