"""本单位负责的区县: the divisions this database's own unit answers for, recorded in the
database itself (table unit_county), so that the client and the CLI read the same.

On a server an editor's import already leaves other counties' firms out (WriteRights). A
county officer's laptop database has no logins: a province-wide list imported there brought
every county's firms in. With the unit's counties recorded, an import leaves the rows of
firms outside them out (不导入（不属本单位区县）, importers.plan.scope) unless the officer
takes them in. A 设区市 stands for all its counties (a city's database). None recorded:
nothing is left out, as before. A firm without a county code (a 开发区, a blank county) is
decided by UnitCounties.covers_firm.

It decides the package export's counties too (tiers.exchange.scope: the unit's counties
with firms, and the firms without a county), and the 报送单位 / 填报单位 proposed
(tiers.exchange.status.unit_proposal: the unit's bureau). Importing another unit's package
is not concerned: a city takes in its counties'. Each change is logged (unit_changes; on a
server tiers user log lists it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tiers.errors import Refused
from tiers.model import reference
from tiers.model.orm import Change, ImportBatch, UnitCounty
from tiers.services import audit
from tiers.services.errors import ValidationError
from tiers.storage.write_rights import write_rights
from tiers.text.unit_counties import (
    ENTITY,
    describe_change,  # noqa: F401 - re-exported for the faces
    names_logged,
)

WHAT = "设置本单位负责的区县"
# an import batch's counts: the firms (ids) its officer took in (一并导入这些行 / tiers
# import --other-counties) though outside the unit's counties
TAKEN_IN = "taken_in"
# how an officer writes several divisions in one field: 溧阳市、金坛区 / 溧阳市，金坛区 / 溧阳市 金坛区
_APART = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class UnitCounties:
    """The divisions recorded (code, name), in the order given; empty: not set."""

    divisions: tuple[tuple[str, str], ...] = ()

    @property
    def is_set(self) -> bool:
        return bool(self.divisions)

    @property
    def names(self) -> str:
        """溧阳市 / 常州市、无锡市: as the messages name the unit's area."""
        return "、".join(name for _, name in self.divisions)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.divisions)

    def covers(self, county_code: str | None) -> bool:
        """Whether a firm of this county is the unit's: the county recorded, or its 设区市.
        A firm whose county is not known is not (the row says so and the officer may take
        it in). True for anything when nothing is recorded."""
        if not self.divisions:
            return True
        if not county_code:
            return False
        codes = self.codes
        if county_code in codes:
            return True
        found = reference.division(county_code)
        return found is not None and found.parent_code in codes

    def covers_firm(self, county_code: str | None, county_name: str | None = None,
                    credit_code: str | None = None, *, existing: bool = False) -> bool:
        """Whether a firm is the unit's, its county code known or not (``covers`` when it
        is). A firm without one (a 开发区, which has no division code, or a blank county) is
        decided by, in turn: its credit code's registering division (91320481… → 溧阳市; one
        registered at a city, 91320400…, is the unit's when the unit is that city, not when
        the unit is elsewhere, and not decided by it for one of the city's counties); the
        name it is written with, a 开发区/园区 of the unit's area (常州经开区 for 常州市,
        溧阳经济开发区 for 溧阳市) — one of another city's or county's is not, one named by
        the city around the unit's county tells nothing (常州滨江经济开发区 for 新北区);
        failing those, a firm already in this database counts as the unit's (its county
        left blank here), a new one does not (the row says why; the officer may take it
        in)."""
        if not self.divisions or county_code:
            return self.covers(county_code)
        by_code = self.told_by_credit_code(credit_code or "")
        if by_code is not None:
            return by_code
        by_name = self.told_by_zone_name(county_name or "")
        if by_name is not None:
            return by_name
        return existing

    def told_by_credit_code(self, credit_code: str) -> bool | None:
        """covers_firm's first step: what the registering division (positions 3–8) of a
        credit code tells; None when it does not (a code registered at the unit's city).
        Reads no more than its first 8 characters (tiers.queries.unit_scope asks per
        prefix)."""
        county = reference.county_of_credit_code(credit_code) if credit_code else None
        if county is not None:
            return self.covers(county[0])
        city = registered_city(credit_code)
        if city is None:
            return None
        if city.code in self.codes:
            return True
        if any(self._city_of(code) == city.code for code in self.codes):
            return None  # registered at the city: which of its counties is not told
        return False

    def told_by_zone_name(self, name: str) -> bool | None:
        """covers_firm's second step: what the name a firm's county is written with tells
        (a zone of the unit's place, or of another's); None when nothing."""
        name = "".join(name.split())
        if not name:
            return None
        for code in self.codes:
            if any(name.startswith(prefix) for prefix in _area_prefixes(code)):
                return True
        # a zone of another city or county, named by its place; one named by the city
        # around the unit's county (常州滨江经济开发区, 常州国家高新区 for 新北区) lies in
        # one of the city's counties, maybe the unit's: not told (tester28a, 新北区's own
        # zones are all named 常州…), as written_elsewhere reads it
        return False if self.written_elsewhere(None, name) else None

    def written_elsewhere(self, county_code: str | None, county_name: str | None) -> bool:
        """Whether the county a list writes for a row (its 县区 column) is certainly another
        place than the unit's: a county outside them, or a zone named by such a place
        (溧阳经开区 for 金坛区). A zone named by the city around the unit's county (常州国家高新区
        for 金坛区), a name that tells no place, or no unit recorded: False (not told)."""
        if not self.divisions:
            return False
        area = county_code or zone_area(county_name or "")
        if area is None or self.covers(area):
            return False
        return not any(self._city_of(code) == area for code in self.codes)

    @staticmethod
    def _city_of(code: str) -> str | None:
        found = reference.division(code)
        if found is None:
            return None
        return found.code if found.level == "设区市" else found.parent_code


