"""Which counties a package (and a report without a county) is of by default.

A county's laptop keeps other counties' firms that the province's and the city's lists
bring in (the 2025 创新型 list of all 常州市 holds 溧阳's firms too). A package of every
county in it, under 常州市工业和信息化局, reached the city before 溧阳's own and had 溧阳's
own package refused there (tester26). So the counties whose every firm came from such a
list are not this database's own, and where the own counties are not one, nobody guesses:
the export asks which."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tiers.exchange.writer import NO_COUNTY
from tiers.queries.list_counties import list_only_counties


@dataclass
class PackageScope:
    """What the export of a package offers: every county with live firms (code, name,
    firms), those ticked by default (``default``; None: all, the city's database), and the
    counties whose firms came only from imported lists (``from_lists``)."""

    counties: list[tuple[str, str, int]]
    default: list[str] | None
    from_lists: list[str] = field(default_factory=list)
    by_unit: bool = False  # the default is the counties recorded as the unit's (tiers unit)
    unit_names: str = ""  # those counties' names (溧阳市), when by_unit

    @property
    def must_ask(self) -> bool:
        """Several counties and none of them known to be this database's: ask which."""
        return self.default is not None and not self.default and bool(self.counties)

    def listing(self) -> str:
        """The counties with their firms, as the ask lists them: 金坛区（320413）89 家、…"""
        return "、".join(
            f"{name}（{code}）{firms:,} 家" + ("，只从名单导入" if code in self.from_lists else "")
            if code else f"{name} {firms:,} 家" for code, name, firms in self.counties)


def package_scope(session: Session) -> PackageScope:
    """The counties a package of this database is of when none are named: every one in a
    city's database (one that receives packages); else its own one county (those only from
    lists left out); else none (several own counties, and no setting says which are its).
    When the database records its unit's counties (本单位负责的区县), those of them that
    have firms, whatever else the database holds. With its own counties, a county's
    database sends its firms without a county too (NO_COUNTY, （未填区县）: its 开发区's,
    blank ones), or they never reach the city."""
    from tiers.exchange.status import (
        counties_with_firms,
        entered_own_counties,
        receives_packages,
    )
    from tiers.services.unit import unit_counties

    counties = counties_with_firms(session)
    unit = unit_counties(session)
    if unit.is_set:  # recorded (tiers unit, 设置): the unit's own counties, nothing guessed
        return PackageScope(counties, _with_no_county(
            [code for code, _name, _firms in counties if code and unit.covers(code)], counties),
            sorted(list_only_counties(session)), by_unit=True, unit_names=unit.names)
    if receives_packages(session):
        own = entered_own_counties(session, [])
        if not own:
            return PackageScope(counties, None)
        return PackageScope(counties, _with_no_county(own, counties))
    from_lists = list_only_counties(session)
    coded = [code for code, _name, _firms in counties if code]
    own_codes = [code for code in coded if code not in from_lists]
    if len(coded) <= 1:  # one county (or none known): all of it, as always
        return PackageScope(counties, None, sorted(from_lists))
    if len(own_codes) == 1:
        return PackageScope(counties, _with_no_county(own_codes, counties), sorted(from_lists))
    return PackageScope(counties, [], sorted(from_lists))


def _with_no_county(default: list[str], counties: list[tuple[str, str, int]]) -> list[str]:
    """The own counties and, when there are any, the firms without a county; none own:
    nothing ticked (the export asks)."""
    if default and any(code == NO_COUNTY for code, _name, _firms in counties):
        return [*default, NO_COUNTY]
    return default
