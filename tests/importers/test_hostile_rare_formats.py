"""Hostile .ods and .xlsb files (issue #14 item 5): calamine spans their cells densely (an
.ods while it is opened, an .xlsb when a sheet is read), so each is measured first and a
far-reaching sheet is refused by name; honest files of both formats still import.

The files are hand-built and tiny; reads that could allocate the giant array run in a child
limited to 2 GB of address space (test_hostile_files._read_in_child)."""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

import pytest

from importers import ImportRefused, open_source
from importers.read.ods_extent import table_extents
from importers.read.xlsb_extent import valued_extent
from tests.importers.helpers import DATA
from tests.importers.test_hostile_files import _read_in_child

_ODS_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
             'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry'
             ' manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
             'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
             'manifest:media-type="text/xml"/></manifest:manifest>')


def minimal_ods(path: Path, rows: str, *, table: str = "名单") -> Path:
    """A spreadsheet of one table whose rows are given as XML."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'{_ODS_NAMESPACES} office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="{table}">{rows}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return path


def _text(value: str, repeated: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeated}" '
            f'office:value-type="string"><text:p>{value}</text:p></table:table-cell>')


def _row(cells: str, repeated: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeated}">{cells}</table:table-row>'


_ODS_HEADER = _row(_text("企业名称") + _text("统一社会信用代码"))


@pytest.mark.parametrize(("rows", "shown"), [
    (_ODS_HEADER + _row(_text("x", 16384), 1048576), "1048577 行 × 16384 列"),
    (_ODS_HEADER + _row(_text("x", 90), 1048576), "1048577 行 × 90 列"),  # 1.5 GB: SIGABRT
])
def test_an_ods_repeating_a_value_far_is_refused_by_name(tmp_path, rows, shown):
    path = minimal_ods(tmp_path / "远处.ods", rows)
    assert path.stat().st_size < 2048
    started = time.perf_counter()
    result = _read_in_child(path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "工作表“名单”的单元格" in result.stdout and shown in result.stdout
    assert time.perf_counter() - started < 5


def test_ods_empty_repeats_to_the_edge_cost_nothing(tmp_path):
    """LibreOffice writes empty (or only styled) cells and rows out to the sheet's edge."""
    empty_to_edge = ('<table:table-cell table:style-name="ce1" '
                     'table:number-columns-repeated="16382"/>')
    rows = (_row(_text("企业名称") + _text("统一社会信用代码") + empty_to_edge)
            + _row(_text("常州甲有限公司") + _text("91320400MA1XXXXX1A") + empty_to_edge)
            + _row('<table:table-cell table:number-columns-repeated="16384"/>', 1048574))
    source = open_source(minimal_ods(tmp_path / "名单.ods", rows))
    try:
        assert source.sheet("名单").rows == [["企业名称", "统一社会信用代码"],
                                            ["常州甲有限公司", "91320400MA1XXXXX1A"]]
    finally:
        source.close()


def _reads_the_libreoffice_roster(path) -> None:
    source = open_source(path)
    try:
        rows = source.sheet(source.sheet_names[0]).rows
        assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
        assert rows[2][0] == "常州乙有限公司"
    finally:
        source.close()


def test_an_ods_saved_by_libreoffice_imports():
    _reads_the_libreoffice_roster(DATA / "roster_libreoffice.ods")


def test_an_ods_rebinding_the_table_prefix_is_measured_as_calamine_reads_it(tmp_path):
    """calamine matches "table:table-row" literally, whatever namespace the prefix names."""
    path = minimal_ods(tmp_path / "远处.ods", _ODS_HEADER + _row(_text("x", 90), 1048576))
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    rebound = content.replace("opendocument:xmlns:table:1.0", "example:elsewhere")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", rebound)
    result = _read_in_child(path)
    assert result.stdout.startswith("REFUSED"), (result.stdout, result.stderr[-2000:])
    assert "工作表“名单”的单元格" in result.stdout


def test_ods_formula_only_cells_count_like_calamine():
    rows = (_row(_text("a")) + '<table:table-row table:number-rows-repeated="3">'
            '<table:table-cell table:number-columns-repeated="4" table:formula="of:=1"/>'
            '</table:table-row><table:table-row><table:table-cell table:style-name="c"/>'
            '<table:table-cell table:number-columns-repeated="50"/></table:table-row>')
    table = f'<table:table table:name="A &amp; B">{rows}</table:table>'
    assert list(table_extents([table.encode()]))[-1] == ("A & B", 4, 4)


