"""Texts the wizard and 导入记录 show about an import: the undo summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QSizePolicy

from importers.report import not_in_final_list_lines, rows_to_note, taken_as_text
from tiers.text.counts import removed_text
from ui.import_hints import hinted
from ui.plan_table_model import placed, problem_texts

KEPT_SHOWN = 20  # kept values listed one by one after an undo; the rest are counted
MISSING_SHOWN = 20  # firms a final list leaves out, listed one by one; the rest counted
NOTES_SHOWN = 1000  # the preview's warnings listed again on 完成; the rest counted


def standing_lines(plan, how_to_change: str = "") -> list[str]:
    """公示名单 or 认定名单 (with how to change it), then the firms still 公示中 that a final
    list leaves out. The preview and the result page both show them."""
    taken_as = taken_as_text(plan)
    if not taken_as:
        return []
    todo = QCoreApplication.translate(
        "ImportSummary", "  核实后：确未入选的，在企业档案的“梯度认定”中选中这一条，点“删除”；"
        "名单漏列的，选中后点“确认认定（公示结束）”")
    return [taken_as + how_to_change,
            *not_in_final_list_lines(plan, limit=MISSING_SHOWN, todo=todo)]


def preview_notes(plan, limit: int = NOTES_SHOWN) -> tuple[int, list[str]]:
    """What the preview warned of, for the 完成 page (an officer who clicked through could
    not see it again): the notes on the file as a whole, then each row with problems or
    not imported, with its problems. How many there are, and the lines (``limit`` of them,
    then how many more)."""
    notes = [hinted(p.message, p.hint_field) for p in plan.problems]
    line = QCoreApplication.translate("ImportSummary", "第 %1 行 %2（%3）：%4")
    not_imported = QCoreApplication.translate("ImportSummary", "未导入")
    for row in rows_to_note(plan):  # (which rows: the importer's rule, importers.report)
        name = row.name or row.code_as_written or row.credit_code
        notes.append(placed(line, row.row, name, row.action_label,
                            "；".join(problem_texts(row)) or not_imported))
    lines = notes[:limit]
    if len(notes) > limit:
        lines.append(placed(QCoreApplication.translate(
            "ImportSummary", "……另有 %1 条（未导入的行可用“把问题行保存为 Excel…”保存）"),
            f"{len(notes) - limit:,}"))
    return len(notes), lines


def _kept_line(item: dict[str, Any]) -> str:
    reason = str(item.get("reason") or item.get("name") or "")
    for ending in ("，予以保留", "予以保留"):
        if reason.endswith(ending):
            return reason[:-len(ending)]
    return reason


def undo_summary(result) -> str:
    """已撤销导入批次 3：删除 认定 4 项、企业 3 家；还原字段 2 个。 — then, one a line, what was
    edited after the import and so left as it is. The wizard and 导入记录 both show it."""
    details = []
    removed = removed_text(result.removed)
    if removed:
        details.append("删除 " + removed)
    if result.restored:  # in words where the core has them (3 项小巨人认定由已认定改回公示中)
        details.append("；".join(result.restore_words) or f"还原字段 {result.restored} 个")
    if result.unbinned:
        details.append(f"从回收站恢复企业 {result.unbinned} 家")
    if result.rebinned:
        details.append(f"移回回收站企业 {result.rebinned} 家")
    if result.reinstated:  # a 数据包 that replaced a county's records
        details.append(f"放回被删除的记录 {result.reinstated} 项")
    text = f"已撤销导入批次 {result.batch_id}"
    lines = [text + ("：" + "；".join(details) if details else "：没有需要删除或还原的内容") + "。"]
    if result.kept:
        lines.append("以下内容导入后被修改过，保留未动：")
        lines += ["　· " + _kept_line(item) for item in result.kept[:KEPT_SHOWN]]
        if len(result.kept) > KEPT_SHOWN:
            lines.append(f"　……另有 {len(result.kept) - KEPT_SHOWN} 处")
    if result.still_pending_text:  # the core's note on 公示中 ones kept, with what to do
        lines.append(result.still_pending_text)
    return "\n".join(lines)


def fit_text(button: QPushButton) -> None:
    """Never narrower than its whole label: a CJK label measured in the style's font can come
    out shorter than the fallback font draws it, and the layout then cuts it off."""
    metrics = button.fontMetrics()
    width = max(metrics.horizontalAdvance(button.text()),
                metrics.boundingRect(button.text()).width())
    button.setMinimumWidth(max(button.sizeHint().width(), width + 4 * metrics.averageCharWidth()))
    button.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)
