"""Shared by the exchange package tests: databases holding demo counties, and every
carried field of a database read back as comparable rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from tiers.exchange import export_package, import_package, read_package
from tiers.exchange.format import ENTERPRISES, TABLES
from tiers.exchange.reader import Package
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import demo
from tiers.services.enterprises import update as update_firm
from tiers.storage.database import Database, open_database

WUJIN, XINBEI, TIANNING = "320412", "320411", "320402"
DAY = dt.datetime(2026, 12, 1, 9, 0)


def county_database(target, *, enterprises: int = 40, seed: int = 7) -> Database:
    database = open_database(target)
    with database.session() as session:
        drain(demo.generate(session, enterprises=enterprises, seed=seed,
                            today=dt.date(2026, 11, 21)))
    return database


def county_package(tmp_path: Path, *, enterprises: int = 8, **options) -> Path:
    """武进's package (tmp_path/武进区数据包.zip) sent at DAY by a county's database of
    ``enterprises`` demo firms, closed after; ``options`` go to export_package (source_unit)."""
    county = county_database(tmp_path / "county.sqlite3", enterprises=enterprises)
    path = tmp_path / "武进区数据包.zip"
    try:
        with county.session() as session:
            drain(export_package(session, path, counties=[WUJIN], now=DAY, **options))
    finally:
        county.dispose()
    return path


def carried(database: Database, *, county: str | None = None) -> dict[str, Counter]:
    """Every carried field of every live firm's rows, per table, as a multiset of tuples
    (ids differ between databases; the credit code ties a row to its firm)."""
    result = {}
    with database.session() as session:
        firms = select(Enterprise.id).where(Enterprise.deleted_at.is_(None))
        if county is not None:
            firms = firms.where(Enterprise.county_code == county)
        for spec in TABLES:
            table = spec.model.__table__
            columns = spec.columns()
            if spec is ENTERPRISES:
                statement = select(*(table.c[c] for c in columns)).where(table.c.id.in_(firms))
            else:
                statement = (select(Enterprise.credit_code, *(table.c[c] for c in columns[1:]))
                             .join(Enterprise, Enterprise.id == table.c.enterprise_id)
                             .where(table.c.enterprise_id.in_(firms)))
            result[spec.name] = Counter(tuple(row) for row in session.execute(statement))
    return result


def sent(database: Database, path, county: str, when: dt.datetime) -> Package:
    """The package of ``county`` a county's database sends, exported at ``when`` and read."""
    with database.session() as session:
        drain(export_package(session, path, counties=[county], now=when))
    return read_package(path)


def imported(database: Database, package: Package):
    """The package imported by the city (user 市局); its PackageResult."""
    with database.session() as session:
        return drain(import_package(session, package, user="市局"))



class Moved(NamedTuple):
    """A firm that moved from 武进 to 新北 after the city had 武进's package: its credit code
    and name, and 新北's next package that sends it (its file, and read)."""

    code: str
    name: str
    path: Path
    package: Package


def moved_to_xinbei(county: Database, city: Database, tmp_path: Path) -> Moved:
    """The city imports 武进's and 新北's packages; a 武进 firm the city has from 武进's then
    moves to 新北 in the county, whose next package (a day later, not imported here) sends
    it too: a conflict once imported (武进 holds the firm)."""
    imported(city, sent(county, tmp_path / "wj.zip", WUJIN, DAY))
    imported(city, sent(county, tmp_path / "xb1.zip", XINBEI, DAY))
    with county.session() as session:
        moved = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).first()
        update_firm(session, moved.id, {"county": "新北区", "town": ""})
        code, name = moved.credit_code, moved.name
    path = tmp_path / "xb2.zip"
    return Moved(code, name, path, sent(county, path, XINBEI, DAY + dt.timedelta(days=1)))
