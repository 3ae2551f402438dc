"""The plan of a package import, built without writing: which firms and records the
package creates, updates, deletes or leaves unchanged, and which firms conflict.

The rules (docs/exchange_package.md):
- a firm is the same firm by its credit code; a record by its table's natural key
  (tiers.exchange.format) within its firm;
- every row a package writes keeps its provenance: the package and the county it came from
  (``source_package_id``, ``source_county``); rows without provenance were entered here
  and are never changed or deleted by a package (a package record that matches one is
  counted as unchanged, not added twice; a firm entered here keeps its own fields);
- a newer package from a county replaces that county's earlier package data: a record
  that came from the county and is absent now is deleted, a firm is moved to the recycle
  bin (undone with the package's batch like everything else);
- a firm that came from another county's package (not in this package's counties, and not
  in the recycle bin) is a conflict: left as it is, reported with both counties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.errors import Refused
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES, TableSpec
from tiers.exchange.handover import hand_over
from tiers.exchange.merge import merge_updates
from tiers.exchange.own_entries import ENTITY as OWN_ENTITY
from tiers.exchange.own_entries import left_beside_own_entry
from tiers.exchange.plan_types import CHUNK, PackagePlan, RecordUpdate
from tiers.exchange.reader import Package, TableRows
from tiers.exchange.status import (
    in_effect,
    latest_package_dates,
    names_county,
    supplier_packages,
)
from tiers.exchange.written_here import written_here
from tiers.model.names import name_key
from tiers.model.orm import Enterprise, ExchangePackage, ExchangePackageCounty
from tiers.queries.package_owners import (
    is_no_county,
    keys_of,
    no_county_label,
    owned_by,
    owner_key,
    package_units,
    plain_unit,
    row_owner,
    sender_name,
)
from tiers.storage import write_rights

# what the firm's row holds besides its carried columns
_FIRM_STATE = ("id", "deleted_at", "source_package_id", "source_county")


class PackageOutdated(Refused):
    """A package older than the one already applied for one of its counties."""


def plan_package(session: Session, package: Package) -> PackagePlan:
    """What importing the package would do, read in the caller's session. Raises
    PackageOutdated when a county already has a newer package applied."""
    plan = plan_firms(session, package)
    for spec in RECORD_TABLES:
        plan_records(session, plan, spec)
    return plan


def plan_firms(session: Session, package: Package) -> PackagePlan:
    """The plan of the package's firms (its only table read yet may be theirs); the records
    are planned a table at a time after it (plan_records)."""
    refuse_unless_admin(session)
    plan = PackagePlan(package=package)
    scope = plan.scope = own_counties(session, package, plan.problems, plan.takeovers)
    latest = latest_package_dates(session)
    _refuse_older(package, scope, latest)
    # newer than the last package of each county it reports (all have sent one before)
    plan.newer = bool(scope) and all(key in latest and latest[key] < package.package_date
                                     for key in scope)
    table = package.table(ENTERPRISES)
    codes = table.codes
    counties = [county or "" for county in table.values.get("county_code", ("",) * table.count)]
    firms = _existing_firms(session, codes)
    compared = [name for name in ENTERPRISES.columns()[1:] if name in table.columns]
    sent_firms = table.held_rows(compared) if firms else []
    plan.units = package_units(session)
    sourced = _sourced_firms(session, scope, plan.units)
    key_of = keys_of(package.counties, package.source_unit)
    taken = plan.taken
    kept_own = skipped_elsewhere = 0
    units: dict[int, str] = {}  # the 报送单位 of the packages conflicting firms came from
    for index, (code, county) in enumerate(zip(codes, counties, strict=True)):
        existing = firms.get(code)
        if existing is None:
            if key_of.get(county, county) in scope or not county:
                plan.new_firms.append(index)
            else:
                skipped_elsewhere += 1  # the county's own unit reports it
            continue
        plan.firm_ids[code] = existing["id"]
        # whose it is: its county's, or (none) the unit's whose package sent it
        origin = row_owner(existing["source_county"], existing["source_package_id"],
                           plan.units)
        if existing["source_package_id"] is None:
            kept_own += 1  # entered here: its own fields stay; records may be added
            plan.unchanged[ENTERPRISES.name] += 1
        elif origin not in scope and existing["deleted_at"] is None:
            plan.conflicts.append(_conflict(session, package, table.row(index), existing,
                                            units))
            continue
        elif (existing["deleted_at"] is None
              and tuple(map(existing.__getitem__, compared)) == sent_firms[index]):
            plan.unchanged[ENTERPRISES.name] += 1  # (== of every value: same() of each)
            plan.sent_same(ENTERPRISES.entity, existing["id"], existing["id"],
                           existing["source_package_id"])
        else:
            _plan_firm_update(plan, existing, table.row(index), county)
        taken[code] = existing["id"]
    # a firm dropped that another county's package carries (moved there) is handed to it
    plan.firm_deletions.extend(hand_over(session, plan, [
        (firm_id, name, code) for firm_id, name, code in sourced if code not in firms]))
    # binned now, or already (by an earlier package, or an officer here): absent from this
    # package as well, their records are not records the county deleted, and they must be
    # there when the firm is restored (and a package imported twice changes nothing)
    plan.binned = {firm_id for firm_id, _, _ in plan.firm_deletions} | (
        _binned_firms(session) - set(taken.values()))
    if "" in counties:
        _say_whose_no_county(session, plan, counties.count(""))
    if skipped_elsewhere:
        plan.problems.append(f"{skipped_elsewhere} 家新企业属于由其他单位报送的县区，未导入")
    if kept_own and kept_own == len(codes) and written_here(session, package, firms):
        # what a county sees importing the package it wrote (an older one would quietly
        # bring back the recognitions deleted since): said first, as what to do
        plan.problems.insert(0, f"数据包中的 {kept_own} 家企业全部是本库自行录入的（不来自数据包）。"
                             "如果这是本库自己导出的数据包，不必导回本库：数据包用于报送上级，"
                             "导入只会把数据包中有、本库已没有的记录（如导出后删除的认定）重新加回。"
                             "这些企业的基本信息保持本库的，未按数据包覆盖")
    elif kept_own:
        plan.problems.append(f"{kept_own} 家企业是本库自行录入的（不来自数据包），其基本信息保持本库的，"
                             "未按数据包覆盖；数据包中的认定等记录照常比对")
    plan.county_of = dict(zip(codes, counties, strict=True))
    merge_updates(session, plan, ENTERPRISES.entity, ENTERPRISES.name, plan.firm_updates,
                  compared)
    return plan


def _say_whose_no_county(session: Session, plan: PackagePlan, firms: int) -> None:
    """The package's firms without a county are its unit's: said when another unit's are
    here too (the preview's 区县 reads （未填区县） of both, and they once were one county)."""
    table = Enterprise.__table__
    others: dict[str, int] = {}
    for package_id, count in session.execute(
            select(table.c.source_package_id, func.count()).where(
                owned_by(table, {owner_key("", unit) for unit in set(plan.units.values())
                                 if unit != plan.unit}, plan.units),
                table.c.deleted_at.is_(None)).group_by(table.c.source_package_id)):
        unit = sender_name(plan.units[package_id])
        others[unit] = others.get(unit, 0) + count
    if not others:
        return
    unit = plain_unit(plan.package.source_unit)
    canonical = sender_name(plan.unit)  # (a county's bureau under another spelling: named)
    same = f"（即“{canonical}”，换了写法也算同一单位）" if canonical != unit else ""
    plan.problems.append(
        f"未填区县的企业按报送单位区分：本数据包中未填区县的 {firms:,} 家企业是“{unit}”报送的，"
        f"只与“{unit}”{same}先前报送的未填区县企业比对、替换；其他单位报送的未填区县企业（"
        + "、".join(f"“{unit}” {count:,} 家" for unit, count in sorted(others.items()))
        + "）不受影响，两边都报送的同一家企业列为冲突")


def refuse_unless_admin(session: Session) -> None:
    """A package replaces whole counties, at the level that combines them: on a shared
    server only an administrator imports it (an editor's rights stop at their county)."""
    if write_rights.write_rights(session).counties is not None:
        raise Refused("导入数据包需要管理员账号：数据包会替换整个县区报送的数据，"
                      "请由本单位的管理员导入")


def own_counties(session: Session, package: Package, problems: list[str],
                 takeovers: list[str] | None = None) -> set[str]:
    """The package's counties less those whose data in effect another unit sent: a package
    replaces only what its own unit reports, never a neighbour's submission.

    But a county's own bureau takes its county over from a unit that merely carried it: 金坛区's
    laptop sent 溧阳's firms (from the province's lists) under 常州市工业和信息化局; 溧阳's own
    package (溧阳市工业和信息化局) was then refused as a whole at the city, and 报送情况 showed
    溧阳 as reported (tester26). A package whose unit names the county replaces what a unit
    that does not name it sent, like a newer package of the county (the same import batch,
    undone with it; every row keeps the package it came from); one older than that
    unit's is refused, saying what to do."""
    reported_by = supplier_packages(session)
    own = set()
    for county in package.counties:
        key = owner_key(county["code"], package.source_unit)
        found = reported_by.get(key)
        name = county["name"]
        # (the firms without a county are the unit's own: its key is its unit's;
        # a county's own bureau under another spelling is the same sender)
        if found is None or is_no_county(key) \
                or _same_sender(found.unit, package.source_unit, county["code"], name):
            own.add(key)
        elif names_county(package.source_unit, county["code"], name) \
                and not names_county(found.unit, county["code"], name):
            if found.package_date > package.package_date:
                raise PackageOutdated(
                    f"{name}的数据先前由{found.text()}带来。本数据包是{name}自己的单位"
                    f"（{package.source_unit}）报送的，本应接管{name}，但它的报送时间"
                    f"（{package.package_date:%Y-%m-%d %H:%M}）更早，已拒绝，没有写入任何内容："
                    f"请{name}重新导出数据包后再导入"
                    + _undo_warning(session, found.batch_id, county["code"]))
            (problems if takeovers is None else takeovers).append(
                f"{name}的数据先前由{found.text()}带来，那个单位不是{name}的；本数据包是{name}"
                f"自己的单位（{package.source_unit}）报送的，导入后由它接管{name}："
                f"{name}的企业与记录按本数据包更新，先前那个数据包带来而本数据包没有的企业移入回收站"
                "（本市自行录入的不动）。撤销本次导入即恢复原状")
            own.add(county["code"])
        else:
            problems.append(f"{name}的数据由{found.text()}报送，本数据包（{package.source_unit}）"
                            f"不替换它：其中已有的企业列为冲突，新企业不导入")
    return own


def _same_sender(unit: str, other: str, code: str, name: str) -> bool:
    """Whether two 报送单位 are one sender of a county: the same name, or both the county's
    own bureau under two spellings (武进区工信局, 常州市武进区工业和信息化局): compared
    exactly, the county's next package was refused for its whole county (review27).
    Not package_owners.sender (tidy29 looked): that is who a unit is whatever the county
    (the key of the firms without one; a bureau of one current county, any spelling);
    this asks about ``code``'s county only — two spellings are one sender when they are
    its own bureau, not when they are another county's (溧阳's, having carried 武进区's
    firms), and a former county's code counts its former names. (notify's sender is who
    sent a change notice: the same word only.)"""
    return unit == other or (names_county(unit, code, name) and names_county(other, code, name))


def _undo_warning(session: Session, batch_id: int, county: str) -> str:
    """Why undoing the carrier's import batch is not the way out, when it brought other
    counties too: the undo takes the whole batch (review26: the refusal suggested it)."""
    others = [name for code, name in session.execute(
        in_effect(ExchangePackageCounty.county_code, ExchangePackageCounty.county_name)
        .where(ExchangePackage.import_batch_id == batch_id)
        .order_by(ExchangePackageCounty.county_code)) if code != county]
    if not others:
        return ""
    return (f"（不要为此撤销导入批次 {batch_id}：那会把它一并带来的{'、'.join(others)}"
            "的数据也撤销）")


def _refuse_older(package: Package, scope: set[str], latest: dict[str, Any]) -> None:
    """Refuses a package older than the one applied for any of its counties (``latest``:
    the newest package's date per county)."""
    for county in package.counties:
        key = owner_key(county["code"], package.source_unit)
        if key not in scope:
            continue
        applied = latest.get(key)
        if applied is not None and applied > package.package_date:
            raise PackageOutdated(
                f"这个数据包（{county['name']}，{package.package_date:%Y-%m-%d %H:%M:%S}）比已导入的"
                f"（{applied:%Y-%m-%d %H:%M:%S}）旧，已拒绝：较新的数据不会被旧数据覆盖")


def _conflict(session: Session, package: Package, row: dict[str, Any],
              existing: dict[str, Any], units: dict[int, str]) -> dict[str, Any]:
    """A firm another unit's package brought here, in this package too: the message names
    the unit and county of each side (it said “已由溧阳市的数据包报送，溧阳市的数据包中也有”
    of 溧阳's package and 金坛's laptop's: tester26)."""
    from tiers.exchange.writer import county_name
    from tiers.model.orm import ExchangePackage

    names = {c["code"]: c["name"] for c in package.counties}
    here = row.get("county_code") or ""
    there = existing["source_county"] or ""
    counties = [{"code": there, "name": county_name(there, {})},
                {"code": here, "name": names.get(here, county_name(here, {}))}]
    source = existing["source_package_id"]
    if source not in units:
        units[source] = session.scalar(
            select(ExchangePackage.source_unit).where(ExchangePackage.id == source)) or ""
    sender = f"“{units[source]}”" if units[source] else "另一单位"
    firm = f"{existing['name']}（{row['credit_code']}）"
    if there == here == "":  # the firms without a county of two units (tiers.queries
        # .package_owners): each unit's own, and this one sent by both
        counties[0]["name"] = no_county_label(units[source])
        counties[1]["name"] = no_county_label(package.source_unit)
        message = (f"{firm}已由{sender}的数据包作为未填区县的企业报送，"
                   f"本数据包（“{package.source_unit}”报送）中也作为未填区县的企业报送："
                   "两个单位都报了这家企业，未合并，请与两个单位核实后再处理")
    elif there == here:
        message = (f"{firm}已由{sender}的数据包作为{counties[0]['name']}企业报送，"
                   f"本数据包（“{package.source_unit}”报送）中也有：{counties[0]['name']}的数据"
                   f"以{sender}报送的为准，未合并")
    else:
        message = (f"{firm}已由{sender}的数据包作为{counties[0]['name']}企业报送，"
                   f"本数据包（“{package.source_unit}”报送）中作为{counties[1]['name']}企业也有："
                   "两地都报了这家企业（可能已迁址），未合并，请与两地核实后再处理")
    return {"credit_code": row["credit_code"], "name": existing["name"], "counties": counties,
            "message": message}


def firms_here(session: Session, package: Package) -> bool:
    """Whether any of the package's firms is in the database already (read before the
    write lock is taken: what decides how the package is read, not what it writes)."""
    table = Enterprise.__table__
    if session.execute(select(table.c.id).limit(1)).first() is None:
        return False
    codes = package.table(ENTERPRISES).codes
    return any(session.execute(select(table.c.id).where(
        table.c.credit_code.in_(codes[start:start + CHUNK])).limit(1)).first() is not None
        for start in range(0, len(codes), CHUNK))


def _existing_firms(session: Session, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    table = Enterprise.__table__
    if session.execute(select(table.c.id).limit(1)).first() is None:
        return {}  # an empty database (a city's first package): nothing to look up
    columns = [table.c[name] for name in (*ENTERPRISES.columns(), *_FIRM_STATE)]
    names = [column.name for column in columns]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), CHUNK):
        for row in session.execute(select(*columns).where(
                table.c.credit_code.in_(codes[start:start + CHUNK]))).all():
            values = dict(zip(names, row, strict=True))
            found[values["credit_code"]] = values
    return found


