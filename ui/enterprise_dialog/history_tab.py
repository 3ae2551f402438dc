"""变更记录: every change to the firm and its records, in Chinese, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableView, QWidget

from tiers.text import changes as change_text
from tiers.text.values import show
from ui.record_table_model import RecordColumn, RecordTableModel, enable_sorting
from ui.table_comforts import fit_columns


def history_display(profile: dict[str, Any],
                    history_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History rows with their Chinese texts; recognitions named from the profile."""
    records = {("recognition", r["id"]): r for r in profile.get("recognitions", [])}
    records.update({("support_measure", m["id"]): m for m in profile.get("support_measures", [])})
    records.update({("annual_figures", f["id"]): f for f in profile.get("figures", [])})
    records.update({("chain_role", c["id"]): c for c in profile.get("chains", [])})
    return [dict(row, text=change_text.describe(row, records=records)) for row in history_rows]


class HistoryTab(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history_model = RecordTableModel([
            RecordColumn("at", "时间", lambda r: show(r["at"], "datetime")),
            RecordColumn("user", "操作人"),
            RecordColumn("action", "操作", lambda r: r["text"].action),
            RecordColumn("entity", "对象", lambda r: r["text"].entity),
            RecordColumn("subject", "记录", lambda r: r["text"].subject),
            RecordColumn("field", "字段", lambda r: r["text"].field),
            RecordColumn("old", "原值", lambda r: r["text"].old),
            RecordColumn("new", "新值", lambda r: r["text"].new),
            RecordColumn("import_file", "来源导入"),
        ], [], self)
        self.setModel(self.history_model)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)
        enable_sorting(self)

    def show_history(self, profile: dict[str, Any], history_rows: list[dict[str, Any]]) -> None:
        self.history_model.set_rows(history_display(profile, history_rows))
        # whole-record texts are long: keep them readable, the tooltip has the rest
        fit_columns(self, 320)
