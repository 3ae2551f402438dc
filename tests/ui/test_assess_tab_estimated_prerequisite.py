"""The 对标预审 tab says a prerequisite met only through an estimated validity rests on the
estimate, in the same words as ``tiers assess`` (the core's condition explanation): a 科技型
中小企业 entered with its year alone (audit28 #4)."""

from __future__ import annotations

import datetime as dt

from tiers.services import recognitions

Y = dt.date.today().year - 1  # its estimated end: 31 December of this year, in force today


def test_the_tab_says_the_prerequisite_rests_on_an_estimate(
        qtbot, firm_window, session, enterprise_factory):
    firm = enterprise_factory("常州推算科技型有限公司")
    recognitions.add(session, firm.id, {"tier_code": "tech_sme", "batch_year": Y})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    tab.select_tier("zjtx")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    model = tab.model
    cells = [[model.index(row, column).data() for column in range(model.columnCount())]
             for row in range(model.rowCount())]
    prerequisite = next(row for row in cells if row[0] == "已是科技和创新型中小企业")
    assert prerequisite[1] == "满足"
    assert prerequisite[-1] == (f"已认定为科技型中小企业（有效期为推算：只知 {Y}年度，"
                                "请核对入库编号）")
