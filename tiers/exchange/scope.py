"""Which counties a package (and a report without a county) is of by default.

A county's laptop keeps other counties' firms that the province's and the city's lists
bring in (the 2025 创新型 list of all 常州市 holds 溧阳's firms too). A package of every
county in it, under 常州市工业和信息化局, reached the city before 溧阳's own and had 溧阳's
own package refused there (tester26). So the counties whose every firm came from such a
list are not this database's own, and where the own counties are not one, nobody guesses:
the export asks which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tiers.exchange.writer import NO_COUNTY
from tiers.queries.list_counties import list_only_counties


@dataclass(frozen=True)
class LeftOut:
    """One line on what a package's default scope leaves out (PackageScope.left_out)."""

    text: str
    no_county: bool = False  # the firms without a county (how to add them: --county none)


TAKEN_IN_NAMED = 3  # firms taken in named in the note (the officer looks them up)


@dataclass(frozen=True)
class TakenIn:
    """The firms of one county (NO_COUNTY: without one) an import took in though outside
    the unit's counties (taken_in_by_county): how many, and the first few names."""

    firms: int
    names: tuple[str, ...]


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
    # the firms imports took in (一并导入这些行), by county: taken_in_by_county
    taken_in: dict[str, TakenIn] = field(default_factory=dict)

    @property
    def must_ask(self) -> bool:
        """Several counties and none of them known to be this database's: ask which."""
        return self.default is not None and not self.default and bool(self.counties)

    @property
    def ask_reason(self) -> str:
        """Why the export asks which counties (must_ask), without what to do: each face
        adds its own (tick them; --county)."""
        if not self.must_ask:
            return ""
        if self.by_unit:
            return f"本单位负责的区县（{self.unit_names}）在库中没有企业，不知道要报送哪个"
        return "库中有几个县（市、区）的企业，本库不是市级库，不知道要报送哪个"

    def left_out(self, chosen: Sequence[str] | None = None) -> list[LeftOut]:
        """What the default (or the counties ``chosen`` since) leaves out, in words: the
        other counties' firms by county (those only from lists so marked: their own county
        sends them), and the firms without a county as such (they are not another
        county's); each face adds how to send them too. None when the default is all (the
        city's database) or when it asks."""
        if not self.default:
            return []
        chosen = set(self.default if chosen is None else chosen)
        others = [f"{name} {firms:,} 家" + ("（只从上级名单导入）" if code in self.from_lists else "")
                  for code, name, firms in self.counties
                  if code and code not in chosen and code not in self.default]
        own = [f"{name} {firms:,} 家" for code, name, firms in self.counties
               if code and code not in chosen and code in self.default]
        blank = [firms for code, _name, firms in self.counties
                 if code == NO_COUNTY and code not in chosen]
        said = []
        if own:  # (unticked since)
            said.append(LeftOut(f"未导出{self.own_area}的企业：" + "、".join(own)))
        if others:
            said.append(LeftOut(f"未导出{self.own_area}以外的企业："
                                + "、".join(others)))
        if blank:
            said.append(LeftOut(f"未导出未填区县的企业 {blank[0]:,} 家", no_county=True))
        return said

    def carried(self, chosen: Sequence[str]) -> str:
        """The line on the counties chosen beyond the default's (a neighbour's firms from
        the province's lists): the package carries them under this database's unit, and at
        the city they stay the neighbour's to report (review27: under the neighbour's own
        bureau they counted as its report). "" when none, or when the default is all or
        not known."""
        if not self.default:
            return ""
        names = [name for code, name, _firms in self.counties
                 if code and code in chosen and code not in self.default]
        if not names:
            return ""
        return (f"{'、'.join(names)}不是{self.own_area}：数据包以本单位的名义带上，市里记为“他单位带来”，"
                f"不替换{'、'.join(names)}自己报送的数据")

    def taken_in_note(self, chosen: Sequence[str] | None = None) -> str:
        """The line on the firms a package of ``chosen`` (None: every county) sends as this
        unit's own though an import took them in from another unit's list (一并导入这些行:
        the unit's rule had left them out): how many, where, the first few names, and that
        the city takes them as this unit's. Not those of a county ticked beyond the default
        (``carried`` says the city keeps that county's firms apart). Each face adds what to
        do if they are not the unit's. "" when there are none. (With nothing ticked by
        default, the counties ticked are not the unit's either: the city keeps them apart.)"""
        codes = [code for code, _name, _firms in self.counties] if chosen is None else chosen
        own = [code for code in dict.fromkeys(codes) if code in self.taken_in
               and not (self.default is not None and code and code not in self.default)]
        if not own:
            return ""
        names = {code: name for code, name, _firms in self.counties}
        names[NO_COUNTY] = "未填区县"
        where = "、".join(f"{names.get(code, code)} {self.taken_in[code].firms:,} 家"
                          for code in own)
        firms = sum(self.taken_in[code].firms for code in own)
        named = [name for code in own for name in self.taken_in[code].names][:TAKEN_IN_NAMED]
        whose = self.own_area if self.default else "本单位"
        return (f"所导出的企业中有 {firms:,} 家是导入名单时“一并导入”的，当时不能认定属于本单位的区县"
                f"（{where}，如{'、'.join(named)}{'等' if firms > len(named) else ''}）："
                f"数据包以本单位的名义报送，市里会把它们当作{whose}的企业")

    @property
    def own_area(self) -> str:
        """The counties the default is of, as the messages name them: 本单位负责的区县（常州市）
        with a unit recorded (a city, several counties), else 本县（金坛区）."""
        if self.by_unit:
            return f"本单位负责的区县（{self.unit_names}）"
        names = [name for code, name, _firms in self.counties
                 if code and self.default and code in self.default]
        return f"本县（{'、'.join(names)}）" if len(names) == 1 else f"本库的区县（{'、'.join(names)}）"

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
    taken = taken_in_by_county(session)
    if unit.is_set:  # recorded (tiers unit, 设置): the unit's own counties, nothing guessed
        return PackageScope(counties, _with_no_county(
            [code for code, _name, _firms in counties if code and unit.covers(code)], counties),
            sorted(list_only_counties(session)), by_unit=True, unit_names=unit.names,
            taken_in=taken)
    if receives_packages(session):
        own = entered_own_counties(session, [])
        if not own:
            return PackageScope(counties, None, taken_in=taken)
        return PackageScope(counties, _with_no_county(own, counties), taken_in=taken)
    from_lists = list_only_counties(session)
    coded = [code for code, _name, _firms in counties if code]
    own_codes = [code for code in coded if code not in from_lists]
    if len(coded) <= 1:  # one county (or none known): all of it, as always
        return PackageScope(counties, None, sorted(from_lists), taken_in=taken)
    if len(own_codes) == 1:
        return PackageScope(counties, _with_no_county(own_codes, counties), sorted(from_lists),
                            taken_in=taken)
    return PackageScope(counties, [], sorted(from_lists), taken_in=taken)


