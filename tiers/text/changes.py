"""变更记录 for people: one audit row (as ``queries.history`` returns it) in Chinese.

The audit trail stores table and column names and JSON values; officers should read
"认定 · 省级专精特新中小企业 2024年度 · 有效期至：2027-12-31", never ``tier_code: zjtx``.
Everything here works from the change's own snapshot or a context the caller passes in
(the enterprise's recognitions by id), so the window needs no extra query."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tiers.model import ladder
from tiers.text import fields
from tiers.text.values import chain_name, show

ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复",
                 "revoke": "撤销", "purge": "彻底删除"}

# Keys for the program, not for people.
HIDDEN = {"id", "enterprise_id", "import_batch_id", "name_key", "pinyin_initials", "pinyin_key",
          "version",  # the firm's concurrency counter (tiers.services.versions)
          "source_package_id", "source_county"}  # which 数据包 a row came from (bookkeeping)
# A firm's fields whose value another field shows (the county's code, by 县（市、区）): where
# both change together, the officer sees one value change, and counts say one (tester24:
# a moved firm's 县区代码 320411 → 320412 and 县（市、区） 新北区 → 武进区 were two).
SAID_BY = {"county_code": "county_name"}


def said_by_another(key: str, changed: Iterable[str]) -> bool:
    """Whether the key's value is shown by another of the ``changed`` keys (SAID_BY)."""
    return key in SAID_BY and SAID_BY[key] in changed


# The kinds a change's key decides, whichever entity it belongs to (the undo's texts know
# only the key). Dates are not among them: the JSON holds them as text, recognised by shape.
# Moments are (删除时间 deleted_at …): stored as UTC, they are shown in local time.
_KEYED_KINDS = ("tier", "chain", "year", "amount", "datetime")


@lru_cache(maxsize=1)
def _kinds_by_key() -> dict[str, str]:
    return {key: field.kind for entity in fields.catalogue().fields.values()
            for key, field in entity.items() if field.kind in _KEYED_KINDS}


@dataclass(frozen=True)
class ChangeText:
    entity: str  # 认定
    subject: str  # 省级专精特新中小企业 2024年度 — which record, where one can tell
    action: str  # 新增 / 修改 / 撤销 …
    field: str  # 有效期至, or "" for a whole record
    old: str
    new: str


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return {entity: fields.labels(entity) for entity in fields.catalogue().fields}


def field_label(entity: str, key: str) -> str:
    """The catalogue's label, or the key itself for a field it does not know. (Plain dicts
    built once: an import's preview asks this for every row it changes.)"""
    return _labels().get(entity, {}).get(key, key)


def value_text(key: str, value: Any) -> str:
    """One stored value (decoded from the audit trail's JSON) as an officer reads it."""
    kind = _kinds_by_key().get(key)
    if kind is None and isinstance(value, str) and _looks_like_date(value):
        kind = "date"  # the JSON holds dates as ISO texts
    return show(value, kind)


def _looks_like_date(text: str) -> bool:
    return len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-"


# a name kept for matching only (FormerName.is_alias: a 简称 an officer linked in an import
# and asked to remember): its one word wherever the officer reads of one (记住的写法, the
# field's label in resources/fields.toml)
REMEMBERED = field_label("former_name", "is_alias")


def record_text(entity: str, values: Mapping[str, Any]) -> str:
    """A whole record (a create or delete snapshot): 标签：值；… without internal keys."""
    parts = []
    for key, value in values.items():
        if key in HIDDEN:
            continue
        shown = value_text(key, value)
        if shown:
            parts.append(f"{field_label(entity, key)}：{shown}")
    return "；".join(parts)


def recognition_subject(values: Mapping[str, Any], *, with_year: bool = True) -> str:
    """省级专精特新中小企业 2024年度 (第五批); a 复核 pass marked (2020年度 第二批（复核）,
    ladder.batch_shown). ``with_year=False``: the batch alone (专精特新“小巨人”企业 第二批（复核）),
    for a question about the year itself."""
    tier = ladder.tier_label(values.get("tier_code")) or ""
    year = values.get("batch_year") if with_year else None
    label = str(values.get("batch_label") or "")
    when = f"{year}年度" if year else ""
    if label and label != when:
        when = f"{when} {label}".strip()
    when = ladder.batch_shown(when, is_review=bool(values.get("is_review"))) \
        if when or values.get("is_review") else when
    return " ".join(part for part in (tier, when) if part)


def subject_of(entity: str, values: Mapping[str, Any]) -> str:
    """A short name for the record a change belongs to, from whatever values are known."""
    if not values:
        return ""
    if entity == "recognition":
        return recognition_subject(values)
    if entity == "support_measure":
        name = values.get("name") or values.get("kind") or ""
        year = values.get("year")
        return f"{name} {year}年" if year and name else str(name or "")
    if entity == "annual_figures":
        return f"{values['year']}年" if values.get("year") else ""
    if entity == "chain_role":
        return chain_name(values["chain_code"]) if values.get("chain_code") else ""
    if entity == "cultivation_entry":
        tier = ladder.tier_label(values.get("target_tier"))
        year = values.get("target_year")
        return f"{tier} {year}年".strip() if year else tier
    if entity == "former_name":
        return str(values.get("name") or "")
    return ""


def _decode(text: Any) -> Any:
    if text is None or not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _action_text(entity: str, action: str, key: str, old: Any, new: Any) -> str:
    """新增 / 修改 / …; setting or clearing a recognition's revocation date is what an
    officer did: 撤销 it, or take the revocation back."""
    if entity == "recognition" and key == "revoked_on":
        if new and not old:
            return ACTION_LABELS["revoke"]
        if old and not new:
            return "取消撤销"
    return ACTION_LABELS.get(action, action)


def describe(change: Mapping[str, Any], *,
             records: Mapping[tuple[str, int], Mapping[str, Any]] | None = None) -> ChangeText:
    """Chinese texts for one change.

    ``records`` maps (entity, entity_id) to the record's current values (for example the
    enterprise's recognitions from ``queries.profile``) so that an update or a revoke can
    say which record it touched; create and delete rows carry their own snapshot."""
    entity = change.get("entity") or ""
    action = change.get("action") or ""
    key = change.get("field") or ""
    old, new = _decode(change.get("old")), _decode(change.get("new"))
    known: Mapping[str, Any] = {}
    entity_id = change.get("entity_id")
    if records and entity_id is not None:
        known = records.get((entity, entity_id), {})
    snapshot = new if isinstance(new, dict) else old if isinstance(old, dict) else {}
    subject = subject_of(entity, {**known, **snapshot})
    action_text = _action_text(entity, action, key, old, new)
    entity_text = fields.entity_label(entity)
    if entity == "former_name" and snapshot.get("is_alias"):
        entity_text = REMEMBERED  # kept for matching only: no 曾用名 (FormerName.is_alias)

    def text(value: Any) -> str:
        if isinstance(value, dict):
            if entity == "former_name" and value.get("is_alias"):  # (the entity says it)
                return str(value.get("name") or "")
            return record_text(entity, value)
        return value_text(key, value)

    new_text = text(new)
    if action == "create" and change.get("import_batch_id") and entity != "former_name":
        # an import records that it created the record and which one it was, not a copy of
        # its values (the record holds them; every later change keeps the value it replaced)
        new_text = f"由导入批次 {change['import_batch_id']} 新建" + (
            f"：{new_text}" if new_text else "")
    return ChangeText(
        entity=entity_text, subject=subject, action=action_text,
        field=field_label(entity, key) if key else "", old=text(old), new=new_text)
