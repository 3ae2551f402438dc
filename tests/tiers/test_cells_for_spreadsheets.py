"""Rows copied into a spreadsheet keep what the officer copied. Pasted as tab-separated
text, a credit code of digits only (912201011239989159, common for firms registered before
2015) became 9.12201011239989E+17 in LibreOffice (checked) and Excel; a 座机 0519… lost its
0. The clipboard's HTML marks such cells as text for Excel and WPS (mso-number-format) and
for LibreOffice (sdnum)."""

from __future__ import annotations

import subprocess

import pytest

from tiers.reports import pdf
from tiers.text.cells import html_table, keeps_as_text

ALL_DIGITS_CODE = "912201011239989159"


@pytest.mark.parametrize(("text", "kept"), [
    (ALL_DIGITS_CODE, True),  # more digits than a spreadsheet number holds
    ("051986310000", True),  # a leading 0
    ("913204121234E56789", True),  # read as 9.13…E+56789 or overflowing
    ("=HYPERLINK(\"http://x\")", True),  # a formula start stays text
    ("91320412MA10000171", False), ("13812340000", False), ("5.00", False),
    ("2024", False), ("2028-12-31", False), ("0", False), ("0.5", False),
    ("常州恒远精密机械有限公司", False), ("", False),
    ("-12.50", False), ("-1,234.00", False), ("-0.5", False),  # negative amounts: numbers
    ("+8613800000000", True), ("-0519", True), ("--1", True),  # not plain negatives
])
def test_which_cells_are_kept_as_text(text, kept):
    assert keeps_as_text(text) is kept


def test_the_html_marks_only_those_cells_and_escapes_the_rest():
    page = html_table(["企业名称", "信用代码", "金额"],
                      [["甲<公司>&", ALL_DIGITS_CODE, "5.00"]])
    assert "甲&lt;公司&gt;&amp;" in page
    marked = [cell for cell in page.split("<td")[1:] if "mso-number-format" in cell]
    assert len(marked) == 1 and ALL_DIGITS_CODE in marked[0] and 'sdnum="' in marked[0]


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed here")
def test_libreoffice_keeps_the_code_as_written(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    source = tmp_path / "复制.html"
    source.write_text(html_table(["信用代码", "金额"], [[ALL_DIGITS_CODE, "5.00"]]),
                      encoding="utf-8")
    subprocess.run([pdf.office_program(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--infilter=HTML (StarCalc)", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    sheet = openpyxl.load_workbook(tmp_path / "复制.xlsx").active
    assert sheet["A2"].value == ALL_DIGITS_CODE
    assert sheet["B2"].value == 5  # an amount stays a number the officer can sum
