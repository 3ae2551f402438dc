"""Whose data a package's row is at the city: the county it came from, or, for the firms
without a county (（未填区县）: a county's 开发区 firms, sent with ``--county none``), the unit
whose package sent them.

A county's code names one county whoever sends it; the county code "" does not: 溧阳市's
开发区 firms and 金坛区's are not one county's. Taken as one, 金坛's showed as conflicts with
溧阳's, and a newer package of 溧阳 binned 金坛's (issue #16, nocounty27). So the owner of a
row without a county is the sending unit (its 报送单位 as ``plain_unit`` compares it), read
from the package the row came from (``source_package_id``); an owner key is the county code,
or ``NO_COUNTY_MARK`` and the unit. Owner keys live only in memory (the plan's scope, 报送情况,
the undo's later packages): the rows keep their county "" and their package."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tiers.model.orm import ExchangePackage

NO_COUNTY_MARK = "~"  # no division code begins so


def plain_unit(unit: str) -> str:
    """A unit's name compared: no spaces, no leading 江苏省."""
    plain = "".join((unit or "").split())
    return plain[len("江苏省"):] if plain.startswith("江苏省") else plain


def owner_key(county_code: str | None, unit: str) -> str:
    """The county's code; for the firms without a county, the mark and the sending unit."""
    return county_code if county_code else NO_COUNTY_MARK + plain_unit(unit)


def is_no_county(key: str) -> bool:
    return key.startswith(NO_COUNTY_MARK)


def county_codes(keys: Iterable[str]) -> set[str]:
    """The county codes of owner keys ("" for those of the firms without a county): what
    the county locks hold."""
    return {"" if is_no_county(key) else key for key in keys}


def owner_unit(key: str) -> str:
    """The unit of a no-county owner key ("" for a county's)."""
    return key[len(NO_COUNTY_MARK):] if is_no_county(key) else ""


def no_county_label(unit: str) -> str:
    """（未填区县） of one unit, as 报送情况 and the messages name it."""
    plain = plain_unit(unit)
    return f"（未填区县，{plain}）" if plain else "（未填区县）"


def package_units(session: Session) -> dict[int, str]:
    """Every package applied here (undone or not: a row keeps the package it came from
    until the undo puts the older one back) → its unit, as compared."""
    return {package_id: plain_unit(unit) for package_id, unit in session.execute(
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
    wanted = {owner_unit(key) for key in owners if is_no_county(key)}
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
