"""Hostile or broken packages are refused whole, in Chinese, with nothing written: not a
zip, zip bombs, unsafe member paths, wrong or future formats and schema versions, a
checksum that does not match, a missing table, a bad cell (which member, row, column)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import struct
import zipfile
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database
from tiers.exchange import (
    PackageRefused,
    export_package,
    import_package,
    import_package_file,
    preview_package,
    read_package,
)
from tiers.exchange.members import MAX_MEMBER_BYTES
from tiers.model.orm import AnnualFigures, Change, Enterprise, ImportBatch, Recognition
from tiers.progress import drain


@pytest.fixture(scope="module")
def good_package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    database = county_database(folder / "county.sqlite3", enterprises=12)
    with database.session() as session:
        drain(export_package(session, folder / "good.zip", counties=[WUJIN], now=DAY))
    database.dispose()
    return folder / "good.zip"


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members: dict[str, bytes], *, fix_manifest: bool = True) -> None:
    """A package of these members; with fix_manifest the manifest's checksums and counts
    are made to match them (so that only the fault under test remains)."""
    if fix_manifest and "manifest.json" in members:
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["tables"].values():
            if entry["file"] in members:
                data = members[entry["file"]]
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                entry["rows"] = len(list(csv.reader(io.StringIO(data.decode())))) - 1
        members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _with_manifest(members, **changes):
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    return {**members, "manifest.json": json.dumps(manifest).encode()}


def _refused(database, path, match):
    """Refused read whole, and read while written (a county new to the database: the
    firms are written before the later tables are read), with nothing written either way."""
    before = _written(database)
    with pytest.raises(PackageRefused, match=match) as caught:
        package = read_package(path)
        with database.session() as session:
            drain(import_package(session, package))
    assert "Traceback" not in str(caught.value)
    with database.session() as session:
        assert session.scalar(select(func.count(Enterprise.id))) == 0
        assert session.scalar(select(func.count(ImportBatch.id))) == 0
        assert session.scalar(select(func.count(Change.id))) == 0
    with pytest.raises(PackageRefused, match=match), database.session() as session:
        drain(import_package_file(session, path))
    assert _written(database) == before
    return str(caught.value)


def _written(database):
    with database.session() as session:
        return [session.scalar(select(func.count()).select_from(model))
                for model in (Enterprise, AnnualFigures, Recognition, Change, ImportBatch)]


def test_a_good_package_is_read(good_package):
    assert read_package(good_package).county_codes == {WUJIN}


def test_not_a_zip(database, tmp_path):
    path = tmp_path / "名单.zip"
    path.write_text("企业名称,信用代码\n", encoding="utf-8")
    _refused(database, path, "不是数据包（不是 zip 文件）")


def test_member_path_climbing_out(database, good_package, tmp_path):
    for name in ("../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "C:/evil.csv"):
        path = tmp_path / "bad.zip"
        _write(path, {**_members(good_package), name: b"x"})
        _refused(database, path, "不安全的文件路径")


def test_zip_bomb_by_ratio(database, good_package, tmp_path):
    path = tmp_path / "bomb.zip"
    _write(path, {**_members(good_package), "padding.csv": b"0" * (20 << 20)})
    _refused(database, path, "压缩炸弹")


def test_zip_bomb_with_a_forged_size(database, good_package, tmp_path):
    """A member whose header understates its size: reading stops at the declared size."""
    path = tmp_path / "forged.zip"
    members = _members(good_package)
    _write(path, members)
    data = bytearray(path.read_bytes())
    # shrink the declared uncompressed size of enterprises.csv in the central directory
    name = b"enterprises.csv"
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if bytes(data[at + 46:at + 46 + name_length]) == name:
            data[at + 24:at + 28] = struct.pack("<I", 10)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    _refused(database, path, "压缩炸弹|损坏")


def test_declared_size_above_the_cap(database, good_package, tmp_path, monkeypatch):
    monkeypatch.setattr("tiers.exchange.members.MAX_MEMBER_BYTES", 1000)
    assert MAX_MEMBER_BYTES > 1000
    _refused(database, good_package, "过大")


def test_not_a_tiers_package(database, good_package, tmp_path):
    path = tmp_path / "other.zip"
    _write(path, _with_manifest(_members(good_package), format="something-else"))
    _refused(database, path, "不是 Tiers 数据包")
    _write(path, {k: v for k, v in _members(good_package).items() if k != "manifest.json"})
    _refused(database, path, "不是 Tiers 数据包（缺少数据包的清单文件 manifest.json）。数据包是")


def test_future_format_and_schema_versions(database, good_package, tmp_path):
    path = tmp_path / "future.zip"
    _write(path, _with_manifest(_members(good_package), format_version=99))
    assert "请先升级 Tiers" in _refused(database, path, "较新版本")
    _write(path, _with_manifest(_members(good_package), schema_revision="9999"))
    assert "9999" in _refused(database, path, "较新版本")


def test_checksum_mismatch(database, good_package, tmp_path):
    members = _members(good_package)
    members["recognitions.csv"] = members["recognitions.csv"].replace(b"2023", b"2024", 1)
    path = tmp_path / "changed.zip"
    _write(path, members, fix_manifest=False)
    _refused(database, path, "recognitions.csv 的校验值与清单不符")


def _with_cell(good_package, tmp_path, member: str, line: int, column: str, cell: str,
               name: str = "cell.zip"):
    """The good package with ``member``'s line ``line`` (0: the header; row line + 1 of
    the sheet) holding ``cell`` in ``column``: the package's path, the member's header and
    that row's cells."""
    members = _members(good_package)
    lines = members[member].decode().split("\r\n")
    header = lines[0].split(",")
    cells = lines[line].split(",")
    cells[header.index(column)] = cell
    lines[line] = ",".join(cells)
    members[member] = "\r\n".join(lines).encode()
    path = tmp_path / name
    _write(path, members)
    return path, header, cells


