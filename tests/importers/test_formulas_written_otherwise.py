"""Formulas without a saved value, written as other programs write them, are refused too
(test_formulas_without_values.py has the common case). The break campaign of #17 found:

- a sheet whose XML binds the spreadsheetml namespace to a prefix (<x:c r="D2"><x:f>2000+25
  </x:f></x:c>, as the .NET OpenXML SDK writes it) was not searched: calamine reads such a
  cell as an empty one, so the year was imported blank;
- a formula cell cut by the 1 MB boundary of the streamed XML (its <c …> in one chunk, its
  </f> in the next) was found in neither chunk;
- a shared formula's later cells (<f t="shared" si="0"/>, no </f>) a chunk after their
  master were not searched;
- formula cells written without r="…" were counted twice in the refusal.

The workbooks are zipped from XML written here, as those programs lay it out."""

from __future__ import annotations

import zipfile

import pytest
import python_calamine

from importers import ImportRefused
from importers.read.extent import CHUNK
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, plan_file, table_counts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["企业名称", "统一社会信用代码", "县（市、区）", "认定年度"]


def _zipped(path, sheet_xml: str, *, prefix: str = "") -> None:
    """A workbook of one sheet “名单” holding ``sheet_xml``; its workbook.xml uses
    ``prefix`` for the spreadsheetml namespace too (the SDK writes every part so)."""
    p = f"{prefix}:" if prefix else ""
    declared = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    workbook = (f'<?xml version="1.0" encoding="utf-8"?><{p}workbook {declared} '
                f'xmlns:r="{RELATIONS}"><{p}sheets><{p}sheet name="名单" sheetId="1" '
                f'r:id="rId1"/></{p}sheets></{p}workbook>')
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))


def _text(reference: str, text: str, p: str = "") -> str:
    return f'<{p}c r="{reference}" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'


def _row(number: int, cells: list[str], p: str = "") -> str:
    return f'<{p}row r="{number}">{"".join(cells)}</{p}row>'


def _sheet(rows: list[str], *, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    declared = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0" encoding="utf-8"?><{p}worksheet {declared}>'
            f'<{p}sheetData>{"".join(rows)}</{p}sheetData></{p}worksheet>')


def _roster_rows(year_cell: str, p: str = "") -> list[str]:
    return [_row(1, [_text(f"{'ABCD'[i]}1", title, p) for i, title in enumerate(HEADER)], p),
            _row(2, [_text("A2", "常州甲机械有限公司", p), _text("B2", make_code(1), p),
                     _text("C2", "武进区", p), year_cell], p)]