def _sourced_firms(session: Session, scope: set[str], units: dict[int, str]
                   ) -> list[tuple[int, str, str]]:
    """The firms that came from these counties' packages (owner keys: the firms without a
    county from its unit's) and are not in the recycle bin."""
    return [tuple(row) for row in session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
        .where(owned_by(Enterprise.__table__, scope, units),
               Enterprise.deleted_at.is_(None)))]


def _binned_firms(session: Session) -> set[int]:
    return set(session.scalars(select(Enterprise.id).where(Enterprise.deleted_at.is_not(None))))


def same(old: Any, new: Any) -> bool:
    if old == new:
        return True
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) == 0
    return False


def _differences(old: dict[str, Any], new: dict[str, Any], columns: Iterable[str]
                 ) -> dict[str, tuple[Any, Any]]:
    return {name: (old[name], new[name]) for name in columns
            if name in new and not same(old[name], new[name])}


def _plan_firm_update(plan: PackagePlan, existing: dict[str, Any], row: dict[str, Any],
                      county: str) -> None:
    changes = _differences(existing, row, ENTERPRISES.columns()[1:])
    if existing["deleted_at"] is not None:
        changes["deleted_at"] = (existing["deleted_at"], None)  # sent again: back from the bin
    if changes:
        if existing["source_county"] != county:
            changes["source_county"] = (existing["source_county"], county)
        plan.firm_updates.append(RecordUpdate(existing["id"], existing["id"], changes,
                                              existing["source_package_id"]))
    else:
        plan.unchanged[ENTERPRISES.name] += 1
        plan.sent_same(ENTERPRISES.entity, existing["id"], existing["id"],
                       existing["source_package_id"])


