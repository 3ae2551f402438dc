"""工作台's list of titles to renew lists a title run out inside its 复核 round as 待复核 —
the word its 认定历史 and the 企业库's status filter use — instead of leaving it off the
page while the 复核 is on (status23, finding 1); one whose round is over is not listed."""

from __future__ import annotations

import datetime as dt

from tiers.services import recognitions
from ui.dashboard_view import DashboardView, load_dashboard


def test_a_title_in_its_复核_round_is_listed_as_待复核(qtbot, database, session,
                                                    enterprise_factory):
    today = dt.date.today()  # the 工作台 judges on the real day
    due = enterprise_factory("常州复核轮次内有限公司")
    # 小巨人 of the batch three years back: its 复核 round is this year, whenever it ended
    recognitions.add(session, due.id, {"tier_code": "little_giant", "batch_year": today.year - 3,
                                       "valid_until": today - dt.timedelta(days=20)})
    lost = enterprise_factory("常州错过复核有限公司")
    recognitions.add(session, lost.id, {"tier_code": "little_giant", "batch_year": today.year - 5,
                                        "valid_until": today - dt.timedelta(days=400)})
    soon = enterprise_factory("常州即将到期有限公司")
    recognitions.add(session, soon.id, {"tier_code": "zjtx", "batch_year": today.year - 3,
                                        "valid_until": today + dt.timedelta(days=40)})
    session.commit()
    view = DashboardView(None, None)
    qtbot.addWidget(view)
    view.show_data(load_dashboard(database, "county"))
    model = view.expiring_model
    shown = {model.data(model.index(row, 2)): model.data(model.index(row, 0))
             for row in range(model.rowCount())}
    assert shown == {"常州复核轮次内有限公司": "待复核", "常州即将到期有限公司": 40}
    assert "180天内到期的认定：1 项，待复核 1 项" in view.expiring_title.text(), \
        view.expiring_title.text()
