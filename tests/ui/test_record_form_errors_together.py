"""A record form with errors of both kinds, a value that does not parse (a date that does
not exist) and one the rules refuse (a negative amount): 确定 shows them all, as typing did,
and saves nothing (tester26b: the amount's error went on 确定 while the date's showed)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tiers.services import measures
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields


def test_ok_keeps_every_error_shown(qtbot):
    dialog = RecordFormDialog("扶持措施", measure_fields(), {"year": 2026, "kind": "认定奖励"},
                              measures.clean)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_value("amount", "-20")
    dialog.set_value("paid_on", "2025.13.01")
    shown = {k for k, label in dialog.errors.items() if label.isVisibleTo(dialog)}
    assert {"amount", "paid_on"} <= shown
    qtbot.keyClick(dialog, Qt.Key_Return)  # 确定
    assert dialog.isVisible() and dialog.result_values is None
    after = {k: label.text() for k, label in dialog.errors.items() if label.isVisibleTo(dialog)}
    assert {"amount", "paid_on"} <= set(after), after
    assert "-20" in after["amount"] and "2025.13.01" in after["paid_on"]
