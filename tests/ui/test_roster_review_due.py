"""企业库: the status filter offers 待复核 and 复核结果待公布 (the core's words for a title run out
in its 复核 round, or awaiting its list), and a firm's 当前梯度 cell names such a title, in
amber, as its 认定历史 does (status23, finding 1)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tiers.model import ladder
from tiers.services import recognitions
from ui.enterprise_table_model import EnterpriseTableModel
from ui.filter_panel import FilterPanel
from ui.roster_cells import COLUMNS, REVIEW_COLOUR


def test_the_filter_offers_the_复核_statuses(qtbot, database):
    panel = FilterPanel(database)
    qtbot.addWidget(panel)
    offered = [panel.status.itemText(i) for i in range(panel.status.count())]
    assert ladder.REVIEW_DUE in offered and ladder.REVIEW_RESULTS_PENDING in offered
    assert offered.index(ladder.REVIEW_DUE) < offered.index(ladder.EXPIRED)


def test_the_tier_cell_names_a_title_in_its_复核_round(qtbot, database, session,
                                                     enterprise_factory):
    today = dt.date.today()  # the 企业库 judges on the real day
    firm = enterprise_factory("常州只剩复核有限公司")
    recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_year": today.year - 3,
                                        "valid_until": today - dt.timedelta(days=20)})
    session.commit()
    model = EnterpriseTableModel(database)
    tier = next(i for i, column in enumerate(COLUMNS) if column.key == "tier")
    index = model.index(0, tier)
    assert model.data(index) == "（待复核：小巨人）"
    assert model.data(index, Qt.ForegroundRole).color() == REVIEW_COLOUR


def test_under_a_status_filter_the_tier_cell_names_the_title_found(qtbot, database, session,
                                                                   enterprise_factory):
    """企业库 filtered by 即将到期: a firm holding a 小巨人 for years, found for its 创新型
    about to expire, says so in its 当前梯度 cell, with the date (status23 follow-up 2)."""
    from dataclasses import replace

    today = dt.date.today()
    soon = today + dt.timedelta(days=10)
    firm = enterprise_factory("常州华美医疗有限公司")
    recognitions.add(session, firm.id, {"tier_code": "little_giant", "level": "国家级",
                                        "batch_year": today.year - 1,
                                        "valid_until": today + dt.timedelta(days=900)})
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": today.year - 3,
                                        "valid_until": soon})
    session.commit()
    model = EnterpriseTableModel(database)
    model.set_filters(replace(model.filters, status=ladder.EXPIRING))
    tier = next(i for i, column in enumerate(COLUMNS) if column.key == "tier")
    qtbot.waitUntil(lambda: model.rowCount() == 1 and bool(model.data(model.index(0, tier))))
    assert model.data(model.index(0, tier)) == f"小巨人（即将到期：创新型 {soon.isoformat()}）"
    assert model.data(model.index(0, tier), Qt.ToolTipRole) == \
        f"专精特新“小巨人”企业（即将到期：创新型 {soon.isoformat()}）"
