"""Whose data a package's row is at the city: the county it came from, or, for the firms
without a county (（未填区县）: a county's 开发区 firms, sent with ``--county none``), the unit
whose package sent them.

A county's code names one county whoever sends it; the county code "" does not: 溧阳市's
开发区 firms and 金坛区's are not one county's. Taken as one, 金坛's showed as conflicts with
溧阳's, and a newer package of 溧阳 binned 金坛's (issue #16, nocounty27). So the owner of a
row without a county is the sending unit (its 报送单位 as ``plain_unit`` compares it), read
from the package the row came from (``source_package_id``); an owner key is the county code,
or ``NO_COUNTY_MARK`` and the unit. Owner keys live only in memory (the plan's scope, 报送情况,
the undo's later packages): the rows keep their county "" and their package.

A unit is compared as the sender it is (``sender``), not as it is spelt: a county's own bureau
under any of its usual spellings (溧阳市工业和信息化局, 溧阳工信局, 溧阳市: tiers.exchange.status
.names_county, the rule its coded county follows) is that county's bureau. Compared by their
spellings, 溧阳's second package sent as 溧阳工信局 listed its 7 开发区 firms as conflicts with
its own first (溧阳市工业和信息化局): the correction not written, the firm it deleted not binned,
two lines of the one bureau in 报送情况 (tester27b). A name that says no county, or several
(鼓楼区工信局: 南京's and 徐州's), is its plain name."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tiers.model.orm import ExchangePackage

NO_COUNTY_MARK = "~"  # no division code begins so
COUNTY_SENDER = "#"  # a sender that is a county's own bureau: the mark and the county's code


def plain_unit(unit: str) -> str:
    """A unit's name compared: no spaces, no leading 江苏省."""
    plain = "".join((unit or "").split())
    return plain[len("江苏省"):] if plain.startswith("江苏省") else plain


@lru_cache(maxsize=1)
def _bureau_names() -> dict[str, tuple[str, ...]]:
    """Each name a county's own bureau goes by (tiers.exchange.status.county_bureaus) → the
    current counties it names."""
    from tiers.exchange.status import county_bureaus
    from tiers.model.reference import divisions

    found: dict[str, set[str]] = {}
    for item in divisions():
        if item.level == "县级" and item.current:
            for name in county_bureaus(item.code, item.name):
                found.setdefault(name, set()).add(item.code)
    return {name: tuple(sorted(codes)) for name, codes in found.items()}


def sender(unit: str) -> str:
    """Who a 报送单位 is, as owners compare it: a county's own bureau under any of its
    spellings is ``COUNTY_SENDER`` and that county's code (溧阳工信局 and 溧阳市工业和信息化局 are
    one sender); any other unit, or a name that says several counties, its plain name."""
    plain = plain_unit(unit)
    codes = _bureau_names().get(plain, ())
    return COUNTY_SENDER + codes[0] if len(codes) == 1 else plain


def owner_key(county_code: str | None, unit: str) -> str:
    """The county's code; for the firms without a county, the mark and the sending unit
    (its ``sender``)."""
    return county_code if county_code else NO_COUNTY_MARK + sender(unit)


def is_no_county(key: str) -> bool:
    return key.startswith(NO_COUNTY_MARK)


def county_codes(keys: Iterable[str]) -> set[str]:
    """The county codes of owner keys ("" for those of the firms without a county): what
    the county locks hold."""
    return {"" if is_no_county(key) else key for key in keys}


def owner_sender(key: str) -> str:
    """The ``sender`` of a no-county owner key ("" for a county's)."""
    return key[len(NO_COUNTY_MARK):] if is_no_county(key) else ""


def sender_name(who: str) -> str:
    """A ``sender`` as it is named: a county's bureau by the name industry_bureau gives it."""
    if who.startswith(COUNTY_SENDER):
        from tiers.model.reference import industry_bureau

        return industry_bureau([who[len(COUNTY_SENDER):]]) or who[len(COUNTY_SENDER):]
    return who


def owner_unit(key: str) -> str:
    """The unit of a no-county owner key, as it is named ("" for a county's)."""
    return sender_name(owner_sender(key)) if is_no_county(key) else ""


def no_county_label(unit: str) -> str:
    """（未填区县） of one unit, as 报送情况 and the messages name it."""
    plain = plain_unit(unit)
    return f"（未填区县，{plain}）" if plain else "（未填区县）"


def package_units(session: Session) -> dict[int, str]:
    """Every package applied here (undone or not: a row keeps the package it came from
    until the undo puts the older one back) → its unit, as compared (its ``sender``)."""
    return {package_id: sender(unit) for package_id, unit in session.execute(
        select(ExchangePackage.id, ExchangePackage.source_unit))}


def row_owner(county: str | None, package_id: int | None, units: dict[int, str]) -> str:
    """The owner key of a row that came from a package (its source county and package)."""
    if county:
        return county
    return NO_COUNTY_MARK + units.get(package_id, "") if package_id is not None else ""


def owned_by(table: Any, owners: Collection[str], units: dict[int, str]) -> Any:
    """The WHERE clause of a table's package rows (``source_county``, ``source_package_id``)
    owned by any of ``owners``: those of its counties, and those without a county from a
    package of its units."""
    codes = sorted(key for key in owners if not is_no_county(key))
    wanted = {owner_sender(key) for key in owners if is_no_county(key)}
    packages = sorted(package_id for package_id, unit in units.items() if unit in wanted)
    clauses = [table.c.source_county.in_(codes)] if codes else []
    if packages:
        clauses.append(and_(or_(table.c.source_county == "", table.c.source_county.is_(None)),
                            table.c.source_package_id.in_(packages)))
    if not clauses:
        return table.c.id.is_(None)  # (owns nothing: an always-false clause)
    return and_(table.c.source_package_id.is_not(None), or_(*clauses))


def keys_of(counties: Iterable[dict[str, Any]], unit: str) -> dict[str, str]:
    """A package's counties (code, name) → their owner keys."""
    return {county["code"]: owner_key(county["code"], unit) for county in counties}