def test_a_nul_in_a_cell_is_refused_with_its_row_and_column(database, good_package, tmp_path):
    """The csv module takes a NUL, SQLite would keep it and PostgreSQL refuses it (a program
    error at the city): refused as a bad cell, with where it is."""
    path, header, _ = _with_cell(good_package, tmp_path, "enterprises.csv", 3, "notes",
                                 "备注\x00尾", "nul.zip")
    letter = chr(ord("A") + header.index("notes"))
    message = _refused(database, path, f"enterprises.csv 第 4 行第 {letter} 列（notes）")
    assert "空字符" in message


@pytest.mark.parametrize("rows", ["12", None, -1, 1.5, True])
def test_a_manifest_row_count_that_is_no_count_is_refused_as_such(database, good_package,
                                                                  tmp_path, rows):
    members = _members(good_package)
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["recognitions"]["rows"] = rows
    path = tmp_path / "rows.zip"
    _write(path, {**members, "manifest.json": json.dumps(manifest).encode()},
           fix_manifest=False)
    message = _refused(database, path, "数据包清单中 recognitions.csv 的行数无效或缺失")
    assert "None 行" not in message


def test_missing_table(database, good_package, tmp_path):
    path = tmp_path / "missing.zip"
    _write(path, {k: v for k, v in _members(good_package).items() if k != "annual_figures.csv"})
    _refused(database, path, "缺少“年度数据”表")


def test_bad_cell_names_member_row_and_column(database, good_package, tmp_path):
    path, header, _ = _with_cell(good_package, tmp_path, "annual_figures.csv", 2, "revenue",
                                 "一百万")
    letter = chr(ord("A") + header.index("revenue"))
    message = _refused(database, path, "annual_figures.csv 第 3 行")
    assert f"第 {letter} 列（revenue）" in message and "应为数字" in message


def test_a_bad_cell_in_a_later_slice_names_its_own_row(database, good_package, tmp_path,
                                                     monkeypatch):
    """A table is read a slice of rows at a time (csv_columns.SLICE_ROWS, 3 here): a bad
    cell in the third slice is told with its row in the file, not in its slice."""
    from tiers.exchange import csv_columns

    monkeypatch.setattr(csv_columns, "SLICE_ROWS", 3)
    assert len(_members(good_package)["annual_figures.csv"].decode().split("\r\n")) > 9
    # row 9 of the sheet: the third slice's second row
    path, header, _ = _with_cell(good_package, tmp_path, "annual_figures.csv", 8, "year",
                                 "二〇二四", "slice.zip")
    letter = chr(ord("A") + header.index("year"))
    message = _refused(database, path, "annual_figures.csv 第 9 行")
    assert f"第 {letter} 列（year）" in message and "应为整数" in message


def test_a_package_read_in_slices_reads_as_read_whole(good_package, monkeypatch):
    """Slices of 2 rows (amounts, dates, blanks and codes joined back across them) give
    the values of the package read in one slice."""
    from tiers.exchange import csv_columns
    from tiers.storage.bulk import Amounts

    whole = read_package(good_package)
    monkeypatch.setattr(csv_columns, "SLICE_ROWS", 2)
    sliced = read_package(good_package)
    for name, table in whole.tables.items():
        other = sliced.tables[name]
        assert other.count == table.count and other.columns == table.columns
        for column in table.columns:
            assert list(other.values[column]) == list(table.values[column]), (name, column)
            if isinstance(table.values[column], Amounts):  # (their floats kept for SQLite)
                assert other.values[column].floats == table.values[column].floats


