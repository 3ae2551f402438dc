"""Files an officer picks by mistake for a package, each told as he can act on it (nothing
written): a package cut short in copying is broken, not "no zip"; a list or a Tiers report
(.xlsx, .ods, .xls) is a workbook to import as a list (hint_field "lists": each face says
where), not a package "missing manifest.json"."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database
from tiers.exchange import PackageRefused, export_package, read_package
from tiers.model.orm import Enterprise
from tiers.progress import drain


@pytest.fixture(scope="module")
def good_package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    database = county_database(folder / "county.sqlite3", enterprises=12)
    with database.session() as session:
        drain(export_package(session, folder / "武进区.zip", counties=[WUJIN], now=DAY))
    database.dispose()
    return folder / "武进区.zip"


def _refusal(path) -> PackageRefused:
    with pytest.raises(PackageRefused) as caught:
        read_package(path)
    return caught.value


@pytest.mark.parametrize("kept", [0.5, 0.98])
def test_a_package_cut_short_is_told_broken_not_another_kind_of_file(good_package, tmp_path,
                                                                      kept):
    data = good_package.read_bytes()
    cut = tmp_path / "武进区.zip"
    cut.write_bytes(data[:int(len(data) * kept)])
    message = str(_refusal(cut))
    assert "已损坏或不完整" in message and "重新" in message, message
    assert "不是 zip" not in message
    assert message.endswith("。"), message  # a sentence, ended as one


@pytest.mark.parametrize("member", ["enterprises.csv", "manifest.json"])
@pytest.mark.parametrize("where", [0.3, 0.7])
def test_a_package_with_a_byte_changed_says_what_is_wrong_and_what_to_do(
        good_package, tmp_path, member, where):
    """One byte changed inside a member (a bad copy): told as broken, with what to do, as a
    copy cut short is (it read 数据包已损坏，无法解压：byte.zip alone: tester24)."""
    data = bytearray(good_package.read_bytes())
    with zipfile.ZipFile(good_package) as archive:
        info = archive.getinfo(member)
    # the member's data: after its local header (30 bytes, its name and extra field)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    at = start + max(1, int(info.compress_size * where))
    data[at] ^= 0x55
    broken = tmp_path / "byte.zip"
    broken.write_bytes(bytes(data))
    message = str(_refusal(broken))
    assert "“byte.zip”已损坏" in message, message
    assert "请重新拷贝，或请报送单位重新导出数据包。" in message, message
    assert message.endswith("。"), message


def test_an_excel_workbook_is_a_list_not_a_package(tmp_path, database):
    path = tmp_path / "常州市梯度培育企业名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("名单").write_row(0, 0, ["企业名称", "统一社会信用代码"])
    book.close()
    refusal = _refusal(path)
    assert "是 Excel 工作簿" in str(refusal) and "不是数据包" in str(refusal)
    assert "manifest" not in str(refusal)
    assert refusal.hint_field == "lists"
    with database.session() as session:
        assert session.scalar(select(func.count(Enterprise.id))) == 0


def test_an_ods_and_an_old_xls_are_workbooks_too(tmp_path):
    ods = tmp_path / "名单.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert _refusal(ods).hint_field == "lists"
    xls = tmp_path / "名单.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refusal = _refusal(xls)
    assert "Excel 工作簿" in str(refusal) and refusal.hint_field == "lists"


def test_another_zip_says_what_a_package_is(tmp_path):
    path = tmp_path / "资料.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("说明.txt", "hello")
    message = str(_refusal(path))
    assert "不是 Tiers 数据包" in message and "Tiers 导出的 .zip" in message


def test_a_workbook_of_many_sheets_or_cut_short_is_still_a_workbook(tmp_path):
    """A workbook of 80 sheets was refused as 'a package of too many files', and a
    workbook cut short as 'ask the sender to export the package again' (review)."""
    path = tmp_path / "各县区汇总.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for number in range(80):
        book.add_worksheet(f"表{number}").write(0, 0, "企业名称")
    book.close()
    refusal = _refusal(path)
    assert "是 Excel 工作簿" in str(refusal) and refusal.hint_field == "lists", refusal
    cut = tmp_path / "名单.xlsx"
    cut.write_bytes(path.read_bytes()[:2000])
    refusal = _refusal(cut)
    assert "Excel 工作簿" in str(refusal) and "已损坏或不完整" in str(refusal)
    assert "数据包" in str(refusal) and "重新导出数据包" not in str(refusal)
    assert refusal.hint_field == "lists"