def natural_key(spec: TableSpec, values: dict[str, Any]) -> tuple[Any, ...]:
    if spec.entity == "former_name":
        return (name_key(values["name"]),)
    return tuple(values.get(name) for name in spec.key)


def _package_keys(spec: TableSpec, records: TableRows) -> Iterable[tuple[Any, ...]]:
    """natural_key of each of the package's rows of the table, from its columns."""
    if spec.entity == "former_name":
        return ((name_key(name),) for name in records.values["name"])
    return zip(*(records.values[name] for name in spec.key), strict=True)


def _repeated(spec: TableSpec, code: str, key: tuple[Any, ...]) -> str:
    """The problem of a row whose key may not repeat and does: the first row is taken."""
    return (f"{spec.member}：信用代码 {code} 的{spec.label}“"
            f"{'、'.join(str(k) for k in key)}”重复，只取第一行")


class NewRecordsByPart:
    """match_records of a table of a plan with no firm here (not plan.taken), a slice of
    the table at a time, as it is read (tiers.exchange.streamed): the rows of the new firms,
    a key that may not repeat taken at its first row and said (plan.problems), in the order
    of the rows, as match_records of the whole table finds them. ``done`` at the end puts
    the table's rows (by their place in the whole table) into the plan."""

    def __init__(self, plan: PackagePlan, spec: TableSpec) -> None:
        if plan.taken:
            raise ValueError("the plan has firms here: match their records whole")
        self.plan, self.spec = plan, spec
        self.seen: set[tuple[str, tuple[Any, ...]]] = set()
        self.rows: list[int] = []  # in the whole table
        self.read = 0  # the rows of the parts before

    def of(self, records: TableRows) -> list[int]:
        """The rows of this part (the next slice of the table) to create, by their place
        in the part."""
        spec, new_codes = self.spec, self.plan.new_codes
        every_firm = len(new_codes) == self.plan.package.table(ENTERPRISES).count
        taken: Iterable[int] = range(records.count)
        if not spec.repeatable:
            keys = list(zip(records.codes, _package_keys(spec, records), strict=True))
            fresh = set(keys)
            if len(fresh) == records.count and self.seen.isdisjoint(fresh):
                self.seen |= fresh
            else:  # row by row, to keep the first and say the others
                taken = []
                for index, (code, key) in enumerate(keys):
                    if (code, key) in self.seen:
                        self.plan.problems.append(_repeated(spec, code, key))
                    else:
                        self.seen.add((code, key))
                        taken.append(index)
        codes = records.codes
        rows = list(taken) if every_firm else [index for index in taken
                                               if codes[index] in new_codes]
        self.rows.extend(index + self.read for index in rows)
        self.read += records.count
        return rows

    def done(self) -> None:
        self.plan.new_records[self.spec.entity] = self.rows
        self.plan.record_updates[self.spec.entity] = []
        self.seen = set()