def registered_city(credit_code: str) -> reference.Division | None:
    """The 设区市 whose bureau registered a credit code (its region's first four digits),
    when it is one; None for a code too short or not digits there."""
    region = credit_code[2:8] if len(credit_code) >= 8 else ""
    city = reference.division(region[:4] + "00") if region.isdigit() else None
    return city if city is not None and city.level == "设区市" else None


@lru_cache(maxsize=1)
def _areas_by_prefix() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for item in reference.divisions():
        if item.current and item.level in ("县级", "设区市"):
            for prefix in _area_prefixes(item.code):
                found.setdefault(prefix, []).append(item.code)
    return {prefix: tuple(codes) for prefix, codes in found.items()}


def _place_at_start(text: str, city: str | None = None) -> tuple[str, int] | None:
    """The division whose name (or short name) begins ``text``, the longest that fits, and
    its length; within ``city`` when given; None when none, or several, fit."""
    table = _areas_by_prefix()
    for length in range(min(len(text), 12), 1, -1):
        codes = table.get(text[:length], ())
        if city is not None:
            codes = tuple(c for c in codes if UnitCounties._city_of(c) == city and c != city)
        if len(codes) == 1:
            return codes[0], length
        if codes:
            return None
    return None


@lru_cache(maxsize=4096)
def zone_area(name: str) -> str | None:
    """The division a 开发区/园区 (or a county) is in by how its name begins: the county
    (溧阳经开区 → 320481, 常州市金坛经开区 → 320413), else the 设区市 (常州经开区 → 320400);
    None when its name begins with no place (高新区)."""
    text = "".join(name.split())
    found = _place_at_start(text)
    if found is None:
        return None
    code, length = found
    place = reference.division(code)
    if place is not None and place.level == "设区市":
        inner = _place_at_start(text[length:], code)
        if inner is not None:
            return inner[0]
    return code


def firm_area(county_code: str | None, county_name: str | None,
              credit_code: str | None = None) -> str | None:
    """The division a firm is in as far as told: its county code, else the zone its county
    is written as (zone_area), else its credit code's registering division (a county, or
    the 设区市 for one registered at the city); None when nothing tells."""
    if county_code:
        return county_code
    if county_name and (area := zone_area(county_name)) is not None:
        return area
    if credit_code:
        county = reference.county_of_credit_code(credit_code)
        if county is not None:
            return county[0]
        city = registered_city(credit_code)
        if city is not None:
            return city.code
    return None


def places_differ(one: str | None, other: str | None) -> bool:
    """Whether two divisions (firm_area's) are certainly apart: both told, neither the
    same nor one the 设区市 of the other."""
    if not one or not other or one == other:
        return False
    return UnitCounties._city_of(one) != other and UnitCounties._city_of(other) != one


def _area_prefixes(code: str) -> tuple[str, ...]:
    """How a zone's name starts when it is of this division: 常州市 / 常州 for 常州市; 溧阳市 /
    溧阳 for 溧阳市 — the short form only where it is not another place's
    (reference.short_name: 淮安区's 淮安 is 淮安市's)."""
    found = reference.division(code)
    if found is None:
        return ()
    short = reference.short_name(code)
    return (found.name, short) if short else (found.name,)


