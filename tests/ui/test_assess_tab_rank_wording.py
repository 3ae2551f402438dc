"""The 对标预审 tab words a rank as a place, as the command line does: 第 4 名，未进前 3 名
(it read 4 名，高于 3 名), with the gap 差 1 名."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from tests.ui.test_assess_tab_2026 import Y
from tiers.services import figures, recognitions


def _texts(model, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            out.append(str(model.data(model.index(row, column, parent), Qt.DisplayRole) or ""))
        out.extend(_texts(model, model.index(row, 0, parent)))
    return out


def test_the_tab_says_not_in_the_first_three(
        qtbot, firm_window, database, settings, runner, session, enterprise_factory):
    firm = enterprise_factory("常州排名第四科技有限公司")
    figures.set_year(session, firm.id, Y, dict(revenue=5200, main_revenue=3640, market_share=5,
                                               domestic_rank=4))
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": Y,
                                        "recognized_on": dt.date(Y, 8, 1)})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
    tab.select_rules("2026办法")
    qtbot.waitUntil(lambda: tab.ready and tab.model.rowCount() > 0, timeout=10_000)
    texts = _texts(tab.model)
    assert f"国内细分市场排名 第 4 名（{Y}年度），未进前 3 名" in texts
    assert "差 1 名" in texts
    assert not any("高于 3 名" in text for text in texts)
