"""变更记录 for people: one audit row (as ``queries.history`` returns it) in Chinese.

The audit trail stores table and column names and JSON values; officers should read
"认定 · 省级专精特新中小企业 2024年度 · 有效期至：2027-12-31", never ``tier_code: zjtx``.
Everything here works from the change's own snapshot or a context the caller passes in
(the enterprise's recognitions by id), so the window needs no extra query."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tiers.model import ladder, reference
from tiers.services import enterprises, figures

ENTITY_LABELS = {
    "enterprise": "企业", "recognition": "认定", "support_measure": "扶持措施",
    "annual_figures": "年度数据", "chain_role": "产业链角色", "cultivation_entry": "培育库",
    "former_name": "曾用名",
}
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复",
                 "revoke": "撤销", "purge": "彻底删除"}

RECOGNITION_LABELS = {
    "tier_code": "梯度层级", "level": "认定级别", "issuer": "认定单位", "batch_label": "批次",
    "batch_year": "认定年度", "is_review": "复核通过", "review_of_batch": "复核批次",
    "document_number": "文号", "recognized_on": "认定日期", "valid_until": "有效期至",
    "revoked_on": "撤销日期", "revoke_reason": "撤销原因", "chain_code": "产业链",
    "rule_set": "认定标准", "note": "备注",
}
MEASURE_LABELS = {
    "kind": "措施类别", "name": "项目名称", "amount": "金额（万元）", "paid_on": "兑现日期",
    "year": "年度", "implementer": "实施单位", "implementer_level": "实施单位级别",
    "policy_basis": "政策依据", "status": "状态", "note": "备注",
}
CHAIN_ROLE_LABELS = {"chain_code": "产业链", "role": "角色", "note": "备注"}
CULTIVATION_LABELS = {"target_tier": "目标梯度", "target_year": "目标年度",
                      "officer": "包挂责任人", "status": "状态", "note": "备注"}
ENTERPRISE_LABELS = {
    **enterprises.FIELD_LABELS, "county_code": "县区代码", "county_name": "县（市、区）",
    "deleted_at": "删除时间", "is_demo": "演示数据", "created_at": "创建时间",
    "updated_at": "更新时间",
}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "enterprise": ENTERPRISE_LABELS, "recognition": RECOGNITION_LABELS,
    "support_measure": MEASURE_LABELS, "annual_figures": dict(figures.LABELS),
    "chain_role": CHAIN_ROLE_LABELS, "cultivation_entry": CULTIVATION_LABELS,
    "former_name": {"name": "曾用名"},
}
# Keys for the program, not for people.
HIDDEN = {"id", "enterprise_id", "import_batch_id", "name_key", "pinyin_initials", "pinyin_key"}
TIER_FIELDS = {"tier_code", "target_tier"}
MONEY_FIELDS = {"amount", *figures.MONEY}
YEAR_FIELDS = {"batch_year", "year", "target_year"}


@dataclass(frozen=True)
class ChangeText:
    entity: str  # 认定
    subject: str  # 省级专精特新中小企业 2024年度 — which record, where one can tell
    action: str  # 新增 / 修改 / 撤销 …
    field: str  # 有效期至, or "" for a whole record
    old: str
    new: str


def field_label(entity: str, key: str) -> str:
    return FIELD_LABELS.get(entity, {}).get(key, key)


def _chain_name(code: str) -> str:
    return {c.code: c.name for c in reference.chains()}.get(code, code)


def _plain_number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def _date_text(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def value_text(key: str, value: Any) -> str:
    """One stored value as an officer reads it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in TIER_FIELDS:
        return ladder.tier_label(str(value))
    if key == "chain_code":
        return _chain_name(str(value))
    if key in YEAR_FIELDS:
        return str(value)
    if key in MONEY_FIELDS or isinstance(value, (float, Decimal)):
        return _plain_number(value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return _date_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return _date_text(value.isoformat())
    return str(value)


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


def recognition_subject(values: Mapping[str, Any]) -> str:
    """省级专精特新中小企业 2024年度 (第五批)."""
    tier = ladder.tier_label(values.get("tier_code")) or ""
    year = values.get("batch_year")
    label = str(values.get("batch_label") or "")
    when = f"{year}年度" if year else ""
    if label and label != when:
        when = f"{when} {label}".strip()
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
        return _chain_name(values["chain_code"]) if values.get("chain_code") else ""
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
    action_text = ACTION_LABELS.get(action, action)
    if entity == "recognition" and key == "revoked_on" and new and not old:
        action_text = ACTION_LABELS["revoke"]
    if entity == "recognition" and key == "revoked_on" and old and not new:
        action_text = "取消撤销"

    def text(value: Any) -> str:
        if isinstance(value, dict):
            return record_text(entity, value)
        return value_text(key, value)

    new_text = text(new)
    if action == "create" and change.get("import_batch_id") and entity != "former_name":
        # an import records that it created the record and which one it was, not a copy of
        # its values (the record holds them; every later change keeps the value it replaced)
        new_text = f"由导入批次 {change['import_batch_id']} 新建" + (
            f"：{new_text}" if new_text else "")
    return ChangeText(
        entity=ENTITY_LABELS.get(entity, entity), subject=subject, action=action_text,
        field=field_label(entity, key) if key else "", old=text(old), new=new_text)
