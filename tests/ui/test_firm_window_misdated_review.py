"""The firm window's 梯度认定 says, in the 年度 cell, that a 复核 recorded at the year of the
batch it renews is likely wrong and which year it should be (tiers check lists them all);
a 复核 of its own year reads as it is."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tiers.services import recognitions
from ui.enterprise_dialog import EnterpriseDialog

YEAR_COLUMN = 3


def test_a_misdated_review_is_said_in_its_year_cell(qtbot, database, settings, runner,
                                                     enterprise_factory, session):
    firm = enterprise_factory("常州复核年度有限公司")
    misdated = recognitions.add(session, firm.id, {
        "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
        "is_review": True, "review_of_batch": "第二批"})
    right = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                "batch_label": "第三批", "is_review": True})
    # 专精特新's 复核 of the 2022 round, 复核批次 blank: its label is the round's year, right
    yearly = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_label": "2022年度",
                                                 "batch_year": 2022, "is_review": True})
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.recognition_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=10_000)
    assert tab.model.headerData(YEAR_COLUMN, Qt.Horizontal) == "年度"
    cells = {r["id"]: tab.model.data(tab.model.index(n, YEAR_COLUMN))
             for n, r in enumerate(tab.model.rows)}
    assert cells[misdated.id] == "2020（疑为 2023：复核不会与所复核批次同年）"
    assert cells[right.id] == "2024"
    assert cells[yearly.id] == "2022"  # review26 #1: it read 2022（疑为 2025…）
