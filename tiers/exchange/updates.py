"""What a newer package's preview says it will change, value by value, in the words of the
history window (常州甲公司：联系电话 0519-1111 → 0519-2222): the counts per table alone
(认定 更新 3) left the officer to guess what the county had corrected.

The values the city changed itself since the county's last package (an officer's correction
in the enterprise dialog, a roster imported here) are merged field by field
(tiers.exchange.merge): those the county did not change are kept, each said in a line of
their own (保留本市修改：…); those the county changed too come first among the updates,
marked 本市和区县都修改过 (the county's correction wins), and the officer should know before
anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.exchange.deletions import SHOWN, firm_names, record_words
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES
from tiers.exchange.merge import BIN as _BIN
from tiers.exchange.merge import Value as _Value
from tiers.exchange.plan import CHUNK, PackagePlan, RecordUpdate
from tiers.exchange.plan_types import Kept
from tiers.model import ladder
from tiers.text.changes import HIDDEN, field_label, said_by_another, value_text

CITY_MARK = "本市修改过："  # the firm the city put in the recycle bin, taken out
BOTH_MARK = "本市和区县都修改过："
KEPT_MARK = "保留本市修改："
CITY_BINNED = "（本市移入回收站的）"
EMPTY = "（空）"
_SPECS = {spec.entity: spec for spec in (ENTERPRISES, *RECORD_TABLES)}


@dataclass
class UpdateWords:
    lines: list[str]  # the first SHOWN: the city's own values first (marked), then the rest
    total: int  # values the package changes (the lines past SHOWN are counted)
    city_edited: int  # of them, values the city changed itself since the county's package
    # the values the city changed and the county did not: kept, not written (the first SHOWN)
    kept_lines: list[str]
    # the firms the package takes out of the recycle bin (the county sends them again), by
    # name, those the city put there marked: no value the officer sees, so not counted
    # among the values (tester24: 在回收站中 → 恢复 was one of 将更新的值（共 5 项）)
    unbinned: list[str]
    unbinned_count: int = 0  # all of them (the names: the first SHOWN)
    unbinned_city_binned: int = 0  # of them, those the city put in the recycle bin itself


def update_words(session: Session, plan: PackagePlan) -> UpdateWords:
    """The plan's updates in words, those over the city's own edits first."""
    values = [_Value(entity, update, key)
              for entity, updates in _updates(plan)
              for update in updates for key in update.changes
              if key not in HIDDEN and key != _BIN
              and not said_by_another(key, update.changes)]  # (the county's code by its name)
    edited = plan.overwritten
    leaving = [update for update in plan.firm_updates if _BIN in update.changes]
    city_binned = sum((ENTERPRISES.entity, update.record_id, _BIN) in plan.overwritten
                      for update in leaving)
    leaving_bin = leaving[:SHOWN]
    bin_names = firm_names(session, {update.enterprise_id for update in leaving_bin})
    unbinned = [bin_names.get(update.enterprise_id, "") + (
        CITY_BINNED if (ENTERPRISES.entity, update.record_id, _BIN) in edited else "")
        for update in leaving_bin]
    ordered = [v for v in values if v.spot in edited] + [v for v in values if v.spot not in edited]
    shown = ordered[:SHOWN]
    records = _current_records(session, [(value.entity, value.update.record_id)
                                         for value in shown])
    names = firm_names(session, {value.update.enterprise_id for value in shown})
    lines = [_line(value, records.get((value.entity, value.update.record_id), {}),
                   names.get(value.update.enterprise_id, ""), city=value.spot in edited)
             for value in shown]
    return UpdateWords(lines=lines, total=len(values),
                       city_edited=sum(value.spot in edited for value in values),
                       kept_lines=kept_lines(session, plan.kept[:SHOWN]), unbinned=unbinned,
                       unbinned_count=len(leaving), unbinned_city_binned=city_binned)


def kept_lines(session: Session, kept: list[Kept]) -> list[str]:
    """保留本市修改：常州甲公司：注册地址 XX路1号（本市）；区县数据包仍为（空）"""
    records = _current_records(session, [(item.entity, item.record_id) for item in kept])
    names = firm_names(session, {item.enterprise_id for item in kept})
    lines = []
    for item in kept:
        spec = _SPECS[item.entity]
        record = records.get((item.entity, item.record_id), {})
        where = "" if spec is ENTERPRISES else record_words(spec, record) + " "
        city, county = (value_text(item.field, v) or EMPTY for v in (item.city, item.county))
        lines.append(f"{KEPT_MARK}{names.get(item.enterprise_id, '')}：{where}"
                     f"{field_label(item.entity, item.field)} {city}（本市）；区县数据包仍为{county}")
    return lines


def _updates(plan: PackagePlan) -> Iterable[tuple[str, list[RecordUpdate]]]:
    yield ENTERPRISES.entity, plan.firm_updates
    for spec in RECORD_TABLES:
        yield spec.entity, plan.record_updates.get(spec.entity, [])


# --- the lines -----------------------------------------------------------------------------

def _current_records(session: Session, shown: list[tuple[str, int]]
                     ) -> dict[tuple[str, int], dict[str, Any]]:
    """The records the shown lines name, as they are here (their kind, batch and year)."""
    ids: dict[str, set[int]] = {}
    for entity, record_id in shown:
        if entity != ENTERPRISES.entity:
            ids.setdefault(entity, set()).add(record_id)
    found = {}
    for entity, record_ids in ids.items():
        table = _SPECS[entity].model.__table__
        ordered = sorted(record_ids)
        for start in range(0, len(ordered), CHUNK):
            for row in session.execute(select(table).where(
                    table.c.id.in_(ordered[start:start + CHUNK]))):
                found[(entity, row.id)] = row._asdict()
    return found


def _line(value: _Value, record: dict[str, Any], firm: str, *, city: bool) -> str:
    """常州甲公司：认定“省级专精特新中小企业 2024年度 第二批” 文号 … → …"""
    old, new = value.update.changes[value.key]
    spec = _SPECS[value.entity]
    if value.key == _BIN:
        what, old_text, new_text = "", "在回收站中", "恢复（区县再次报送了这家企业）"
    elif value.entity == "recognition" and value.key == "is_pending":
        what = "状态"
        now = {**record, **{key: after for key, (_, after) in value.update.changes.items()}}
        old_text, new_text = _status(record, pending=bool(old)), _status(now, pending=bool(new))
        record = {**record, "is_pending": False}  # said by the status itself
    else:
        what = field_label(value.entity, value.key)
        old_text, new_text = (value_text(value.key, v) or EMPTY for v in (old, new))
    where = "" if spec is ENTERPRISES else record_words(spec, record) + " "
    what = f"{what} " if what else ""
    if city:
        mark = CITY_MARK if value.key == _BIN else BOTH_MARK
        return f"{mark}{firm}：{where}{what}{old_text}（本市） → {new_text}（区县数据包）"
    return f"{firm}：{where}{what}{old_text} → {new_text}"


def _status(record: dict[str, Any], *, pending: bool) -> str:
    """公示中, or what the recognition is once confirmed (有效, 已到期 …)."""
    return ladder.status_of(valid_until=record.get("valid_until"),
                            revoked_on=record.get("revoked_on"), pending=pending,
                            tier_code=record.get("tier_code"),
                            batch_year=record.get("batch_year"))
