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