@pytest.mark.parametrize("hidden", [
    "<!--<table:table-row>--><table:table-cell/>",
    "<![CDATA[</table:table>]]>",
])
def test_an_ods_whose_tags_a_scan_could_misread_is_refused(tmp_path, hidden):
    rows = _ODS_HEADER + "<table:table-row>" + hidden + "</table:table-row>"
    with pytest.raises(ImportRefused, match="无法核对其大小"):
        open_source(minimal_ods(tmp_path / "注释.ods", rows))


def test_tags_inside_a_cell_are_skipped_as_calamine_skips_them():
    row = ('<table:table-row><table:table-cell table:number-columns-repeated="300" '
           'office:value-type="float"><text:p>1</text:p><table:table-row/></table:table-cell>'
           '</table:table-row>')
    table = f'<table:table table:name="S">{row}</table:table>'
    assert list(table_extents([table.encode()])) == [("S", 1, 300)]


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _record(kind: int, data: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def minimal_xlsb(path: Path, cells: list[tuple[int, int, float | str]]) -> Path:
    """A workbook of one sheet "名单" holding the given (row, column, value) cells, written
    as MS-XLSB records: BrtRowHdr before each, BrtCellReal or BrtCellSt."""
    book = (_record(0x83) + _record(0x8F) + _record(0x9C, struct.pack("<II", 0, 1)
            + _wide("rId1") + _wide("名单")) + _record(0x90) + _record(0x84))
    sheet = _record(0x81) + _record(0x94, bytes(16)) + _record(0x91)
    for row, column, value in cells:
        sheet += _record(0x00, struct.pack("<IIHBBI", row, 0, 0, 0, 0, 0))
        sheet += _record(0x05, struct.pack("<IId", column, 0, value)) if isinstance(value, float) \
            else _record(0x06, struct.pack("<II", column, 0) + _wide(value))
    sheet += _record(0x92) + _record(0x82)
    relations = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 '{kind}" Target="{target}"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", relations.format(kind="officeDocument",
                                                         target="xl/workbook.bin"))
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels",
                         relations.format(kind="worksheet", target="worksheets/sheet1.bin"))
        archive.writestr("xl/worksheets/sheet1.bin", sheet)
    return path


_XLSB_HEADER: list[tuple[int, int, float | str]] = [(0, 0, "企业名称"), (0, 1, "统一社会信用代码")]


@pytest.mark.parametrize(("far", "shown"), [
    ((1048575, 16383), "XFD1048576"),
    ((1048575, 89), "CL1048576"),
])
def test_an_xlsb_cell_far_away_is_refused_by_name(tmp_path, far, shown):
    path = minimal_xlsb(tmp_path / "远处.xlsb", [*_XLSB_HEADER, (*far, 1.0)])
    assert path.stat().st_size < 2048
    started = time.perf_counter()
    result = _read_in_child(path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert f"工作表“名单”的单元格 {shown} 远超实际内容" in result.stdout
    assert time.perf_counter() - started < 5


def test_an_honest_xlsb_imports(tmp_path):
    cells = [*_XLSB_HEADER, (1, 0, "常州甲有限公司"), (1, 1, "91320400MA1XXXXX1A"),
             (2, 0, "常州乙有限公司"), (2, 2, 3.0)]
    source = open_source(minimal_xlsb(tmp_path / "名单.xlsb", cells))
    try:
        rows = source.sheet("名单").rows
        assert rows[0][:2] == ["企业名称", "统一社会信用代码"] and rows[2][0] == "常州乙有限公司"
        assert len(rows) == 3 and len(rows[0]) == 3
    finally:
        source.close()


def test_xlsb_blank_cells_and_records_after_the_data_do_not_count():
    """calamine leaves BrtCellBlank out and stops at BrtEndSheetData, and so does the scan."""
    data = (_record(0x00, struct.pack("<I", 4) + bytes(13)) + _record(0x05, struct.pack("<IId", 2, 0, 1.0))
            + _record(0x00, struct.pack("<I", 900_000) + bytes(13))
            + _record(0x01, struct.pack("<II", 16000, 0)) + _record(0x92)
            + _record(0x05, struct.pack("<IId", 16000, 0, 1.0)))
    assert valued_extent(data) == (5, 3)
    assert valued_extent(data[:-3]) == (5, 3)  # cut short: what was read counts


@pytest.mark.parametrize("renamed", ["名单.xlsx", "名单.xls", "名单.xlsb"])
def test_an_ods_renamed_as_excel_is_read_by_its_content(tmp_path, renamed):
    """An officer renames 名单.ods to .xlsx so that a system takes it: it was refused as
    已损坏 (calamine picks its reader by the extension); it is read as the .ods it is."""
    path = tmp_path / renamed
    path.write_bytes((DATA / "roster_libreoffice.ods").read_bytes())
    _reads_the_libreoffice_roster(path)
