"""The firms a report (and the 工作台) is of: with 本单位负责的区县 recorded, by default the
unit's — its counties' firms, and the firms without a county code (a 开发区, a blank county)
that the unit's rule places in it (UnitCounties.covers_firm, as for a firm already in the
database), and the firms an import took in (一并导入这些行, tiers.services.unit.taken_in: the
officer's choice, the unit's for the lists that follow, so for the reports too — a later
list confirmed such a firm while the report said “未含武进区 1 家”). A county's laptop keeps other counties' firms that lists imported before the
unit was set brought in; 新北区's 汇总表 counted a 溧阳 firm in its totals, and choosing 新北区
left out its own 开发区's firms (tester28a). One rule for every report (tiers.reports.data),
the 工作台 (tiers.queries.dashboard), ``tiers export`` and the 导出报表 dialog.

A county filter then reads (``condition``): none — the unit's (everything when no unit is
recorded, as before); all (ALL_COUNTIES_WORDS) — every firm; none (（未填区县）) — the firms
without a county, those the rule places in the unit when one is recorded; one county — its
firms, and when it is the unit's one county, the unit's firms without a county too (they are
its). ``left_out`` says what the default leaves out, for the faces to add how to take it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.orm import Enterprise
from tiers.model.vocabulary import (
    ALL_COUNTIES_CHOICE,
    NO_COUNTY_CHOICE,
    NO_COUNTY_LABEL,
    means_all_counties,
    means_no_county,
)
from tiers.queries.roster import county_condition
from tiers.services.unit import UnitCounties, taken_in, unit_counties
from tiers.storage.write_rights import write_rights

_LIVE = Enterprise.deleted_at.is_(None)


def _blank():
    return or_(Enterprise.county_code.is_(None), Enterprise.county_code == "")


def _prefix():
    """The part of a credit code the rule reads (told_by_credit_code: positions 1–8)."""
    return func.substr(func.coalesce(Enterprise.credit_code, ""), 1, 8)


def _written():
    return func.coalesce(Enterprise.county_name, "")


def covered_without_county(session: Session, unit: UnitCounties) -> ColumnElement[bool]:
    """The firms without a county code that covers_firm places in the unit (existing: they
    are in the database): their credit code's division says so, or it says nothing and the
    name their county is written with does not place them elsewhere. The rule is asked once
    per credit-code prefix and per name written (a few dozen, binned firms' too: the 回收站
    counts), not per firm; never NULL."""
    prefixes = session.scalars(select(_prefix()).distinct().where(_blank())).all()
    names = session.scalars(select(_written()).distinct().where(_blank())).all()
    said = {prefix: unit.told_by_credit_code(prefix) for prefix in prefixes}
    yes = sorted(prefix for prefix, told in said.items() if told is True)
    told = sorted(prefix for prefix, told in said.items() if told is not None)
    elsewhere = sorted(name for name in names if unit.told_by_zone_name(name) is False)
    return and_(_blank(), or_(_prefix().in_(yes),
                              and_(_prefix().not_in(told), _written().not_in(elsewhere))))


def _unit_codes(session: Session, unit: UnitCounties) -> list[str]:
    """The county codes of the database's firms that are the unit's (covers)."""
    codes = session.scalars(select(Enterprise.county_code).distinct().where(
        Enterprise.county_code.is_not(None), Enterprise.county_code != "")).all()
    return sorted(code for code in codes if unit.covers(code))


def _taken(session: Session) -> ColumnElement[bool]:
    """The firms imports took in (taken_in): the unit's whatever their county."""
    return Enterprise.id.in_(sorted(taken_in(session)))


def unit_condition(session: Session, unit: UnitCounties) -> ColumnElement[bool]:
    """The unit's firms: of its counties, those without a county the rule gives it, and
    those an import took in."""
    return or_(Enterprise.county_code.in_(_unit_codes(session, unit)),
               covered_without_county(session, unit), _taken(session))


def _the_units_county(unit: UnitCounties, county: str) -> bool:
    """Whether ``county`` is the one county the unit is (新北区 for 新北区's laptop): its
    firms without a county are then that county's."""
    if len(unit.codes) != 1:
        return False
    found = reference.division(unit.codes[0])
    return found is not None and found.level == "县级" and (
        reference.resolve_county(county)[0] == unit.codes[0])


