"""The 对标预审 tab under today's rules: it says which rule set and why, lets the officer pick
another, and sets the 2022 and 2026 rules side by side for one firm."""

from __future__ import annotations

import datetime as dt

from tiers.services import figures, recognitions
from ui.assessment_view import COMPARE

Y = dt.date.today().year - 1


def issue_firm(session, enterprise_factory):
    """70% 主营, R&D 312 + 258 = 570万 (6% each year), two Ⅰ类: 2022 yes, 2026 three short."""
    firm = enterprise_factory("常州示例科技有限公司")
    for year, values in {
        Y: dict(revenue=5200, main_revenue=3640, rd_expense=312, total_assets=4000,
                total_liabilities=2400, niche_years=5, ip_class1=2, market_share=12,
                domestic_rank=2, development_score=70, lead_product_ratio=60, employees=150,
                rd_staff=30),
        Y - 1: dict(revenue=4300, main_revenue=3010, rd_expense=258),
        Y - 2: dict(revenue=4000, main_revenue=2800, rd_expense=200),
    }.items():
        figures.set_year(session, firm.id, year, values)
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": Y,
                                        "recognized_on": dt.date(Y, 8, 1)})
    session.commit()
    return firm.id


def test_tab_says_which_rule_set_and_compares_both(
        qtbot, firm_window, database, settings, runner, session, enterprise_factory):
    enterprise_id = issue_firm(session, enterprise_factory)
    dialog = firm_window(enterprise_id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    assert tab.tier.currentData() == "little_giant"
    assert "2026办法" in tab.rule_label.text() and "新申报" in tab.rule_label.text()
    assert tab.readiness.text() == "不符合"
    assert tab.other_side.isHidden()
    # the officer picks the 2022 rules
    tab.select_rules("2022暂行办法")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
    assert "2022暂行办法" in tab.rule_label.text() and "所选" in tab.rule_label.text()
    assert tab.readiness.text().startswith("待人工核实")
    # and sets both side by side
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
    assert [item.rule_set for item in tab.shown] == ["2022暂行办法", "2026办法"]
    assert not tab.other_side.isHidden()
    assert tab.other_label.text().startswith("2026办法：不符合")
    assert tab.this_label.text().startswith("2022暂行办法：待人工核实")
    assert tab.other_model.rowCount() > 0
    # back to the data's choice
    tab.select_rules("")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
    assert tab.other_side.isHidden() and "新申报" in tab.rule_label.text()


def test_tab_says_a_复核_under_rules_no_source_fixes_is_presumed(
        qtbot, firm_window, database, settings, runner, session, enterprise_factory):
    """review29: a 省级专精特新 title in its 复核 round this year, recognised before the
    2026办法: judged by it, said as presumed, with the 2022 result beside it."""
    today = dt.date.today()
    if not dt.date(2026, 4, 1) <= today <= dt.date(2028, 12, 31):
        return  # (no such 复核 on this day)
    firm = enterprise_factory("常州推定复核科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": today.year - 3,
                                        "valid_until": dt.date(today.year, 12, 31)})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    tab.select_tier("zjtx")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    presumed = "省级复核通知未取得，按现行办法推定"
    assert "2026办法" in tab.rule_label.text() and presumed in tab.rule_label.text()
    assert f"按2026办法（{presumed}）：" in tab.verdict.text(), tab.verdict.text()
    assert "；按2022暂行办法：" in tab.verdict.text()
