"""Hostile packages the break campaign of #16 found taken in or crashing the reader: a
member given twice (the copy a person inspecting the zip sees is not the one read), a
manifest nested thousands deep or holding a number of thousands of digits (an internal
error with an English class name), and a package dated in the future (taken in, it stood
as the county's newest, and every real package of the county after it was refused as
older). Each is refused whole, in Chinese, before anything is written."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile

import pytest

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.exchange import PackageRefused, export_package, read_package
from tiers.progress import drain


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("package")
    database = county_database(folder / "county.sqlite3", enterprises=8)
    with database.session() as session:
        drain(export_package(session, folder / "good.zip", counties=[WUJIN]))
    database.dispose()
    with zipfile.ZipFile(folder / "good.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _package(path, entries: list[tuple[str, bytes]]):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def _refused(path, match: str) -> str:
    with pytest.raises(PackageRefused, match=match) as caught:
        read_package(path)
    return str(caught.value)


@pytest.mark.parametrize("twice", ["enterprises.csv", "manifest.json", "ENTERPRISES.CSV"])
def test_a_member_given_twice_is_refused(members, tmp_path, twice):
    first = [(twice, b"\xe4\xbc\x81\xe4\xb8\x9a\n")]  # what unzip or Explorer shows first
    path = _package(tmp_path / "twice.zip", first + list(members.items()))
    assert twice.casefold() in _refused(path, "出现了两次").casefold()


@pytest.mark.parametrize("manifest", [b"[" * 100_000 + b"]" * 100_000,
                                      b'{"format": "tiers", "n": ' + b"9" * 5000 + b"}"],
                         ids=["nested", "long number"])
def test_a_manifest_python_cannot_hold_is_refused_in_chinese(members, tmp_path, manifest):
    rest = [(name, data) for name, data in members.items() if name != "manifest.json"]
    path = _package(tmp_path / "odd.zip", [("manifest.json", manifest), *rest])
    _refused(path, "清单 manifest.json 无法读取")


def test_a_package_dated_in_the_future_is_refused(members, tmp_path):
    manifest = json.loads(members["manifest.json"])
    rest = [(name, data) for name, data in members.items() if name != "manifest.json"]
    for days, refused in ((30, True), (3000, True), (0, False)):
        when = dt.datetime.now().replace(microsecond=0) + dt.timedelta(days=days)
        manifest["package_date"] = when.isoformat()
        path = _package(tmp_path / f"{days}.zip",
                        [("manifest.json", json.dumps(manifest).encode()), *rest])
        if refused:
            assert f"{when:%Y-%m-%d %H:%M} 晚于本机当前时间" in _refused(path, "日期可能有误")
        else:
            assert read_package(path).package_date == when


@pytest.mark.parametrize("damage", ["stream", "cut"])
def test_a_member_damaged_inside_its_compressed_data_is_refused(members, tmp_path, damage):
    """The zip's directory is intact, the deflate stream of a member is not (a damaged
    download): zlib's error, or the end of the data before the stream ends, was an internal
    error with an English class name."""
    path = _package(tmp_path / "damaged.zip", list(members.items()))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("annual_figures.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    if damage == "stream":  # a run of bytes in the middle of the stream overwritten
        data[middle:middle + 64] = bytes(range(64))
    else:  # the stream said to end half way (local header and directory alike)
        half = (info.compress_size // 2).to_bytes(4, "little")
        data[info.header_offset + 18:info.header_offset + 22] = half
        at = data.find(b"PK\x01\x02")
        while at != -1:
            length = int.from_bytes(data[at + 28:at + 30], "little")
            if bytes(data[at + 46:at + 46 + length]) == b"annual_figures.csv":
                data[at + 20:at + 24] = half
            at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    message = _refused(path, "已损坏，无法解压|校验值|疑似压缩炸弹")
    assert "Error" not in message and "error" not in message
