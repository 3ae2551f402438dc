"""本单位负责的区县 in the change log, in words: the services write it (tiers.services.unit),
the server's user log reads it back (tiers.storage.server.users) — one key and one sentence
for both."""

from __future__ import annotations

import json

ENTITY = "unit_county"  # the change log's lines of 本单位负责的区县


def names_logged(value: str | None) -> str:
    """溧阳市、金坛区 for a logged value (a JSON list of [code, name]); "" for none."""
    try:
        return "、".join(name for _code, name in json.loads(value or "[]"))
    except (ValueError, TypeError):
        return str(value or "")


def describe_change(before: str, after: str) -> str:
    """本单位负责的区县：溧阳市 → 常州市 (未设定 for none)."""
    return f"本单位负责的区县：{before or '未设定'} → {after or '未设定'}"
