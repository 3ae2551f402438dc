"""Hostile manifests against the newer package that changes nothing (recorded as sent only),
found by the break campaign of #17: a date written with its UTC offset (ISO 8601, as
another program writes it) crashed the comparison with the county's last package with an
internal TypeError; a county listed twice was recorded as sent twice by one package; a
county code or name longer than the database keeps went in on SQLite and stopped the
import on a server with an internal DataError."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import pytest
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.exchange import PackageRefused, import_package_file, preview_package, read_package
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise, ExchangePackageCounty
from tiers.progress import drain
from tiers.storage.database import open_database


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("package")
    database = county_database(folder / "county.sqlite3", enterprises=8)
    sent(database, folder / "good.zip", WUJIN, DAY)
    database.dispose()
    with zipfile.ZipFile(folder / "good.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _again(members: dict[str, bytes], path, **manifest_values):
    """The same package, its manifest changed (its tables, and their checksums, as sent)."""
    manifest = json.loads(members["manifest.json"])
    manifest.update(manifest_values)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, json.dumps(manifest, ensure_ascii=False).encode()
                             if name == "manifest.json" else data)
    return path


@pytest.fixture
def city(members, tmp_path):
    """A city holding the county's package of DAY."""
    database = open_database(tmp_path / "city.sqlite3")
    imported(database, read_package(_again(members, tmp_path / "first.zip")))
    yield database
    database.dispose()


def _rows(database, model) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("offset", [dt.timedelta(hours=8), dt.timedelta(0),
                                    dt.timedelta(hours=-5)], ids=["+08:00", "Z", "-05:00"])
def test_a_date_with_its_utc_offset_is_that_moment_here(members, city, tmp_path, offset):
    """A day later, written with an offset: the moment in this computer's time, recorded
    as sent (the same rows: nothing else written)."""
    moment = (DAY + dt.timedelta(days=1)).astimezone().astimezone(dt.timezone(offset))
    written = moment.isoformat().replace("+00:00", "Z")
    path = _again(members, tmp_path / "offset.zip", package_date=written)
    package = read_package(path)
    assert package.package_date == DAY + dt.timedelta(days=1)
    assert package.package_date.tzinfo is None
    firms = _rows(city, Enterprise)
    result = imported(city, package)
    assert result.only_sent and result.batch_id is not None
    assert _rows(city, Enterprise) == firms
    with city.session() as session:
        line = next(s for s in package_status(session, year=DAY.year) if s.code == WUJIN)
    assert line.package_date == DAY + dt.timedelta(days=1) and line.packages == 2


def test_a_county_listed_twice_is_refused(members, city, tmp_path):
    manifest = json.loads(members["manifest.json"])
    counties = manifest["counties"] * 2
    path = _again(members, tmp_path / "twice.zip", counties=counties,
                  package_date=(DAY + dt.timedelta(days=1)).isoformat())
    with pytest.raises(PackageRefused, match=f"区县 {WUJIN} 出现了两次"):
        read_package(path)
    _refused_and_nothing_written(city, path, f"区县 {WUJIN} 出现了两次")


def _refused_and_nothing_written(city, path, message: str) -> None:
    """The package's import from its file refused with ``message``, the city's database
    as it was (the county's first package and its firms, nothing more)."""
    firms, counties = _rows(city, Enterprise), _rows(city, ExchangePackageCounty)
    with city.session() as session, pytest.raises(PackageRefused, match=message):
        drain(import_package_file(session, path, user="市局"))
    assert (_rows(city, Enterprise), _rows(city, ExchangePackageCounty)) == (firms, counties)
    assert firms > 0 and counties == 1


def test_a_county_code_too_long_is_refused(members, tmp_path):
    manifest = json.loads(members["manifest.json"])
    counties = [*manifest["counties"], {"code": "3204129999", "name": "某区"}]
    path = _again(members, tmp_path / "long.zip", counties=counties)
    with pytest.raises(PackageRefused, match="区县代码“3204129999”不是区县代码"):
        read_package(path)