def unit_counties(session: Session) -> UnitCounties:
    """What this database records as its unit's counties (empty when none)."""
    rows = session.execute(select(UnitCounty.code, UnitCounty.name)
                           .order_by(UnitCounty.code)).all()
    return UnitCounties(tuple((code, name) for code, name in rows))


def taken_in(session: Session) -> frozenset[int]:
    """The firms an import took in though the unit's rule left them out (一并导入这些行),
    that import not undone: the officer chose them, so they are the unit's for the lists
    that follow — a 公示 taken in, the final list confirms it (tester28a: it stayed 公示中
    for good, the firm 不导入 in every later list)."""
    found: set[int] = set()
    for counts in session.scalars(select(ImportBatch.counts).where(
            ImportBatch.undone_at.is_(None), ImportBatch.counts.contains(f'"{TAKEN_IN}"'))):
        try:
            ids = json.loads(counts or "{}").get(TAKEN_IN, [])
        except (ValueError, AttributeError):
            continue
        found.update(i for i in ids if isinstance(i, int))
    return frozenset(found)


def resolve_division(text: str) -> tuple[str, str]:
    """(code, name) of a county (溧阳市, 常州市武进区, 320481) or a 设区市 (常州市, 常州, 320400)
    as an officer writes it; ValidationError naming the text otherwise (a province, a 开发区
    without a division code, a typo)."""
    raw = "".join(str(text).split())
    found = reference.division(raw) if raw.isdigit() else None
    if found is not None and found.replaced_by:
        found = reference.division(found.replaced_by) or found
    if found is None and raw:
        cities = [d for d in reference.divisions() if d.level == "设区市" and d.current
                  and raw in (d.name, d.name.removesuffix("市"))]
        if len(cities) == 1:
            found = cities[0]
        else:
            code, _name = reference.resolve_county(raw)
            found = reference.division(code) if code else None
    if found is None or found.level not in ("县级", "设区市"):
        raise ValidationError({"unit_counties": (
            f"“{text}”不是已知的县（市、区）或设区市：请写全称（如 溧阳市、常州市武进区、常州市）"
            "或 6 位行政区划代码")})
    return found.code, found.name


def divisions_written(text: str) -> list[str]:
    """The divisions written in one field (溧阳市、金坛区 → 溧阳市, 金坛区), each to be resolved
    by resolve_division; the client's 设置 and tiers unit --set read them alike."""
    return [part for part in _APART.split(str(text)) if part]


def set_unit_counties(session: Session, texts: Sequence[str]) -> UnitCounties:
    """Record these divisions as the unit's (replacing what was recorded; none: cleared), in
    the caller's transaction; a text may name several (divisions_written). Every one is
    checked first: one not known changes nothing. On a server only an admin may (the
    database's setting, not a county's)."""
    refusal = write_rights(session).admin_refusal(WHAT)
    if refusal:
        raise Refused(refusal)
    resolved = list(dict.fromkeys(resolve_division(part) for text in texts
                                  for part in divisions_written(text)))
    before = unit_counties(session)
    session.execute(delete(UnitCounty))
    session.add_all(UnitCounty(code=code, name=name) for code, name in resolved)
    after = UnitCounties(tuple(resolved))
    if after.divisions != before.divisions:
        # who changed it and when, in the change log (the server stamps the login): on a
        # server an admin's change alters every editor's imports and packages; tiers user
        # log lists it with the logins' changes (unit_changes)
        audit.log(session, entity=ENTITY, entity_id=0, enterprise_id=None, action="update",
                  field_name="divisions", old=[list(d) for d in before.divisions],
                  new=[list(d) for d in after.divisions])
    session.flush()
    return after


@dataclass(frozen=True)
class UnitChange:
    at: dt.datetime  # UTC
    user: str
    before: str  # 溧阳市 / "" (not set)
    after: str


def unit_changes(session: Session) -> list[UnitChange]:
    """Every change of 本单位负责的区县, oldest first: when, by whom, from what to what."""
    rows = session.execute(select(Change.at, Change.user, Change.old_value, Change.new_value)
                           .where(Change.entity == ENTITY).order_by(Change.id)).all()
    return [UnitChange(at, user or "", names_logged(old), names_logged(new))
            for at, user, old, new in rows]