def plan_records(session: Session, plan: PackagePlan, spec: TableSpec) -> None:
    """One table: the package's rows of the firms it sets, against the firms' records and
    against the records that came from these counties (absent now: deleted)."""
    matched = match_records(session, plan, spec)
    plan.record_deletions[spec.entity] = deleted_records(session, plan, spec, matched)
    count_binned(session, plan, spec)


def count_binned(session: Session, plan: PackagePlan, spec: TableSpec) -> None:
    """The table's records of the firms the plan moves to the recycle bin: they go there
    with them (PackagePlan.binned_records)."""
    binning = sorted(firm_id for firm_id, _, _ in plan.firm_deletions)
    table = spec.model.__table__
    plan.binned_records[spec.name] = sum(
        session.scalar(select(func.count()).select_from(table).where(
            table.c.enterprise_id.in_(binning[start:start + CHUNK]))) or 0
        for start in range(0, len(binning), CHUNK))


def match_records(session: Session, plan: PackagePlan, spec: TableSpec) -> set[int]:
    """The table's new and changed records (read from the database only for the firms here
    already, plan.taken); the ids of the records here that the package's match."""
    records = plan.package.table(spec)
    if not plan.taken:  # (the whole table as one part)
        new = NewRecordsByPart(plan, spec)
        new.of(records)
        new.done()
        return set()
    matched = _compare_rows(session, plan, spec, records, plan.taken, plan.county_of)
    merge_updates(session, plan, spec.entity, spec.name, plan.record_updates[spec.entity],
                  records.columns)
    return matched


