"""本单位负责的区县: the divisions this database's own unit answers for, recorded in the
database itself (table unit_county), so that the client and the CLI read the same.

On a server an editor's import already leaves other counties' firms out (WriteRights). A
county officer's laptop database has no logins: a province-wide list imported there brought
every county's firms in. With the unit's counties recorded, an import leaves the rows of
firms outside them out (不导入（不属本单位区县）, importers.plan.scope) unless the officer
takes them in. A 设区市 stands for all its counties (a city's database). None recorded:
nothing is left out, as before. Packages are not concerned: a city takes in its counties'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tiers.errors import Refused
from tiers.model import reference
from tiers.model.orm import UnitCounty
from tiers.services.errors import ValidationError
from tiers.storage.write_rights import write_rights

WHAT = "设置本单位负责的区县"


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


def unit_counties(session: Session) -> UnitCounties:
    """What this database records as its unit's counties (empty when none)."""
    rows = session.execute(select(UnitCounty.code, UnitCounty.name)
                           .order_by(UnitCounty.code)).all()
    return UnitCounties(tuple((code, name) for code, name in rows))


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


def set_unit_counties(session: Session, texts: Sequence[str]) -> UnitCounties:
    """Record these divisions as the unit's (replacing what was recorded; none: cleared), in
    the caller's transaction. Every text is checked first: one not known changes nothing.
    On a server only an admin may (the database's setting, not a county's)."""
    refusal = write_rights(session).admin_refusal(WHAT)
    if refusal:
        raise Refused(refusal)
    resolved = list(dict.fromkeys(resolve_division(text) for text in texts if str(text).strip()))
    session.execute(delete(UnitCounty))
    session.add_all(UnitCounty(code=code, name=name) for code, name in resolved)
    session.flush()
    return UnitCounties(tuple(resolved))
