"""报送情况: which counties have sent packages, when and with how many firms, read from the
packages applied here (those whose import batch was undone do not count)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model.orm import ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.model.reference import division, divisions, industry_bureau, resolve_county, short_name
from tiers.queries.package_conflicts import ConflictFirm, conflict_firms
from tiers.queries.package_owners import (
    is_no_county,
    no_county_label,
    owner_key,
    owner_unit,
    plain_unit,
)
from tiers.storage.write_rights import write_rights


@dataclass
class CountyStatus:
    code: str
    name: str
    sent: bool  # a package applied of the year asked (this year)
    package_date: dt.datetime | None  # of its newest package of that year or before
    applied_at: dt.datetime | None
    firms: int | None
    counts: dict[str, Any] | None  # rows per table of that package
    source_unit: str
    batch_id: int | None
    packages: int  # how many of its packages are in effect (of that year or before)
    # of its newest package's firms, those left unmerged: another county's package brought
    # them here (not counted in ``firms``, the firms imported); those still in conflict
    # when the import recorded them by name (conflict_firms), else as many as it counted
    conflicts: int = 0
    # those firms by name (tiers.queries.package_conflicts); None: the import recorded
    # only their number (made before the names were kept)
    conflict_firms: list[ConflictFirm] | None = None
    # its newest package is another unit's, not one whose name says this county (the city's
    # bureau, a neighbour's): carried, not reported by the county itself (tester26)
    by_other_unit: bool = False

    @property
    def state(self) -> str:
        """状态 as 报送情况 shows it."""
        if self.sent:
            return "他单位带来" if self.by_other_unit else "已报送"
        if self.package_date:
            return "往年他单位带来" if self.by_other_unit else "往年报送"
        return "未报送"

    @property
    def other_unit_line(self) -> str:
        """What 他单位带来 means, under the table."""
        if not self.by_other_unit:
            return ""
        return (f"{self.name}：数据只来自“{self.source_unit}”的数据包（导入批次 {self.batch_id}），"
                f"不是{self.name}自己的单位报送的；{self.name}的数据包导入时接管该县（预览中写明）")

    @property
    def firms_text(self) -> str:
        """企业数 as 报送情况 shows it: 41, or 41（冲突 1）; blank for a county not sent."""
        if self.firms is None:
            return ""
        return f"{self.firms:,}" + (f"（冲突 {self.conflicts:,}）" if self.conflicts else "")

    @property
    def conflict_lines(self) -> list[str]:
        """The conflicts behind 冲突 N in words (the window's tooltip, the command line's
        list under its table): a heading, then each firm with its two counties; of an
        import that kept only their number, where to see them."""
        if not self.conflicts:
            return []
        if self.conflict_firms is None:
            return [f"{self.name}：{self.conflicts:,} 家企业冲突未合并。这次导入只记下了家数，"
                    "未记下是哪些企业：重新预览该区县的这个数据包即可看到（预览不写入）。"]
        return [f"{self.name}：两地都报送了、未合并的企业 {self.conflicts:,} 家"
                "（可能已迁址，请与两地核实）："] + [firm.text for firm in self.conflict_firms]


def latest_package_dates(session: Session) -> dict[str, dt.datetime]:
    """The date of the newest package in effect, per county (per owner key: the firms
    without a county per unit, tiers.queries.package_owners)."""
    latest: dict[str, dt.datetime] = {}
    for code, when, unit in session.execute(in_effect(
            ExchangePackageCounty.county_code, ExchangePackage.package_date,
            ExchangePackage.source_unit)):
        key = owner_key(code, unit)  # (the firms without a county: per sending unit)
        if key not in latest or when > latest[key]:
            latest[key] = when
    return latest


@dataclass(frozen=True)
class Supplier:
    """The package in effect that reports a county: the newest (by its date, then by when it
    was imported), with its unit and import batch."""

    unit: str
    package_date: dt.datetime
    batch_id: int
    file_name: str

    def text(self) -> str:
        """“常州市工业和信息化局”的数据包（金坛区数据包.zip，导入批次 3，报送时间 2026-12-07 05:26）"""
        return (f"“{self.unit}”的数据包（{self.file_name}，导入批次 {self.batch_id}，"
                f"报送时间 {self.package_date:%Y-%m-%d %H:%M}）")


def supplier_packages(session: Session) -> dict[str, Supplier]:
    """The package in effect that reports each county (see Supplier), by owner key (the
    firms without a county: each unit's own, tiers.queries.package_owners)."""
    found: dict[str, Supplier] = {}
    for code, when, unit, batch_id, file_name in session.execute(in_effect(
            ExchangePackageCounty.county_code, ExchangePackage.package_date,
            ExchangePackage.source_unit, ExchangePackage.import_batch_id,
            ExchangePackage.file_name).order_by(ExchangePackage.package_date,
                                                ExchangePackage.id)):
        # (the last is the newest)
        found[owner_key(code, unit)] = Supplier(unit, when, batch_id, file_name)
    return found


def suppliers(session: Session) -> dict[str, str]:
    """The unit whose package in effect is the newest, per county: who reports it (of two
    of the same date, the one imported last: the order of the rows read decided it)."""
    return {code: found.unit for code, found in supplier_packages(session).items()}


def names_county(unit: str, county_code: str | None, county_name: str) -> bool:
    """Whether a 报送单位 is this county's own bureau: the name ``industry_bureau`` gives it
    (常州市武进区工业和信息化局, 溧阳市工业和信息化局) or one of its usual spellings (武进区工业和
    信息化局 without the city, 溧阳工信局), or the county's name alone (what a package sent
    with no unit known names), compared whole. 常州市工业和信息化局 names none of the
    city's counties (tester26: 金坛区's laptop sent 溧阳's firms under it); nor does it name
    淮安区 or 连云区, whose names a part of would be found in 淮安市工业和信息化局, 连云港市工业和
    信息化局 and every neighbour district's bureau of those cities (review26)."""
    return plain_unit(unit) in county_bureaus(county_code, county_name)


_BUREAU_ENDINGS = ("工业和信息化局", "工信局")


def county_bureaus(county_code: str | None, county_name: str) -> set[str]:
    """The names a county's own bureau goes by (see names_county)."""
    found = division(county_code) if county_code else None
    county = found.name if found is not None else county_name
    if not county:
        return set()
    city = division(found.parent_code) if found is not None else None
    stems = {county}
    if city is not None and city.level == "设区市":
        stems.add(f"{city.name}{county}")  # 常州市武进区 (and 常州市溧阳市, as some write it)
    # 溧阳工信局 for 溧阳市: a county-level city or a county by its short form, where that is
    # not another place's (reference.short_name, the rule zones' names go by too); a
    # district never (淮安 is 淮安市's, 武进 is not written alone for 武进区 by the
    # province's lists either)
    own = found.code if found is not None else resolve_county(county)[0] or ""
    if county[-1] in "市县" and short_name(own):
        stems.add(short_name(own))
    names = {f"{stem}{ending}" for stem in stems for ending in _BUREAU_ENDINGS}
    # the county's name alone, as a package sent with no unit known says it (export_package
    # writes its counties' names): 武进区, 常州市武进区
    names |= {stem for stem in stems if stem[-1] in "市区县"}
    proposed = industry_bureau([county_code]) if county_code else ""
    if proposed:
        names.add(plain_unit(proposed))
    return names


def in_effect(*columns: Any) -> Any:
    """SELECT ``columns`` over each county of each package whose import batch stands (was
    not undone): the packages in effect, the one join 报送情况 and an undo read them by."""
    return (select(*columns)
            .join(ExchangePackage, ExchangePackage.id == ExchangePackageCounty.package_id)
            .join(ImportBatch, ImportBatch.id == ExchangePackage.import_batch_id)
            .where(ImportBatch.undone_at.is_(None)))


def city_counties(city_code: str) -> list[tuple[str, str]]:
    """The current counties of a 设区市 (code, name), from resources/divisions.csv."""
    return [(d.code, d.name) for d in divisions()
            if d.level == "县级" and d.current and d.parent_code == city_code]


def package_status(session: Session, *, city_code: str | None = None,
                   year: int | None = None) -> list[CountyStatus]:
    """One line per county: the city's counties (sent or not), and any other county a
    package came from. ``year``: what counts as sent (default: this year). A county's line
    is its newest package of that year (sent), else its newest before it (往年报送); a
    package dated after the year is not counted (looking back at last year, a county
    that has sent again since was still shown as not sent that year)."""
    year = year or dt.date.today().year
    rows = session.execute(in_effect(
        ExchangePackageCounty.county_code, ExchangePackageCounty.county_name,
        ExchangePackageCounty.firms, ExchangePackage.package_date, ExchangePackage.counts,
        ExchangePackage.source_unit, ImportBatch.id.label("batch_id"),
        ImportBatch.created_at, ImportBatch.counts.label("batch_counts")).order_by(ExchangePackage.package_date, ExchangePackage.id)).all()
    # per owner key: a county, or the firms without a county of one sending unit (each
    # unit's own line: 溧阳's 开发区 firms are not 金坛's, tiers.queries.package_owners)
    newest: dict[str, Any] = {}
    packages: dict[str, int] = {}
    for row in rows:
        if row.package_date.year > year:
            continue
        key = owner_key(row.county_code, row.source_unit)
        newest[key] = row  # ordered by date: the last is the newest
        packages[key] = packages.get(key, 0) + 1
    wanted = city_counties(city_code) if city_code else []
    reads = write_rights(session).reads
    if reads is not None:  # a viewer of some counties: his lines only (the server shows
        wanted = [(code, name) for code, name in wanted if code in reads]  # him no other)
    names = dict(wanted)
    keys = [code for code, _ in wanted] + sorted(
        set(newest) - set(names), key=lambda key: (is_no_county(key), key))
    result = []
    for key in keys:
        row = newest.get(key)
        if row is None:
            result.append(CountyStatus(key, names[key], False, None, None, None, None, "",
                                       None, 0))
            continue
        code = row.county_code
        no_county = is_no_county(key)
        # (the unit's own name: a county's bureau one line under any spelling it sent as)
        name = no_county_label(owner_unit(key)) if no_county else (
            names.get(code) or row.county_name)
        result.append(CountyStatus(
            code, name, row.package_date.year == year,
            row.package_date, row.created_at, row.firms, json.loads(row.counts),
            row.source_unit, row.batch_id, packages[key], _conflicts(row.batch_counts, code),
            # (the firms without a county are the sending unit's own, whoever it is)
            by_other_unit=bool(row.source_unit) and not no_county and not names_county(
                row.source_unit, code, name)))
    named = conflict_firms(session, {key: line.batch_id for key, line in zip(
        keys, result, strict=True) if line.batch_id is not None})
    for key, line in zip(keys, result, strict=True):
        if key in named:
            line.conflict_firms = named[key]
            line.conflicts = len(line.conflict_firms)
        elif not line.conflicts:
            line.conflict_firms = []  # (none to name)
    return result


def _conflicts(batch_counts: str | None, county: str) -> int:
    """The firms of ``county`` the package's import left in conflict (its batch's counts)."""
    try:
        counts = json.loads(batch_counts or "{}")
    except ValueError:
        return 0
    found = counts.get("conflicts_by_county") if isinstance(counts, dict) else None
    value = found.get(county, 0) if isinstance(found, dict) else 0
    return value if isinstance(value, int) else 0


# 报送情况 read in a database that has imported no package (a county's own, most often):
# every county, its own too, stood as 未报送 with nothing saying this is the city's view
NO_PACKAGES_HINT = ("本库还没有导入过任何区县的数据包。报送情况是市里汇总各区县数据包后看的；"
                    "如果本库是区县库，请用“导出数据包”把本县数据报送市里，不必看这里。")


def no_packages_imported(lines: list[CountyStatus]) -> bool:
    """Whether none of the lines has a package in effect (of any year)."""
    return bool(lines) and not any(line.package_date for line in lines)


def city_of_database(session: Session) -> str | None:
    """The 设区市 whose counties hold most of this database's firms and packages (a city's
    database holds its own counties), or None when no county is known."""
    from sqlalchemy import func

    from tiers.model.orm import Enterprise
    from tiers.model.reference import division

    weights: dict[str, int] = {}
    counties = session.execute(select(Enterprise.county_code, func.count())
                               .where(Enterprise.county_code.is_not(None))
                               .group_by(Enterprise.county_code)).all()
    counties += [(code, 1) for code in latest_package_dates(session)]
    for code, count in counties:
        found = division(code) if code else None
        if found is not None and found.parent_code:
            weights[found.parent_code] = weights.get(found.parent_code, 0) + count
    return max(weights, key=lambda city: weights[city]) if weights else None


def receives_packages(session: Session) -> bool:
    """Whether packages (数据包) have been applied here: a city's database, not a county's."""
    return session.execute(select(ExchangePackage.id).limit(1)).first() is not None


def counties_with_firms(session: Session) -> list[tuple[str, str, int]]:
    """The counties this database holds live firms of (code, name, firms), for choosing
    what a package carries; firms without a county count under the code ""."""
    from sqlalchemy import func

    from tiers.model.orm import Enterprise

    rows = session.execute(select(Enterprise.county_code, func.max(Enterprise.county_name),
                                  func.count()).where(Enterprise.deleted_at.is_(None))
                           .group_by(Enterprise.county_code)).all()
    # the firms without a code (开发区 of several names, blanks) as one: （未填区县）, as the
    # package's manifest names them, not the one zone's name that sorts last
    found: dict[str, tuple[str, int]] = {}
    for code, name, count in rows:
        key = code or ""
        label = (name or code) if key else "（未填区县）"
        found[key] = (label, found.get(key, ("", 0))[1] + count)
    return sorted(((code, name, count) for code, (name, count) in found.items()),
                  key=lambda row: (row[0] == "", row[0]))


# what a proposed unit was inferred from (unit_proposal's second value)
FROM_PACKAGES = "packages"  # the database receives packages: the city's
FROM_CHOSEN = "chosen"  # the counties chosen (a report's --county, a package's counties)
FROM_FIRMS = "firms"  # the counties of the database's own firms
FROM_UNIT = "unit"  # the counties recorded as the unit's own (本单位负责的区县, tiers unit)


def proposed_unit(session: Session, counties: Sequence[str] = ()) -> str:
    """The 报送单位 / 填报单位 proposed for this database when none is remembered for it (the
    export of reports and of packages both ask here, on the runner): the bureau of the
    counties its live firms are in, by their division codes (tiers.model.reference
    .industry_bureau); a database that receives packages is the city's. "" when the
    counties do not tell one bureau (none, or several cities).

    By the codes, not the names the firms show: 鼓楼区 is a county of 南京 and of 徐州, and
    a name alone named no bureau in one dialog while the other, by the code, proposed it."""
    return unit_proposal(session, counties)[0]


def unit_proposal(session: Session, counties: Sequence[str] = ()) -> tuple[str, str]:
    """``proposed_unit`` and what it was inferred from (FROM_UNIT, FROM_PACKAGES, FROM_CHOSEN
    or FROM_FIRMS), for the line that says so: a city's database asked for 溧阳市 proposes the
    city's bureau because it receives packages, not by the county chosen (tester26)."""
    chosen_codes = [code for code in counties if code]
    chosen = bool(chosen_codes)
    recorded = _bureau_of_unit(session)
    if recorded and (not chosen or _unit_covers(session, chosen_codes)):
        # the unit recorded sends its own counties, one of them or all (a city's database
        # sending 溧阳's package is the city's bureau's, not 溧阳's)
        return recorded, FROM_UNIT
    receives = receives_packages(session)
    if receives:
        own = entered_own_counties(session, counties)
        if own:  # a county's database that took in a neighbour's package: its own bureau
            return industry_bureau(own), FROM_CHOSEN if chosen else FROM_FIRMS
    if not counties:  # none chosen (a report, a package of all): the database's own
        counties = [code for code, _name, _firms in counties_with_firms(session) if code]
        if not receives:
            # a county's laptop keeps the neighbours' firms the province's lists bring in:
            # those counties are not its own, and named the city's bureau (tester26)
            from tiers.queries.list_counties import own_of

            counties = own_of(session, counties)
    unit = industry_bureau(sorted(set(counties)), receives_packages=receives)
    return unit, (FROM_PACKAGES if receives else FROM_CHOSEN if chosen else FROM_FIRMS)


def _unit_covers(session: Session, codes: Sequence[str]) -> bool:
    """Every one of these counties is the recorded unit's (本单位负责的区县)."""
    from tiers.services.unit import unit_counties

    unit = unit_counties(session)
    return unit.is_set and all(unit.covers(code) for code in codes)


def _bureau_of_unit(session: Session) -> str:
    """The bureau of the counties recorded as this database's unit's (tiers.services.unit):
    a county's or district's bureau for one county, its city's for several counties of
    one city or for the 设区市 itself; "" when none is recorded or they name no one
    bureau (several cities)."""
    from tiers.model.reference import division
    from tiers.services.unit import unit_counties

    codes = unit_counties(session).codes
    if not codes:
        return ""
    found = [division(code) for code in codes]
    if len(found) == 1 and found[0] is not None and found[0].level == "设区市":
        return f"{found[0].name}工业和信息化局"
    return industry_bureau(list(codes))


def proposed_unit_for(session: Session, *, county: str | None = None,
                      firm_ids: Sequence[int] | None = None) -> str:
    """``unit_proposal_for``'s unit."""
    return unit_proposal_for(session, county=county, firm_ids=firm_ids)[0]


def unit_proposal_for(session: Session, *, county: str | None = None,
                      firm_ids: Sequence[int] | None = None) -> tuple[str, str]:
    """The 填报单位 / 发出单位 proposed for a report or a 采集表 of ``county`` (a name or a
    division code, as the reports' filter takes it) or of these firms, and what it was
    inferred from (``unit_proposal``): the bureau of the
    counties the report is for (``proposed_unit`` with them: 溧阳市工业和信息化局 for 溧阳市,
    a district's with its city's name), not of every county the database holds. A county's
    database keeps the other counties' firms that province lists bring in, and proposed the
    city's bureau under a 溧阳市… title (tester25). With no county told (none chosen, a
    unit without a code such as a 开发区, firms without a county), the database's own."""
    counties: list[str] = []
    if county:
        code, _name = resolve_county(county)
        counties = [code] if code else []
    elif firm_ids:
        from sqlalchemy import func

        from tiers.model.orm import Enterprise

        wanted = list(dict.fromkeys(firm_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), _IDS_AT_ONCE):
            found.update(code for (code,) in session.execute(
                select(func.distinct(Enterprise.county_code)).where(
                    Enterprise.id.in_(wanted[start:start + _IDS_AT_ONCE]))) if code)
        counties = sorted(found)
    return unit_proposal(session, counties)


_IDS_AT_ONCE = 5000  # firm ids per IN (…): far below SQLite's and psycopg's limits


def entered_own_counties(session: Session, chosen: Sequence[str]) -> list[str]:
    """In a database that has applied packages, the counties it reports itself, when it is
    a county's that took in a neighbour's package (by mistake, or to look at it): the
    counties of the firms entered here (no package brought them), none of which a package
    in effect reports, while firms a package brought are here too. Those ``chosen`` if all
    are such counties; with none chosen, its one such county. [] otherwise: the city's
    (whose own entries, a roster imported here, lie in the counties the packages report,
    or in several). 溧阳's database that imported 新北's package proposed 常州市工业和信息化局
    for 溧阳's own package (tester24)."""
    from sqlalchemy import func

    from tiers.model.orm import Enterprise

    live = Enterprise.deleted_at.is_(None)
    entered = {code for (code,) in session.execute(
        select(Enterprise.county_code).distinct().where(
            live, Enterprise.source_package_id.is_(None), Enterprise.county_code.is_not(None)))}
    if not entered or entered & set(latest_package_dates(session)):
        return []
    if not session.scalar(select(func.count()).select_from(Enterprise).where(
            live, Enterprise.source_package_id.is_not(None))):
        return []
    wanted = {code for code in chosen if code}
    if wanted:
        return sorted(wanted) if wanted <= entered else []
    return sorted(entered) if len(entered) == 1 else []
