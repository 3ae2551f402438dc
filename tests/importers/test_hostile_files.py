"""Hostile files (issue #14 items 5, 6 and the file half of 8): a file's cost follows its
content, and whatever it claims, the answer is one Chinese line, never a crash.

The spreadsheets are hand-built minimal .xlsx zips (a few hundred bytes), so no test ever
makes the giant array itself; the reads that could allocate it run in a child process with
a 2 GB address-space limit, so that a regression fails a test instead of killing pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from importers import ImportRefused, open_source
from importers.read.extent import column_letters, column_number
from tests.importers.helpers import DATA

ROOT = Path(__file__).resolve().parents[2]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
}
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>')


def minimal_xlsx(path: Path, sheet_data: str, *, after: str = "",
                 dimension: str = "A1") -> Path:
    """A workbook of one sheet whose <sheetData> is given as XML."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
             f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData>{after}'
             "</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _value(ref: str) -> str:
    row = "".join(c for c in ref if c.isdigit())
    return f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'


def _read_in_child(*paths: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Open and read each file's sheet in a child limited to 2 GB of address space, one
    line of output per file: the old reader aborts there (or runs out the timeout) instead
    of taking pytest down."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from importers import ImportRefused, open_source\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        source = open_source(path)\n"
        "        print('ROWS', len(source.sheet(source.sheet_names[0]).rows), flush=True)\n"
        "    except ImportRefused as exc:\n"
        "        print('REFUSED', exc, flush=True)\n")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"}
    try:
        return subprocess.run([sys.executable, "-c", code, *map(str, paths)],
                              capture_output=True, text=True, timeout=timeout,
                              env=environment, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {', '.join(p.name for p in paths)} took more than {timeout} s")


@pytest.mark.parametrize(("far", "shown"), [
    ("XFD1048576", "1048576 行 × 16384 列"),  # 512 GB: SIGABRT
    ("AL1048576", "1048576 行 × 38 列"),  # 1.7 GB and 40 s
    ("SF500000", "500000 行 × 500 列"),  # 7.7 GB and 86 s, refused only then
])
def test_far_cell_is_refused_by_name_before_any_dense_read(tmp_path, far, shown):
    path = minimal_xlsx(tmp_path / "远处.xlsx", HEADER + _value(far))
    assert path.stat().st_size < 2048
    started = time.perf_counter()
    result = _read_in_child(path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert f"工作表“Sheet1”的单元格 {far} 远超实际内容" in result.stdout
    assert shown in result.stdout
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("sheet_data", [
    # cells placed by order, not by r="…": the row's number and the count of cells decide
    HEADER + '<row r="1048576">' + "<c><v>1</v></c>" * 3000 + "</row>",
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>'
    '<row r="99999"><c><v>1</v></c></row>',
    # the far cell's r="…" not first, and a far row whose cells say nothing of their place
    HEADER + '<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>',
])
def test_far_cells_placed_by_order_are_found_too(tmp_path, sheet_data):
    result = _read_in_child(minimal_xlsx(tmp_path / "远处.xlsx", sheet_data))
    assert result.stdout.startswith("REFUSED"), (result.stdout, result.stderr[-2000:])
    assert "远超实际内容" in result.stdout


def test_a_lying_dimension_or_a_far_empty_styled_cell_is_read(tmp_path):
    """calamine spans only cells with a value: a formatted empty cell far away, or a
    <dimension> claiming the whole grid, costs nothing and is not refused."""
    data = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>常州甲有限公司</t></is></c></row>' \
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = minimal_xlsx(tmp_path / "名单.xlsx", data, dimension="A1:XFD1048576")
    source = open_source(path)
    try:
        assert source.sheet("Sheet1").rows[1][0] == "常州甲有限公司"
    finally:
        source.close()


def test_a_roster_of_many_rows_and_columns_is_not_refused(tmp_path):
    rows = [f'<row r="{n}">' + "".join(f'<c r="{column_letters(c)}{n}"><v>{n}</v></c>'
                                        for c in range(1, 61)) + "</row>"
            for n in range(1, 2001)]
    source = open_source(minimal_xlsx(tmp_path / "宽表.xlsx", "".join(rows)))
    try:
        sheet = source.sheet("Sheet1")
        assert len(sheet.rows) == 2000 and len(sheet.rows[0]) == 60
    finally:
        source.close()


def test_column_letters_round_trip():
    assert [column_number(letters) for letters in ("A", "Z", "AA", "AL", "SF", "XFD")] == \
        [1, 26, 27, 38, 500, 16384]
    assert all(column_letters(column_number(column_letters(n))) == column_letters(n)
               for n in range(1, 20000, 7))


def test_merged_ranges_beyond_the_content_are_refused_fast(tmp_path):
    """2,000 ranges of A{n}:ALL{n+999} in a 16 KB file took 28.5 s and made 2,999 rows."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>v{n}</t></is></c></row>'
                   for n in range(1, 2001))
    merges = "<mergeCells>" + "".join(f'<mergeCell ref="A{n}:ALL{n + 999}"/>'
                                      for n in range(1, 2001)) + "</mergeCells>"
    path = minimal_xlsx(tmp_path / "合并.xlsx", rows, after=merges)
    started = time.perf_counter()
    source = open_source(path)
    try:
        with pytest.raises(ImportRefused, match="合并单元格共覆盖 2000000000 个单元格"):
            source.sheet("Sheet1")
    finally:
        source.close()
    assert time.perf_counter() - started < 2


def test_honest_merged_ranges_are_still_filled(tmp_path):
    rows = HEADER + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>甲{n}</t></is></c></row>'
        for n in range(2, 6))
    path = minimal_xlsx(tmp_path / "合并.xlsx", rows, after='<mergeCells count="1">'
                        '<mergeCell ref="A2:B5"/></mergeCells>')
    source = open_source(path)
    try:
        assert [line[1] for line in source.sheet("Sheet1").rows[1:5]] == ["甲2"] * 4
    finally:
        source.close()


def test_a_csv_cell_larger_than_the_field_limit_is_refused_naming_its_row(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,统一社会信用代码\n常州甲有限公司,1\n常州乙," + "x" * 10_000_000
                    + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        open_source(path)
    message = str(refused.value)
    assert "第 3 行" in message and "超过" in message
    assert "field" not in message and "Error" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_named_csv_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "名单.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportRefused, match="不是普通文件"):
        open_source(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_named_csv_is_refused(tmp_path):
    link = tmp_path / "名单.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(ImportRefused, match="不是普通文件"):
        open_source(link)


def test_a_missing_file_is_still_not_found(tmp_path):
    with pytest.raises(ImportRefused, match="找不到文件"):
        open_source(tmp_path / "没有.csv")


@pytest.mark.parametrize(("size", "shown"), [
    (200 * 1048576 + 1, "有 209,715,201 字节，超过导入上限 209,715,200 字节"),
    (int(200.4 * 1048576), "有 200.4 MB，超过导入上限 200.0 MB"),
    (250 * 1048576, "有 250 MB，超过导入上限 200 MB"),
])
def test_the_size_limit_never_reads_as_equal_numbers(tmp_path, size, shown):
    path = tmp_path / "大.csv"
    with path.open("wb") as handle:  # sparse: no 200 MB written
        handle.truncate(size)
    with pytest.raises(ImportRefused) as refused:
        open_source(path)
    assert shown in str(refused.value)


CELLS_EXCEL_NEVER_WRITES = [
    '<c r="xfd1048576"><v>1</v></c>',  # lower case: calamine takes it
    '<c  r="XFD1048576"><v>1</v></c>',  # two spaces
    "<c r='XFD1048576'><v>1</v></c>",  # single quotes
    '<c r = "XFD1048576"><v>1</v></c>',  # spaces around =
    '<c t=">" r="XFD1048576"><v>1</v></c>',  # a ">" inside a quoted value
    '<c r="A99999999"><v>1</v></c>',  # beyond Excel's last row: 3.2 GB
    '<c r="AAAAA99"><v>1</v></c>',  # beyond XFD
]


def test_refs_excel_never_writes_are_measured_as_calamine_reads_them(tmp_path):
    paths = [minimal_xlsx(tmp_path / f"怪{n}.xlsx", HEADER + f'<row r="2">{cell}</row>')
             for n, cell in enumerate(CELLS_EXCEL_NEVER_WRITES)]
    result = _read_in_child(*paths)
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths), (result.stdout, result.stderr[-2000:])
    for cell, line in zip(CELLS_EXCEL_NEVER_WRITES, lines, strict=True):
        assert line.startswith("REFUSED") and "远超实际内容" in line, (cell, line)


def test_a_far_cell_in_an_xls_is_refused_before_the_rows_are_built(tmp_path):
    """calamine reads .xls (BIFF8: at most 65536 × 256) without a pre-scan; the area it
    reports is checked before the Python rows are built (the old limit was 40M cells)."""
    data = bytearray((DATA / "legacy_roster.xls").read_bytes())
    label = data.find(b"\xfd\x00\x0a\x00")  # the first LABELSST record: row, column, …
    data[label + 4:label + 8] = (65535).to_bytes(2, "little") + (255).to_bytes(2, "little")
    path = tmp_path / "远处.xls"
    path.write_bytes(bytes(data))
    result = _read_in_child(path)
    assert result.stdout.startswith("REFUSED"), (result.stdout, result.stderr[-2000:])
    assert "单元格 IV65536 远超实际内容" in result.stdout
