"""工作台's heading above the list of titles expiring counts titles, as the status bar's
180天内到期 beside it (and its 有效认定): a title imported twice is two rows of the list, one
title (it read 2 项 under a status bar that said 1 项)."""

from __future__ import annotations

import datetime as dt

from tiers.model.orm import Recognition
from tiers.queries import dashboard
from tiers.services import recognitions, records
from ui.dashboard_view import DashboardView, load_dashboard


def test_the_heading_counts_a_title_imported_twice_once(qtbot, database, session,
                                                        enterprise_factory):
    firm = enterprise_factory("常州两条同期有限公司")
    ends = dt.date.today() + dt.timedelta(days=30)  # the 工作台 judges on the real day
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": ends.year - 3,
                                        "valid_until": ends, "document_number": ""})
    # (the same title again, as a database written before recognitions.add refused a copy
    # may hold: stored past the service)
    records.create(session, Recognition, firm.id, recognitions.clean(
        {"tier_code": "zjtx", "batch_year": ends.year - 3, "valid_until": ends,
         "document_number": "苏工信中小〔2023〕513号"}), user=None, import_batch_id=None)
    session.commit()
    with database.session() as reading:
        assert dashboard.overview(reading)["expiring"] == 1
    view = DashboardView(None, None)
    qtbot.addWidget(view)
    data = load_dashboard(database, "county")
    view.show_data(data)
    assert view.expiring_model.rowCount() == 2  # both rows listed, to be put right
    assert "：1 项" in view.expiring_title.text(), view.expiring_title.text()