def deleted_records(session: Session, plan: PackagePlan, spec: TableSpec, matched: set[int]
                    ) -> list[dict[str, Any]]:
    """The counties' records of the table that the package no longer has (none of them
    ``matched``), whole: their ids first, whole rows then only of those (a dict of each of
    600k records cost seconds, to keep a few)."""
    table = spec.model.__table__
    gone = [record_id for record_id, firm_id in session.execute(
        select(table.c.id, table.c.enterprise_id).where(
            owned_by(table, plan.scope, plan.units))
        ).all() if record_id not in matched and firm_id not in plan.binned
        and firm_id not in plan.handed]  # (handed over to the county that carries them)
    gone.sort()
    deleted: list[dict[str, Any]] = []
    for start in range(0, len(gone), CHUNK):
        deleted.extend(row._asdict() for row in session.execute(select(table).where(
            table.c.id.in_(gone[start:start + CHUNK])).order_by(table.c.id)).all())
    return deleted


def _compare_rows(session: Session, plan: PackagePlan, spec: TableSpec, records: TableRows,
                  taken: dict[str, int], county_of: dict[str, str]) -> set[int]:
    """The table's rows one by one, each of a firm here compared with its records: as
    tuples of the compared values first (one == in C), as dicts only where they differ;
    the ids of the records matched."""
    table = spec.model.__table__
    compared = [c for c in spec.columns()[1:] if c not in spec.key and c in records.columns]
    # (a 培育库 entry's status read even when the package sends none: own_entries)
    own_status = ("status",) if spec.entity == OWN_ENTITY and "status" not in compared \
        and "status" not in spec.key else ()
    names = ("id", "enterprise_id", "source_package_id", "source_county", *compared,
             *(name for name in spec.key if name not in compared), *own_status,
             *(("is_alias",) if spec.entity == "former_name" else ()))
    first = 4  # compared values start here
    after = first + len(compared)
    key_at = [names.index(name) for name in spec.key]
    former = spec.entity == "former_name"
    existing: dict[int, dict[tuple[Any, ...], list[Any]]] = {}
    ids = sorted(taken.values())
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(select(*(table.c[name] for name in names)).where(
                table.c.enterprise_id.in_(ids[start:start + CHUNK])).order_by(table.c.id)
                ).all():
            key = (name_key(row[key_at[0]]),) if former else tuple(row[i] for i in key_at)
            existing.setdefault(row[1], {}).setdefault(key, []).append(row)
    sent = records.held_rows(compared) if existing else []
    created = plan.new_records.setdefault(spec.entity, [])
    updated = plan.record_updates.setdefault(spec.entity, [])
    seen: Counter[tuple[str, tuple[Any, ...]]] = Counter()
    matched: set[int] = set()
    new_codes = plan.new_codes
    for index, (code, key) in enumerate(zip(records.codes, _package_keys(spec, records),
                                            strict=True)):
        firm_id = taken.get(code)
        occurrence = 0
        if firm_id is not None or not spec.repeatable:  # (elsewhere it only adds again)
            occurrence = seen[(code, key)]
            seen[(code, key)] += 1
        if occurrence and not spec.repeatable:
            plan.problems.append(_repeated(spec, code, key))
            continue
        if firm_id is None:
            # a new firm's records; a conflict's, and those of a new firm of a county
            # another unit reports (not created), are left out
            if code in new_codes and code not in plan.firm_ids:
                created.append(index)
            continue
        candidates = existing.get(firm_id, {}).get(key, [])
        if occurrence >= len(candidates):
            if not left_beside_own_entry(plan, spec, records, index, existing.get(firm_id),
                                         names):
                created.append(index)
            continue
        old = candidates[occurrence]
        matched.add(old[0])
        if former and old[-1]:
            # a name remembered here for matching only (FormerName.is_alias, never sent)
            # that the county sends as the firm's 曾用名: it is one (logged: undone with it)
            updated.append(RecordUpdate(old[0], firm_id, {"is_alias": (True, False)},
                                        old[2]))
            continue
        if old[2] is None:
            plan.unchanged[spec.name] += 1  # entered here: never changed by a package
            continue
        if old[first:after] == sent[index]:  # (== of every value: same() of each)
            plan.unchanged[spec.name] += 1
            plan.sent_same(spec.entity, old[0], firm_id, old[2])
            continue
        values = dict(zip(names, old, strict=True))
        changes = _differences(values, records.row(index), compared)
        if changes:
            county = county_of[code]
            if values["source_county"] != county:
                changes["source_county"] = (values["source_county"], county)
            updated.append(RecordUpdate(values["id"], firm_id, changes,
                                        values["source_package_id"]))
        else:
            plan.unchanged[spec.name] += 1
            plan.sent_same(spec.entity, old[0], firm_id, old[2])
    return matched
