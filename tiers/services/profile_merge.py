"""Three-way merge of one firm's 档案: what the officer read (base), what is stored now
(theirs: another officer saved in between) and what the officer is saving (mine).

A field only one side changed merges by itself; a field both changed, differently, is a
conflict the officer settles (keep theirs, keep mine, or a merged value for 基本信息). The
same for the firm's records: a record the other side deleted or changed is never silently
re-created or overwritten. Pure functions over plain data: no session, no writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from tiers.errors import Conflict
from tiers.model import credit_code
from tiers.services import figures, measures, recognitions
from tiers.services.errors import ValidationError
from tiers.text import fields
from tiers.text.values import show

KEEP_THEIRS, KEEP_MINE, MERGED = "theirs", "mine", "merged"
NEW, SAVED, EDITED, DELETED = "new", "saved", "edited", "deleted"
EMPTY = "（空）"
DELETED_TEXT = "（已删除）"


@dataclass(frozen=True)
class FieldConflict:
    """One place both officers changed differently, as the conflict dialog shows it."""

    key: str  # "basic:name", "recognitions:12:note", "recognitions:12" (the whole record)
    section: str  # 基本信息 / 梯度认定 / 年度数据 / 扶持措施 / 产业链
    subject: str  # the field's label, or the record and its field
    base: str  # 原值: as both officers read it
    theirs: str  # 对方的修改: as stored now
    mine: str  # 我的修改
    editable: bool = False  # a merged value may be typed (基本信息 fields)


@dataclass(frozen=True)
class Choice:
    """The officer's settlement of one conflict: keep theirs, keep mine, or ``text``."""

    keep: str
    text: str = ""


@dataclass(frozen=True)
class Resolutions:
    """The choices made in the conflict dialog, valid only against the version they were
    made on: had the firm changed again since, the officer is asked again."""

    version: int
    choices: Mapping[str, Choice] = field(default_factory=dict)


def who_saved(by: Sequence[str]) -> str:
    """wujin02（导入批次 12）、zhangsan; 另一位用户 when the change log does not say. An
    account's name last is followed by a space (zhangsan 已修改, not zhangsan已修改)."""
    text = "、".join(by) if by else "另一位用户"
    return text + " " if text[-1].isascii() else text


class ProfileConflict(Conflict):
    """Another officer saved this firm after it was opened and changed some of the same
    fields differently; nothing was written. ``conflicts`` field by field, ``version`` the
    one they were found on, ``merged`` what merged by itself (their changes kept)."""

    def __init__(self, conflicts: Sequence[FieldConflict], *, version: int,
                 merged: Sequence[str] = (), by: Sequence[str] = ()) -> None:
        super().__init__(f"保存前，{who_saved(by)}已修改了这家企业，其中 {len(conflicts)} 处与您的修改不同："
                         "请逐项选择保留对方的修改还是您的修改，再保存。")
        self.by = tuple(by)  # who saved meanwhile (tiers.queries.history.changed_by_since)
        self.conflicts = tuple(conflicts)
        self.version = version
        self.merged = tuple(merged)


@dataclass(frozen=True)
class RecordEdit:
    """One row of a record tab as the user left it: ``state`` is new / saved / edited /
    deleted; ``values`` what the form gave; ``original`` the row as read (the base);
    ``revoke`` (reason, day) to revoke a recognition."""

    state: str
    record_id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    original: Mapping[str, Any] = field(default_factory=dict)
    revoke: tuple[str, dt.date] | None = None


@dataclass(frozen=True)
class Section:
    """One kind of record of the window: where the profile keeps it, its entity (for field
    labels), the fields that make it, and its values as the services would store them."""

    name: str  # the save_profile keyword's stem: recognitions / figures / measures / chains
    profile_key: str
    entity: str
    title: str
    keys: tuple[str, ...]
    cleaned: Callable[[Mapping[str, Any]], dict[str, Any]]
    natural_key: str | None = None  # a new record of the same key updates the stored one

    def subject(self, record: Mapping[str, Any]) -> str:
        parts = {"recognitions": (record.get("tier"), record.get("batch_label")
                                  or record.get("batch_year")),
                 "figures": (f"{record.get('year')}年",),
                 "measures": (record.get("kind"), record.get("name")),
                 "chains": (record.get("chain") or record.get("chain_code"),)}[self.name]
        return " ".join(str(p) for p in parts if p not in (None, "")) or self.title

    def label(self, key: str) -> str:
        try:
            return fields.label(self.entity, key)
        except KeyError:
            return key


def _figures_cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"year": int(values["year"]),
            **figures.clean({k: v for k, v in values.items() if k != "year"})}


