"""Hostile manifests against the newer package that changes nothing (recorded as sent only),
found by the break campaign of #17: a date written with its UTC offset (ISO 8601, as
another program writes it) crashed the comparison with the county's last package with an
internal TypeError; a county listed twice was recorded as sent twice by one package; a
county code or name longer than the database keeps went in on SQLite and stopped the
import on a server with an internal DataError."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.exchange import PackageRefused, read_package
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise, ExchangePackageCounty
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
    assert _rows(city, ExchangePackageCounty) == 1


def test_a_county_code_no_county_has_is_refused(members, tmp_path):
    manifest = json.loads(members["manifest.json"])
    counties = [*manifest["counties"], {"code": "3204129999", "name": "某区"}]
    path = _again(members, tmp_path / "long.zip", counties=counties)
    with pytest.raises(PackageRefused, match="区县代码“3204129999”不是区县代码"):
        read_package(path)


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
