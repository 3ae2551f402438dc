"""A Strict Open XML workbook (Excel's “Strict Open XML 电子表格”, namespaces under
purl.oclc.org) is checked like any other .xlsx (the break campaign of #17): the sheet's XML
was looked up in the transitional namespace only, not found, and so not checked at all,
while calamine, which ignores namespaces, read it: a 400-byte file with a value at
XFD1048576 asked for 512 GB and aborted the whole client, and a formula without its value
was read as an empty cell."""

from __future__ import annotations

import zipfile

import pytest

from importers import ImportRefused
from tests.importers.helpers import add_enterprise, plan_file
from tests.importers.test_hostile_files import HEADER, _read_in_child, _value

STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELATIONS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def strict_xlsx(path, sheet_data: str):
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{STRICT}" '
            f'xmlns:r="{RELATIONS}" conformance="strict"><sheets><sheet name="名单" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{STRICT}"><sheetData>'
            f"{sheet_data}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def test_a_far_cell_in_a_strict_workbook_is_refused_by_name(tmp_path):
    result = _read_in_child(strict_xlsx(tmp_path / "严格.xlsx", HEADER + _value("XFD1048576")))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED 工作表“名单”的单元格 XFD1048576 远超实际内容")


def test_a_formula_without_its_value_in_a_strict_workbook_is_refused(database, tmp_path):
    add_enterprise(database, "常州甲机械有限公司", 1)
    from tests.conftest import make_code

    path = strict_xlsx(tmp_path / "严格.xlsx", HEADER + (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>常州甲机械有限公司</t></is></c>'
        f'<c r="B2" t="inlineStr"><is><t>{make_code(1)}</t></is></c>'
        '<c r="C2"><f>2000+25</f></c></row>'))
    with pytest.raises(ImportRefused, match="C2（=2000\\+25）是公式"):
        plan_file(database, path, kind="roster")