def _chain_cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"chain_code": values.get("chain_code"), "role": values.get("role"),
            "note": (values.get("note") or "").strip()}


SECTIONS = (
    Section("recognitions", "recognitions", "recognition", "梯度认定",
            (*recognitions.FIELDS, "revoked_on", "revoke_reason"),
            lambda v: recognitions.clean(dict(v))),
    Section("figures", "figures", "annual_figures", "年度数据",
            tuple(figures.LABELS), _figures_cleaned, natural_key="year"),
    Section("measures", "support_measures", "support_measure", "扶持措施",
            measures.FIELDS, lambda v: measures.clean(dict(v))),
    Section("chains", "chains", "chain_role", "产业链", ("chain_code", "role", "note"),
            _chain_cleaned, natural_key="chain_code"),
)


# --- comparing values -------------------------------------------------------------------

def same(old: Any, new: Any) -> bool:
    """Equal as stored: blank and None alike, numbers by value (12.5 = 12.5000)."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, (Decimal, int, float)) and isinstance(new, (Decimal, int, float)) \
            and not isinstance(old, bool) and not isinstance(new, bool):
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except InvalidOperation:
            return False
    return old == new


def typed_differs(key: str, typed: str, stored: Any) -> bool:
    """Whether a 基本信息 field as typed differs from the stored value (the comparison the
    form makes to know what the officer changed, and the merge to know if both agree)."""
    if key == "founded_on":
        from tiers.services.profile import typed_values

        try:
            return typed_values({key: typed})[key] != stored
        except ValidationError:
            return True
    if key == "credit_code":
        return credit_code.normalise(typed) != (stored or "")
    return typed != (stored or "")


def shown(value: Any) -> str:
    return show(value) if value not in (None, "") else EMPTY


def _record_changed(section: Section, base: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    return any(not same(base.get(k), now.get(k)) for k in section.keys)


def _record_text(section: Section, record: Mapping[str, Any]) -> str:
    values = [f"{section.label(k)} {show(record.get(k))}" for k in section.keys
              if record.get(k) not in (None, "", False)]
    return "；".join(values) or EMPTY


# --- the merge ----------------------------------------------------------------------------

@dataclass
class Rebased:
    """What to write after merging against the stored firm, or what is left to settle."""

    basic: dict[str, Any]
    edits: dict[str, list[RecordEdit]]
    conflicts: list[FieldConflict] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # their changes kept (for the status bar)


def rebase(base: Mapping[str, Any], current: Mapping[str, Any], basic: Mapping[str, Any],
           edits: Mapping[str, Sequence[RecordEdit]],
           choices: Mapping[str, Choice]) -> Rebased:
    """My changes (``basic``: the fields I changed, as typed; ``edits`` per section) made
    from ``base`` and re-applied over ``current``; ``choices`` settle conflicts by key."""
    out = Rebased(basic={}, edits={})
    _rebase_basic(out, base, current, basic, choices)
    for section in SECTIONS:
        now_by_id = {r["id"]: r for r in current.get(section.profile_key, [])}
        base_by_id = {r["id"]: r for r in base.get(section.profile_key, [])}
        kept: list[RecordEdit] = []
        for edit in edits.get(section.name, ()):
            kept.extend(_rebase_record(out, section, edit, now_by_id, base_by_id, current,
                                       choices))
        out.edits[section.name] = kept
        theirs = [r for r in now_by_id.values()
                  if r["id"] not in base_by_id or _record_changed(section, base_by_id[r["id"]], r)]
        if theirs or set(base_by_id) - set(now_by_id):
            out.merged.append(section.title)
    return out


def _rebase_basic(out: Rebased, base: Mapping[str, Any], current: Mapping[str, Any],
                  basic: Mapping[str, Any], choices: Mapping[str, Choice]) -> None:
    for key, typed in basic.items():
        base_value, now = base.get(key), current.get(key)
        if same(base_value, now):
            out.basic[key] = typed  # only I changed it
            continue
        if not typed_differs(key, typed if isinstance(typed, str) else show(typed), now):
            continue  # we both made the same change: nothing to write
        conflict_key = f"basic:{key}"
        choice = choices.get(conflict_key)
        if choice is None:
            out.conflicts.append(FieldConflict(
                conflict_key, "基本信息", fields.label("enterprise", key), shown(base_value),
                shown(now), typed if typed not in (None, "") else EMPTY, editable=True))
        elif choice.keep == KEEP_MINE:
            out.basic[key] = typed
        elif choice.keep == MERGED:
            out.basic[key] = choice.text
    basic_keys = [k for k in current if k not in basic and not isinstance(current[k], list)
                  and k in base and not same(base[k], current[k])
                  and k not in {"tier", "tier_code", "support_total", "updated_at"}]
    for key in basic_keys:
        try:
            label = fields.label("enterprise", key)
        except KeyError:
            continue
        if label not in out.merged:
            out.merged.append(label)


def _rebase_record(out: Rebased, section: Section, edit: RecordEdit,
                   now_by_id: Mapping[int, Mapping[str, Any]],
                   base_by_id: Mapping[int, Mapping[str, Any]], current: Mapping[str, Any],
                   choices: Mapping[str, Choice]) -> list[RecordEdit]:
    """The edit as it may be written now ([] when it is dropped), or a conflict noted."""
    if edit.state == NEW:
        return _rebase_new(out, section, edit, current, base_by_id, choices)
    if edit.state == SAVED and not edit.revoke:
        return []
    base = edit.original
    now = now_by_id.get(edit.record_id)
    key = f"{section.name}:{edit.record_id}"
    subject = section.subject(base)
    if now is None:  # the other side deleted it
        if edit.state == DELETED:
            return []
        mine = _record_text(section, _mine_cleaned(section, edit)) if edit.values else "撤销认定"
        return _whole_record(out, key, section, subject, base, DELETED_TEXT, mine, choices,
                             keep_mine=[RecordEdit(NEW, None, _own(section, edit.values or base))])
    if not _record_changed(section, base, now):
        return [edit]  # only I changed it
    if edit.state == DELETED:
        return _whole_record(out, key, section, subject, base, _record_text(section, now),
                             "删除", choices, keep_mine=[replace(edit, original=now)])
    if edit.state == SAVED:  # a revoke only: theirs may have revoked it already
        return [] if now.get("revoked_on") else [replace(edit, original=now)]
    merged = _merge_fields(out, section, key, subject, base, now,
                           _mine_cleaned(section, edit), choices)
    return [] if merged is None else [replace(edit, values=merged, original=now)]


def _own(section: Section, values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's own fields (a row as read also holds its id and what is shown)."""
    return {k: v for k, v in values.items() if k in section.keys}


