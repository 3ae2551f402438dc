"""What of a 报送模板 the filled copy cannot keep, said before it is filled, and the template
openpyxl cannot read at all.

openpyxl reads and writes the cells, merged cells, formats, formulas, print setup, images
and plain data validation of a template, but drops what it does not model: charts, shapes
and text boxes, macros, and the Excel 2010 extensions many government templates carry — a
dropdown list taken from another sheet (x14 data validation: 县区、梯度 lists) and data
bars or icon sets. It said so only in English on stderr ("Data Validation extension is not
supported and will be removed"), and a Strict Open XML workbook ended in “程序内部错误
（KeyError）”. The template itself is never written either way.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from importers.errors import ImportRefused
from importers.read.extent import xml_chunks

STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
# the extension list entries (their uri is fixed by the format) openpyxl drops
_EXTENSIONS = {
    b"{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "引用其他工作表的下拉列表（数据有效性）",
    b"{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "部分条件格式（数据条、图标集等）",
    b"{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "迷你图",
}


def refuse_unreadable(path: Path) -> None:
    """Refuse, in Chinese, a template openpyxl cannot open (a Strict Open XML workbook)."""
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" in archive.namelist() and \
                STRICT in archive.read("xl/workbook.xml")[:4096]:
            raise ImportRefused(
                f"模板“{path.name}”是“Strict Open XML 电子表格”格式，无法按原样填写。请用 Excel "
                "打开它，另存为“Excel 工作簿（*.xlsx）”，再选择另存的文件。")


def losses(path: Path) -> list[str]:
    """What the filled copy of the template at ``path`` will not have, in Chinese."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for chunk in xml_chunks(archive, name):
                    if b"<extLst" not in chunk and b":extLst" not in chunk:
                        continue
                    found += [what for uri, what in _EXTENSIONS.items()
                              if uri in chunk and what not in found]
        if any(name.startswith("xl/charts/chart") for name in names):
            found.append("图表")
        if any(name.startswith("xl/drawings/drawing") and name.endswith(".xml")
               and b":sp>" in archive.read(name) for name in names):
            found.append("文本框和形状")
        if "xl/vbaProject.bin" in names:
            found.append("宏")
    return found


def losses_text(found: list[str]) -> str:
    """One line for the officer, or "" when nothing is lost."""
    if not found:
        return ""
    return (f"注意：模板中的{'、'.join(found)}在填好的文件中不能保留（模板本身不变）；"
            "如需要，请在填好的文件中补上。")