@pytest.mark.parametrize("code", ["999999", "320400", "110101", "32041a"])
def test_a_county_code_no_county_has_is_refused(members, city, tmp_path, code):
    """Six characters, yet no county of Jiangsu (none, a 设区市, another province, not a
    number): refused, as an officer's export of such a code is."""
    manifest = json.loads(members["manifest.json"])
    counties = [*manifest["counties"], {"code": code, "name": "某区"}]
    path = _again(members, tmp_path / "unknown.zip", counties=counties,
                  package_date=(DAY + dt.timedelta(days=1)).isoformat())
    _refused_and_nothing_written(city, path, f"区县代码“{code}”不是区县代码（不是江苏省的县级"
                                             "行政区划代码）")


def test_a_county_since_replaced_and_firms_without_one_are_taken(members, city, tmp_path):
    """金坛市 (320482, now 金坛区) is a county code an old database holds; firms without a
    county are listed under "" (tiers.exchange.writer.NO_COUNTY)."""
    manifest = json.loads(members["manifest.json"])
    counties = [*manifest["counties"], {"code": "320482", "name": "金坛市"},
                {"code": "", "name": "（未填区县）"}]
    path = _again(members, tmp_path / "old.zip", counties=counties,
                  package_date=(DAY + dt.timedelta(days=1)).isoformat())
    assert [c["code"] for c in read_package(path).counties] == [WUJIN, "320482", ""]


@pytest.mark.parametrize("written", [
    "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00", "0001-01-01T00:00:00",
    "1999-12-31T23:59:59", "1969-07-20T20:17:00+00:00"])
def test_a_date_no_package_can_have_is_refused(members, city, tmp_path, written):
    """Year 1 or 9999 with a UTC offset overflowed the conversion to this computer's time:
    the command line said 程序内部错误（OverflowError）. No package is older than 2000 (on
    Windows a moment before 1970 with an offset raised OSError there)."""
    path = _again(members, tmp_path / "dated.zip", package_date=written)
    with pytest.raises(PackageRefused, match=re.escape(
            f"manifest.json 中的报送时间（package_date）“{written}”")):
        read_package(path)
    _refused_and_nothing_written(city, path, "不是真实的报送时间")


def test_a_county_name_longer_than_kept_is_cut_to_it(members, city, tmp_path):
    manifest = json.loads(members["manifest.json"])
    long_name = "武进区" * 30
    counties = [{**manifest["counties"][0], "name": long_name}]
    path = _again(members, tmp_path / "named.zip", counties=counties,
                  package_date=(DAY + dt.timedelta(days=1)).isoformat())
    package = read_package(path)
    assert package.counties[0]["name"] == long_name[:50]
    assert imported(city, package).only_sent
    with city.session() as session:
        names = session.scalars(select(ExchangePackageCounty.county_name)).all()
    assert long_name[:50] in names


def test_a_history_written_with_utc_offsets_is_no_hint_and_no_crash(tmp_path):
    """The manifest's history (its firms' changes where it was written: the hint that a
    package is this database's own) given with UTC offsets, as another program writes
    dates, against this database's naive times: neither an error nor the own-package note
    (the moments differ from those here), and the package as written still gets it."""
    database = county_database(tmp_path / "county.sqlite3", enterprises=8)
    try:
        sent(database, tmp_path / "own.zip", WUJIN, DAY)
        with zipfile.ZipFile(tmp_path / "own.zip") as archive:
            own = {name: archive.read(name) for name in archive.namelist()}
        history = dict(json.loads(own["manifest.json"])["history"],
                       first="2026-01-01T08:00:00+08:00", last="2099-12-01T08:00:00+08:00")
        path = _again(own, tmp_path / "history.zip", history=history)
        with database.session() as session:
            preview = preview_package(session, read_package(path))
        assert not any("全部是本库自行录入" in problem for problem in preview.problems)
        with database.session() as session:  # (the same package as written: the note)
            preview = preview_package(session, read_package(tmp_path / "own.zip"))
        assert any("全部是本库自行录入" in problem for problem in preview.problems)
    finally:
        database.dispose()
