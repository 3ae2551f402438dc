"""Databases whose unit (本单位) the tests ask about: a county's laptop with the neighbours'
firms a province's list brought in, one with two counties of its own, a 开发区 firm without
a county code, a city's database that has received a county's package; and a package's
manifest read back. Shared by the core's, the window's and the command line's tests of the
proposed unit and of a package's counties."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

from tests.conftest import make_code
from tiers.model.orm import ExchangePackage, ImportBatch
from tiers.services import enterprises

JINTAN, LIYANG = "320413", "320481"


def county_laptop(database, *, own=JINTAN, from_lists=LIYANG, own_firms=3, listed=2) -> None:
    """金坛区's database: its 名录's firms, and 溧阳's that a province list brought in."""
    with database.session() as session:
        roster = ImportBatch(file_name="金坛区重点工业企业名录.xlsx", sha256="1" * 64, kind="roster")
        province = ImportBatch(file_name="2025年度江苏省创新型中小企业名单（常州市）.xlsx",
                               sha256="2" * 64, kind="recognitions")
        session.add_all([roster, province])
        session.flush()
        for serial in range(1, own_firms + 1):
            enterprises.create(session, {"credit_code": make_code(serial, own),
                                         "county_code": own, "name": f"金坛{serial}有限公司"},
                               import_batch_id=roster.id)
        for serial in range(own_firms + 1, own_firms + listed + 1):
            enterprises.create(session, {"credit_code": make_code(serial, from_lists),
                                         "county_code": from_lists,
                                         "name": f"溧阳{serial}有限公司"},
                               import_batch_id=province.id)


def two_own_counties(database) -> None:
    """A database whose firms of 溧阳 and 金坛 were both entered here (no list brought
    either in): nothing tells which county is its own."""
    county_laptop(database, listed=0)
    firms_in(database, LIYANG, LIYANG, first=11, name="溧阳{serial}有限公司")


def firms_in(database, *county_codes: str, first: int = 1, name: str = "单位{serial}有限公司"
             ) -> None:
    """A firm entered by hand in each county given (by division code), numbered from
    ``first``."""
    with database.session() as session:
        for serial, county in enumerate(county_codes, start=first):
            enterprises.create(session, {"credit_code": make_code(serial, county),
                                         "county_code": county,
                                         "name": name.format(serial=serial)})


def zone_firm(database, serial=31, name="金坛经开区新材料有限公司") -> None:
    """A firm of the county's 开发区: no division code (registered at the city's bureau)."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(serial, "320400"),
                                            "county": "金坛经开区", "name": name})
        assert firm.county_code is None


def record_a_received_package(session) -> None:
    """武进区's package, as applied in the city's database (no firm needed)."""
    batch = ImportBatch(file_name="武进区数据包.zip", sha256="0" * 64, kind="package")
    session.add(batch)
    session.flush()
    session.add(ExchangePackage(import_batch_id=batch.id, file_name="武进区数据包.zip",
                                sha256="0" * 64, source_unit="常州市武进区工业和信息化局",
                                package_date=dt.datetime(2026, 3, 1), tiers_version="1",
                                counts="{}"))
    session.flush()


def manifest(path) -> dict:
    """A package's manifest.json."""
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))