def _revenue_of(session, code: str, year: int):
    """The revenue stored for the firm ``code`` in ``year``."""
    return session.scalar(select(AnnualFigures.revenue).join(
        Enterprise, Enterprise.id == AnnualFigures.enterprise_id).where(
        Enterprise.credit_code == code, AnnualFigures.year == year))


def _with_revenue(good_package, tmp_path, cell: str):
    """The good package with one firm's revenue written as ``cell`` (row 3)."""
    path, header, cells = _with_cell(good_package, tmp_path, "annual_figures.csv", 2,
                                     "revenue", cell, "revenue.zip")
    return path, cells[header.index("credit_code")], int(cells[header.index("year")])


@pytest.mark.parametrize("cell", ["1.2.3", "-", "1-2", ".", "--5", "NaN", "-Infinity", "sNaN"])
def test_an_amount_that_is_no_number_is_refused(database, good_package, tmp_path, cell):
    path, _, _ = _with_revenue(good_package, tmp_path, cell)
    message = _refused(database, path, "annual_figures.csv 第 3 行")
    assert "（revenue）" in message and "应为数字" in message


@pytest.mark.parametrize(("cell", "value"), [
    ("1E+3", "1000"), ("１２.５", "12.5"), ("-0.50", "-0.5"), ("7.", "7"), (".25", "0.25")])
def test_an_amount_written_another_way_is_read_as_its_number(database, good_package, tmp_path,
                                                            cell, value):
    path, code, year = _with_revenue(good_package, tmp_path, cell)
    package = read_package(path)
    with database.session() as session:
        drain(import_package(session, package))
    with database.session() as session:
        revenue = _revenue_of(session, code, year)
    assert revenue == Decimal(value)


def test_a_year_given_twice_for_a_firm_is_taken_once_and_said(database, good_package,
                                                              tmp_path):
    """A key that may not repeat (a firm's year of figures) repeated: the first row is
    taken and the result says so (a new county's records are otherwise found with sets)."""
    members = _members(good_package)
    lines = members["annual_figures.csv"].decode().split("\r\n")
    header = lines[0].split(",")
    revenue = header.index("revenue")
    first = lines[1].split(",")
    twice = [*first[:revenue], "123456.7", *first[revenue + 1:]]
    members["annual_figures.csv"] = "\r\n".join([*lines[:2], ",".join(twice), *lines[2:]]
                                                 ).encode()
    path = tmp_path / "twice.zip"
    _write(path, members)
    package = read_package(path)
    with database.session() as session:
        result = drain(import_package(session, package))
    assert result.created["annual_figures"] == package.tables["annual_figures"].count - 1
    assert any("重复，只取第一行" in problem for problem in result.problems)
    with database.session() as session:
        kept = session.scalars(select(AnnualFigures.revenue).join(
            Enterprise, Enterprise.id == AnnualFigures.enterprise_id).where(
            Enterprise.credit_code == first[header.index("credit_code")],
            AnnualFigures.year == int(first[header.index("year")]))).all()
    assert kept == [Decimal(first[revenue]) if first[revenue] else None]


def test_a_record_of_a_firm_not_in_the_package(database, good_package, tmp_path):
    members = _members(good_package)
    members["chain_roles.csv"] += f"{make_code(999_999)},C01,链主,\n".encode()
    path = tmp_path / "orphan.zip"
    _write(path, members)
    _refused(database, path, "chain_roles.csv 第 .* 行：信用代码 .* 不是数据包中的企业")


def test_an_amount_finer_than_its_column_is_rounded_as_tiers_rounds_it(database, good_package,
                                                                      tmp_path):
    """Another program's 1499.99996 in a column of 4 places is written as 1500.0000 (half
    up, as the profile and the importers round), and the preview of the same package again
    counts it unchanged, as the import after it leaves it."""
    path, code, year = _with_revenue(good_package, tmp_path, "1499.99996")
    package = read_package(path)
    with database.session() as session:
        drain(import_package(session, package))
    with database.session() as session:
        revenue = _revenue_of(session, code, year)
        again = preview_package(session, read_package(path))
    assert revenue == Decimal("1500.0000")
    assert sum(again.updated.values()) == 0 and again.unchanged["annual_figures"] > 0
    with database.session() as session:
        second = drain(import_package(session, read_package(path)))
    assert second.batch_id is None and sum(second.updated.values()) == 0


@pytest.mark.parametrize("cell", ["1000000000000", "-999999999999.99995", "1E+30"])
def test_an_amount_beyond_its_column_is_refused(database, good_package, tmp_path, cell):
    """More integer digits than the column has (16 places, 4 of them decimals) would be
    refused by a server in English halfway through the import: said first, in Chinese."""
    path, _, _ = _with_revenue(good_package, tmp_path, cell)
    message = _refused(database, path, "annual_figures.csv 第 3 行")
    assert "（revenue）" in message and "数值过大" in message


