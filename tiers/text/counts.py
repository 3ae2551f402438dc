"""Import and undo counts in Chinese (数据行 6、新增 3、未匹配 1; 企业 3 家、认定 4 项),
zero counts left out: the import wizard, 导入记录 and `tiers imports` all show them."""

from __future__ import annotations

from collections.abc import Mapping

from tiers.text import fields

COUNT_LABELS = {"rows": "数据行", "enterprises": "企业", "created": "新增", "create": "新增",
                "updated": "更新", "update": "更新", "unchanged": "无变化",
                "skipped": "跳过", "skip": "跳过", "unmatched": "未匹配", "errors": "错误",
                "outside": "不导入（不在负责区县）",
                "other_unit": "不导入（不属本单位区县）",
                "error": "错误", "deleted": "删除", "conflicts": "冲突",
                "kept": "保留本市修改"}  # a package's: the city's values it left
UNITS = {"kept": " 项"}


def counts_text(counts: Mapping[str, object], *, separator: str = "、") -> str:
    """数据行 6、新增 3、未匹配 1 — known counts only, zeros omitted."""
    parts = []
    for key, value in counts.items():
        if key not in COUNT_LABELS:
            continue
        if isinstance(value, Mapping):  # a package's batch: per table
            text = _over_tables(value, binned=key == "deleted")
            if text:
                parts.append(f"{COUNT_LABELS[key]} {text}")
        elif isinstance(value, int) and not isinstance(value, bool) and value:
            parts.append(f"{COUNT_LABELS[key]} {value:,}{UNITS.get(key, '')}")
    return separator.join(parts)


def _over_tables(per_table: Mapping[str, object], *, binned: bool = False) -> str:
    """488（其中企业 215 家）: the rows of every table, the firms among them named. A
    package deletes no firm: it moves it to the 回收站 (restorable), and says so."""
    numbers = {table: value for table, value in per_table.items()
               if isinstance(value, int) and not isinstance(value, bool)}
    total = sum(numbers.values())
    if not total:
        return ""
    firms = numbers.get("enterprises", 0)
    if not firms:
        return f"{total:,}"
    return f"{total:,}（其中企业 {firms:,} 家移入回收站）" if binned else f"{total:,}（其中企业 {firms:,} 家）"


def removed_text(removed: Mapping[str, int]) -> str:
    """企业 3 家、认定 4 项 — zeros omitted."""
    return "、".join(fields.counted(entity, count) for entity, count in removed.items()
                    if count)


def batch_state(batch: Mapping[str, object]) -> str:
    """导入记录's 状态 of a batch (a row of tiers.queries.imports.import_batches): 有效, or
    已撤销 2024-03-08 14:05（张三） — when and by whom it was undone, as ``tiers imports``
    says it; the client's 导入记录 leaves out who when it is the 操作人 in the column beside
    it (ui.imports_view._state)."""
    from tiers.text.values import show  # loads the ladder: on use

    undone_at = batch.get("undone_at")
    if not undone_at:
        return "有效"
    undone_by = batch.get("undone_by")
    return f"已撤销 {show(undone_at, 'datetime')}" + (f"（{undone_by}）" if undone_by else "")