def condition(session: Session, county: str | None) -> ColumnElement[bool] | None:
    """The firms a report or the 工作台 of ``county`` (as a county filter reads, see the
    module's note) is of; None: every firm."""
    if county and means_all_counties(county):
        return None
    unit = unit_counties(session)
    if not unit.is_set:
        return county_condition(county) if county else None
    if not county:
        return unit_condition(session, unit)
    if means_no_county(county):
        return or_(covered_without_county(session, unit), and_(_blank(), _taken(session)))
    if _the_units_county(unit, county):
        return unit_condition(session, unit)
    return county_condition(county)


def listed_counties(session: Session, county: str | None = None) -> list[tuple[str, str]]:
    """The counties (code, name) a table by county of the unit lists even where it has no
    firm (a zero row): each county of a 设区市 recorded as the unit, and the counties
    recorded; none for a unit of one county (its table is as it was), none recorded, or a
    county chosen (``county``, a county filter; all counties: the unit's are listed). A
    county viewer on a server is listed the counties he reads only.
    A city's 汇总表 listed only the counties with firms, and whoever sent it on did not
    see that four were missing (tester29)."""
    if county and not means_all_counties(county):
        return []
    found: dict[str, str] = {}
    for code, _ in unit_counties(session).divisions:
        division = reference.division(code)
        if division is None:
            continue
        if division.level == "县级":
            found.setdefault(division.code, division.name)
        elif division.level == "设区市":
            for item in reference.divisions():
                if item.level == "县级" and item.current and item.parent_code == code:
                    found.setdefault(item.code, item.name)
    reads = write_rights(session).reads  # a county viewer on a server: his counties only
    listed = [(code, name) for code, name in found.items() if reads is None or code in reads]
    return listed if len(listed) > 1 else []


@dataclass(frozen=True)
class LeftOut:
    """What a report of the unit (no county chosen) leaves out: the other counties' firms
    (name, firms), and the firms without a county the rule cannot place in the unit."""

    unit_names: str
    others: list[tuple[str, int]]
    uncovered: int

    @property
    def text(self) -> str:
        """本单位负责的区县为新北区：报表默认只含…，未含溧阳市 1 家、…; each face adds how to
        take them in (--county all / the county choice)."""
        parts = [f"{name} {firms:,} 家" for name, firms in self.others]
        if self.uncovered:
            parts.append(f"不能认定属于本单位的{NO_COUNTY_LABEL}企业 {self.uncovered:,} 家")
        return (f"本单位负责的区县为{self.unit_names}：报表默认只含{self.unit_names}的企业及按规则"
                f"属于本单位的{NO_COUNTY_LABEL}企业，未含" + "、".join(parts))


def left_out(session: Session) -> LeftOut | None:
    """What the unit's default scope leaves out of a report; None when no unit is recorded
    or it leaves nothing out."""
    unit = unit_counties(session)
    if not unit.is_set:
        return None
    own = _unit_codes(session, unit)
    taken = _taken(session)
    rows = session.execute(
        select(Enterprise.county_code, func.min(Enterprise.county_name), func.count())
        .where(_LIVE, Enterprise.county_code.is_not(None), Enterprise.county_code != "",
               Enterprise.county_code.not_in(own), ~taken)
        .group_by(Enterprise.county_code).order_by(Enterprise.county_code)).all()
    others = [(name or code, firms) for code, name, firms in rows]
    uncovered = session.scalar(select(func.count()).where(
        _LIVE, _blank(), ~covered_without_county(session, unit), ~taken)) or 0
    if not others and not uncovered:
        return None
    return LeftOut(unit.names, others, uncovered)


@dataclass(frozen=True)
class ReportAreas:
    """What a county choice of a report offers besides the counties (the export dialog's):
    with a unit recorded, the blank choice is the unit's (``default_label``: 本单位（新北区）),
    and （未填区县） and （全部区县，含本单位以外） follow the counties (``extra``); what the
    default leaves out (``left_out``). Nothing recorded: the dialog's own （全部）, no extra."""

    default_label: str = ""
    extra: tuple[str, ...] = ()
    left_out: LeftOut | None = None


def report_areas(session: Session, *, counted: bool = True) -> ReportAreas:
    """The choices, and what the default leaves out unless not ``counted`` (the 工作台 does
    not say it: a count of every firm outside, 0.37 s at 100,000, spared on each refresh)."""
    unit = unit_counties(session)
    if not unit.is_set:
        return ReportAreas()
    return ReportAreas(f"本单位（{unit.names}）", (NO_COUNTY_CHOICE, ALL_COUNTIES_CHOICE),
                       left_out(session) if counted else None)