def test_a_date_in_another_iso_form_is_kept_as_the_date_it_is(database, good_package, tmp_path):
    """Dates are kept as their checked ISO text up to the writer: another form the format
    reads (20261204) is written as 2026-12-04, and the same package again is unchanged."""
    members = _members(good_package)
    rows = list(csv.reader(io.StringIO(members["recognitions.csv"].decode())))
    column = rows[0].index("recognized_on")
    rows[1][column] = "20261204"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    members["recognitions.csv"] = buffer.getvalue().encode()
    path = tmp_path / "dates.zip"
    _write(path, members)
    with database.session() as session:
        drain(import_package(session, read_package(path)))
    with database.session() as session:
        days = session.scalars(select(Recognition.recognized_on).join(
            Enterprise, Enterprise.id == Recognition.enterprise_id).where(
            Enterprise.credit_code == rows[1][0])).all()
        again = preview_package(session, read_package(path))
    assert dt.date(2026, 12, 4) in days
    assert sum(again.updated.values()) == 0 and sum(again.created.values()) == 0


def _with_firm_code(good_package, tmp_path, code_of, *, members_changed=".csv"):
    """The good package with its second firm's credit code made ``code_of(code)`` in the
    members whose names end so (every table: only the code's own fault remains)."""
    members = _members(good_package)
    firms = list(csv.reader(io.StringIO(members["enterprises.csv"].decode())))
    old = firms[2][0]
    new = code_of(old)
    for name, data in members.items():
        if name.endswith(members_changed):
            members[name] = data.replace(old.encode(), new.encode())
    path = tmp_path / "code.zip"
    _write(path, members)
    return path, old


def test_a_firm_with_a_wrong_credit_code_is_refused_with_its_row(database, good_package,
                                                                  tmp_path):
    wrong = {"0": "1"}
    path, _ = _with_firm_code(good_package, tmp_path,
                              lambda code: code[:17] + wrong.get(code[17], "0"))
    message = _refused(database, path, "enterprises.csv 第 3 行第 A 列（credit_code）")
    assert "校验位错误" in message


def test_a_firm_with_a_made_up_market_regulation_code_is_refused(database, good_package,
                                                                 tmp_path):
    """95…: 市场监管 has categories 1, 2 and 3 only; both check characters valid (it was
    taken as a firm). Refused as every wrong code is, the column checked at once."""
    from tiers.model import credit_code

    path, _ = _with_firm_code(good_package, tmp_path,
                              lambda code: credit_code.make("95" + code[2:16]))
    message = _refused(database, path, "enterprises.csv 第 3 行第 A 列（credit_code）")
    assert "第2位应为1、2或3" in message


def test_a_firm_code_in_lower_case_is_read_as_its_code(database, good_package, tmp_path):
    path, code = _with_firm_code(good_package, tmp_path, str.lower,
                                 members_changed="enterprises.csv")
    package = read_package(path)
    assert code in package.tables["enterprises"].codes


def test_a_firm_code_in_lower_case_in_every_table_is_read_as_its_code(database, good_package,
                                                                       tmp_path):
    """A package edited by hand may spell a code in lower case in its records too: they
    are that firm's records, not "no firm of the package" (which said the code was not
    there while it was)."""
    path, code = _with_firm_code(good_package, tmp_path, str.lower, members_changed=".csv")
    package = read_package(path)
    for name, table in package.tables.items():
        assert code.lower() not in table.codes, name
    assert code in package.tables["annual_figures"].codes
    with database.session() as session:
        drain(import_package(session, package, user="市局"))
    with database.session() as session:
        firm = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        assert session.scalar(select(func.count()).select_from(AnnualFigures)
                              .where(AnnualFigures.enterprise_id == firm)) > 0


def test_a_measure_without_its_status_column_is_refused(database, good_package, tmp_path):
    """扶持措施's status has no default to fill it (it was 已兑现: a package of measures
    without the column was received as paid, counted in the paid totals): a package that
    lacks it is refused, naming the column, and nothing is written."""
    members = _members(good_package)
    header = members["support_measures.csv"].decode("utf-8-sig").splitlines()[0].split(",")
    assert "status" in header  # every Tiers package carries it
    code = members["enterprises.csv"].decode("utf-8-sig").splitlines()[1].split(",")[0]
    kept = [name for name in header if name != "status"]
    row = {"credit_code": code, "kind": "资金奖励", "name": "拟拨", "amount": "30",
           "year": "2026"}
    members["support_measures.csv"] = (",".join(kept) + "\n" + ",".join(
        row.get(name, "") for name in kept) + "\n").encode()
    path = tmp_path / "no_status.zip"
    _write(path, members)
    _refused(database, path, "support_measures.csv 缺少“status”列")