def test_a_prefixed_formula_without_its_value_is_refused(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = tmp_path / "名单.xlsx"
    _zipped(path, _sheet(_roster_rows('<x:c r="D2"><x:f>2000+25</x:f></x:c>', "x:"),
                         prefix="x"), prefix="x")
    # calamine reads the prefixed sheet, the formula as an empty cell: the year would be lost
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    assert workbook.get_sheet_by_name("名单").to_python()[1] == [
        "常州甲机械有限公司", make_code(1), "武进区", ""]
    before = table_counts(database)
    with pytest.raises(ImportRefused, match="工作表“名单”的 D2（=2000\\+25）是公式，但文件中没有保存"):
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    assert table_counts(database) == before


@pytest.mark.parametrize("value", ["<x:v/>", "<x:v></x:v>"])
def test_a_prefixed_empty_saved_value_is_no_value(database, tmp_path, value):
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = tmp_path / "名单.xlsx"
    cell = f'<x:c r="D2"><x:f>2000+25</x:f>{value}</x:c>'
    _zipped(path, _sheet(_roster_rows(cell, "x:"), prefix="x"), prefix="x")
    with pytest.raises(ImportRefused, match="D2（=2000\\+25）"):
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")


def test_a_prefixed_formula_with_its_value_is_read(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = tmp_path / "名单.xlsx"
    cell = '<x:c r="D2"><x:f>2000+25</x:f><x:v>2025</x:v></x:c>'
    _zipped(path, _sheet(_roster_rows(cell, "x:"), prefix="x"), prefix="x")
    plan = plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    assert [[record.values.get("batch_year") for record in row.records]
            for row in plan.rows] == [[2025]]


def _filler(first_row: int, size: int) -> list[str]:
    """Rows of firms without formulas filling about ``size`` bytes of XML."""
    rows, length, number = [], 0, first_row
    while length < size:
        row = _row(number, [_text(f"A{number}", f"常州填充{number}机械有限公司"),
                            _text(f"B{number}", make_code(number)), _text(f"C{number}", "武进区"),
                            f'<c r="D{number}"><v>2025</v></c>'])
        rows.append(row)
        length += len(row.encode())
        number += 1
    return rows


def _straddling_sheet(cell: str, row: int) -> str:
    """A sheet whose row ``row`` ends with ``cell``, a formula cell whose formula text the
    1 MB chunk boundary of the streamed XML falls within (after its "200")."""
    rows = _roster_rows('<c r="D2"><v>2025</v></c>') + _filler(3, CHUNK - 3000)[:row - 3]
    assert len(rows) == row - 1

    def sheet(padding: int) -> str:
        name = _text(f"A{row}", "常州" + "x" * padding + "机械有限公司")
        return _sheet(rows + [_row(row, [name, cell])])

    padding = CHUNK - sheet(0).encode().index(b"2000+25") - len(b"200")
    assert padding > 0
    xml = sheet(padding)
    assert xml.encode()[:CHUNK].endswith(cell.split("2000+")[0].encode() + b"200")
    return xml


def test_a_formula_cell_cut_by_a_chunk_boundary_is_found(database, tmp_path):
    path = tmp_path / "名单.xlsx"
    row = 3 + len(_filler(3, CHUNK - 3000)) - 1
    _zipped(path, _straddling_sheet(f'<c r="D{row}"><f>2000+25</f></c>', row))
    with pytest.raises(ImportRefused, match=f"D{row}（=2000\\+25）"):
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")


def test_a_shared_formula_a_chunk_after_its_master_is_found(database, tmp_path):
    """The master holds its value; its later cell, a chunk on, holds none."""
    path = tmp_path / "名单.xlsx"
    rows = _roster_rows('<c r="D2"><f t="shared" ref="D2:D9999" si="0">2000+25</f>'
                        '<v>2025</v></c>')
    filler = _filler(3, CHUNK + 1000)
    row = 3 + len(filler)
    last = _row(row, [_text(f"A{row}", "常州乙机械有限公司"), _text(f"B{row}", make_code(2)),
                      _text(f"C{row}", "武进区"), f'<c r="D{row}"><f t="shared" si="0"/></c>'])
    _zipped(path, _sheet(rows + filler + [last]))
    with pytest.raises(ImportRefused, match=f"D{row}是公式"):
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")


def test_formula_cells_without_their_place_are_counted_once(database, tmp_path):
    """Cells without r="…" send the sheet through the exact pass, which reads the XML
    again: each such cell was counted twice (“等 8 个单元格” for four)."""
    path = tmp_path / "名单.xlsx"
    year_cells = "".join("<c><f>2000+25</f></c>" for _ in range(4))
    _zipped(path, _sheet(_roster_rows('<c r="D2"><v>2025</v></c>') + [_row(3, [year_cells])]))
    with pytest.raises(ImportRefused) as refused:
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    assert "等 4 个单元格是公式" in str(refused.value)


def _ods(path, year_cell: str) -> None:
    """A one-table .ods roster whose 认定年度 cell is ``year_cell`` (odfpy-like XML)."""
    def text(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>' \
               "</table:table-cell>"

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis'
        ':names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
        'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="名单">'
        f'<table:table-row>{"".join(text(title) for title in HEADER)}</table:table-row>'
        f'<table:table-row>{text("常州甲机械有限公司")}{text(make_code(1))}{text("武进区")}'
        f"{year_cell}</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path='
            '"/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>"))
        archive.writestr("content.xml", content.encode("utf-8"))


def test_an_ods_formula_without_its_result_is_refused(database, tmp_path):
    """odfpy and pyexcel write <table:table-cell table:formula="of:=2000+25"/>: calamine
    reads it as an empty cell, as the .xlsx case; LibreOffice saves the result beside it."""
    add_enterprise(database, "常州甲机械有限公司", 1)
    path = tmp_path / "名单.ods"
    _ods(path, '<table:table-cell table:formula="of:=2000+25"/>')
    with pytest.raises(ImportRefused, match="工作表“名单”的 D2（=2000\\+25）是公式"):
        plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    _ods(path, '<table:table-cell table:formula="of:=2000+25" office:value-type="float" '
               'office:value="2025"><text:p>2025</text:p></table:table-cell>')
    plan = plan_file(database, path, kind="recognitions", tier="创新型中小企业")
    assert [[record.values.get("batch_year") for record in row.records]
            for row in plan.rows] == [[2025]]
