"""Whether a firm may be put into the 培育库 for a target tier: one open entry per firm and
target (the year is edited, not added again; an entry closed — 已认定, 未通过, 退出 — stays as
the history of its year and blocks only that year, the database's unique key), and never a
target the firm holds already (an in-force recognition of it, or of a higher rung of the
ladder, still in force in the target year: a firm whose title ends before then is prepared
for its 复核). A firm only 公示中 for it may be added (a 公示 can fail, and the officer follows
the firm until the final list), with a warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import ladder, reference
from tiers.model.orm import CultivationEntry, Recognition
from tiers.queries.held_by import open_publicity
from tiers.text.values import batch_text

CHUNK = 900
# the entries still being worked on; the others (已认定, 未通过, 退出) are closed, kept as history
OPEN_STATUSES = frozenset({"培育中", "已申报"})


def is_open(status: str | None) -> bool:
    return (status or "培育中") in OPEN_STATUSES


@dataclass(frozen=True)
class Entry:
    id: int
    target_tier: str
    target_year: int
    status: str


@dataclass(frozen=True)
class Title:
    """A recognition the firm holds (in force) or is 公示中 for."""

    tier_code: str
    batch_label: str
    batch_year: int | None
    valid_until: dt.date | None


@dataclass(frozen=True)
class Standing:
    """What the rule needs to know of one firm: its 培育库 entries and its titles."""

    entries: tuple[Entry, ...] = ()
    held: tuple[Title, ...] = ()
    pending: tuple[Title, ...] = ()


def standings(session: Session, ids: Iterable[int],
              today: dt.date | None = None) -> dict[int, Standing]:
    """Each firm's entries, titles in force and titles 公示中 (their 公示 still open), in a
    few queries."""
    today = today or dt.date.today()
    wanted = sorted(set(ids))
    entries: dict[int, list[Entry]] = {}
    held: dict[int, list[Title]] = {}
    pending: dict[int, list[Title]] = {}
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start:start + CHUNK]
        for row in session.execute(
                select(CultivationEntry.enterprise_id, CultivationEntry.id,
                       CultivationEntry.target_tier, CultivationEntry.target_year,
                       CultivationEntry.status)
                .where(CultivationEntry.enterprise_id.in_(part))
                .order_by(CultivationEntry.target_year, CultivationEntry.id)):
            entries.setdefault(row[0], []).append(Entry(*row[1:]))
        for row in session.execute(
                select(Recognition.enterprise_id, Recognition.tier_code,
                       Recognition.batch_label, Recognition.batch_year,
                       Recognition.valid_until)
                .where(Recognition.enterprise_id.in_(part), ladder.held_condition(today))
                .order_by(Recognition.id)):
            held.setdefault(row[0], []).append(Title(*row[1:]))
        # 公示中 only while the batch's final list is not in (the firms left 公示中 then were
        # most likely left out of it): as the 对标预审 asks it
        rows = session.execute(
            select(Recognition.enterprise_id, Recognition.tier_code, *ladder.PENDING_BATCH,
                   Recognition.valid_until)
            .where(Recognition.enterprise_id.in_(part), ladder.pending_condition(today))
            .order_by(Recognition.id)).all()
        for row in open_publicity(session, rows):
            pending.setdefault(row[0], []).append(Title(row[1], row[3], row[4], row[6]))
    return {firm: Standing(tuple(entries.get(firm, ())), tuple(held.get(firm, ())),
                           tuple(pending.get(firm, ())))
            for firm in wanted}


def standing(session: Session, enterprise_id: int,
             today: dt.date | None = None) -> Standing:
    return standings(session, [enterprise_id], today)[enterprise_id]


def _name(code: str) -> str:
    return ladder.tier_label(code)


def _covering(titles: Iterable[Title], target: str) -> Title | None:
    """Of ``titles``, the highest that is ``target`` or, on the ladder, above it (the latest
    in force of that tier); None when none is."""
    try:
        tier = reference.tier(target)
    except KeyError:
        return None
    if tier.needs_chain:  # 链主 of one chain says nothing of another; entries name no chain
        return None
    ranks = {t.code: t.rank for t in reference.tiers() if t.ladder}
    found = [title for title in titles if title.tier_code == target or (
        tier.ladder and ranks.get(title.tier_code, -1) >= tier.rank)]
    if not found:
        return None
    return max(found, key=lambda t: (ranks.get(t.tier_code, -1),
                                     t.valid_until or dt.date.max))


def _batch(title: Title) -> str:
    """第五批 of 2023 as 2023年第五批 (the words go inside brackets already)."""
    label, year = (title.batch_label or "").strip(), title.batch_year
    if label and year and str(year) not in label:
        return f"{year}年{label}"
    return batch_text(label, year)


def _title_words(title: Title) -> str:
    words = [_batch(title)]
    if title.valid_until is not None:
        words.append(f"有效期至{title.valid_until.isoformat()}")
    inside = "，".join(w for w in words if w)
    return _name(title.tier_code) + (f"（{inside}）" if inside else "")


def same_target(standing: Standing, target: str, *,
                entry_id: int | None = None) -> Entry | None:
    """The firm's open entry (other than ``entry_id``) for ``target`` already, the earliest."""
    return next((e for e in standing.entries
                 if e.target_tier == target and e.id != entry_id and is_open(e.status)), None)


