"""Names remembered for matching only (FormerName.is_alias, a 简称 an officer linked in an
import) and packages: not sent; kept at the city; and one the county sends as the firm's
曾用名 becomes one (review of session 21: the flag stuck, the name never showed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.undo import undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.model.names import clean_display, name_key
from tiers.model.orm import Enterprise, FormerName
from tiers.model.pinyin import initials
from tiers.progress import drain
from tiers.queries import profiles
from tiers.services import enterprises

ALIAS = "常州某某简称"


def _first_firm(database) -> tuple[int, str]:
    with database.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        return firm.id, firm.credit_code


def test_a_name_the_county_sends_as_a_former_name_is_no_alias_at_the_city(
        county, city, tmp_path):
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    county_firm, code = _first_firm(county)
    with city.session() as session:  # the city remembers a way a list wrote the firm
        firm = enterprises.by_code(session, code)
        session.add(FormerName(enterprise_id=firm.id, name=clean_display(ALIAS),
                               name_key=name_key(ALIAS), pinyin_initials=initials(ALIAS),
                               is_alias=True))
        city_firm = firm.id
    with county.session() as session:  # the county records it as a real former name
        enterprises.add_former_name(session, county_firm, ALIAS)
    batch = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN,
                                DAY + dt.timedelta(days=1))).batch_id
    with city.session() as session:
        rows = session.execute(select(FormerName.name, FormerName.is_alias).where(
            FormerName.enterprise_id == city_firm, FormerName.name_key == name_key(ALIAS))
            ).all()
        assert rows == [(ALIAS, False)]
        assert ALIAS in profiles.profile(session, city_firm)["former_names"]
    with city.session() as session:
        drain(undo_batch(session, batch))
    with city.session() as session:
        assert session.execute(select(FormerName.is_alias).where(
            FormerName.enterprise_id == city_firm, FormerName.name_key == name_key(ALIAS))
            ).scalars().all() == [True]


def test_an_alias_of_the_city_stays_when_a_newer_package_has_no_such_name(
        county, city, tmp_path):
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    county_firm, code = _first_firm(county)
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        session.add(FormerName(enterprise_id=firm.id, name=ALIAS, name_key=name_key(ALIAS),
                               pinyin_initials=initials(ALIAS), is_alias=True))
    with county.session() as session:
        enterprises.update(session, county_firm, {"address": "新地址"})
    imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1)))
    with city.session() as session:
        assert session.execute(select(FormerName.name, FormerName.is_alias).where(
            FormerName.name_key == name_key(ALIAS))).all() == [(ALIAS, True)]
