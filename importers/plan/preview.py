"""A planned row as the preview and the CLI show it: what it writes, one line each, and
how a value looks (amounts without trailing zeros, dates as 2024-03-08, 是/否)."""

from __future__ import annotations

from typing import Any

from importers.plan.types import CREATE, UPDATE, FieldChange, PlanRow
from tiers.model import reference
from tiers.text import changes as change_text
from tiers.text.values import show


def change_lines(changes: list[FieldChange]) -> list[tuple[str, Any, Any]]:
    """(label, old, new) to show: the county's code and name as one line, 武进区（320412）."""
    by_field = {c.field: c for c in changes}
    lines: list[tuple[str, Any, Any]] = []
    for change in changes:
        if change.field == "county_name" and "county_code" in by_field:
            continue
        if change.field == "county_code":
            named = by_field.get("county_name")
            old_name = named.old if named else None
            new_name = named.new if named else None
            lines.append((change.label, _county_text(change.old, old_name),
                          _county_text(change.new, new_name)))
            continue
        lines.append((change.label, change.old, change.new))
    return lines


# a new firm's fields the preview leaves out: shown in their own columns, or derived
_NOT_LISTED = frozenset(("name", "credit_code", "name_key", "county_code"))
_LISTED_ORDER = {key: i for i, key in enumerate((
    "county_name", "town", "address", "industry", "main_product", "founded_on", "size",
    "legal_representative", "contact_person", "contact_phone", "listing_status", "tags",
    "legacy_code", "former_name", "notes"))}


def content_lines(row: PlanRow) -> list[str]:
    """What the row writes, as the preview lists it: a new firm's fields (县区 …, 联系电话 …),
    the fields it changes (old → new), the records it adds or updates. Nothing for a row
    that writes nothing (an error, unmatched, or merged into an earlier row)."""
    lines: list[str] = []
    if row.action not in (CREATE, UPDATE):
        return lines
    values = row.create_values or {}
    for key in sorted(values, key=lambda k: _LISTED_ORDER.get(k, len(_LISTED_ORDER))):
        value = values[key]
        if key in _NOT_LISTED or value in (None, ""):
            continue
        if key == "county_name":
            value = _county_text(values.get("county_code"), value)
        label = "曾用名" if key == "former_name" else change_text.field_label("enterprise", key)
        lines.append(f"{label}：{display_value(value)}")
    lines += [f"{label}：{display_value(old)} → {display_value(new)}"
              for label, old, new in change_lines(row.changes)]
    for record in row.records:
        verb = "新增" if record.action == CREATE else "更正" if record.correction else "更新"
        text = f"{verb}{'' if record.entity == 'former_name' else ' '}{record.description}"
        if record.entity == "annual_figures" and record.action == CREATE:
            figures = "、".join(f"{change_text.field_label(record.entity, k)} {display_value(v)}"
                               for k, v in record.values.items()
                               if k != "year" and v not in (None, ""))
            text += f"（{figures}）" if figures else ""
        elif record.action == UPDATE and record.changes:
            text += "（" + "；".join(_record_change(c) for c in record.changes) + "）"
        lines.append(text)
    return lines


def _record_change(change: FieldChange) -> str:
    """公示中 → 有效 (a final list confirming its 公示 list), or 认定年度：2024 → 2025."""
    if change.field == "is_pending":
        return "公示中 → 有效" if change.old and not change.new else "有效 → 公示中"
    return f"{change.label}：{display_value(change.old)} → {display_value(change.new)}"


def display_value(value: Any) -> str:
    """A value as the preview shows it: amounts with no trailing zeros and never in
    scientific notation (89372.9900 → 89372.99, 1E+2 → 100), dates as 2024-03-08, 是/否,
    nothing as （空）: the one formatter with the preview's empty text."""
    return show(value, empty="（空）")


def _county_text(code: str | None, name: str | None) -> str | None:
    if code and name:
        return f"{name}（{code}）"
    if code:
        division = reference.division(code)
        return f"{division.name}（{code}）" if division else code
    return name or None