def same_year(standing: Standing, target: str, year: int | None, *,
              entry_id: int | None = None) -> Entry | None:
    """The firm's entry (other than ``entry_id``, open or closed) for ``target`` and
    ``year``: a second one is what the database's unique key refuses."""
    if year is None:
        return None
    return next((e for e in standing.entries if e.target_tier == target
                 and e.target_year == year and e.id != entry_id), None)


def _in_force_in(titles: Iterable[Title], year: int | None) -> list[Title]:
    """The titles still in force on 1 January of ``year`` (all of them without a year)."""
    if year is None:
        return list(titles)
    start = dt.date(year, 1, 1)
    return [t for t in titles if t.valid_until is None or t.valid_until >= start]


def refusal(standing: Standing, target: str | None, *, year: int | None = None,
            entry_id: int | None = None, tier_changed: bool = True,
            reopened: bool = False) -> str:
    """Why the firm may not be put into the 培育库 for ``target`` and ``year`` ("" when it
    may): ``entry_id`` is the entry being edited (its own target is no second entry). Another
    entry of the target and year (even a closed one) is always refused: the database keeps
    one. Otherwise an edit that keeps the target is not refused (an entry turns 已认定 once
    its firm is recognised, and two entries of one target kept from an older version are
    still edited), unless it makes a closed entry open again beside another open one."""
    if not target:
        return ""
    existing = (same_target(standing, target, entry_id=entry_id)
                if tier_changed or reopened else None)
    if existing is not None:
        return (f"该企业已在培育库中：{_name(target)}，目标年度{existing.target_year}年"
                f"（{existing.status or '培育中'}）。同一企业同一目标梯度只保留一条，"
                f"请修改已有条目（如改目标年度）")
    clash = same_year(standing, target, year, entry_id=entry_id)
    if clash is not None:
        what = (f"该企业在培育库中已有一条{_name(target)}、目标年度{year}年的条目"
                f"（{clash.status or '培育中'}），同一企业同一目标梯度每个年度只能有一条")
        if entry_id is None:
            return what + "。请修改已有条目（如改回培育中），或请先移出该条再加入"
        return what + "。请先移出该条，再修改本条"
    if not tier_changed:
        return ""
    title = _covering(_in_force_in(standing.held, year), target)
    if title is None:
        return ""
    higher = title.tier_code != target
    return (f"该企业已是{_title_words(title)}"
            + (f"，高于{_name(target)}" if higher else "") + "，无需加入培育库")


def notice(standing: Standing, target: str | None) -> str:
    """A warning that does not refuse: the firm is 公示中 for ``target`` (or a higher rung),
    not yet holding it; "" otherwise (or when it holds it: that is refused)."""
    if not target or _covering(standing.held, target) is not None:
        return ""
    title = _covering(standing.pending, target)
    if title is None:
        return ""
    words = batch_text(title.batch_label, title.batch_year)
    return (f"该企业已在{_name(title.tier_code)}{words}公示名单中（公示中，待正式认定）；"
            f"公示未通过时仍需培育，所以仍可加入")
