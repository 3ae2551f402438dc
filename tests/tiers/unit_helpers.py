"""Databases whose unit (本单位) the tests ask about: a county's laptop with the neighbours'
firms a province's list brought in, one with two counties of its own, a 开发区 firm without
a county code, a city's database that has received a county's package, 武进区's database
that took in other units' firms with 一并导入这些行; and a package's manifest read back. Shared by the core's, the window's and the command line's tests of the
proposed unit and of a package's counties."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, write_xlsx
from tiers.model.orm import ExchangePackage, ImportBatch
from tiers.services import enterprises
from tiers.services import unit as unit_service

JINTAN, LIYANG, WUJIN, CITY = "320413", "320481", "320412", "320400"
# a city's list read by 武进区's database: its own firm, 溧阳's, and two zones' firms
# without a county code (the unit's rule cannot tell whose they are)
LISTED_OWN = ("常州武进恒达电机有限公司", make_code(11, WUJIN), "武进区")
LISTED_LIYANG = ("溧阳天目湖精工机械有限公司", make_code(12, LIYANG), "溧阳市")
LISTED_ZONE = ("常州江南石化装备有限公司", make_code(13, CITY), "常州滨江经济开发区")
LISTED_ZONE2 = ("常州华锐传动科技有限公司", make_code(14, CITY), "常州经开区")


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


def taken_in_from_a_list(database, tmp_path) -> int:
    """武进区's database (本单位负责的区县 武进区, one firm of its own): the city's list
    imported with 一并导入这些行, its own firm and the three the rule leaves out (溧阳's, two
    zones' without a county code) taken in; returns the import batch."""
    add_enterprise(database, "常州武进本地科技有限公司", 1)
    with database.session() as session:
        unit_service.set_unit_counties(session, ["武进区"])
    path = write_xlsx(tmp_path / "2026年度常州市专精特新名单.xlsx", {"Sheet1": [
        ["2026年度常州市专精特新中小企业名单"], ["序号", "所在地区", "企业名称", "统一社会信用代码"],
        *[[n, county, name, code] for n, (name, code, county)
          in enumerate((LISTED_OWN, LISTED_LIYANG, LISTED_ZONE, LISTED_ZONE2), start=1)]]})
    plan, batch = import_file(database, path, take_other_counties=True)
    assert plan.other_unit_rows == 3 and batch is not None
    return batch


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