def _mine_cleaned(section: Section, edit: RecordEdit) -> dict[str, Any]:
    return section.cleaned(_own(section, {**edit.original, **edit.values}))


def _merge_fields(out: Rebased, section: Section, key: str, subject: str,
                  base: Mapping[str, Any], now: Mapping[str, Any], mine: Mapping[str, Any],
                  choices: Mapping[str, Choice]) -> dict[str, Any] | None:
    """A record both changed: field by field; None when a conflict is still open."""
    merged: dict[str, Any] = {}
    open_conflict = False
    for name, my_value in mine.items():
        base_value, now_value = base.get(name), now.get(name)
        if same(my_value, base_value):
            merged[name] = now_value
        elif same(now_value, base_value) or same(my_value, now_value):
            merged[name] = my_value
        else:
            field_key = f"{key}:{name}"
            choice = choices.get(field_key)
            if choice is None:
                open_conflict = True
                out.conflicts.append(FieldConflict(
                    field_key, section.title, f"{subject}：{section.label(name)}",
                    shown(base_value), shown(now_value), shown(my_value)))
            merged[name] = my_value if choice and choice.keep == KEEP_MINE else now_value
    return None if open_conflict else merged


def _whole_record(out: Rebased, key: str, section: Section, subject: str,
                  base: Mapping[str, Any], theirs: str, mine: str,
                  choices: Mapping[str, Choice], *, keep_mine: list[RecordEdit]
                  ) -> list[RecordEdit]:
    choice = choices.get(key)
    if choice is None:
        out.conflicts.append(FieldConflict(key, section.title, subject,
                                           _record_text(section, base), theirs, mine))
        return []
    return keep_mine if choice.keep == KEEP_MINE else []


def _rebase_new(out: Rebased, section: Section, edit: RecordEdit, current: Mapping[str, Any],
                base_by_id: Mapping[int, Mapping[str, Any]],
                choices: Mapping[str, Choice]) -> list[RecordEdit]:
    """A new record is new for both, except where a natural key (a year's figures, a
    chain) means mine would update the one the other side added meanwhile."""
    if section.natural_key is None:
        return [edit]
    mine = section.cleaned(edit.values)
    natural = mine[section.natural_key]
    theirs = next((r for r in current.get(section.profile_key, [])
                   if r.get(section.natural_key) == natural and r["id"] not in base_by_id), None)
    if theirs is None:
        return [edit]
    if not _record_changed(section, theirs, {**theirs, **mine}):
        return []  # they added just what I did
    key = f"{section.name}:new:{natural}"
    return _whole_record(out, key, section, section.subject({**theirs, **mine}), {},
                         _record_text(section, theirs), _record_text(section, mine), choices,
                         keep_mine=[edit])
