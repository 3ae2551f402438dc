"""An .xls whose formulas were never calculated: Apache POI (behind many web systems) writes
each new formula with the value 0 and the flag "calculate on open", which Excel never sets;
read, a year =2000+25 was imported as 0 and an amount as 0, while the same file as .xlsx
is refused naming the cells. Now the .xls is refused the same way. A formula calculated and
saved (LibreOffice, Excel), an empty text result included, is read as before."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from importers import ImportRefused, detect, open_source
from importers.read import xls_formulas

DATA = Path(__file__).resolve().parents[1] / "data"
SAVED = DATA / "formulas_libreoffice.xls"  # C2 =2000+25, D2 =1000*2.5, D3 0, D4 ""


def as_poi_writes_it(target: Path, *, value_kept: bool = False) -> Path:
    """The LibreOffice file with every formula as POI writes it: the flag set and, unless
    ``value_kept`` (a POI program that calculated before saving), the value 0."""
    data = bytearray(SAVED.read_bytes())
    stream = xls_formulas._workbook_stream(bytes(data))
    offset = xls_formulas._sheet_offsets(stream)["名单"]
    for record, body in xls_formulas._records(stream, offset):
        if record != xls_formulas.FORMULA:
            continue
        at = bytes(data).find(struct.pack("<HH", record, len(body)) + body)
        assert at >= 0  # whole in the file (the fixture's records are)
        fields = at + 4
        if not value_kept:
            data[fields + 6:fields + 14] = bytes(8)
        data[fields + 14] |= xls_formulas.CALCULATE_ON_OPEN
    target.write_bytes(bytes(data))
    return target


def test_formulas_calculated_and_saved_are_read(tmp_path):
    detection = detect(open_source(SAVED))
    sheet = detection.source.sheet("名单")
    assert sheet.unvalued == {}
    assert sheet.rows[1][2:4] == [2025, 2500] and sheet.rows[2][3] == 0
    assert sheet.rows[3][3] == ""  # an empty text result: no value missing


def test_formulas_poi_never_calculated_are_refused_naming_the_cells(tmp_path):
    path = as_poi_writes_it(tmp_path / "网上系统导出.xls")
    assert open_source(path).sheet("名单").rows[1][2] == 0  # read, the year would be 0
    with pytest.raises(ImportRefused) as refused:
        detect(open_source(path))
    assert str(refused.value) == (
        "工作表“名单”的 C2、D2、D3等 4 个单元格是公式，但文件中没有保存公式的计算结果（网上系统或程序生成的表格常见），"
        "读出来将是 0，已拒绝导入。请用 Excel 或 WPS 打开该文件，保存后再导入。")


def test_of_a_poi_file_calculated_before_saving_only_a_value_0_is_noted(tmp_path):
    path = as_poi_writes_it(tmp_path / "算过的.xls", value_kept=True)
    sheet = open_source(path).sheet("名单")
    assert sheet.unvalued == {"D3": ""}  # a 0 it calculated cannot be told from one it did not
    assert sheet.rows[1][2] == 2025


def test_a_broken_directory_notes_nothing_and_calamine_reads_what_it_can(tmp_path):
    data = bytearray(as_poi_writes_it(tmp_path / "x.xls").read_bytes())
    data[48:52] = (0xFFFFFFF0).to_bytes(4, "little")  # the directory's first sector: none
    broken = tmp_path / "broken.xls"
    broken.write_bytes(bytes(data))
    assert xls_formulas.unvalued_formulas(broken, "名单") == {}