def taken_in_by_county(session: Session) -> dict[str, TakenIn]:
    """The firms an import took in though the unit's rule left them out (一并导入这些行,
    tiers import --other-counties or --take-row: recorded in the import batch's counts,
    tiers.services.unit.taken_in, while that import is not undone), out of the recycle bin,
    by the county a package sends them under (NO_COUNTY: without a county code), the first
    few names of each in the order they were created. A firm since given one of the unit's
    counties is its own and not counted."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services.unit import taken_in, unit_counties

    ids = taken_in(session)
    if not ids:
        return {}
    unit = unit_counties(session)
    counts: dict[str, int] = {}
    names: dict[str, list[str]] = {}
    for code, name in session.execute(
            select(Enterprise.county_code, Enterprise.name)
            .where(Enterprise.id.in_(sorted(ids)), Enterprise.deleted_at.is_(None))
            .order_by(Enterprise.id)):
        if code and unit.is_set and unit.covers(code):
            continue
        key = code or NO_COUNTY
        counts[key] = counts.get(key, 0) + 1
        if len(names.setdefault(key, [])) < TAKEN_IN_NAMED:
            names[key].append(name)
    return {key: TakenIn(firms, tuple(names[key])) for key, firms in counts.items()}


def _with_no_county(default: list[str], counties: list[tuple[str, str, int]]) -> list[str]:
    """The own counties and, when there are any, the firms without a county; none own:
    nothing ticked (the export asks)."""
    if default and any(code == NO_COUNTY for code, _name, _firms in counties):
        return [*default, NO_COUNTY]
    return default


@dataclass(frozen=True)
class PackageSender:
    """The 报送单位 proposed for a package (package_sender): ``unit`` ("" when not known) and
    what it was inferred from (``reason``: tiers.exchange.status's FROM_UNIT, FROM_PACKAGES,
    FROM_FIRMS or FROM_CHOSEN)."""

    unit: str
    reason: str


def package_sender(session: Session, counties: Sequence[str] = ()) -> PackageSender:
    """Who sends a package of ``counties`` from this database: the unit whose database it
    is, whichever counties it carries. A county's laptop that ticked a neighbour's county
    proposed the neighbour's own bureau, and at the city that package then counted as the
    neighbour's own report, replacing (or taking over) its data (review27). So: the bureau
    of the unit recorded (本单位负责的区县); else, in a database that receives packages, its
    own county's (a county's database that took in a neighbour's package) or the city's;
    else the bureau of the database's own county (its firms' county, those only from
    lists left out). Where its own counties are several, the chosen ones of them (the
    officer's ticks tell which is his), and "" when none of them is chosen: the export asks
    rather than writing another county's bureau. A report's 填报单位 is of the counties it
    is for: tiers.exchange.status.unit_proposal, not this."""
    from tiers.exchange.status import (
        FROM_CHOSEN,
        FROM_FIRMS,
        FROM_PACKAGES,
        FROM_UNIT,
        _bureau_of_unit,
        counties_with_firms,
        entered_own_counties,
        receives_packages,
    )
    from tiers.model.reference import industry_bureau

    recorded = _bureau_of_unit(session)
    if recorded:
        return PackageSender(recorded, FROM_UNIT)
    coded = [code for code, _name, _firms in counties_with_firms(session) if code]
    chosen = [code for code in counties if code]
    if receives_packages(session):
        own = entered_own_counties(session, [])
        if own:
            return PackageSender(industry_bureau(own), FROM_FIRMS)
        return PackageSender(industry_bureau(coded or chosen, receives_packages=True),
                             FROM_PACKAGES)
    from_lists = list_only_counties(session)
    own = coded if len(coded) <= 1 else [code for code in coded if code not in from_lists]
    if len(own) == 1:
        return PackageSender(industry_bureau(own), FROM_FIRMS)
    mine = [code for code in chosen if code in own]
    return PackageSender(industry_bureau(mine) if mine else "", FROM_CHOSEN)


def own_package_units(session: Session, counties: Sequence[str], unit: str) -> set[str]:
    """The 报送单位 of an existing package file this database may replace with its package
    of ``counties`` under ``unit`` (tiers.outputs: only a package of one is replaced): the
    unit written now (the counties' names when none), and the sender proposed for these
    counties and for the database's own, as an earlier export without --unit or with
    other counties wrote. Never the bureau of a county it only carries: a package received
    from that county under the same file name is the county's, not this database's."""
    from tiers.exchange.writer import package_unit

    found = {package_unit(session, counties=counties, source_unit=unit),
             package_sender(session, counties).unit, package_sender(session).unit}
    return {name for name in found if name}


@dataclass(frozen=True)
class ListedNeighbours:
    """A report of a county's database lists the other counties' firms that only the
    province's lists brought in (listed_neighbours)."""

    text: str  # 表中含只从上级名单导入的外县企业（溧阳市 2 家）
    own: list[tuple[str, str]]  # the database's own counties (code, name) to choose instead


def listed_neighbours(session: Session) -> ListedNeighbours | None:
    """In a county's database, whether a report of every firm (no county chosen) would list
    the counties whose firms only lists from above brought in and that are not its own (金坛区's
    roster listed 溧阳's 50 firms under 金坛区's stamp: tester26), with its own counties to
    choose instead; None when there are none (the city's database; a unit recorded as the
    city, whose counties those are), or when the unit is recorded: its reports are of its
    own firms then."""
    scope = package_scope(session)
    if scope.default is None or not scope.from_lists or scope.by_unit:
        # by_unit: a report leaves them out by default (tiers.queries.unit_scope.left_out
        # says so)
        return None
    own = set(scope.default)
    listed = [(code, name, firms) for code, name, firms in scope.counties
              if code and code in scope.from_lists and code not in own]
    if not listed:
        return None
    return ListedNeighbours(
        "表中含只从上级名单导入的外县企业（"
        + "、".join(f"{name} {firms:,} 家" for _code, name, firms in listed) + "）",
        [(code, name) for code, name, _firms in scope.counties if code and code in own])
