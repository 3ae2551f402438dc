"""What the command line takes for its own output, made stricter (review26 #5): a 采集表
with a figure filled in is a firm's return whatever its moments say; a PDF Tiers printed
and someone stamped, signed or annotated since is theirs; a data package is replaced only
by one of the same unit (a package received from another unit is kept); and a workbook
whose two moments differ in having a zone no longer crashes the check."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import make_code
from tiers import outputs
from tiers.reports import pdf
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli.main import main

REFUSED = 2


def _database(path: Path, county: str, code_county: str) -> str:
    database = open_database(path)
    with database.session() as session:
        for number, name in enumerate(["常州恒立液压科技有限公司", "江苏长海复合材料股份有限公司"],
                                      start=1):
            enterprises.create(session, {"credit_code": make_code(number, code_county),
                                         "county": county, "name": name})
    database.dispose()
    return str(path)


@pytest.fixture
def db(tmp_path) -> str:
    return _database(tmp_path / "库.sqlite3", "武进区", "320412")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_collection_workbook_with_a_figure_filled_in_is_a_return_not_ours(db, tmp_path,
                                                                            capsys):
    """A program that keeps the description and both moments on save (so the moments say
    "unchanged"): one figure typed in makes it the firm's return, kept."""
    out = tmp_path / "采集表.xlsx"
    argv = ["--db", db, "export", "collection", str(out), "--year", "2025"]
    assert main(argv) == 0
    assert outputs.replaceable(out)
    core = _members(out)["docProps/core.xml"]
    book = openpyxl.load_workbook(out)
    sheet = book["采集表"]
    sheet.protection.sheet = False
    sheet.cell(row=5, column=6, value=1234.5)  # the first firm's first figure (F5)
    book.save(out)
    members = _members(out)
    members["docProps/core.xml"] = core  # the moments and description as Tiers wrote them
    _rezip(out, members)
    assert not outputs.replaceable(out)
    before = out.read_bytes()
    capsys.readouterr()
    assert main(argv) == REFUSED
    assert "不会覆盖" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_a_collection_workbook_left_blank_is_still_ours(db, tmp_path, capsys):
    out = tmp_path / "采集表.xlsx"
    argv = ["--db", db, "export", "collection", str(out), "--year", "2025"]
    assert main(argv) == 0
    assert main(argv) == 0
    capsys.readouterr()


def test_a_workbook_with_one_moment_zoned_and_one_not_is_not_ours_and_no_crash(tmp_path):
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.save(path)
    members = _members(path)
    core = members["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:created[^>]*>)[^<]+", r"\g<1>2026-12-07T06:00:00Z", core)
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]+", r"\g<1>2026-12-07T06:00:01", core)
    if "<dc:description>" in core:
        core = re.sub(r"<dc:description>[^<]*", "<dc:description>Tiers 1.0", core)
    else:
        core = core.replace("</cp:coreProperties>",
                            "<dc:description>Tiers 1.0</dc:description></cp:coreProperties>")
    members["docProps/core.xml"] = core.encode("utf-8")
    _rezip(path, members)
    assert outputs.replaceable(path) is False


@pytest.fixture
def printed(db, tmp_path) -> Path:
    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "汇总.pdf"
    assert main(["--db", db, "export", "summary", str(out), "--quiet"]) == 0
    assert outputs.replaceable(out)  # as LibreOffice printed it
    return out


def _append_revision(data: bytes, info: bytes) -> bytes:
    """An incremental update as a signing or stamping tool appends one: a new Info object,
    a cross-reference of it and a trailer pointing back at the last."""
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root\s+(\d+ \d+ R)", data)[-1]
    offset = len(data)
    body = f"{size} 0 obj\n".encode() + info + b"\nendobj\n"
    xref = len(data) + len(body)
    tail = (b"xref\n" + f"{size} 1\n{offset:010d} 00000 n \n".encode()
            + b"trailer\n<</Size " + str(size + 1).encode() + b"/Root " + root
            + b"/Info " + f"{size} 0 R".encode() + b"/Prev " + str(start).encode()
            + b">>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n")
    return data + body + tail


@pytest.mark.parametrize("change", ["signed", "annotated", "moddate_in_place", "producer"])
def test_a_tiers_pdf_changed_by_another_tool_is_not_ours(change, printed, db, capsys):
    data = printed.read_bytes()
    keywords = re.search(rb"/Keywords\s*<[0-9A-Fa-f]+>", data)[0]
    if change == "signed":  # a revision appended, the modification date set
        data = _append_revision(data, b"<<" + keywords + b"/ModDate(D:20261208090000Z)>>")
    elif change == "annotated":  # a revision appended, no date changed
        data = _append_revision(data, b"<<" + keywords + b">>")
    elif change == "moddate_in_place":  # rewritten whole with a modification date
        data = data.replace(b"/CreationDate", b"/ModDate(D:20261208090000Z)/CreationDate", 1)
    else:  # rewritten whole by another program, which put its name as producer
        data = re.sub(rb"/Producer\s*<[0-9A-Fa-f]+>", b"/Producer(pdfstamp 2.0)", data, count=1)
    printed.write_bytes(data)
    assert not outputs.replaceable(printed)
    assert main(["--db", db, "export", "summary", str(printed), "--quiet"]) == REFUSED
    assert printed.read_bytes() == data
    capsys.readouterr()


def test_a_package_received_from_another_unit_is_kept(db, tmp_path, capsys):
    other = _database(tmp_path / "溧阳.sqlite3", "溧阳市", "320481")
    package = tmp_path / "数据包.zip"
    assert main(["--db", other, "package", "export", str(package)]) == 0
    assert "溧阳市工业和信息化局" in capsys.readouterr().out
    before = package.read_bytes()
    assert not outputs.replaceable(package)  # (no unit said: no package is ours)
    assert not outputs.replaceable(package, package_units=["常州市武进区工业和信息化局"])
    assert main(["--db", db, "package", "export", str(package)]) == REFUSED
    err = capsys.readouterr().err
    assert "溧阳市工业和信息化局" in err and "不会覆盖" in err and "Traceback" not in err
    assert package.read_bytes() == before
    # this database's own package of the same name is replaced, as before
    own = tmp_path / "武进区.zip"
    assert main(["--db", db, "package", "export", str(own)]) == 0
    assert outputs.replaceable(own, package_units=["常州市武进区工业和信息化局"])
    assert main(["--db", db, "package", "export", str(own)]) == 0
    # under another --unit (its own bureau spelt another way): the package it proposed
    # before is still its own, and so is the one of that --unit after
    assert main(["--db", db, "package", "export", str(own), "--unit", "武进区工信局"]) == 0
    assert main(["--db", db, "package", "export", str(own), "--unit", "武进区工信局"]) == 0
    # a received package is kept whatever --unit says, unless it names that very unit
    assert main(["--db", db, "package", "export", str(package), "--unit", "武进区工信局"]) \
        == REFUSED
    assert package.read_bytes() == before
    capsys.readouterr()
